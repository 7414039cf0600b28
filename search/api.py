"""/api/v1/search: the search of /api/search (same parameters, results and fields, through
search.views.search_answer), with typed parameters and `next` and `previous` links;
`format=csv|jsonl` streams every match instead (search.export)."""

from typing import Literal

from django.conf import settings
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from reportsite.api_errors import READ_ERRORS, TOO_BROAD_ERRORS
from reportsite.api_pages import QueryParameters, page_links
from search.export import NO_WORDS, export_response
from search.forms import DEFAULT_LIMIT, LAST_YEAR, MAX_LIMIT, SearchForm
from search.query import parse_query
from search.views import API_FORMATS, search_answer
from sections.export import FORMATS
from sections.links import site_url
from sections.models import FIRST_YEAR, Language

router = Router(tags=["search"])

QUERY_SYNTAX = (
    "Words (all must appear, in any inflected form, Cyrillic or Latin script), "
    '`"exact phrase"`, `OR` between words, `-word` to leave out, `=word` for that form only.'
)


def _year(description: str):
    return Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description=description)


class SearchParameters(QueryParameters):
    q: str = Field("", description=QUERY_SYNTAX)
    year: int | None = _year("Only this year (year_from = year_to = year).")
    year_from: int | None = _year("From this year on.")
    year_to: int | None = _year("Up to this year.")
    topic: str | None = Field(None, description="A topic's slug (see /topics).")
    section: str | None = Field(None, max_length=40, description="A section code such as 1c.")
    language: Language | None = Field(None, description="The reports' language.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="e.g. KZ")
    page: int = Field(1, ge=1, description="The page of results, from 1.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Results a page.")
    spell: bool = Field(
        True, description="false: never answer for a corrected query, only offer it."
    )
    format: Literal[API_FORMATS] = Field(
        "json",
        description="csv or jsonl: a download of every match (not a page), newest year first"
        f" then in reading order, at most {settings.EXPORT_MAX_ROWS:,} rows; when cut, its"
        " last line says so.",
    )

    def form(self) -> SearchForm:
        """The search form with these values: it checks what types cannot (the topic exists,
        the years are in order) and gives the filters, exactly as for /api/search."""
        values = self.model_dump(mode="json", exclude_none=True, exclude={"spell", "format"})
        return SearchForm(values)


class HitReport(Schema):
    country: str
    year: int
    language: str


class HitSection(Schema):
    code: str
    title: str


class Hit(Schema):
    url: str = Field(description="The paragraph in its section's page (a path).")
    report: HitReport
    section: HitSection
    paragraph: int = Field(description="The paragraph's permanent number (its permalink).")
    text: str = Field(description="The whole paragraph, plain text.")
    snippet: str = Field(description="HTML: the text around the matches, escaped, in <mark>.")
    score: float = Field(description="0 to 1, comparable within one search.")
    matched: list[str] = Field(description="The query's words and phrases it holds.")
    complete: bool = Field(
        description="false for a paragraph holding only some of the words: when few hold them"
        " all, the first page adds those holding most of them after the complete matches."
    )


class Facets(Schema):
    year: dict[str, int]
    topic: dict[str, int]
    language: dict[str, int]


class SearchAnswer(Schema):
    query: str
    total: int = Field(description="Paragraphs holding every word.")
    total_is_estimate: bool = Field(description="true when the total and facets are sampled.")
    corrected_query: str | None = Field(
        description="The results are for this query: the typed one found nothing at all."
    )
    did_you_mean: str | None = Field(
        description="A correction offered; the results are the typed query's."
    )
    unused_words: list[str] = Field(description="Words past the query's limit, not searched.")
    facets: Facets = Field(description="Counts of the matches by year, topic and language.")
    results: list[Hit]
    next: str | None = Field(description="The next page's URL; null on the last page.")
    previous: str | None = Field(description="The previous page's URL; null on the first.")


# The downloads, documented beside the JSON answer.
EXPORTS = {
    FORMATS[name].content_type.split(";")[0]: {"schema": {"type": "string"}}
    for name in ("csv", "jsonl")
}


@router.get(
    "/search",
    response={200: SearchAnswer, **READ_ERRORS, **TOO_BROAD_ERRORS},
    url_name="search",
    openapi_extra={"responses": {200: {"content": EXPORTS}}},
)
def search(request, parameters: Query[SearchParameters]):
    """Paragraphs matching a query, ranked, with highlighted snippets and facet counts; the
    same answer as /api/search, plus `next` and `previous`. With `format=csv` or `jsonl`,
    every match as a file: permalink, country, year, language, section code and title,
    paragraph number, text and matched words, one paragraph a row."""
    form = parameters.form()
    error = form.english_error()
    if error:
        raise HttpError(400, error)
    if parameters.format != "json":
        return _export(request, form, parameters.format)
    answer = search_answer(form, parameters.spell)
    complete = sum(hit["complete"] for hit in answer["results"])
    # A full page short of the total has a next page (an estimated total may be too high).
    more = complete == form.per_page and form.page_number * form.per_page < answer["total"]
    return {**answer, **page_links(request, form.page_number, more)}


def _export(request, form, fmt: str):
    parsed = parse_query(form.cleaned_data["q"])
    if not parsed:
        raise HttpError(400, NO_WORDS)
    return export_response(parsed, form.filters, fmt, site_url("/", request))
