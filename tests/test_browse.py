"""Browsing: home, report, section, paragraph permalinks, citations, topics, helpful 404s.

The archive (tests/archive.py) holds KZ 2022 (the seed) and KZ 2021 (the seed minus the first
paragraph of 1c, with one word changed in 2a and one paragraph added to 7), both in Kazakh.
"""

import re

import pytest

from sections.models import Paragraph, Report, RetiredAnchor, Section, Topic

pytestmark = pytest.mark.django_db

# Queries a page may run, whatever the size of the section; see bench/pages.py for timings.
MAX_QUERIES = 8


def report_2022():
    return Report.objects.get(country="KZ", year=2022, language="kk")


def paragraphs_of(report, code):
    """The paragraphs shown on a section page: the section's own and its subsections'."""
    section = report.sections.get(code=code)
    codes = [code, *section.children.values_list("code", flat=True)]
    return list(
        Paragraph.objects.filter(report=report, section__code__in=codes).order_by("ordinal")
    )


def largest_section(report):
    """The top-level section with the most paragraphs, subsections included."""
    roots = [s for s in report.section_tree() if s.parent_id is None]
    return max(roots, key=lambda s: s.total_paragraphs)


# Home


def test_home_page_offers_a_search_box_posting_q_to_the_search_page(client):
    response = client.get("/")
    html = response.content.decode()
    form = re.search(r'<form class="home-search" action="/search/" method="get"[^>]*>', html)
    assert form, "home page search form missing"
    assert '<input id="home-q" type="search" name="q"' in html
    assert '<label for="home-q">' in html


def test_home_page_lists_the_reports_by_year_newest_first(client):
    html = client.get("/").content.decode()
    first, second = html.index('href="/kz/2022/kk/"'), html.index('href="/kz/2021/kk/"')
    assert first < second


def test_home_page_lists_topics_with_their_paragraph_counts(client):
    torture = Topic.objects.with_paragraph_counts().get(slug="torture")
    assert torture.paragraph_count > 0
    html = client.get("/").content.decode()
    item = re.search(
        r'<a href="/topics/torture/">[^<]+</a>\s*<span class="count">([^<]+)</span>', html
    )
    assert item, "torture is not listed with a count"
    assert str(torture.paragraph_count) in item.group(1)


def test_home_page_lists_topics_in_the_order_of_the_report_outline(client):
    html = client.get("/").content.decode()
    positions = [
        html.index(f'href="/topics/{slug}/"')
        for slug in (
            "torture",
            "press-freedom",
            "elections",
            "corruption",
            "women",
            "children",
            "labour",
        )
    ]
    assert positions == sorted(positions)


def test_home_page_names_countries_once_there_are_several(client):
    assert "<h3>Қазақстан</h3>" not in client.get("/").content.decode()
    Report.objects.create(country="UZ", year=2022, language="ru", title="Узбекистан 2022")
    html = client.get("/").content.decode()
    assert "<h3>Қазақстан</h3>" in html and "<h3>Өзбекстан</h3>" in html


def test_home_page_leaves_out_unpublished_reports(client):
    Report.objects.filter(year=2021).update(published=False)
    assert 'href="/kz/2021/kk/"' not in client.get("/").content.decode()


# Report


def test_report_page_shows_title_source_and_contents_with_paragraph_counts(client):
    report = report_2022()
    response = client.get("/kz/2022/kk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 lang="kk">{report.title}</h1>' in html
    assert report.source_name in html
    one_c = report.sections.get(code="1c")
    count = len(paragraphs_of(report, "1c"))
    entry = re.search(
        r'<a href="/kz/2022/kk/1c/"><span class="code">1c</span> ([^<]+)</a>\s*'
        r'<span class="count"[^>]*>([^<]+)</span>',
        html,
    )
    assert entry and entry.group(1) == one_c.title
    assert entry.group(2).strip().startswith(str(count))
    # Subsections are nested under their section.
    assert re.search(
        r'href="/kz/2022/kk/1c/".*?<ol class="toc">.*?href="/kz/2022/kk/1c-', html, re.S
    )


def test_report_page_links_the_previous_year(client):
    html = client.get("/kz/2022/kk/").content.decode()
    assert '<a rel="prev" href="/kz/2021/kk/">' in html


def test_report_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/kz/2022/kk/").status_code == 200


# Section


def test_section_page_gives_each_paragraph_a_stable_anchor(client):
    report = report_2022()
    html = client.get("/kz/2022/kk/1c/").content.decode()
    paragraphs = paragraphs_of(report, "1c")
    assert len(paragraphs) > 5
    for paragraph in paragraphs:
        n = paragraph.number
        assert f'<div class="para" id="p{n}">' in html
        assert f'<a class="anchor" href="#p{n}"' in html
    shown = [int(n) for n in re.findall(r'<div class="para" id="p(\d+)">', html)]
    assert shown == [p.number for p in paragraphs], "paragraphs out of reading order"


def test_section_page_shows_breadcrumbs_title_and_subsections(client):
    report = report_2022()
    one_c = report.sections.get(code="1c")
    html = client.get("/kz/2022/kk/1c/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert 'href="/"' in crumbs and 'href="/kz/2022/kk/"' in crumbs
    assert 'href="/kz/2022/kk/1/"' in crumbs
    assert '<a aria-current="page" href="/kz/2022/kk/1c/">1c</a>' in crumbs
    assert f'<h1 lang="kk">{one_c.title}</h1>' in html
    for child in one_c.children.all():
        assert f'href="#s-{child.code}"' in html
        assert f'id="s-{child.code}"' in html


def test_section_page_links_the_same_section_in_the_previous_year_and_its_topic(client):
    html = client.get("/kz/2022/kk/1c/").content.decode()
    assert '<a rel="prev" href="/kz/2021/kk/1c/">' in html
    # 2023 exists only in English: the next year's torture section is that one.
    assert '<a rel="next" href="/kz/2023/en/1c/">' in html
    assert 'href="/kz/compare/1c/?from=2021&amp;to=2022&amp;language=kk"' in html
    assert 'href="/topics/torture/"' in html
    older = client.get("/kz/2021/kk/1c/").content.decode()
    assert '<a rel="next" href="/kz/2022/kk/1c/">' in older


def test_section_page_carries_the_script_that_resolves_moved_fragments(client):
    html = client.get("/kz/2022/kk/1c/").content.decode()
    assert 'data-permalink-base="http://testserver/kz/2022/kk/p/"' in html
    script = re.search(r'<script src="(/static/js/section\.js)" defer></script>', html)
    assert script
    source = client.get(script.group(1))
    body = b"".join(source.streaming_content) if source.streaming else source.content
    assert b"location.hash" in body and b"data-permalink-base" in body


def test_largest_section_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    report = report_2022()
    section = largest_section(report)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/kz/2022/kk/{section.code}/")
    assert response.status_code == 200
    assert response.content.decode().count('<div class="para"') > 50


def test_short_section_link_redirects_to_the_kazakh_report(client):
    response = client.get("/kz/2022/1c/")
    assert response.status_code == 302
    assert response["Location"] == "/kz/2022/kk/1c/"


def test_short_section_link_redirects_to_the_only_language_of_that_year(client):
    report = Report.objects.create(country="KZ", year=2019, language="ru", title="Казахстан 2019")
    Section.objects.create(report=report, code="1c", title="Пытки", order=1)
    response = client.get("/kz/2019/1c/")
    assert response["Location"] == "/kz/2019/ru/1c/"


# Paragraph permalinks and citations


def test_paragraph_permalink_redirects_to_its_section_anchor(client):
    paragraph = paragraphs_of(report_2022(), "1c-prisons")[0]
    response = client.get(f"/kz/2022/kk/p/{paragraph.number}/")
    assert response.status_code == 302
    n = paragraph.number
    assert response["Location"] == f"/kz/2022/kk/1c-prisons/?p={n}#p{n}"


def test_paragraph_permalink_follows_a_retired_anchor_to_its_successor(client):
    report = report_2022()
    successor = paragraphs_of(report, "2a")[1]
    retired = report.paragraphs.order_by("-number").first().number + 100
    RetiredAnchor.objects.create(report=report, number=retired, successor_number=successor.number)
    response = client.get(f"/kz/2022/kk/p/{retired}/")
    n = successor.number
    assert response["Location"] == f"/kz/2022/kk/2a/?p={n}#p{n}"


def test_unknown_paragraph_number_is_a_helpful_404(client):
    response = client.get("/kz/2022/kk/p/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "999999" in html
    assert 'href="/kz/2022/kk/"' in html
    assert 'name="q"' in html


def test_each_paragraph_has_a_cite_link_that_works_without_javascript(client):
    paragraph = paragraphs_of(report_2022(), "1c")[0]
    html = client.get("/kz/2022/kk/1c/").content.decode()
    cite_url = f"/kz/2022/kk/p/{paragraph.number}/cite/"
    assert f'<a class="cite" href="{cite_url}" data-cite="{paragraph.number}"' in html
    response = client.get(cite_url)
    assert response.status_code == 200


def test_cite_page_gives_title_year_section_number_and_permalink(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    report = report_2022()
    paragraph = paragraphs_of(report, "1c")[2]
    html = client.get(f"/kz/2022/kk/p/{paragraph.number}/cite/").content.decode()
    citation = re.search(r'<textarea id="citation"[^>]*>([^<]+)</textarea>', html).group(1)
    assert report.title in citation
    assert "2022" in citation
    assert "1c" in citation
    assert f"http://testserver/kz/2022/kk/p/{paragraph.number}/" in citation
    assert f"paragraph {paragraph.number}." in citation


def test_copy_script_gets_the_same_citation_format_as_the_cite_page(client):
    paragraph = paragraphs_of(report_2022(), "1c")[0]
    section_html = client.get("/kz/2022/kk/1c/").content.decode()
    template = re.search(r'data-citation-format="([^"]+)"', section_html).group(1)
    cite_html = client.get(f"/kz/2022/kk/p/{paragraph.number}/cite/").content.decode()
    citation = re.search(r'<textarea id="citation"[^>]*>([^<]+)</textarea>', cite_html).group(1)
    url = f"http://testserver/kz/2022/kk/p/{paragraph.number}/"
    assert template.replace("{number}", str(paragraph.number)).replace("{url}", url) == citation


# Topics


def test_topic_page_lists_its_sections_newest_year_first_with_year_anchors(client):
    response = client.get("/topics/torture/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#y2022">2022</a>' in html and '<a href="#y2021">2021</a>' in html
    assert html.index('id="y2022"') < html.index('id="y2021"')
    assert html.index('href="/kz/2022/kk/1c/"') < html.index('href="/kz/2021/kk/1c/"')
    assert 'href="/kz/compare/1c/?from=2021&amp;to=2022&amp;language=kk"' in html


def test_topic_page_quotes_the_start_of_each_section(client):
    first = paragraphs_of(report_2022(), "2a")[0]
    html = client.get("/topics/press-freedom/").content.decode()
    opening = " ".join(first.text.split()[:10])
    assert f'<p class="lead-text" lang="kk">{opening}' in html


def test_topic_page_quotes_a_section_without_text_of_its_own_by_its_first_subsection(client):
    first = paragraphs_of(report_2022(), "6")[0]  # 6 has none: 6-women's first
    assert first.section.code == "6-women"
    html = client.get("/topics/discrimination/").content.decode()
    opening = " ".join(first.text.split()[:10])
    assert f'<p class="lead-text" lang="kk">{opening}' in html


def test_topic_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/topics/labour/").status_code == 200


def test_home_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/").status_code == 200


# Not found


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/zz/2022/kk/", "ZZ"),
        ("/kz/1999/kk/", "1999"),
        ("/kz/2022/en/", "2022"),
        ("/kz/2022/kk/9z/", "9z"),
        ("/kz/1999/1c/", "1999"),
        ("/topics/no-such-topic/", "no-such-topic"),
        ("/kz/compare/9z/", "9z"),
        ("/no/such/page/at/all/", ""),
    ],
)
def test_unknown_addresses_get_a_helpful_404_with_a_search_box(client, url, says):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert says in html
    assert '<form class="home-search" action="/search/" method="get" role="search">' in html
    assert '<input id="q404" type="search" name="q">' in html


def test_404_for_a_missing_year_links_the_years_that_exist(client):
    html = client.get("/kz/1999/kk/").content.decode()
    assert 'href="/kz/2022/kk/"' in html and 'href="/kz/2021/kk/"' in html


def test_404_for_an_unknown_topic_links_the_topics(client):
    html = client.get("/topics/no-such-topic/").content.decode()
    assert 'href="/topics/torture/"' in html


def test_unpublished_report_is_not_found(client):
    Report.objects.filter(year=2021).update(published=False)
    assert client.get("/kz/2021/kk/1c/").status_code == 404
