"""Highlights that follow the reader: a search hit links to its section with the query,
``/kz/2022/kk/1c/?q=азаптау&hit=N#pN``; the section page marks the query's words (every
inflected form the analyzer reads as one of them), flags paragraph N as the one found and
shows a bar back to the results. Citations, anchors and the canonical URL stay clean.

The archive (tests/archive.py) holds KZ 2022 and 2021 in Kazakh and KZ 2023 in English.
"""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from playwright.sync_api import expect
from pytest_django.asserts import assertContains

from sections.models import Paragraph, Report
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db

# The bound tests/test_browse.py puts on every page.
MAX_QUERIES = 8
SECTION = "/kz/2022/kk/1c/"
ENGLISH_SECTION = "/kz/2023/en/1c/"
QUERY = "азаптау"


@pytest.fixture(autouse=True)
def english_interface(client, settings):
    """The interface strings asserted here are the English ones (the default is Kazakh)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def paragraphs_of(country, year, language, code):
    """The paragraphs of one section (without its subsections), in reading order."""
    report = Report.objects.get(country=country, year=year, language=language)
    return list(Paragraph.objects.filter(report=report, section__code=code).order_by("ordinal"))


def inflected_paragraph():
    """The last paragraph of 2022's 1c with a form of азаптау other than the bare word.

    Returns the paragraph and those forms as printed.
    """
    for paragraph in reversed(paragraphs_of("KZ", 2022, "kk", "1c")):
        forms = set(re.findall(r"\b(азаптау(?:ды|дың|ға|лардың))\b", paragraph.text, re.I))
        if forms:
            return paragraph, forms
    raise AssertionError("no inflected form of азаптау in 1c")


def url(path, q=None, hit=None):
    params = []
    if q is not None:
        params.append(f"q={quote(q)}")
    if hit is not None:
        params.append(f"hit={quote(str(hit))}")
    return path + ("?" + "&".join(params) if params else "")


def get_html(client, path, **params):
    response = client.get(url(path, **params))
    assert response.status_code == 200
    return response.content.decode()


def paragraph_block(html, number):
    """The rendered <div> of paragraph `number` (its class attribute included)."""
    match = re.search(rf'<div class="([^"]*)" id="p{number}">(.*?)</div>', html, re.S)
    assert match, f"paragraph {number} is not on the page"
    return match.group(1), match.group(2)


def marked_words(fragment):
    return re.findall(r"<mark>([^<]*)</mark>", fragment)


# Marks in the paragraph found


def test_inflected_kazakh_forms_are_marked_in_the_paragraph_found(client):
    paragraph, forms = inflected_paragraph()
    n = paragraph.number
    html = get_html(client, SECTION, q=QUERY, hit=n)
    classes, body = paragraph_block(html, n)
    assert classes == "para para--hit"
    marked = marked_words(body)
    for form in forms:
        assert form in marked, f"{form} is not marked in paragraph {n}: {marked}"
    assert all(word.lower().startswith("азапта") for word in marked), marked
    # The text around the marks is the paragraph's own, escaped as usual.
    text = re.search(r'<p lang="kk">(.*?)</p>', body, re.S).group(1)
    assert re.sub(r"</?mark>", "", text) == escape(paragraph.text)


def test_the_paragraph_found_is_labelled_and_keeps_its_anchor(client):
    paragraph, _ = inflected_paragraph()
    n = paragraph.number
    response = client.get(url(SECTION, q=QUERY, hit=n))
    # The anchor the hit's link ends with (#pN) is on the page: no script needed to scroll.
    assert f'id="p{n}"' in response.content.decode()
    assertContains(response, '<p class="hit-label">Found by your search</p>', html=True, count=1)
    html = response.content.decode()
    assert html.count("para--hit") == 1


def test_other_paragraphs_and_the_title_are_marked_too_but_not_flagged(client):
    paragraph, _ = inflected_paragraph()
    html = get_html(client, SECTION, q=QUERY, hit=paragraph.number)
    first = paragraphs_of("KZ", 2022, "kk", "1c")[0]
    classes, body = paragraph_block(html, first.number)
    assert classes == "para"
    assert marked_words(body)
    h1 = re.search(r'<h1 lang="kk">(.*?)</h1>', html, re.S).group(1)
    assert marked_words(h1) == ["Азаптау"]
    # The browser tab's title is plain text.
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<mark>" not in title and "&lt;mark" not in title


def test_english_query_marks_the_stemmed_forms_of_an_english_section(client):
    paragraphs = paragraphs_of("KZ", 2023, "en", "1c")
    paragraph = next(p for p in paragraphs if re.search(r"\btorturing\b", p.text))
    html = get_html(client, ENGLISH_SECTION, q="tortured", hit=paragraph.number)
    classes, body = paragraph_block(html, paragraph.number)
    assert classes == "para para--hit"
    marked = {word.lower() for word in marked_words(body)}
    assert {"torture", "torturing"} <= marked
    h1 = re.search(r'<h1 lang="en">(.*?)</h1>', html, re.S).group(1)
    assert marked_words(h1) == ["Torture"]


def test_bar_names_the_query_and_links_back_to_the_results_and_to_the_clean_page(client):
    paragraph, _ = inflected_paragraph()
    n = paragraph.number
    response = client.get(url(SECTION, q=QUERY, hit=n))
    assertContains(
        response,
        f"""<div class="reader-query">
          <p class="reader-query__words">
            Words of your search are marked: <strong>{QUERY}</strong>
          </p>
          <ul class="reader-query__links">
            <li><a href="/search/?q={quote(QUERY)}">Back to results</a></li>
            <li><a href="{SECTION}#p{n}">Clear the marks</a></li>
          </ul>
        </div>""",
        html=True,
    )


def test_bar_says_so_when_the_words_are_not_in_this_section(client):
    html = get_html(client, SECTION, q="бюджет")
    assert "<mark>" not in html
    assert "The words of your search are not in this section:" in html
    assert f'<a href="{SECTION}">Clear the marks</a>' in html


def test_the_query_is_escaped_everywhere_it_is_shown(client):
    q = '<script>alert("x")</script> азаптау'
    html = get_html(client, SECTION, q=q)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; азаптау" in html
    assert marked_words(html)


# Clean links


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def test_cite_anchor_and_permalink_links_never_carry_the_query(client):
    paragraph, _ = inflected_paragraph()
    n = paragraph.number
    html = get_html(client, SECTION, q=QUERY, hit=n)
    carrying = [h for h in hrefs(html) if "q=" in h or "hit=" in h]
    # The only link with the query is the way back to the results.
    assert carrying == [f"/search/?q={quote(QUERY)}"]
    assert f'<a class="cite" href="/kz/2022/kk/p/{n}/cite/" data-cite="{n}"' in html
    # A fragment-only href would keep ?q=…&hit=… in the address: the anchor names the page.
    assert f'<a class="anchor" href="{SECTION}#p{n}"' in html
    assert 'data-permalink-base="http://testserver/kz/2022/kk/p/"' in html
    assert f'<link rel="canonical" href="http://testserver{SECTION}">' in html
    assert re.search(
        rf'class="print-only permalink-line">[^<]*: http://testserver{SECTION}</p>', html
    )
    template = re.search(r'data-citation-format="([^"]+)"', html).group(1)
    assert "q=" not in template and "hit=" not in template


def test_canonical_link_points_at_the_clean_section_url_on_the_configured_site(client, settings):
    settings.SITE_URL = "https://rights.example.org"
    for path in (SECTION, url(SECTION, q=QUERY, hit=1)):
        html = get_html(client, path)
        assert '<link rel="canonical" href="https://rights.example.org/kz/2022/kk/1c/">' in html


def test_page_without_a_query_is_unchanged(client):
    html = get_html(client, SECTION)
    assert "reader-query" not in html and "<mark>" not in html and "para--hit" not in html
    first = paragraphs_of("KZ", 2022, "kk", "1c")[0]
    assert f'<a class="anchor" href="#p{first.number}"' in html


# Bad input


LONG_JUNK = "ж" * 5000
LONG_WORDS = ("қамау " * 1000)[:5000]


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "!!! ??? ...",
        "-",
        '"',
        "OR OR",
        "-азаптау",
        "\x00\x01",
        LONG_JUNK,
        "және туралы",  # Kazakh stopwords only
        "мен да де",  # more Kazakh stopwords
    ],
    ids=[
        "empty",
        "spaces",
        "punctuation",
        "lone-minus",
        "lone-quote",
        "or-only",
        "excluded-only",
        "control",
        "5000-chars-junk",
        "kk-stopwords",
        "kk-stopwords-2",
    ],
)
def test_unusable_queries_render_the_plain_page(client, q):
    html = get_html(client, SECTION, q=q, hit=1)
    assert "<mark>" not in html
    assert "reader-query" not in html
    assert "para--hit" not in html


def test_a_5000_character_query_of_real_words_is_cut_and_still_marks(client):
    html = get_html(client, SECTION, q=LONG_WORDS)
    assert marked_words(html)
    bar = re.search(r'<div class="reader-query">.*?</div>', html, re.S).group(0)
    shown = re.search(r"<strong>(.*?)</strong>", bar, re.S).group(1)
    assert len(shown) <= 120
    back = re.search(r'<a href="(/search/\?q=[^"]*)"', bar).group(1)
    assert len(back) < 10000


@pytest.mark.parametrize("hit", ["abc", "-1", "16abc", "1e3", "١٦", "", "999999", "0"])
def test_a_hit_that_is_no_paragraph_number_of_this_page_flags_nothing(client, hit):
    html = get_html(client, SECTION, q=QUERY, hit=hit)
    assert "para--hit" not in html
    assert "Found by your search" not in html
    # The words are still marked, and "clear" goes to the top of the clean page.
    assert marked_words(html)
    assert f'<a href="{SECTION}">Clear the marks</a>' in html


def test_a_hit_from_another_section_flags_nothing(client):
    other = paragraphs_of("KZ", 2022, "kk", "2a")[0]
    html = get_html(client, SECTION, q=QUERY, hit=other.number)
    assert "para--hit" not in html


def test_a_hit_without_a_query_flags_nothing(client):
    paragraph, _ = inflected_paragraph()
    html = get_html(client, SECTION, hit=paragraph.number)
    assert "para--hit" not in html and "reader-query" not in html


# Queries


def test_marking_costs_no_database_query(client):
    paragraph, _ = inflected_paragraph()
    client.get(SECTION)  # warm caches (translations, content types)
    with CaptureQueriesContext(connection) as plain:
        client.get(SECTION)
    with CaptureQueriesContext(connection) as searched:
        response = client.get(url(SECTION, q=f"{QUERY} OR қамау", hit=paragraph.number))
    assert response.status_code == 200
    assert len(searched) == len(plain) <= MAX_QUERIES


def test_largest_section_with_a_query_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    roots = [s for s in report.section_tree() if s.parent_id is None]
    largest = max(roots, key=lambda s: s.total_paragraphs)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url(f"/kz/2022/kk/{largest.code}/", q="құқық адам OR сот"))
    assert response.status_code == 200
    assert "<mark>" in response.content.decode()


# In a browser


@pytest.mark.browser
def test_opened_hit_scrolls_to_its_paragraph_with_the_words_marked(page, live_site, browser):
    from tests.test_browse_browser import serious_violations

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paragraph, forms = inflected_paragraph()
    n = paragraph.number
    address = f"{live_site}{url(SECTION, q=QUERY, hit=n)}#p{n}"
    page.context.add_cookies([{"name": "django_language", "value": "kk", "url": live_site}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(address)
    found = page.locator(f"#p{n}")
    found.wait_for()
    assert "para--hit" in found.get_attribute("class")
    assert page.evaluate("document.querySelector(':target').id") == f"p{n}"
    # The browser scrolls to the fragment (smoothly, so perhaps after the load event).
    expect(found).to_be_in_viewport()
    # …and on to the top of the window (scroll-margin-top), where the reader starts reading.
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('p{n}').getBoundingClientRect().top) < 60"
    )
    assert page.evaluate("window.scrollY") > 0
    marks = found.locator("mark")
    assert marks.count() >= len(forms)
    assert set(forms) <= set(marks.all_inner_texts())
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background == "rgb(255, 229, 138)"
    assert page.locator(".reader-query").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "reader-highlight.png"), full_page=False)
    assert serious_violations(page) == []
    # The bar at the top of the page, and no sideways scrolling on a phone.
    page.set_viewport_size({"width": 360, "height": 740})
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.screenshot(path=str(SCREENSHOTS / "reader-highlight-bar-phone.png"), full_page=False)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"

    # Without JavaScript the fragment still scrolls to the paragraph found.
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.set_viewport_size({"width": 1280, "height": 900})
        plain.goto(address)
        expect(plain.locator(f"#p{n}")).to_be_in_viewport()
        assert plain.locator(f"#p{n} mark").count() >= len(forms)
    finally:
        context.close()
