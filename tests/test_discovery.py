"""Discovery: /topics/, the OpenSearch description, sitemap.xml, robots.txt, OpenGraph and
Twitter-card metadata of section and paragraph pages, and the previous/next section links."""

import re
import urllib.robotparser

import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from sections.links import site_url
from sections.models import Paragraph, Report, Section, Topic
from tests.test_browse_browser import serious_violations

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
OPENSEARCH_NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def html_of(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


# /topics/


def test_topics_page_lists_every_topic_with_its_years_newest_first(client):
    Topic.objects.create(
        slug="not-yet", name_kk="Әзірге жоқ", name_en="Not yet", name_ru="Пока нет"
    )
    page = html_of(client.get("/topics/"))
    names = [
        item.text_content().split("\n")[0].strip()
        for item in page.xpath("//ul[@class='topic-index']/li")
    ]
    assert len(names) == Topic.objects.count()
    torture = page.xpath("//a[@href='/topics/torture/']/ancestor::li[1]")[0]
    years = [a.get("href") for a in torture.xpath(".//ul[@class='topic-index__years']//a")]
    assert years == ["/topics/torture/#y2023", "/topics/torture/#y2022", "/topics/torture/#y2021"]
    empty = page.xpath("//span[@class='topic-index__name'][text()='Әзірге жоқ']/ancestor::li[1]")[0]
    assert empty.xpath(".//p[@class='meta']") and not empty.xpath(".//a")


def test_topics_page_leaves_out_the_years_of_unpublished_reports(client):
    Report.objects.filter(year=2021).update(published=False)
    page = html_of(client.get("/topics/"))
    assert page.xpath("//a[@href='/topics/torture/#y2022']")
    assert not page.xpath("//a[@href='/topics/torture/#y2021']")


def test_topics_page_runs_one_query_for_all_topics(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the topics with their years
        assert client.get("/topics/").status_code == 200


def test_topic_years_come_once_each_oldest_first_or_newest_first_as_asked():
    Report.objects.filter(year=2021).update(published=False)
    assert Topic.objects.with_years().get(slug="torture").years == [2022, 2023]
    newest_first = Topic.objects.with_years(newest_first=True).get(slug="torture")
    assert newest_first.years == [2023, 2022]
    Topic.objects.create(slug="not-yet", name_kk="-", name_en="-", name_ru="-")
    assert Topic.objects.with_years().get(slug="not-yet").years == []


def test_the_site_navigation_and_topic_breadcrumbs_lead_to_the_topics_page(client):
    assert html_of(client.get("/")).xpath("//nav[@class='site-nav']//a[@href='/topics/']")
    breadcrumbs = html_of(client.get("/topics/torture/")).xpath("//nav[@class='breadcrumbs']")
    assert breadcrumbs[0].xpath(".//a[@href='/topics/']")


# OpenSearch


def test_every_page_links_the_opensearch_description(client):
    for url in ("/", "/kz/2022/kk/1c/", "/topics/"):
        links = html_of(client.get(url)).xpath("//head/link[@rel='search']")
        assert [(link.get("type"), link.get("href")) for link in links] == [
            ("application/opensearchdescription+xml", "/opensearch.xml")
        ]


def test_the_opensearch_description_sends_the_terms_to_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    root = lxml.etree.fromstring(response.content)
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    short_name = root.findtext("os:ShortName", namespaces=OPENSEARCH_NS)
    assert 0 < len(short_name) <= 16  # the specification's limit
    assert root.findtext("os:InputEncoding", namespaces=OPENSEARCH_NS) == "UTF-8"
    (html_url,) = root.xpath("os:Url[@type='text/html']", namespaces=OPENSEARCH_NS)
    template = html_url.get("template")
    assert template == "http://testserver/search/?q={searchTerms}"
    found = client.get(
        template.replace("http://testserver", "").replace("{searchTerms}", "азаптау")
    )
    assert found.status_code == 200
    (atom_url,) = root.xpath("os:Url[@type='application/atom+xml']", namespaces=OPENSEARCH_NS)
    assert atom_url.get("template") == "http://testserver/search/feed/?q={searchTerms}"
    feed = client.get("/search/feed/?q=азаптау")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")


# sitemap.xml


def sitemap_locations(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = lxml.etree.fromstring(response.content)
    return root.xpath("//sm:loc/text()", namespaces=SITEMAP_NS)


def test_the_sitemap_lists_published_reports_their_sections_and_the_topics(client):
    Report.objects.filter(year=2021).update(published=False)
    urls = sitemap_locations(client, "/sitemap.xml")
    sections = [url for url in urls if url.count("/") == 7]  # http://host/kz/2022/kk/1c/
    assert urls[:2] == ["http://testserver/kz/2023/en/", "http://testserver/kz/2022/kk/"]
    assert "http://testserver/kz/2022/kk/1c/" in sections
    assert not any("/2021/" in url for url in urls)
    assert len(sections) == Section.objects.filter(report__published=True).count()
    assert "http://testserver/topics/" in urls
    assert "http://testserver/topics/torture/" in urls


def test_the_sitemap_gives_each_report_and_section_its_last_change(client):
    root = lxml.etree.fromstring(client.get("/sitemap.xml").content)
    kazakh = Report.objects.get(year=2022)
    for url in ("http://testserver/kz/2022/kk/", "http://testserver/kz/2022/kk/1c/"):
        (lastmod,) = root.xpath(
            f"//sm:url[sm:loc='{url}']/sm:lastmod/text()", namespaces=SITEMAP_NS
        )
        # The sitemap writes the day in the site's time zone (Almaty), a day ahead of UTC
        # in the evening.
        assert lastmod.startswith(timezone.localtime(kazakh.updated).date().isoformat())


def test_the_sitemap_uses_site_url_when_it_is_set(client, settings):
    settings.SITE_URL = "https://rights.example.org"
    urls = sitemap_locations(client, "/sitemap.xml")
    assert urls[0] == "https://rights.example.org/kz/2023/en/"
    assert all(url.startswith("https://rights.example.org/") for url in urls)


def test_the_sitemap_reads_the_archive_in_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # a count and a page of reports and sections; topics
        assert client.get("/sitemap.xml").status_code == 200


def test_a_site_url_with_a_path_prefixes_every_sitemap_address(client, settings):
    settings.SITE_URL = "https://example.org/archive/"
    urls = sitemap_locations(client, "/sitemap.xml")
    assert "https://example.org/archive/kz/2022/kk/1c/" in urls


# Absolute addresses


def test_site_url_is_on_site_url_then_the_request_host_then_the_path_itself(rf, settings):
    request = rf.get("/")
    settings.SITE_URL = ""
    assert site_url("/kz/2022/kk/p/12/") == "/kz/2022/kk/p/12/"
    assert site_url("/kz/2022/kk/p/12/", request) == "http://testserver/kz/2022/kk/p/12/"
    settings.SITE_URL = "https://rights.example.org/"
    assert site_url("/kz/2022/kk/p/12/", request) == "https://rights.example.org/kz/2022/kk/p/12/"
    assert site_url("/kz/") == "https://rights.example.org/kz/"


# robots.txt


def robots(client) -> urllib.robotparser.RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_txt_allows_the_archive_and_names_the_sitemap(client):
    parser = robots(client)
    for path in ("/", "/kz/2022/kk/", "/kz/2022/kk/1c/", "/topics/torture/", "/feed/"):
        assert parser.can_fetch("*", path), path
    assert parser.site_maps() == ["http://testserver/sitemap.xml"]


def test_robots_txt_keeps_crawlers_out_of_the_admin_searches_and_the_api(client):
    parser = robots(client)
    for path in ("/admin/", "/search/?q=азаптау", "/search/?q=x&format=csv", "/api/search?q=x"):
        assert not parser.can_fetch("*", path), path


def disallowed_by_wildcards(client, path: str) -> bool:
    """Whether a Disallow rule with `*` matches `path` as RFC 9309 (2.2.3) reads it; Python's
    robotparser knows no wildcards."""
    rules = re.findall(r"^Disallow: (.*\*.*)$", client.get("/robots.txt").content.decode(), re.M)
    assert rules
    return any(re.match(re.escape(rule).replace(r"\*", ".*"), path) for rule in rules)


@pytest.mark.parametrize(
    "path",
    [
        "/kz/2022/kk/1c/?q=азаптау",
        "/kz/2022/kk/1c/?hit=2&q=азаптау",
        "/kz/2022/kk/p/12/cite/?format=bibtex",
        "/kz/2022/kk/1c/cite/?lang=en&format=ris",
    ],
)
def test_robots_txt_keeps_crawlers_off_query_and_format_addresses_whatever_comes_first(
    client, path
):
    assert disallowed_by_wildcards(client, path)


def test_robots_txt_lets_crawlers_read_a_shared_paragraph(client):
    assert not disallowed_by_wildcards(client, "/kz/2022/kk/2a/?p=12")


# OpenGraph and Twitter cards


def share_metadata(page) -> dict[str, str]:
    return {
        meta.get("property") or meta.get("name"): meta.get("content")
        for meta in page.xpath("//head/meta[@property or @name]")
    }


def test_a_shared_section_shows_its_report_section_and_first_words(client):
    section = Section.objects.get(report__year=2022, code="1c")
    first = Paragraph.objects.filter(section=section).order_by("ordinal")[0]
    meta = share_metadata(html_of(client.get("/kz/2022/kk/1c/?q=азаптау&hit=1")))
    assert meta["og:url"] == "http://testserver/kz/2022/kk/1c/"  # canonical, without the query
    assert meta["og:type"] == "article"
    assert meta["og:title"] == f"1c {section.title} · {section.report.title}"
    assert meta["og:description"].startswith(" ".join(first.text.split()[:8]))
    assert len(meta["og:description"]) <= 200
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == meta["og:title"]
    assert meta["og:site_name"]


def test_a_shared_paragraph_shows_its_start_and_its_permalink(client):
    paragraph = Paragraph.objects.filter(report__year=2022, section__code="2a").order_by("ordinal")[
        1
    ]
    meta = share_metadata(html_of(client.get(f"/kz/2022/kk/p/{paragraph.number}/cite/")))
    assert meta["og:url"] == f"http://testserver/kz/2022/kk/p/{paragraph.number}/"
    assert meta["og:title"].startswith(f"¶ {paragraph.number} · 2a ")
    assert meta["og:title"].endswith(paragraph.report.title)
    assert meta["og:description"].startswith(" ".join(paragraph.text.split()[:8]))
    assert meta["twitter:description"] == meta["og:description"]


def test_a_shared_permalink_followed_to_its_section_shows_that_paragraph(client):
    paragraph = Paragraph.objects.filter(report__year=2022, section__code="2a").order_by("ordinal")[
        1
    ]
    permalink = f"http://testserver/kz/2022/kk/p/{paragraph.number}/"
    response = client.get(permalink, follow=True)
    n = paragraph.number
    assert response.redirect_chain == [(f"/kz/2022/kk/2a/?p={n}#p{n}", 302)]
    page = html_of(response)
    meta = share_metadata(page)
    assert meta["og:url"] == permalink
    assert meta["og:title"].startswith(f"¶ {paragraph.number} · 2a ")
    assert meta["og:description"].startswith(" ".join(paragraph.text.split()[:8]))
    assert meta["twitter:description"] == meta["og:description"]
    assert page.xpath("//head/link[@rel='canonical']/@href") == ["http://testserver/kz/2022/kk/2a/"]
    assert page.get_element_by_id(f"p{paragraph.number}") is not None


@pytest.mark.parametrize("named", ["99999", "x", "١٢"])
def test_a_section_asked_for_a_paragraph_it_lacks_is_shared_as_the_section(client, named):
    plain = share_metadata(html_of(client.get("/kz/2022/kk/2a/")))
    assert share_metadata(html_of(client.get(f"/kz/2022/kk/2a/?p={named}"))) == plain


def test_a_section_cite_page_is_shared_as_the_section_is(client):
    for code in ("1", "1c"):
        section_page = share_metadata(html_of(client.get(f"/kz/2022/kk/{code}/")))
        cite_page = share_metadata(html_of(client.get(f"/kz/2022/kk/{code}/cite/")))
        for key in ("og:url", "og:title", "og:description"):
            assert cite_page[key] == section_page[key], (code, key)
        assert cite_page["og:description"], code


def test_a_section_without_any_text_is_shared_without_the_next_sections(client):
    Paragraph.objects.filter(report__year=2022, section__code="1b").delete()
    for url in ("/kz/2022/kk/1b/", "/kz/2022/kk/1b/cite/"):
        meta = share_metadata(html_of(client.get(url)))
        assert meta["og:description"] == "", url
        assert meta["og:title"].startswith("1b "), url


# Previous and next section


def pager(client, url) -> dict[str, str]:
    page = html_of(client.get(url))
    links = {}
    for side in ("before", "after"):
        found = page.xpath(f"//nav[@class='section-pager']//li[@class='section-pager__{side}']/a")
        if found:
            links[side] = found[0].get("href")
    return links


def reading_order(year: int) -> list[str]:
    return list(
        Section.objects.filter(report__year=year).order_by("order").values_list("code", flat=True)
    )


def test_a_section_ends_with_links_to_the_sections_before_and_after_it(client):
    codes = reading_order(2022)
    assert pager(client, "/kz/2022/kk/1c/") == {
        "before": "/kz/2022/kk/1b/",
        "after": "/kz/2022/kk/1d/",
    }
    assert pager(client, f"/kz/2022/kk/{codes[0]}/") == {"after": f"/kz/2022/kk/{codes[1]}/"}
    assert pager(client, f"/kz/2022/kk/{codes[-1]}/") == {"before": f"/kz/2022/kk/{codes[-2]}/"}


def test_the_next_section_after_a_section_with_subsections_follows_them(client):
    tops = Section.objects.filter(report__year=2022, parent=None).order_by("order")
    codes = list(tops.values_list("code", flat=True))
    following = codes[codes.index("1") + 1]
    assert Section.objects.filter(report__year=2022, parent__code="1").exists()
    assert pager(client, "/kz/2022/kk/1/")["after"] == f"/kz/2022/kk/{following}/"


# In a browser


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/topics/", "/kz/2022/kk/1c/", "/kz/2022/kk/p/14/cite/"])
def test_new_parts_of_pages_fit_a_phone_and_pass_axe(page, live_site, path):
    page.context.add_cookies([{"name": "django_language", "value": "kk", "url": live_site}])
    for size in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        page.set_viewport_size(size)
        page.goto(f"{live_site}{path}")
        if page.locator(".cite-section").count():
            page.locator(".cite-section summary").click()  # the section citation box, open
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], size
        assert serious_violations(page) == [], (path, size)
