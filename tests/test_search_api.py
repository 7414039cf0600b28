"""GET /api/search: the JSON shape of design.md, parameters, and clear 400s."""

import re

import pytest

from search.engine import search_results
from search.query import parse_query
from sections.models import Paragraph
from tests.awkward import AWKWARD_QUERIES

pytestmark = pytest.mark.django_db


def api(client, **params):
    return client.get("/api/search", params)


def test_response_has_exactly_the_documented_shape(client):
    response = api(client, q="азаптау", limit=3)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {
        *("query", "total", "total_is_estimate", "unused_words", "facets", "results"),
        *("corrected_query", "did_you_mean"),
    }
    assert body["query"] == "азаптау"
    assert set(body["facets"]) == {"year", "topic", "language"}
    assert body["facets"]["language"] == {"kk": body["total"]}
    assert set(body["facets"]["year"]) == {"2022", "2021"}
    assert all(isinstance(n, int) for n in body["facets"]["year"].values())
    assert body["facets"]["topic"]["torture"] > 0
    assert len(body["results"]) == 3
    hit = body["results"][0]
    assert set(hit) == {
        *("url", "report", "section", "paragraph", "text", "snippet", "score"),
        *("matched", "complete"),
    }
    assert hit["matched"] == ["азаптау"] and hit["complete"] is True
    assert set(hit["report"]) == {"country", "year", "language"}
    assert set(hit["section"]) == {"code", "title"}
    assert isinstance(hit["paragraph"], int)
    assert isinstance(hit["score"], float)
    assert re.fullmatch(r"/kz/20\d\d/kk/[0-9a-z-]+/#p\d+", hit["url"])


def test_result_fields_describe_the_paragraph(client):
    hit = api(client, q="азаптау", limit=1).json()["results"][0]
    year, code, number = hit["report"]["year"], hit["section"]["code"], hit["paragraph"]
    paragraph = Paragraph.objects.get(report__year=year, section__code=code, number=number)
    assert hit["url"] == paragraph.get_absolute_url() == f"/kz/{year}/kk/{code}/#p{number}"
    assert hit["report"] == {"country": "KZ", "year": year, "language": "kk"}
    assert hit["section"]["title"] == paragraph.section.title
    assert hit["text"] == paragraph.text
    assert "<mark>" in hit["snippet"]
    assert "<mark>" not in hit["text"]


def test_total_and_facets_count_every_match(client):
    body = api(client, q="адам").json()
    assert body["total"] == sum(body["facets"]["year"].values())
    assert body["total"] > 100
    assert len(body["results"]) == 20


def test_year_and_topic_filter_the_results(client):
    body = api(client, q="азаптау", year=2021, topic="torture", limit=100).json()
    assert body["results"]
    assert {r["report"]["year"] for r in body["results"]} == {2021}
    assert len(body["results"]) == body["total"] == body["facets"]["topic"]["torture"]


def test_year_range_filters_the_results(client):
    body = api(client, q="абзац", year_from=2020, year_to=2021).json()
    assert body["total"] == 1
    assert api(client, q="абзац", year_from=2022).json()["total"] == 0


def test_pages_do_not_overlap_and_a_page_past_the_end_is_empty(client):
    first = api(client, q="адам", limit=5, page=1).json()["results"]
    second = api(client, q="адам", limit=5, page=2).json()["results"]
    assert len(first) == len(second) == 5
    assert not {r["url"] for r in first} & {r["url"] for r in second}
    assert api(client, q="адам", limit=100, page=50).json()["results"] == []


def test_results_are_in_rank_order(client):
    scores = [r["score"] for r in api(client, q="сөз бостандығы", limit=50).json()["results"]]
    assert scores == sorted(scores, reverse=True)


def test_latin_query_returns_the_same_results_as_cyrillic(client):
    latin = api(client, q="azaptau", limit=50).json()
    cyrillic = api(client, q="азаптау", limit=50).json()
    assert latin["total"] == cyrillic["total"]
    assert [r["url"] for r in latin["results"]] == [r["url"] for r in cyrillic["results"]]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1800"}, "year"),
        ({"year_from": "x"}, "year_from"),
        ({"limit": "10000"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"language": "de"}, "language"),
        ({"country": "KAZ"}, "country"),
        ({"section": "<b>"}, "section"),
    ],
)
def test_invalid_parameters_are_a_400_naming_the_parameter(client, params, name):
    response = api(client, q="азаптау", **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"].startswith(f"{name}: ")


def test_reversed_year_range_is_a_400(client):
    response = api(client, q="азаптау", year_from=2022, year_to=2021)
    assert response.status_code == 400
    assert "first year" in response.json()["error"]


def test_errors_are_in_english_whatever_the_interface_language(client):
    response = client.get("/api/search", {"limit": "0"}, headers={"accept-language": "kk"})
    assert response.json()["error"] == "limit: The limit must be at least 1."


@pytest.mark.parametrize("text", AWKWARD_QUERIES)
def test_awkward_queries_return_a_normal_empty_or_full_answer(client, text):
    response = api(client, q=text)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        *("query", "total", "total_is_estimate", "unused_words", "facets", "results"),
        *("corrected_query", "did_you_mean"),
    }
    assert "\x00" not in body["query"]
    for hit in body["results"]:
        assert "<script>" not in hit["snippet"]


def test_html_in_the_text_is_escaped_in_the_snippet(client, db):
    paragraph = Paragraph.objects.filter(report__year=2022).first()
    paragraph.text = "Азаптау <script>alert(1)</script> & кек"
    paragraph.save()
    hits = api(client, q="азаптау кек").json()["results"]
    assert hits[0]["text"] == paragraph.text
    assert hits[0]["snippet"] == (
        "<mark>Азаптау</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>кек</mark>"
    )


def test_unknown_parameters_are_ignored(client):
    assert api(client, q="азаптау", colour="blue").status_code == 200


def test_only_get_is_allowed(client):
    assert client.post("/api/search", {"q": "азаптау"}).status_code == 405


def test_api_and_queryset_agree(client):
    body = api(client, q="омбудсмен", limit=100).json()
    results = search_results(parse_query("омбудсмен"))
    assert body["total"] == results.total
    assert [r["url"] for r in body["results"]] == [
        p.get_absolute_url() for p in results.hits[: min(100, results.total)]
    ]
