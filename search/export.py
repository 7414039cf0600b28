"""A search exported as CSV or JSON Lines: every published paragraph that matches, with all the
search's filters, one row each in the shared format of sections.export (permalink, country,
year, language, section, paragraph number, text, and `matched`: the query's words and phrases,
as typed, that the paragraph holds, as the API's `matched`), streamed, at most EXPORT_MAX_ROWS
rows, the cap said in the last line when it cut the export. A chunk that runs out of time
after the download has begun breaks it off with a last line that says so, in the same place
and shape: in CSV a row whose first cell starts with "# export broke off", in JSON Lines
`{"truncated": true, "error": "…"}`. A file without either line is complete.

The order is the archive's, not the ranking's: newest year first, then country, language and
reading order. Ranking needs every match scored (search.ranking finds a page's best matches
among a million without scoring them all, but not ten thousand of them in order), while
archive order is read year by year: the year is in the search's GIN index, so each year is
one index probe for its matches, sorted (at most one year's matches) and read in chunks of
EXPORT_CHUNK rows from where the last chunk ended. An export of a query matching a million
paragraphs reads the newest year or two and stops at the cap; a rare word costs one probe
per year of the archive. Every chunk runs under the search statement timeout, and only one
chunk is in memory at a time.

`matched` is read with the rows: one `@@` per typed word on the vector the row already
brings. Finding the printed forms instead (the highlighter's analysis of every text) cost
three times the rest of the export at 10,000 rows (bench/export.py).
"""

from collections.abc import Iterator
from dataclasses import replace
from itertools import chain, islice

from django.conf import settings
from django.db.models import F, Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from search.engine import SearchTimeout, search_time_limit
from search.filters import SearchFilters
from search.query import ParsedQuery
from search.ranking import Matches, TsQuery, matching
from sections.export import FORMATS, ROW_FIELDS, columns, csv_line_writer, json_line

# The APIs' answer to an export with nothing to search for.
NO_WORDS = "q: an export needs words to search for"
# Paragraphs read from the database per statement.
EXPORT_CHUNK = 1000
ARCHIVE_ORDER = ("country", "language", "ordinal")  # within a year


def export_years(filters: SearchFilters) -> list[int]:
    """The years of published reports that the filters allow, newest first."""
    years = filters.reports().order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


def _after(paragraph) -> Q:
    """Paragraphs after `paragraph` of the same year in archive order (a keyset condition)."""
    country, language = paragraph.country, paragraph.language
    return (
        Q(country__gt=country)
        | Q(country=country, language__gt=language)
        | Q(country=country, language=language, ordinal__gt=paragraph.ordinal)
    )


def typed_terms(parsed: ParsedQuery) -> dict[str, str]:
    """Each required word or phrase as typed, with the tsquery of it in every reading."""
    readings = {}
    for reading in parsed.readings:
        for group in reading.groups:
            for term in group:
                readings.setdefault(term.text, []).append(term.tsquery())
    return {text: " | ".join(f"({q})" for q in queries) for text, queries in readings.items()}


def matches_in_archive_order(parsed: ParsedQuery, filters: SearchFilters, limit: int) -> Iterator:
    """Up to `limit` paragraphs matching the search, newest year first, then by country,
    language and reading order; read lazily, a chunk per statement (see the module). Each
    has `matched_words`: the typed words and phrases it holds."""
    terms = list(typed_terms(parsed).items())
    vector = F("search_vector")
    holds = {f"holds_{i}": Matches(vector, TsQuery(q)) for i, (_, q) in enumerate(terms)}
    remaining = limit
    for year in export_years(filters):
        in_year = replace(filters, year_from=year, year_to=year)
        paragraphs = (
            matching(parsed.tsquery, in_year, parsed.exact_forms)
            .select_related("section")
            .only(*ROW_FIELDS, "ordinal")
            .annotate(**holds)
            .order_by(*ARCHIVE_ORDER)
        )
        last = None
        while remaining > 0:
            chunk = paragraphs if last is None else paragraphs.filter(_after(last))
            with search_time_limit():
                found = list(chunk[: min(EXPORT_CHUNK, remaining)])
            for paragraph in found:
                paragraph.matched_words = [
                    text for i, (text, _) in enumerate(terms) if getattr(paragraph, f"holds_{i}")
                ]
                yield paragraph
            remaining -= len(found)
            if len(found) < EXPORT_CHUNK:
                break  # the year's last chunk
            last = found[-1]
        if remaining <= 0:
            return


def broke_off_line(fmt: str) -> str:
    """The last line of an export broken off by the statement timeout (active language)."""
    message = gettext(
        "# export broke off: the search ran out of time, so this file is incomplete; narrow"
        " the search to get every match"
    )
    if fmt == "jsonl":
        return json_line({"truncated": True, "error": message})
    header = columns(with_matched=True)
    return csv_line_writer()([message] + [""] * (len(header) - 1))


def _until_timeout(lines: Iterator[str], broke_off: str) -> Iterator[str]:
    """The export's lines, ended by `broke_off` when a later chunk runs out of time (the
    status and headers are sent by then: the file itself must say it is incomplete)."""
    try:
        yield from lines
    except SearchTimeout:
        yield broke_off


def export_response(
    parsed: ParsedQuery, filters: SearchFilters, fmt: str, base_url: str
) -> StreamingHttpResponse:
    """The search's export as a streamed download: `fmt` is "csv" or "jsonl" (a key of
    sections.export.FORMATS), `base_url` makes permalinks absolute (sections.links
    .site_url("/", request)). Call with a parsed query that has something to search.

    The first match is read before the response starts, so that a search too broad for the
    statement timeout raises SearchTimeout here (answer 503); a timeout later ends the
    download with the broke-off line (see the module).
    """
    export = FORMATS[fmt]
    cap = settings.EXPORT_MAX_ROWS
    paragraphs = matches_in_archive_order(parsed, filters, cap + 1)
    first = list(islice(paragraphs, 1))
    lines = export.write(
        chain(first, paragraphs), base_url=base_url, cap=cap, matched=lambda p: p.matched_words
    )
    filename = f"rights-archive-search-{timezone.localdate().isoformat()}.{export.extension}"
    return StreamingHttpResponse(
        _until_timeout(lines, broke_off_line(fmt)),
        content_type=export.content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
