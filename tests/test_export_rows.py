"""The shared row format of exports (sections/export.py): CSV that Python's csv module reads
with the documented header, JSON Lines whose every line parses, the cap's last line only when
an export was cut, and writers that read the database lazily."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sections import export
from sections.export import COLUMNS, FORMATS, cap_message, csv_lines, jsonl_lines
from sections.models import Paragraph

pytestmark = pytest.mark.django_db

BASE = "https://archive.example.org/"


def section_1c():
    return Paragraph.objects.filter(
        country="KZ", year=2022, language="kk", section__code="1c"
    ).order_by("ordinal")


def read_csv(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines), newline="")))


def test_csv_opens_in_the_csv_module_with_the_documented_header():
    rows = read_csv(csv_lines(section_1c(), base_url=BASE))
    assert (
        rows[0]
        == list(COLUMNS)
        == [
            "permalink",
            "country",
            "year",
            "language",
            "section_code",
            "section_title",
            "paragraph",
            "text",
        ]
    )
    first = section_1c().select_related("section").first()
    assert rows[1] == [
        f"https://archive.example.org/kz/2022/kk/p/{first.number}/",
        "KZ",
        "2022",
        "kk",
        "1c",
        first.section.title,
        str(first.number),
        first.text,
    ]
    assert len(rows) == section_1c().count() + 1


def test_csv_keeps_commas_quotes_and_line_breaks_inside_a_cell():
    paragraph = section_1c().select_related("section").first()
    paragraph.text = 'one, "two"\nthree'
    rows = read_csv(csv_lines([paragraph], base_url=BASE))
    assert rows[1][COLUMNS.index("text")] == 'one, "two"\nthree'


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","x")', "+7 777 0100", "-2 people", "@SUM(A1)", "\tx", "\rx"],
)
def test_csv_text_that_would_start_a_formula_begins_with_a_quote_but_jsonl_keeps_it(text):
    paragraph = section_1c().select_related("section").first()
    paragraph.text = text
    paragraph.section.title = text
    row = read_csv(csv_lines([paragraph], matched=lambda p: [text]))[1]
    assert row[COLUMNS.index("text")] == "'" + text
    assert row[COLUMNS.index("section_title")] == "'" + text
    assert row[-1] == "'" + text  # matched
    line = json.loads(next(jsonl_lines([paragraph], matched=lambda p: [text])))
    assert (line["text"], line["section_title"], line["matched"]) == (text, text, [text])


def test_csv_leaves_other_text_and_numbers_as_they_are():
    paragraph = section_1c().select_related("section").first()
    paragraph.text = "a = b + c - d @ e; 'quoted'"
    row = read_csv(csv_lines([paragraph], base_url=BASE))[1]
    assert row[COLUMNS.index("text")] == paragraph.text
    assert row[COLUMNS.index("year")] == "2022"
    assert row[COLUMNS.index("permalink")].startswith(BASE)


def test_jsonl_lines_each_parse_to_a_row_with_typed_values():
    lines = list(jsonl_lines(section_1c(), base_url=BASE))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    rows = [json.loads(line) for line in lines]
    assert len(rows) == section_1c().count()
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["year"] == 2022 and isinstance(rows[0]["paragraph"], int)
    assert rows[0]["permalink"].startswith("https://archive.example.org/kz/2022/kk/p/")


def test_jsonl_keeps_kazakh_letters_unescaped():
    line = next(jsonl_lines(section_1c()))
    assert "\\u" not in line
    assert json.loads(line)["section_title"] in line


def test_without_a_base_url_permalinks_are_site_paths():
    row = json.loads(next(jsonl_lines(section_1c())))
    assert row["permalink"] == f"/kz/2022/kk/p/{row['paragraph']}/"


def test_the_matched_column_appears_only_when_a_matched_function_is_given():
    def matched(paragraph):
        return ["азаптау", "қамау"]

    rows = read_csv(csv_lines(section_1c(), matched=matched))
    assert rows[0] == [*COLUMNS, "matched"]
    assert rows[1][-1] == "азаптау; қамау"
    row = json.loads(next(jsonl_lines(section_1c(), matched=matched)))
    assert row["matched"] == ["азаптау", "қамау"]
    assert "matched" not in json.loads(next(jsonl_lines(section_1c())))


def test_a_cut_csv_ends_with_a_row_that_names_the_cap():
    with translation.override("en"):
        rows = read_csv(csv_lines(section_1c(), cap=3))
    assert len(rows) == 1 + 3 + 1
    with translation.override("en"):
        assert rows[-1][0] == cap_message(3)
    assert rows[-1][0].startswith("# export stopped at the cap of 3 paragraphs")
    assert rows[-1][1:] == [""] * (len(COLUMNS) - 1)  # as wide as the header


def test_a_cut_jsonl_ends_with_a_truncated_object():
    rows = [json.loads(line) for line in jsonl_lines(section_1c(), cap=3)]
    assert len(rows) == 4
    assert rows[-1] == {"truncated": True, "cap": 3, "message": cap_message(3)}


@pytest.mark.parametrize("name", ["csv", "jsonl"])
def test_an_export_within_the_cap_has_no_cap_line(name):
    total = section_1c().count()
    for cap in (total, total + 1):
        # In English: the cap line is written in the active language.
        with translation.override("en"):
            text = "".join(FORMATS[name].write(section_1c(), cap=cap))
        assert "export stopped" not in text
        assert "truncated" not in text


def test_the_cap_applies_to_plain_iterables_too():
    paragraphs = list(section_1c().select_related("section"))
    rows = [json.loads(line) for line in jsonl_lines(iter(paragraphs), cap=2)]
    assert [r.get("truncated") for r in rows] == [None, None, True]


def test_a_writer_runs_no_query_until_read_and_one_query_in_all():
    with CaptureQueriesContext(connection) as queries:
        lines = csv_lines(section_1c())
        assert len(queries) == 0
        next(lines)  # the header needs no database
        assert len(queries) == 0
        rest = list(lines)
    assert len(rest) == section_1c().count()
    assert len(queries) == 1  # the section is joined, not fetched per row


def test_a_queryset_is_read_through_a_server_side_cursor_a_chunk_at_a_time(monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    lines = jsonl_lines(section_1c())
    first = next(lines)
    # The first row is out while the query's cursor is still open in PostgreSQL: the rest
    # has not been fetched.
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_cursors")
        declared = [statement for (statement,) in cursor.fetchall()]
    assert [s for s in declared if s.startswith("DECLARE") and Paragraph._meta.db_table in s]
    assert len([first, *lines]) == section_1c().count()


def test_a_writer_yields_a_row_before_the_paragraphs_are_exhausted():
    source = list(section_1c().select_related("section"))
    taken = []

    def paragraphs():
        for paragraph in source:
            taken.append(paragraph)
            yield paragraph

    lines = csv_lines(paragraphs())
    next(lines), next(lines)  # header, first row
    assert len(taken) == 1 < len(source)


def test_the_cap_limits_what_the_database_returns():
    with CaptureQueriesContext(connection) as queries:
        list(jsonl_lines(section_1c(), cap=3))
    assert "LIMIT 4" in queries[0]["sql"]
