"""The one row format of a paragraph shared by every export (a search's CSV and JSON Lines,
the bulk download of the archive), and streaming writers that yield a file line by line.

A row: `permalink` (absolute when `base_url` is given), `country` (ISO code, upper case),
`year`, `language` (kk/en/ru), `section_code`, `section_title` (as printed), `paragraph` (the
paragraph's stable number, the N of its permalink and of `#pN`), `text`, and, only when a
`matched` function is given (a search export), `matched`: the query words the paragraph
holds (a list in JSON Lines, joined by "; " in CSV).

Use from a view:

    from sections.links import site_url
    from sections.export import FORMATS

    export = FORMATS["csv"]  # or "jsonl"
    lines = export.write(paragraphs, base_url=site_url("/", request),
                         cap=settings.EXPORT_MAX_ROWS, matched=lambda p: p.matched_words)
    response = StreamingHttpResponse(lines, content_type=export.content_type)

`paragraphs` is a Paragraph queryset (read lazily: `.iterator()` with its section joined and
only the exported columns loaded, so memory stays flat whatever its size; order it first) or
any iterable of paragraphs (taken as it is). With `cap`, at most `cap` paragraphs are written;
when there were more, the last line says so: in CSV a row whose first cell is CAP_MESSAGE
(filled in, starting with "# "), the other cells empty; in JSON Lines the object
`{"truncated": true, "cap": N, "message": "…"}`. A file without that line is complete.

Spreadsheets run a cell that begins with =, +, -, @, a tab or a carriage return as a formula,
so a report's text (or a crafted title) could make a spreadsheet fetch an address or run a
command. Every CSV of the archive is made for spreadsheets, so in CSV such a text cell begins
with an added ' (OWASP's advice for CSV injection: spreadsheets show the cell as text). That
changes the cell of the few paragraphs that begin so: drop the one leading ' to get the text
as published. JSON Lines, made for programs, holds every text exactly as published; numbers
(year, paragraph) are never changed.

The bulk download (sections/bulk.py) writes both formats from one pass with the pieces:
`rows()`, `csv_line_writer()` with `csv_cells()`, and `json_line()`. Read a large export
inside `transaction.atomic()`: outside a transaction Django's server-side cursor is WITH HOLD,
which PostgreSQL materialises in full before the first row arrives.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

COLUMNS = (
    "permalink",
    "country",
    "year",
    "language",
    "section_code",
    "section_title",
    "paragraph",
    "text",
)
MATCHED = "matched"
# What each column holds, for the pages that describe the exports (/data/).
COLUMN_NOTES = {
    "permalink": gettext_lazy("the paragraph's permanent address, kept across re-uploads"),
    "country": gettext_lazy("the country's two-letter ISO code"),
    "year": gettext_lazy("the report's year"),
    "language": gettext_lazy("the report's language: kk, en or ru"),
    "section_code": gettext_lazy("the section's code in the report's outline, such as 1c"),
    "section_title": gettext_lazy("the section's title as printed"),
    "paragraph": gettext_lazy("the paragraph's number, as in its permalink"),
    "text": gettext_lazy("the whole paragraph, plain text"),
    MATCHED: gettext_lazy("search exports only: the query words the paragraph holds"),
}
# Rows fetched from the database per round trip when a queryset is read.
CHUNK_SIZE = 2000
# Only what a row needs: the search vector and the filter copies stay in the database.
ROW_FIELDS = ("number", "text", "country", "year", "language", "section__code", "section__title")

Matched = Callable[[object], Iterable[str]]
# How a cell starts that a spreadsheet reads as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cap_message(cap: int) -> str:
    """The last line's words when an export stopped at `cap` paragraphs (active language)."""
    return gettext(
        "# export stopped at the cap of %(cap)s paragraphs; narrow the search to get the rest"
    ) % {"cap": cap}


def columns(*, with_matched: bool = False) -> tuple[str, ...]:
    """The header: COLUMNS, and `matched` last for a search export."""
    return (*COLUMNS, MATCHED) if with_matched else COLUMNS


def paragraph_row(paragraph, base_url: str = "", matched: Matched | None = None) -> dict:
    """One paragraph as a row (a dict in `columns()` order); `base_url` (no trailing slash)
    makes its permalink absolute."""
    row = {
        "permalink": base_url + paragraph.permalink_path,
        "country": paragraph.country,
        "year": paragraph.year,
        "language": paragraph.language,
        "section_code": paragraph.section.code,
        "section_title": paragraph.section.title,
        "paragraph": paragraph.number,
        "text": paragraph.text,
    }
    if matched is not None:
        row[MATCHED] = list(matched(paragraph))
    return row


def rows(paragraphs, *, base_url: str = "", matched: Matched | None = None) -> Iterator[dict]:
    """The paragraphs as rows (see `paragraph_row`), lazily: a queryset is read through
    `.iterator()` with its section joined and only the exported columns loaded."""
    if isinstance(paragraphs, QuerySet):
        paragraphs = paragraphs.select_related("section").only(*ROW_FIELDS).iterator(CHUNK_SIZE)
    base_url = base_url.rstrip("/")
    for paragraph in paragraphs:
        yield paragraph_row(paragraph, base_url, matched)


def csv_line_writer() -> Callable[[Iterable], str]:
    """A function that turns one row's cells into one CSV line (RFC 4180: commas, double
    quotes, CRLF; a cell's line breaks stay inside its quotes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    return line


def spreadsheet_text(value):
    """A CSV cell's value: text that a spreadsheet would run as a formula with a leading '
    (see the module); other text and numbers as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(row: dict) -> list:
    """A row's cells in CSV: the values in `columns()` order, `matched` joined by "; ", text
    that would start a formula prefixed with ' (`spreadsheet_text`)."""
    cells = list(row.values())
    if MATCHED in row:
        cells[-1] = "; ".join(row[MATCHED])
    return [spreadsheet_text(cell) for cell in cells]


def json_line(row: dict) -> str:
    """One row as a JSON Lines line: UTF-8 text kept as it is, "\\n" at the end."""
    return json.dumps(row, ensure_ascii=False) + "\n"


def _capped(paragraphs, base_url, cap, matched) -> Iterator[dict | None]:
    """Rows, then None once if `cap` cut the export. One paragraph more than `cap` is read
    (a LIMIT on a queryset) so that a cut can be told from an end."""
    if cap is None:
        yield from rows(paragraphs, base_url=base_url, matched=matched)
        return
    if isinstance(paragraphs, QuerySet):
        paragraphs = paragraphs[: cap + 1]
    else:
        paragraphs = islice(paragraphs, cap + 1)
    for count, row in enumerate(rows(paragraphs, base_url=base_url, matched=matched)):
        if count == cap:
            yield None
            return
        yield row


def csv_lines(
    paragraphs, *, base_url: str = "", cap: int | None = None, matched: Matched | None = None
) -> Iterator[str]:
    """The export as CSV lines (see `csv_line_writer`; UTF-8 when encoded, no BOM), the header
    first, then one line per paragraph, then the cap's row if `cap` cut it."""
    header = columns(with_matched=matched is not None)
    message = cap_message(cap) if cap is not None else ""  # in the caller's language, now

    def lines():
        line = csv_line_writer()
        yield line(header)
        for row in _capped(paragraphs, base_url, cap, matched):
            if row is None:
                yield line([message] + [""] * (len(header) - 1))
            else:
                yield line(csv_cells(row))

    return lines()


def jsonl_lines(
    paragraphs, *, base_url: str = "", cap: int | None = None, matched: Matched | None = None
) -> Iterator[str]:
    """The export as JSON Lines (see `json_line`): one object per paragraph with the keys of
    `columns()`, no header line, then the cap's object if `cap` cut it."""
    message = cap_message(cap) if cap is not None else ""

    def lines():
        for row in _capped(paragraphs, base_url, cap, matched):
            if row is None:
                row = {"truncated": True, "cap": cap, "message": message}
            yield json_line(row)

    return lines()


@dataclass(frozen=True)
class ExportFormat:
    """A file format of exports: its name (the `format=` value), extension, Content-Type and
    line writer (`csv_lines` or `jsonl_lines`)."""

    name: str
    extension: str
    content_type: str
    write: Callable[..., Iterator[str]]


FORMATS = {
    "csv": ExportFormat("csv", "csv", "text/csv; charset=utf-8", csv_lines),
    # application/jsonl: the type jsonlines.org proposes; readers accept it as text.
    "jsonl": ExportFormat("jsonl", "jsonl", "application/jsonl; charset=utf-8", jsonl_lines),
}
