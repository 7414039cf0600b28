"""Exports of a search (/search/export.csv, /search/export.jsonl, /api/search?format=…): the
CSV opens in Python's csv module with the right columns, the JSON Lines parse, every match
and only the matches with all the filters, archive order, matched words, the cap line, read
in chunks, bad parameters a 400."""

import csv
import io
import json
from contextlib import contextmanager

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from search import export
from search.engine import SearchTimeout, search_results
from search.filters import SearchFilters
from search.query import parse_query
from sections.export import columns
from sections.models import Paragraph

pytestmark = pytest.mark.django_db

QUERY = "азаптау"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


def csv_rows(client, **params) -> list[dict]:
    response, text = download(client, "/search/export.csv", **params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == columns(with_matched=True)
    return list(reader)


def jsonl_rows(client, url="/search/export.jsonl", **params) -> list[dict]:
    _, text = download(client, url, **params)
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def engine_matches(query=QUERY, **filters) -> set[tuple]:
    """(year, language, paragraph number) of every match the search engine counts."""
    results = search_results(parse_query(query), SearchFilters(**filters))
    return {(p.year, p.language, p.number) for p in results.hits[: results.total]}


def keys(rows) -> set[tuple]:
    return {(int(r["year"]), r["language"], int(r["paragraph"])) for r in rows}


def test_the_csv_export_opens_in_the_csv_module_with_a_row_per_match(client):
    rows = csv_rows(client, q=QUERY)
    assert keys(rows) == engine_matches()
    assert len(rows) == len(engine_matches())
    first = rows[0]
    assert first["permalink"].startswith("http://testserver/kz/")
    assert first["permalink"].endswith(f"/p/{first['paragraph']}/")
    paragraph = Paragraph.objects.get(
        country=first["country"], year=first["year"], language=first["language"],
        number=first["paragraph"],
    )  # fmt: skip
    assert first["text"] == paragraph.text
    assert first["section_code"] == paragraph.section.code
    assert first["section_title"] == paragraph.section.title
    assert all(row["matched"] for row in rows)


def test_the_jsonl_export_parses_line_by_line_with_the_same_rows(client):
    rows = jsonl_rows(client, q=QUERY)
    assert [tuple(row) for row in rows] == [columns(with_matched=True)] * len(rows)
    assert keys(rows) == engine_matches()
    assert all(isinstance(row["matched"], list) and row["matched"] for row in rows)
    assert all(isinstance(row["year"], int) and isinstance(row["paragraph"], int) for row in rows)


def test_matched_lists_the_typed_words_each_paragraph_holds(client):
    rows = jsonl_rows(client, q="азаптау OR сайлау", year="2022")
    matched = {tuple(row["matched"]) for row in rows}
    # Both alternatives occur in the report, each without the other somewhere.
    assert ("азаптау",) in matched and ("сайлау",) in matched
    assert matched <= {("азаптау",), ("сайлау",), ("азаптау", "сайлау")}
    for row in rows:
        # A paragraph holds its section's title words too (they are indexed with it).
        text = f"{row['section_title']} {row['text']}".lower()
        if row["matched"] == ["сайлау"]:
            assert "сайла" in text and "азапта" not in text


def test_the_export_keeps_every_filter(client):
    rows = csv_rows(client, q=QUERY, year="2021", topic="torture")
    assert rows
    assert keys(rows) == engine_matches(year_from=2021, year_to=2021, topic="torture")
    assert {row["year"] for row in rows} == {"2021"}
    assert len(jsonl_rows(client, q=QUERY, language="en")) == 0
    english = jsonl_rows(client, q="torture", language="en", section="1c")
    assert english
    assert {(row["language"], row["section_code"]) for row in english} == {("en", "1c")}


def test_rows_come_in_archive_order_newest_year_first(client):
    rows = jsonl_rows(client, q="torture OR азаптау")
    years = [row["year"] for row in rows]
    assert years == sorted(years, reverse=True)
    assert len(set(years)) == 3
    ordinals = {}
    for row in rows:
        paragraph = Paragraph.objects.get(
            country=row["country"], year=row["year"], language=row["language"],
            number=row["paragraph"],
        )  # fmt: skip
        ordinals.setdefault(row["year"], []).append(paragraph.ordinal)
    assert all(found == sorted(found) for found in ordinals.values())


def test_a_capped_export_says_so_in_its_last_line(client, settings):
    settings.EXPORT_MAX_ROWS = 3
    _, text = download(client, "/search/export.csv", q=QUERY)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + 3 + 1  # header, three paragraphs, the cap
    assert rows[-1][0] == (
        "# export stopped at the cap of 3 paragraphs; narrow the search to get the rest"
    )
    assert rows[-1][1:] == [""] * (len(columns(with_matched=True)) - 1)
    lines = jsonl_rows(client, q=QUERY)
    assert len(lines) == 4
    assert lines[-1]["truncated"] is True and lines[-1]["cap"] == 3


def test_an_export_of_exactly_the_cap_has_no_cap_line(client, settings):
    settings.EXPORT_MAX_ROWS = len(engine_matches(year_from=2021, year_to=2021))
    lines = jsonl_rows(client, q=QUERY, year="2021")
    assert len(lines) == settings.EXPORT_MAX_ROWS
    assert "truncated" not in lines[-1]


def test_the_export_is_read_in_chunks_that_resume_where_the_last_ended(client, monkeypatch):
    whole = jsonl_rows(client, q="torture OR азаптау")
    monkeypatch.setattr(export, "EXPORT_CHUNK", 7)
    with CaptureQueriesContext(connection) as queries:
        chunked = jsonl_rows(client, q="torture OR азаптау")
    assert chunked == whole
    reads = [q["sql"] for q in queries if "search_vector" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(reads) >= len(whole) // 7
    assert all(int(sql.rsplit("LIMIT", 1)[1].split()[0]) <= 7 for sql in reads)


def test_the_download_is_streamed_as_an_attachment(client):
    response = client.get("/search/export.jsonl", {"q": QUERY})
    assert response.streaming
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="rights-archive-search-'
    )
    assert response["Content-Disposition"].endswith('.jsonl"')


def test_the_api_exports_with_format_csv_or_jsonl(client):
    response, text = download(client, "/api/search", q=QUERY, year="2022", format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert keys(rows) == engine_matches(year_from=2022, year_to=2022)
    lines = jsonl_rows(client, "/api/search", q=QUERY, year="2022", format="jsonl")
    assert keys(lines) == keys(rows)
    # format=json, or none, is the usual answer.
    assert client.get("/api/search", {"q": QUERY, "format": "json"}).json()["total"] > 0


@pytest.mark.parametrize(
    "params, error",
    [
        ({"q": QUERY, "format": "xml"}, "format: choose json, csv or jsonl"),
        ({"q": "", "format": "csv"}, "q: an export needs words to search for"),
        ({"q": "және", "format": "jsonl"}, "q: an export needs words to search for"),
        ({"q": QUERY, "year": "abc", "format": "csv"}, "year: Enter a year such as 2022."),
    ],
    ids=["unknown-format", "empty-q", "stopword-only", "bad-year"],
)
def test_the_api_answers_bad_export_parameters_with_a_400(client, params, error):
    response = client.get("/api/search", params)
    assert response.status_code == 400
    assert response.json() == {"error": error}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": QUERY, "year": "abc"}, b"year: Enter a year such as 2022."),
        ({"q": QUERY, "topic": "nonesuch"}, b"topic: Unknown topic."),
        ({"q": QUERY, "country": "Kazakhstan"}, b"country: Enter a two-letter country code."),
        ({}, b"Give words to search for, such as /search/export.csv?q="),
        ({"q": "және"}, b"Give words to search for"),
    ],
    ids=["bad-year", "unknown-topic", "bad-country", "no-q", "stopword-only"],
)
def test_bad_export_parameters_are_a_400_with_a_message(client, params, message):
    response = client.get("/search/export.csv", params)
    assert response.status_code == 400
    assert message in response.content


def test_an_unknown_export_format_is_not_found(client):
    assert client.get("/search/export.xml", {"q": QUERY}).status_code == 404


@pytest.fixture
def time_runs_out_on_the_second_chunk(monkeypatch):
    """Chunks of 3 paragraphs; the first is read, the second runs past the time limit (export
    one year that has more than 3 matches)."""
    monkeypatch.setattr(export, "EXPORT_CHUNK", 3)
    chunks = iter(range(100))

    @contextmanager
    def limited():
        if next(chunks) >= 1:
            raise SearchTimeout
        yield

    monkeypatch.setattr(export, "search_time_limit", limited)


BROKE_OFF = (
    "# export broke off: the search ran out of time, so this file is incomplete; narrow the"
    " search to get every match"
)


def test_a_csv_export_broken_off_by_the_time_limit_says_so_in_its_last_line(
    client, time_runs_out_on_the_second_chunk
):
    _, text = download(client, "/search/export.csv", q=QUERY, year="2022")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + 3 + 1  # header, the first chunk, the broken-off line
    assert rows[-1] == [BROKE_OFF] + [""] * (len(columns(with_matched=True)) - 1)


def test_a_jsonl_export_broken_off_by_the_time_limit_says_so_in_its_last_line(
    client, time_runs_out_on_the_second_chunk
):
    lines = jsonl_rows(client, "/api/search", q=QUERY, year="2022", format="jsonl")
    assert len(lines) == 3 + 1
    assert lines[-1] == {"truncated": True, "error": BROKE_OFF}
    assert all("truncated" not in line for line in lines[:-1])


def test_a_search_too_broad_for_the_time_limit_is_a_503(client, monkeypatch):
    def too_slow(*args):
        raise SearchTimeout
        yield

    monkeypatch.setattr(export, "matches_in_archive_order", too_slow)
    response = client.get("/search/export.csv", {"q": QUERY})
    assert response.status_code == 503
    assert client.get("/api/search", {"q": QUERY, "format": "csv"}).status_code == 503


DOWNLOADS = [
    ("/search/export.csv", {}),
    ("/search/feed/", {}),
    ("/api/search", {"format": "jsonl"}),
    ("/api/v1/search", {"format": "csv"}),
]


def test_every_download_counts_against_one_export_limit_whatever_its_address(client, settings):
    settings.EXPORT_RATE_LIMIT = "4/h"  # an hour's window: the test never straddles two
    address = {"REMOTE_ADDR": "198.51.100.41"}
    for url, params in DOWNLOADS:
        assert client.get(url, {"q": QUERY, **params}, **address).status_code == 200, url
    for url, params in [*DOWNLOADS, ("/search/export.jsonl", {})]:
        response = client.get(url, {"q": QUERY, **params}, **address)
        assert response.status_code == 429, url
        assert 1 <= int(response["Retry-After"]) <= 3600
    site = client.get("/search/export.csv", {"q": QUERY}, **address)
    assert site["Content-Type"].startswith("text/plain")
    assert b"Too many requests from your address" in site.content
    api = client.get("/api/search", {"q": QUERY, "format": "csv"}, **address)
    assert api.json()["error"].startswith("too many requests from this address (at most 4/h)")
    # The APIs' JSON answers have their own counts; another client has its own.
    assert client.get("/api/search", {"q": QUERY}, **address).status_code == 200
    assert client.get("/api/v1/search", {"q": QUERY}, **address).status_code == 200
    other = {"REMOTE_ADDR": "198.51.100.42"}
    assert client.get("/search/export.csv", {"q": QUERY}, **other).status_code == 200


def test_json_answers_use_none_of_the_export_limit(client, settings):
    settings.EXPORT_RATE_LIMIT = "1/h"
    address = {"REMOTE_ADDR": "198.51.100.43"}
    for _ in range(3):
        assert client.get("/api/search", {"q": QUERY}, **address).status_code == 200
        assert client.get("/api/v1/search", {"q": QUERY}, **address).status_code == 200
    assert client.get("/search/export.csv", {"q": QUERY}, **address).status_code == 200


def test_the_search_page_links_both_exports_of_its_search(client):
    page = client.get("/search/", {"q": QUERY, "year": "2022", "page": "2"})
    html = lxml.html.fromstring(page.content)
    hrefs = html.xpath("//p[@id='search-downloads']/a/@href")
    csv_link = next(h for h in hrefs if h.startswith("/search/export.csv?"))
    jsonl_link = next(h for h in hrefs if h.startswith("/search/export.jsonl?"))
    assert "year_from=2022" in csv_link and "page" not in csv_link
    assert client.get(csv_link).status_code == 200
    assert client.get(jsonl_link).status_code == 200
