"""Atom feeds: new reports (/feed/) and each topic's new sections (/topics/<slug>/feed/),
valid against RFC 4287's schema (tests/atom.py) and linked from the pages."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sections.models import Report, Section, Topic
from tests.atom import NAMESPACES as ATOM
from tests.atom import InvalidAtom, validate_atom

# RFC 4287's first example (section 1.1), a valid feed.
RFC_EXAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Feed</title>
  <link href="http://example.org/"/>
  <updated>2003-12-13T18:30:02Z</updated>
  <author><name>John Doe</name></author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2003-12-13T18:30:02Z</updated>
    <summary>Some text.</summary>
  </entry>
</feed>"""


def test_the_rfc_example_feed_is_valid():
    root = validate_atom(RFC_EXAMPLE)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


@pytest.mark.parametrize(
    "old, new, reason",
    [
        (b"<updated>2003-12-13T18:30:02Z</updated>\n  <author>", b"<author>", "element updated"),
        (
            b"2003-12-13T18:30:02Z</updated>\n    <summary",
            b"13 Dec 2003</updated>\n    <summary",
            "dateTime",
        ),
        (b"<author><name>John Doe</name></author>", b"", "must have an atom:author"),
        (b'<link href="http://example.org/2003/12/13/atom03"/>', b"", "rel 'alternate'"),
        (b"</feed>", b"", "not well-formed"),
    ],
    ids=["no-updated", "date-not-rfc3339", "no-author", "entry-without-link", "not-xml"],
)
def test_a_broken_feed_fails_validation(old, new, reason):
    assert old in RFC_EXAMPLE
    with pytest.raises(InvalidAtom, match=reason):
        validate_atom(RFC_EXAMPLE.replace(old, new, 1))


# The archive's feeds


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return validate_atom(response.content)


def entries(root) -> list[dict]:
    return [
        {
            "title": entry.findtext("atom:title", namespaces=ATOM),
            "link": entry.find("atom:link[@rel='alternate']", namespaces=ATOM).get("href"),
            "id": entry.findtext("atom:id", namespaces=ATOM),
            "author": entry.findtext("atom:author/atom:name", namespaces=ATOM),
            "summary": entry.findtext("atom:summary", namespaces=ATOM),
        }
        for entry in root.findall("atom:entry", namespaces=ATOM)
    ]


@pytest.mark.django_db
def test_the_reports_feed_lists_published_reports_newest_first(client):
    Report.objects.filter(year=2021).update(published=False)
    root = feed(client, "/feed/")
    assert root.find("atom:link[@rel='self']", namespaces=ATOM).get("href") == (
        "http://testserver/feed/"
    )
    published = Report.objects.filter(published=True).order_by("-created")
    found = entries(root)
    assert [e["link"] for e in found] == [
        f"http://testserver{r.get_absolute_url()}" for r in published
    ]
    kazakh = next(e for e in found if e["link"].endswith("/kz/2022/kk/"))
    assert Report.objects.get(year=2022).title in kazakh["title"]
    assert kazakh["author"] == Report.objects.get(year=2022).publisher
    assert "2022 Country Reports on Human Rights Practices: Kazakhstan" in kazakh["summary"]
    assert len({e["id"] for e in found}) == len(found)


@pytest.mark.django_db
def test_the_reports_feed_is_cut_at_feed_items(client, settings):
    settings.FEED_ITEMS = 1
    newest = Report.objects.filter(published=True).order_by("-created")[0]
    assert [e["link"] for e in entries(feed(client, "/feed/"))] == [
        f"http://testserver{newest.get_absolute_url()}"
    ]


@pytest.mark.django_db
def test_the_feeds_use_site_url_when_it_is_set(client, settings):
    settings.SITE_URL = "https://rights.example.org"
    for url in ("/feed/", "/topics/torture/feed/"):
        found = entries(feed(client, url))
        assert found and all(e["link"].startswith("https://rights.example.org/") for e in found)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/atom/", "/rss/"])
def test_atom_and_rss_addresses_lead_to_the_feed(client, url):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == "/feed/"


@pytest.mark.django_db
def test_a_topic_feed_lists_its_sections_newest_published_report_first(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    root = feed(client, "/topics/torture/feed/")
    torture = Topic.objects.get(slug="torture")
    sections = Section.objects.filter(topics=torture, report__published=True)
    expected = sorted(
        sections, key=lambda s: (s.report.created, s.report.year, -s.order), reverse=True
    )
    found = entries(root)
    assert [e["link"] for e in found] == [
        f"http://testserver{s.get_absolute_url()}" for s in expected
    ]
    section = Section.objects.get(report__year=2022, code="1c")
    first = section.paragraphs.order_by("ordinal")[0]
    entry = next(e for e in found if e["link"].endswith("/kz/2022/kk/1c/"))
    assert entry["title"] == f"Kazakhstan 2022 · 1c {section.title} (Kazakh)"
    assert entry["summary"].startswith(" ".join(first.text.split()[:6]))
    assert root.findtext("atom:title", namespaces=ATOM) == f"Rights Archive: {torture.name_en}"


@pytest.mark.django_db
def test_a_topic_feed_reads_only_its_newest_feed_items_sections(client, settings):
    settings.FEED_ITEMS = 2
    with CaptureQueriesContext(connection) as captured:
        found = entries(feed(client, "/topics/labour/feed/"))
    newest = Report.objects.published().order_by("-created").first()
    codes = newest.sections.filter(topics__slug="labour").order_by("order")
    assert [e["link"] for e in found] == [
        f"http://testserver{s.get_absolute_url()}" for s in codes[:2]
    ]
    sections = [q["sql"] for q in captured if 'FROM "sections_section"' in q["sql"]]
    assert sections and all("LIMIT 2" in sql for sql in sections)


@pytest.mark.django_db
def test_a_topic_feed_leaves_out_unpublished_reports(client):
    Report.objects.filter(year=2021).update(published=False)
    found = entries(feed(client, "/topics/torture/feed/"))
    assert found and not any("/2021/" in e["link"] for e in found)


@pytest.mark.django_db
def test_an_unknown_topic_has_no_feed(client):
    response = client.get("/topics/no-such-topic/feed/")
    assert response.status_code == 404
    assert 'name="q"' in response.content.decode()  # the helpful 404, with the search box


@pytest.mark.django_db
def test_pages_link_their_feeds(client):
    home = lxml.html.fromstring(client.get("/").content)
    assert [link.get("href") for link in home.xpath("//head/link[@rel='alternate']")] == ["/feed/"]
    assert home.xpath("//head/link[@rel='alternate']")[0].get("type") == "application/atom+xml"
    topic = lxml.html.fromstring(client.get("/topics/torture/").content)
    alternates = topic.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert [link.get("href") for link in alternates] == ["/feed/", "/topics/torture/feed/"]
    assert topic.xpath("//main//a[@href='/topics/torture/feed/']")


@pytest.mark.django_db
def test_feeds_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/feed/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/topics/torture/feed/").status_code == 200


@pytest.mark.django_db
def test_a_topic_no_published_report_has_yet_gives_a_valid_empty_feed(client):
    Topic.objects.create(
        slug="not-yet", name_kk="Әзірге жоқ", name_en="Not yet", name_ru="Пока нет"
    )
    assert entries(feed(client, "/topics/not-yet/feed/")) == []
