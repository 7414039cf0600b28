"""/api/v1/: every endpoint's answer against the test archive and the OpenAPI document,
pagination to the end, errors (400, 404, 429), CORS, and the docs page under the CSP."""

import copy
import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from sections.models import Paragraph, Report, RetiredAnchor, Section, Topic
from tests.test_security import directives

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
REPORT = f"{V1}/reports/kz/2022/kk"
ENDPOINTS = {
    # OpenAPI path: an address of it that exists in the test archive
    "/api/v1/search": f"{V1}/search?q=азаптау",
    "/api/v1/reports": f"{V1}/reports",
    "/api/v1/reports/{country}/{year}/{language}": REPORT,
    "/api/v1/reports/{country}/{year}/{language}/sections": f"{REPORT}/sections",
    "/api/v1/reports/{country}/{year}/{language}/sections/{code}": f"{REPORT}/sections/1c",
    "/api/v1/reports/{country}/{year}/{language}/paragraphs/{number}": f"{REPORT}/paragraphs/12",
    "/api/v1/topics": f"{V1}/topics",
    "/api/v1/topics/{slug}": f"{V1}/topics/torture",
}


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response


def follow(client, link: str) -> dict:
    """The answer at a `next` or `previous` link (absolute, on the test server)."""
    assert link.startswith("http://testserver/api/v1/"), link
    return get(client, link.removeprefix("http://testserver")).json()


def walk(client, url, **params) -> list:
    """Every result of a paged answer, following `next` to the end; on the way, each page's
    `previous` must give the page before it."""
    page = get(client, url, **params).json()
    assert page["previous"] is None
    results = list(page["results"])
    while page["next"]:
        before, page = page, follow(client, page["next"])
        assert follow(client, page["previous"])["results"] == before["results"]
        results.extend(page["results"])
    return results


@pytest.fixture(scope="module")
def openapi(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(f"{V1}/openapi.json")
    assert response.status_code == 200
    return response.json()


def response_validator(openapi, path: str, status: int = 200) -> Draft202012Validator:
    """A JSON Schema validator of one documented answer; objects may hold only the fields the
    document describes, so an undocumented field fails too."""
    components = copy.deepcopy(openapi["components"])
    for schema in components["schemas"].values():
        if "properties" in schema:
            schema["additionalProperties"] = False
    content = openapi["paths"][path]["get"]["responses"][str(status)]["content"]
    return Draft202012Validator({**content["application/json"]["schema"], "components": components})


# --- The OpenAPI document and the docs page ------------------------------------------------


def test_the_openapi_document_is_valid_openapi_3_and_lists_every_endpoint(openapi):
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.")
    assert set(openapi["paths"]) == set(ENDPOINTS)
    for path, item in openapi["paths"].items():
        assert set(item) == {"get"}, path  # read-only: nothing but GET
        responses = item["get"]["responses"]
        assert {"200", "400", "429"} <= set(responses), path
        if "{" in path:
            assert "404" in responses, path
    assert "503" in openapi["paths"]["/api/v1/search"]["get"]["responses"]


def test_the_openapi_document_states_the_rate_limit_and_the_error_shape(openapi):
    description = openapi["info"]["description"]
    assert "`60/m` requests per client address" in description
    assert "429 with `Retry-After`" in description
    assert "have a limit of their own, `10/m` per client address" in description
    assert '{"error": "…"}' in description
    assert "`next`" in description


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_every_answer_has_exactly_the_fields_the_document_describes(client, openapi, path):
    response = get(client, ENDPOINTS[path])
    assert response.status_code == 200
    errors = list(response_validator(openapi, path).iter_errors(response.json()))
    assert errors == [], [e.message for e in errors]


def test_errors_have_the_documented_shape(client, openapi):
    response = get(client, f"{REPORT}/sections/nope")
    assert response.status_code == 404
    path = "/api/v1/reports/{country}/{year}/{language}/sections/{code}"
    assert list(response_validator(openapi, path, 404).iter_errors(response.json())) == []


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.I
)


def test_the_docs_page_loads_swagger_ui_from_the_site_without_inline_script_or_style(client):
    response = client.get(f"{V1}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert INLINE.findall(html) == []
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/js/api-docs.js"]
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    policy = directives(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    # Swagger UI's stylesheet draws its icons as data: images; only this page allows them.
    assert policy["img-src"] == "'self' data:"
    assert directives(client.get(f"{V1}/reports"))["img-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    for url in [*scripts, "/static/ninja/swagger-ui.css"]:
        assert client.get(url).status_code == 200, url


def test_the_api_root_leads_to_the_docs(client):
    response = client.get(f"{V1}/")
    assert response.status_code == 302
    assert response["Location"] == f"{V1}/docs"


# --- Reports, sections, paragraphs, topics -----------------------------------------------


def test_reports_lists_the_published_reports_with_their_links(client):
    body = get(client, f"{V1}/reports").json()
    assert body["count"] == 3
    assert [(r["year"], r["language"]) for r in body["results"]] == [
        (2023, "en"),
        (2022, "kk"),
        (2021, "kk"),
    ]
    kazakh = body["results"][1]
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    assert kazakh["title"] == report.title
    assert kazakh["publisher"] == report.publisher != ""
    assert kazakh["is_translation"] is True and kazakh["original_language"] == "en"
    assert kazakh["publication_date"] == report.publication_date.isoformat()
    assert body["results"][0]["is_translation"] is False
    assert body["results"][0]["original_language"] is None
    assert kazakh["url"] == "/kz/2022/kk/"
    assert kazakh["api_url"] == REPORT
    assert kazakh["sections_url"] == f"{REPORT}/sections"


def test_reports_are_filtered_by_country_language_and_year(client):
    def years(**params):
        return [r["year"] for r in get(client, f"{V1}/reports", **params).json()["results"]]

    assert years(language="kk") == [2022, 2021]
    assert years(country="kz", year=2023) == [2023]
    assert years(country="US") == []


def test_one_report_counts_its_sections_and_paragraphs(client):
    body = get(client, REPORT).json()
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    assert body["section_count"] == report.sections.count() > 20
    assert body["paragraph_count"] == report.paragraphs.count() > 200
    assert body["other_languages"] == []
    assert body["layout"] == "seven-sections"


def test_the_sections_are_the_table_of_contents_in_reading_order(client):
    sections = walk(client, f"{REPORT}/sections")
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    assert [s["code"] for s in sections] == list(
        report.sections.order_by("order").values_list("code", flat=True)
    )
    by_code = {s["code"]: s for s in sections}
    assert by_code["1"]["parent"] is None and by_code["1"]["depth"] == 0
    assert by_code["1c"]["parent"] == "1" and by_code["1c"]["depth"] == 1
    assert "torture" in by_code["1c"]["topics"]
    assert by_code["1c"]["paragraph_count"] == report.sections.get(code="1c").paragraphs.count()
    assert by_code["1c"]["url"] == "/kz/2022/kk/1c/"
    assert by_code["1c"]["api_url"] == f"{REPORT}/sections/1c"


def test_one_section_has_its_own_paragraphs_in_order_with_their_permalinks(client):
    body = get(client, f"{REPORT}/sections/1c").json()
    section = Section.objects.get(report__year=2022, report__language="kk", code="1c")
    paragraphs = list(section.paragraphs.order_by("ordinal"))
    assert [p["number"] for p in body["paragraphs"]] == [p.number for p in paragraphs]
    assert [p["text"] for p in body["paragraphs"]] == [p.text for p in paragraphs]
    first = body["paragraphs"][0]
    number = paragraphs[0].number
    assert first["url"] == f"/kz/2022/kk/1c/#p{number}"
    assert first["permalink"] == f"http://testserver/kz/2022/kk/p/{number}/"
    assert first["api_url"] == f"{REPORT}/paragraphs/{number}"
    assert body["report"] == {
        "country": "KZ",
        "year": 2022,
        "language": "kk",
        "api_url": REPORT,
    }
    assert [s["code"] for s in body["subsections"]] == ["1c-prisons"]


def test_a_section_with_subsections_links_them(client):
    body = get(client, f"{REPORT}/sections/1").json()
    codes = [s["code"] for s in body["subsections"]]
    assert codes[:3] == ["1a", "1b", "1c"]
    assert body["subsections"][2]["api_url"] == f"{REPORT}/sections/1c"


def test_a_paragraph_by_its_permalink(client):
    paragraph = Paragraph.objects.get(report__year=2022, report__language="kk", number=12)
    body = get(client, f"{REPORT}/paragraphs/12").json()
    assert body["number"] == 12
    assert body["text"] == paragraph.text
    assert body["section"]["code"] == paragraph.section.code
    assert body["report"]["year"] == 2022
    assert body["permalink"] == "http://testserver/kz/2022/kk/p/12/"
    assert body["redirected_from"] is None


def test_a_retired_paragraph_number_answers_the_paragraph_that_took_its_place(client):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    successor = report.paragraphs.order_by("ordinal")[40]
    first, second = 90001, 90002
    # A chain, as two re-uploads leave it: 90001 → 90002 → the successor.
    RetiredAnchor.objects.create(report=report, number=first, successor_number=second)
    RetiredAnchor.objects.create(report=report, number=second, successor_number=successor.number)
    body = get(client, f"{REPORT}/paragraphs/{first}").json()
    assert body["number"] == successor.number
    assert body["text"] == successor.text
    assert body["redirected_from"] == first
    # The site's own permalink goes to the same paragraph.
    location = client.get(f"/kz/2022/kk/p/{first}/")["Location"]
    assert location.replace(f"?p={successor.number}", "") == body["url"]


def test_topics_list_every_topic_with_the_years_that_have_it(client):
    topics = walk(client, f"{V1}/topics", limit=10)
    assert [t["slug"] for t in topics] == list(Topic.objects.values_list("slug", flat=True))
    torture = next(t for t in topics if t["slug"] == "torture")
    assert torture["years"] == [2021, 2022, 2023]
    assert torture["names"]["en"] == "Torture" and torture["names"]["kk"] == "Азаптау"
    assert torture["url"] == "/topics/torture/"
    assert torture["api_url"] == f"{V1}/topics/torture"


def test_one_topic_lists_its_sections_in_every_year_newest_first(client):
    response = get(client, f"{V1}/topics/torture")
    assert "Азаптау".encode() in response.content  # letters as they are, not \u escapes
    body = response.json()
    assert [(s["report"]["year"], s["code"]) for s in body["sections"]] == [
        (2023, "1c"),
        (2022, "1c"),
        (2021, "1c"),
    ]
    section = Section.objects.get(report__year=2021, code="1c")
    assert body["sections"][2]["paragraph_count"] == section.paragraphs.count()
    assert body["sections"][2]["api_url"] == f"{V1}/reports/kz/2021/kk/sections/1c"


def test_an_unpublished_report_is_nowhere_in_the_api(client):
    Report.objects.filter(year=2021).update(published=False)
    assert [r["year"] for r in get(client, f"{V1}/reports").json()["results"]] == [2023, 2022]
    old = f"{V1}/reports/kz/2021/kk"
    for url in [old, f"{old}/sections", f"{old}/sections/1c", f"{old}/paragraphs/12"]:
        assert get(client, url).status_code == 404, url
    torture = get(client, f"{V1}/topics/torture").json()
    assert torture["years"] == [2022, 2023]
    assert {s["report"]["year"] for s in torture["sections"]} == {2022, 2023}
    listed = next(t for t in walk(client, f"{V1}/topics") if t["slug"] == "torture")
    assert listed["years"] == [2022, 2023]
    search = get(client, f"{V1}/search", q="азаптау", limit=100).json()
    assert set(search["facets"]["year"]) == {"2022"}
    assert {hit["report"]["year"] for hit in search["results"]} == {2022}


# --- Search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "азаптау"},
        {"q": "azaptau", "limit": 5, "page": 2},
        {"q": "азаптау", "year": 2021, "topic": "torture"},
        {"q": "абзац", "year_from": 2020, "year_to": 2021},
        {"q": "torture", "language": "en"},
        {"q": "сөз бостандығы", "section": "2a", "country": "kz"},
        {"q": "азаптау кек"},  # few complete matches: partial ones follow
        {"q": "азаптуа"},  # a typo: the corrected query's results
        {"q": "азаптуа", "spell": "0"},
        {"q": ""},
    ],
)
def test_the_search_answers_as_api_search_does_plus_page_links(client, params):
    legacy = client.get("/api/search", params).json()
    answer = get(client, f"{V1}/search", **params).json()
    links = answer.pop("next"), answer.pop("previous")
    assert answer == legacy
    assert (links[1] is not None) == ("page" in params)


def test_the_search_spell_parameter_keeps_the_typed_query(client):
    corrected = get(client, f"{V1}/search", q="азаптуа").json()
    exact = get(client, f"{V1}/search", q="азаптуа", spell="false").json()
    assert corrected["corrected_query"] and corrected["results"]
    assert exact["corrected_query"] is None and exact["results"] == []


def test_the_search_next_links_lead_through_every_result_to_the_end(client):
    query = {"q": "азаптау", "year_from": 2021}
    everything = get(client, f"{V1}/search", **query, limit=100).json()
    assert everything["next"] is None and everything["previous"] is None
    total = everything["total"]
    assert 20 < total < 100 and len(everything["results"]) == total
    walked = walk(client, f"{V1}/search", **query, limit=7)
    assert [hit["url"] for hit in walked] == [hit["url"] for hit in everything["results"]]
    first = get(client, f"{V1}/search", **query, limit=7).json()
    # The other parameters are kept in the link.
    assert first["next"] == (
        "http://testserver/api/v1/search?q=%D0%B0%D0%B7%D0%B0%D0%BF%D1%82%D0%B0%D1%83"
        "&year_from=2021&limit=7&page=2"
    )
    last_page = -(-total // 7)
    last = get(client, f"{V1}/search", **query, limit=7, page=last_page).json()
    assert last["results"] and last["next"] is None
    assert last["previous"].endswith(f"page={last_page - 1}")


def test_a_search_page_past_the_end_is_empty(client):
    body = get(client, f"{V1}/search", q="азаптау", page=50).json()
    assert body["results"] == [] and body["next"] is None
    assert body["previous"].endswith("page=49")


def test_blank_parameters_count_as_not_given_as_in_the_search_form(client):
    blank = get(client, f"{V1}/search", q="азаптау", year="", topic="", page="").json()
    assert blank["total"] == get(client, f"{V1}/search", q="азаптау").json()["total"]


def download(client, url, **params) -> tuple:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode()


def test_the_search_downloads_every_match_as_csv_or_json_lines(client):
    query = {"q": "азаптау", "year": 2022, "limit": 2}  # the limit pages the JSON only
    response, text = download(client, f"{V1}/search", **query, format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    total = get(client, f"{V1}/search", **query).json()["total"]
    assert len(rows) == total > 2
    assert list(rows[0]) == [
        *("permalink", "country", "year", "language", "section_code", "section_title"),
        *("paragraph", "text", "matched"),
    ]
    assert {row["year"] for row in rows} == {"2022"}
    assert rows[0]["permalink"].startswith("http://testserver/kz/2022/kk/p/")
    _, lines = download(client, f"{V1}/search", **query, format="jsonl")
    records = [json.loads(line) for line in lines.splitlines()]
    assert [r["permalink"] for r in records] == [row["permalink"] for row in rows]
    # The same file as /api/search gives.
    assert download(client, "/api/search", **query, format="csv")[1] == text


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"q": "азаптау", "format": "xml"}, "format: Input should be 'json', 'csv' or 'jsonl'."),
        ({"q": "", "format": "csv"}, "q: an export needs words to search for"),
        ({"q": "және", "format": "jsonl"}, "q: an export needs words to search for"),
        ({"q": "азаптау", "topic": "nope", "format": "csv"}, "topic: Unknown topic."),
    ],
)
def test_a_download_with_bad_parameters_is_a_400(client, params, error):
    response = get(client, f"{V1}/search", **params)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_openapi_document_describes_the_downloads(openapi):
    content = openapi["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv", "application/jsonl"}
    parameters = openapi["paths"]["/api/v1/search"]["get"]["parameters"]
    formats = next(p for p in parameters if p["name"] == "format")
    assert formats["schema"]["enum"] == ["json", "csv", "jsonl"]


# --- Pagination of lists -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"{V1}/reports", {}),
        (f"{REPORT}/sections", {}),
        (f"{V1}/topics", {}),
        (f"{V1}/search", {"q": "адам"}),
    ],
)
def test_a_longer_page_costs_no_more_queries(client, settings, url, params):
    settings.SEARCH_API_RATE_LIMIT = None  # only the endpoint's own queries

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {**params, "limit": limit}).status_code == 200
        return len(captured)

    assert queries(100) == queries(2)


def test_list_next_links_lead_through_every_item_to_the_end(client):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    codes = [s["code"] for s in walk(client, f"{REPORT}/sections", limit=7)]
    assert codes == list(report.sections.order_by("order").values_list("code", flat=True))
    first = get(client, f"{REPORT}/sections", limit=7).json()
    assert first["count"] == len(codes)
    assert first["next"] == f"http://testserver{REPORT}/sections?limit=7&page=2"
    years = [r["year"] for r in walk(client, f"{V1}/reports", limit=1, language="kk")]
    assert years == [2022, 2021]


def test_a_list_page_past_the_end_is_empty(client):
    body = get(client, f"{V1}/reports", page=9).json()
    assert body["count"] == 3 and body["results"] == [] and body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/reports?page=8"


@pytest.mark.parametrize("url", [f"{V1}/reports", f"{V1}/topics", f"{REPORT}/sections"])
def test_a_page_number_beyond_the_largest_is_a_400_naming_the_page(client, url):
    response = get(client, url, page="99999999999999999999")
    assert response.status_code == 400
    assert response.json()["error"].startswith("page: ")


def test_a_list_page_past_the_end_reads_only_the_count(client, settings):
    settings.SEARCH_API_RATE_LIMIT = None  # only the endpoint's own queries
    with CaptureQueriesContext(connection) as captured:
        body = get(client, f"{V1}/reports", page=1000000).json()
    assert body["count"] == 3 and body["results"] == []
    assert [q["sql"] for q in captured if "LIMIT" in q["sql"]] == []


def test_links_use_site_url_when_it_is_set(client, settings):
    settings.SITE_URL = "https://rights.example.org"
    body = get(client, f"{V1}/reports", limit=1).json()
    assert body["next"] == "https://rights.example.org/api/v1/reports?limit=1&page=2"
    paragraph = get(client, f"{REPORT}/paragraphs/12").json()
    assert paragraph["permalink"] == "https://rights.example.org/kz/2022/kk/p/12/"


# --- Errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("/search", {"year": "abc"}, "year"),
        ("/search", {"year": "1800"}, "year"),
        ("/search", {"year_from": "x"}, "year_from"),
        ("/search", {"limit": "10000"}, "limit"),
        ("/search", {"limit": "0"}, "limit"),
        ("/search", {"page": "-3"}, "page"),
        ("/search", {"topic": "no-such-topic"}, "topic"),
        ("/search", {"language": "de"}, "language"),
        ("/search", {"country": "KAZ"}, "country"),
        ("/search", {"section": "<b>"}, "section"),
        ("/search", {"spell": "perhaps"}, "spell"),
        ("/reports", {"page": "0"}, "page"),
        ("/reports", {"limit": "1000"}, "limit"),
        ("/reports", {"language": "de"}, "language"),
        ("/topics", {"page": "two"}, "page"),
        ("/reports/kz/20x2/kk", {}, "year"),
        ("/reports/kz/2022/de", {}, "language"),
        ("/reports/k%00/2022/kk", {}, "country"),
        ("/reports/kz/2022/kk/sections/1c%00", {}, "code"),
        ("/reports/kz/2022/kk/paragraphs/twelve", {}, "number"),
        ("/topics/tor%00ture", {}, "slug"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, url, params, name):
    query = {"q": "азаптау"} if url == "/search" else {}
    response = get(client, V1 + url, **query, **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"].startswith(f"{name}: ")


def test_a_reversed_year_range_is_a_400(client):
    response = get(client, f"{V1}/search", q="азаптау", year_from=2022, year_to=2021)
    assert response.status_code == 400
    assert response.json() == {"error": "The first year must not be after the last year."}


def test_errors_are_in_english_whatever_the_interface_language(client):
    headers = {"accept-language": "kk"}
    response = client.get(f"{V1}/search", {"topic": "nope"}, headers=headers)
    assert response.json() == {"error": "topic: Unknown topic."}
    response = client.get(f"{V1}/search", {"limit": "0"}, headers=headers)
    assert response.json() == {"error": "limit: Input should be greater than or equal to 1."}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/reports/kz/2019/kk", "there is no published 2019 report for KZ in kk"),
        ("/reports/us/2022/en/sections", "there is no published 2022 report for US in en"),
        ("/reports/kz/2022/kk/sections/9z", "the 2022 report has no section '9z'"),
        ("/reports/kz/2022/kk/paragraphs/99999", "the 2022 report has no paragraph 99999"),
        ("/topics/no-such-topic", "there is no topic 'no-such-topic'"),
        ("/reports/", "/api/v1/reports/ is no address of this API; see /api/v1/docs"),
        ("/no/such/thing", "/api/v1/no/such/thing is no address of this API; see /api/v1/docs"),
    ],
)
def test_what_does_not_exist_is_a_404_saying_so(client, url, message):
    response = get(client, V1 + url)
    assert response.status_code == 404
    assert response.json() == {"error": message}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_search_past_the_time_limit_is_a_503_with_retry_after(client, settings, fmt):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1
    broad = " OR ".join(["saiasi", "bostandyq", "quqyq", "adam", "sot", "zan"] * 4)
    response = get(client, f"{V1}/search", q=broad, limit=100, format=fmt)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "error": "the query is too broad to answer in time; add words or filters"
    }


def test_over_the_rate_limit_every_endpoint_answers_429_with_retry_after(client, settings):
    settings.SEARCH_API_RATE_LIMIT = "3/h"  # an hour's window: the test never straddles two
    # All endpoints share one count.
    for url in (f"{V1}/search?q=x", f"{V1}/reports", f"{V1}/topics"):
        assert client.get(url).status_code == 200
    for url in (f"{V1}/search?q=x", REPORT, f"{V1}/nope"):
        response = get(client, url)
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 3600
        assert response.json()["error"].startswith(
            "too many requests from this address (at most 3/h); retry after"
        )
    # The document and its page are not counted; another client and /api/search have their
    # own counts.
    assert client.get(f"{V1}/openapi.json").status_code == 200
    assert client.get(f"{V1}/docs").status_code == 200
    assert client.get(f"{V1}/reports", REMOTE_ADDR="198.51.100.9").status_code == 200
    assert client.get("/api/search", {"q": "x"}).status_code == 200


def test_downloads_count_against_the_export_limit_not_the_apis(client, settings):
    settings.SEARCH_API_RATE_LIMIT = "2/h"
    settings.EXPORT_RATE_LIMIT = "1/h"
    address = {"REMOTE_ADDR": "198.51.100.51"}
    download = {"q": "азаптау", "format": "csv"}
    assert client.get(f"{V1}/search", download, **address).status_code == 200
    refused = client.get(f"{V1}/search", download, **address)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"].startswith(
        "too many requests from this address (at most 1/h); retry after"
    )
    # The downloads took nothing from the API's own count.
    for _ in range(2):
        assert client.get(f"{V1}/search", {"q": "азаптау"}, **address).status_code == 200
    assert client.get(f"{V1}/topics", **address).status_code == 429


def test_without_a_rate_limit_nothing_is_refused(client, settings):
    settings.SEARCH_API_RATE_LIMIT = "3/m"
    statuses = [client.get(f"{V1}/reports").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    settings.SEARCH_API_RATE_LIMIT = None
    for _ in range(5):
        assert client.get(f"{V1}/reports").status_code == 200


# --- Read-only and open to other sites -------------------------------------------------------


@pytest.mark.parametrize("url", sorted(ENDPOINTS.values()))
def test_a_cross_origin_get_may_be_read_by_any_site(client, url):
    response = client.get(url, headers={"origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_get_but_no_write(client):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = client.options(
            f"{V1}/reports",
            headers={
                "origin": "https://elsewhere.example",
                "access-control-request-method": method,
            },
        )
        assert response.status_code == 200
        allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("url", sorted(ENDPOINTS.values()))
def test_no_endpoint_accepts_a_write(client, url):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET"


# --- In a real browser -----------------------------------------------------------------------

VIOLATIONS_SCRIPT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.browser
def test_the_docs_page_shows_every_endpoint_in_a_browser_under_the_csp(page, live_site):
    page.add_init_script(VIOLATIONS_SCRIPT)
    page.goto(f"{live_site}{V1}/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").evaluate_all(
        "all => all.map(p => p.dataset.path)"
    )
    assert paths == list(ENDPOINTS)
    assert "Rate limit" in page.locator(".info").inner_text()
    # Try one endpoint from the page: Swagger UI asks the API itself.
    page.locator('.opblock-summary-path[data-path="/api/v1/topics"]').click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table .response-col_description pre").first
    answer.wait_for()
    assert '"slug": "killings"' in answer.inner_text()
    assert page.evaluate("window.__violations") == []
