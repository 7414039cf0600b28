"""Reading the archive in a real browser (gunicorn, production settings, hashed static files):
sections, paragraph permalinks, citations, language switching, compare, and axe-core checks.

Screenshots of each page at desktop and phone widths go to test-artifacts/screenshots/.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
NARROWEST = {"width": 320, "height": 640}
PAGES = {
    "home": "/",
    "report": "/kz/2022/kk/",
    "section": "/kz/2022/kk/1c/",
    "english-section": "/kz/2023/en/1c/",
    "topic": "/topics/torture/",
    "compare": "/kz/compare/2a/?from=2021&to=2022",
    "compare-error": "/kz/compare/2a/?from=2022&to=2022",
    "not-found": "/kz/2022/kk/9z/",
}


def serious_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def first_paragraph_number(page, live_site, path):
    page.goto(f"{live_site}{path}")
    anchor = page.locator("div.para").first.get_attribute("id")
    return int(anchor[1:])


def interface_in(page, live_site, language):
    """Pick the interface language as the switcher does (the browser itself asks for en-US)."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_site}])


@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_every_width_from_320_px_to_desktop_without_sideways_scrolling(
    page, live_site, name
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    interface_in(page, live_site, "kk")
    for label, size in (("desktop", DESKTOP), ("phone", PHONE), ("narrowest", NARROWEST)):
        page.set_viewport_size(size)
        page.goto(f"{live_site}{PAGES[name]}")
        page.locator("h1").wait_for()
        if label != "narrowest":
            page.screenshot(path=str(SCREENSHOTS / f"browse-{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {label} width"


def test_section_page_shows_paragraphs_with_anchor_links(page, live_site):
    page.goto(f"{live_site}/kz/2022/kk/1c/")
    assert page.locator("html").get_attribute("lang") in ("kk", "en", "ru")
    assert page.locator("h1").get_attribute("lang") == "kk"
    paragraphs = page.locator("div.para")
    assert paragraphs.count() > 5
    first = paragraphs.first
    number = first.get_attribute("id")[1:]
    first.locator("a.anchor").click()
    assert page.url.endswith(f"/kz/2022/kk/1c/#p{number}")
    assert page.evaluate("document.querySelector(':target').id") == f"p{number}"


def test_paragraph_permalink_opens_the_section_at_that_paragraph(page, live_site):
    number = first_paragraph_number(page, live_site, "/kz/2022/kk/1c-prisons/")
    page.goto(f"{live_site}/kz/2022/kk/p/{number}/")
    assert page.url == f"{live_site}/kz/2022/kk/1c-prisons/?p={number}#p{number}"
    target = page.locator(f"#p{number}")
    assert target.is_visible()
    assert page.evaluate("document.querySelector(':target').id") == f"p{number}"


def test_a_fragment_for_a_paragraph_in_another_section_is_sent_to_its_permalink(page, live_site):
    # As after a re-upload that moved the paragraph: the old section#pN no longer holds it.
    number = first_paragraph_number(page, live_site, "/kz/2022/kk/2a/")
    page.goto(f"{live_site}/kz/2022/kk/1c/#p{number}")
    page.wait_for_url(re.compile(rf"/kz/2022/kk/2a/\?p={number}#p{number}$"))
    assert page.locator(f"#p{number}").is_visible()


def test_cite_copies_the_same_citation_the_cite_page_shows(page, live_site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    number = first_paragraph_number(page, live_site, "/kz/2022/kk/1c/")
    page.locator(f"#p{number} a.cite").click()
    page.locator(".copy-status").filter(has_text=re.compile(".+")).wait_for()
    assert page.url.endswith("/kz/2022/kk/1c/"), "the click should copy, not navigate"
    copied = page.evaluate("navigator.clipboard.readText()")
    page.goto(f"{live_site}/kz/2022/kk/p/{number}/cite/")
    assert copied == page.locator("#citation").input_value()
    assert copied.endswith(f"{live_site}/kz/2022/kk/p/{number}/")


def test_cite_link_opens_the_citation_page_without_javascript(browser, live_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_site}/kz/2022/kk/1c/")
        page.locator("div.para a.cite").first.click()
        page.wait_for_url(re.compile(r"/p/\d+/cite/$"))
        assert "/kz/2022/kk/p/" in page.locator("#citation").input_value()
    finally:
        context.close()


def test_switching_the_interface_language_keeps_the_page_and_its_text(page, live_site):
    page.goto(f"{live_site}/kz/2022/kk/1c/")
    text_before = page.locator("div.para p[lang]").first.inner_text()
    page.select_option("#site-language", "ru")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.url == f"{live_site}/kz/2022/kk/1c/"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".site-header button[type=submit]").first.inner_text() == "Поиск"
    assert page.locator("div.para p[lang]").first.inner_text() == text_before
    page.select_option("#site-language", "kk")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"


def test_compare_shows_word_changes_and_lets_the_reader_pick_years(page, live_site):
    page.goto(f"{live_site}/kz/2022/kk/2a/")
    page.locator(".section-links a[href*='/compare/']").click()
    page.wait_for_url(re.compile(r"/kz/compare/2a/\?from=\d{4}&to=2022&language=kk$"))
    page.select_option("#id_from", "2021")
    page.select_option("#id_to", "2022")
    page.locator(".compare-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"from=2021&to=2022"))
    assert page.locator("tr.diff-changed del").first.inner_text() == "өзгертілген"
    assert page.locator("tr.diff-changed ins").count() >= 1
    page.select_option("#id_from", "2022")
    page.locator(".compare-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").first.is_visible()
    assert page.locator("table.diff").count() == 0


@pytest.mark.parametrize("name", ["home", "section", "compare", "report", "topic", "not-found"])
def test_pages_have_no_serious_accessibility_violations(page, live_site, name):
    interface_in(page, live_site, "kk")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{live_site}{PAGES[name]}")
        assert serious_violations(page) == []


def test_printed_section_shows_its_text_and_permalink_without_navigation_or_forms(page, live_site):
    interface_in(page, live_site, "kk")
    page.goto(f"{live_site}/kz/2022/kk/1c/")
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "browse-section-print.png"), full_page=False)
    assert page.locator(".permalink-line").is_visible()
    assert f"{live_site}/kz/2022/kk/1c/" in page.locator(".permalink-line").inner_text()
    for hidden in (".site-header", "nav.breadcrumbs", ".section-links", "form", ".site-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("div.para").first.is_visible()
    assert not page.locator("div.para a.cite").first.is_visible()


def test_topic_page_leads_from_the_kazakh_year_to_the_english_one(page, live_site):
    interface_in(page, live_site, "en")
    page.goto(f"{live_site}/topics/torture/")
    page.locator("a[href='/kz/2023/en/1c/']").first.click()
    page.wait_for_url(re.compile(r"/kz/2023/en/1c/$"))
    heading = page.locator("h1")
    assert heading.get_attribute("lang") == "en"
    assert heading.inner_text().startswith("Torture and Other Cruel")
    page.locator("a[rel='prev']").click()
    page.wait_for_url(re.compile(r"/kz/2022/kk/1c/$"))
    assert page.locator("h1").get_attribute("lang") == "kk"
    assert serious_violations(page) == []
