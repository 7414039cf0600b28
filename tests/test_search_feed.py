"""The Atom feed of a search (/search/feed/?q=…): valid against RFC 4287, the newest matching
paragraphs with permalinks, the search's filters, bad parameters a 400, linked from the page."""

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from search import feeds
from search.engine import SearchTimeout, search_results
from search.filters import SearchFilters
from search.query import parse_query
from sections.models import Report
from tests.atom import NAMESPACES as ATOM
from tests.atom import validate_atom

pytestmark = pytest.mark.django_db

FEED = "/search/feed/"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def entries(root) -> list:
    return root.findall("atom:entry", ATOM)


def entry_links(root) -> list[str]:
    return [e.find("atom:link", ATOM).get("href") for e in entries(root)]


def feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return validate_atom(response.content)


def test_the_feed_of_a_search_is_valid_atom_with_an_entry_per_matching_paragraph(client):
    root = feed(client, q="азаптау")
    assert "азаптау" in root.findtext("atom:title", namespaces=ATOM)
    found = entries(root)
    assert found
    first = found[0]
    link = first.find("atom:link", ATOM).get("href")
    assert link.startswith("http://testserver/kz/")
    assert "/p/" in link
    assert first.findtext("atom:id", namespaces=ATOM) == link  # the permalink is the id
    assert "<mark>" in first.findtext("atom:summary", namespaces=ATOM)


def test_entries_are_the_most_recently_published_reports_matches_in_reading_order(client):
    links = entry_links(feed(client, q="torture OR азаптау"))
    reports = [link.split("/")[3:6] for link in links]  # country, year, language
    newest_first = [
        [r.country.lower(), str(r.year), r.language]
        for r in Report.objects.published().order_by("-created")
    ]
    order = [newest_first.index(report) for report in reports]
    assert order == sorted(order)
    assert len(set(order)) >= 2  # matches of several reports, Kazakh and English
    for index in set(order):
        country, year, language = newest_first[index]
        report = Report.objects.get(country=country.upper(), year=year, language=language)
        numbers = [
            int(link.split("/")[-2]) for link, r in zip(links, order, strict=True) if r == index
        ]
        ordinals = dict(report.paragraphs.values_list("number", "ordinal"))
        assert [ordinals[n] for n in numbers] == sorted(ordinals[n] for n in numbers)


def test_the_feed_reads_its_matches_in_one_query_whatever_the_number_of_reports(client):
    assert Report.objects.published().count() >= 2
    with CaptureQueriesContext(connection) as queries:
        links = entry_links(feed(client, q="torture OR азаптау"))
    assert len({link.split("/")[3:6][1] for link in links}) >= 2  # entries of several reports
    searches = [q["sql"] for q in queries if "@@" in q["sql"]]
    assert len(searches) == 1, searches


def test_only_the_newest_feed_reports_reports_are_looked_at(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_REPORTS", 1)
    newest = Report.objects.published().order_by("-created", "-pk").first()
    links = entry_links(feed(client, q="torture OR азаптау"))
    assert links
    assert all(newest.get_absolute_url() in link for link in links)


def test_entries_are_dated_and_authored_as_in_the_archives_other_feeds(client):
    root = feed(client, q="азаптау", year="2022", language="kk")
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    assert report.publisher
    assert root.findtext("atom:author/atom:name", namespaces=ATOM) == "Rights Archive"
    for entry in entries(root):
        assert entry.findtext("atom:author/atom:name", namespaces=ATOM) == report.publisher
        assert entry.findtext("atom:published", namespaces=ATOM).startswith(
            report.created.strftime("%Y-%m-%d")
        )


def test_the_feed_holds_feed_items_entries_at_most(client, settings):
    settings.FEED_ITEMS = 3
    assert len(entries(feed(client, q="азаптау"))) == 3


def test_the_feed_follows_the_searchs_filters(client):
    links = entry_links(feed(client, q="азаптау", year="2021", topic="torture"))
    results = search_results(
        parse_query("азаптау"), SearchFilters(year_from=2021, year_to=2021, topic="torture")
    )
    expected = {p.number for p in results.hits[: results.total]}
    assert {int(link.rstrip("/").split("/")[-1]) for link in links} == expected
    assert all("/kz/2021/kk/p/" in link for link in links)


def test_a_search_with_no_match_is_an_empty_valid_feed(client):
    assert entries(feed(client, q="blockchainxyz")) == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "азаптау", "year": "abc"}, b"year: Enter a year such as 2022."),
        ({"q": "азаптау", "topic": "nonesuch"}, b"topic: Unknown topic."),
        ({"q": "азаптау", "year_from": "2022", "year_to": "2021"}, b"must not be after"),
        ({"q": ""}, b"Give words to search for, such as /search/feed/?q="),
        ({}, b"Give words to search for, such as /search/feed/?q="),
        ({"q": "және"}, b"Give words to search for, such as /search/feed/?q="),
    ],
    ids=["bad-year", "unknown-topic", "years-reversed", "empty-q", "no-q", "stopword-only"],
)
def test_bad_parameters_are_a_400_with_a_message(client, params, message):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content


def test_the_search_page_links_its_feed(client):
    page = client.get("/search/", {"q": "азаптау", "year": "2022", "page": "1"})
    html = lxml.html.fromstring(page.content)
    feeds = html.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    (href,) = [url for url in feeds if url.startswith(FEED)]  # and the site's new reports
    assert href.startswith(f"{FEED}?q=")
    assert "year_from=2022" in href and "page" not in href
    assert client.get(href).status_code == 200


def test_the_feed_has_its_own_address_and_the_search_page_as_link(client):
    root = feed(client, q="азаптау", language="kk")
    self_link = root.find("atom:link[@rel='self']", ATOM).get("href")
    alternate = root.find("atom:link[@rel='alternate']", ATOM).get("href")
    assert self_link.startswith("http://testserver/search/feed/?q=")
    assert alternate.startswith("http://testserver/search/?q=")
    assert "language=kk" in self_link and "language=kk" in alternate


def test_the_feeds_links_are_on_site_url_when_it_is_set(client, settings):
    settings.SITE_URL = "https://archive.example.org"
    root = feed(client, q="азаптау")
    assert entry_links(root)
    assert all(link.startswith("https://archive.example.org/kz/") for link in entry_links(root))
    self_link = root.find("atom:link[@rel='self']", ATOM).get("href")
    assert self_link.startswith("https://archive.example.org/search/feed/?q=")


def test_feeds_are_rate_limited_as_downloads(client, settings):
    settings.EXPORT_RATE_LIMIT = "1/h"
    address = {"REMOTE_ADDR": "198.51.100.31"}
    assert client.get(FEED, {"q": "азаптау"}, **address).status_code == 200
    response = client.get(FEED, {"q": "азаптау"}, **address)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_a_search_too_broad_to_answer_in_time_is_a_503(client, monkeypatch):
    def too_slow(*args):
        raise SearchTimeout

    monkeypatch.setattr("search.views.newest_matches", too_slow)
    response = client.get(FEED, {"q": "азаптау"})
    assert response.status_code == 503
    assert b"too broad" in response.content
