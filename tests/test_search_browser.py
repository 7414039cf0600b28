"""Search in a real browser: home page search box → results → paragraph permalink; axe-core
accessibility check and screenshots of the results page at desktop and phone widths."""

import re

import pytest

from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_search_from_the_home_page_opens_the_paragraph_of_a_hit(live_site, page):
    page.goto(f"{live_site}/")
    box = page.locator("main input[name='q']").first
    box.fill("азаптауға")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("#q").input_value() == "азаптауға"
    marks = page.locator(".hit__snippet mark")
    assert marks.count() > 0
    assert re.fullmatch(r"[Аа]заптау\w*", marks.first.inner_text())

    first_hit = page.locator(".hit__title a").first
    href = first_hit.get_attribute("href")
    assert re.fullmatch(r"/kz/20\d\d/kk/[0-9a-z-]+/#p\d+", href)
    first_hit.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    anchor = href.split("#")[1]
    paragraph = page.locator(f"[id='{anchor}']")
    assert paragraph.count() == 1
    assert paragraph.is_visible()


def test_results_page_has_no_serious_accessibility_violations(live_site, page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_site}/search/?q=азаптау")
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], v["help"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("width", [1280, 360])
def test_results_page_screenshots(live_site, page, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_site}/search/?q=сөз+бостандығы&limit=5")
    assert page.locator(".hit").count() == 5
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"search-results-{width}.png"), full_page=True)


def test_an_english_word_finds_the_english_report_with_its_forms_marked(live_site, page):
    page.goto(f"{live_site}/search/?q=tortured&language=en")
    hits = page.locator(".hit")
    assert hits.count() > 0
    href = page.locator(".hit__title a").first.get_attribute("href")
    assert re.fullmatch(r"/kz/2023/en/[0-9a-z-]+/#p\d+", href)
    marks = [m.lower() for m in page.locator(".hit__snippet mark").all_inner_texts()]
    assert marks and all(re.fullmatch(r"tortur\w*", m) for m in marks)
    assert set(marks) - {"tortured"}, "only the typed form was marked"
