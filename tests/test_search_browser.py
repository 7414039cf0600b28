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
    assert re.fullmatch(r"/kz/20\d\d/kk/[0-9a-z-]+/\?q=[^&]+&hit=(\d+)#p\1", href)
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
    # Five hits, less the repeats from 2021 folded under their 2022 copies.
    assert 0 < page.locator(".hit").count() <= 5
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"search-results-{width}.png"), full_page=True)


def test_an_english_word_finds_the_english_report_with_its_forms_marked(live_site, page):
    page.goto(f"{live_site}/search/?q=tortured&language=en")
    hits = page.locator(".hit")
    assert hits.count() > 0
    href = page.locator(".hit__title a").first.get_attribute("href")
    assert re.fullmatch(r"/kz/2023/en/[0-9a-z-]+/\?q=tortured&hit=(\d+)#p\1", href)
    marks = [m.lower() for m in page.locator(".hit__snippet mark").all_inner_texts()]
    assert marks and all(re.fullmatch(r"tortur\w*", m) for m in marks)
    assert set(marks) - {"tortured"}, "only the typed form was marked"


def test_a_multiword_search_shows_partial_matches_labelled(live_site, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_site}])
    page.goto(f"{live_site}/search/?q=саяси+тұтқындар+саны")
    partial = page.locator("#partial-hits .hit")
    assert partial.count() > 0
    assert "Contains 2 of your 3 words" in partial.first.locator(".hit__partial").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search-multiword.png"), full_page=True)


def test_a_typo_shows_the_corrected_searchs_results(live_site, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_site}])
    page.goto(f"{live_site}/search/?q=азаптуа")
    assert "Showing results for" in page.locator("#correction").inner_text()
    assert page.locator(".hit__snippet mark").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "search-typo.png"), full_page=True)
    # Opening the first hit carries the query: its words are marked in the section.
    page.locator(".hit__title a").first.click()
    page.wait_for_url(re.compile(r"\?q=.*hit=\d+#p\d+$"))
    assert page.locator(".para--hit mark").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "search-opened-hit.png"))
