"""Importing reports into the database: outline, anchors kept on re-import, atomicity, the
import_report and load_shipped_reports commands, and bad input leaving the database as it was."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.indexing import analyzer_version
from sections.ingest.importer import assign_numbers, import_report
from sections.ingest.service import IngestError, ReportUpload
from sections.models import Paragraph, Report, Section
from tests.archive import SEED_PATH, seed_bytes, seed_parsed

pytestmark = pytest.mark.django_db


def archive_counts():
    return (Report.objects.count(), Section.objects.count(), Paragraph.objects.count())


@pytest.fixture
def seed_report():
    return Report.objects.get(country="KZ", year=2022, language="kk")


def test_seed_is_stored_with_every_parsed_section_and_paragraph_in_order(seed_report):
    parsed = seed_parsed()
    stored = list(seed_report.sections.order_by("order"))
    assert [s.code for s in stored] == [s.code for s in parsed.sections]
    assert [s.title for s in stored] == [s.title for s in parsed.sections]
    texts = list(seed_report.paragraphs.order_by("ordinal").values_list("text", flat=True))
    assert texts == [text for s in parsed.sections for text in s.paragraphs]
    assert seed_report.parse_warnings == parsed.warnings


def test_first_import_numbers_anchors_in_reading_order(seed_report):
    rows = list(seed_report.paragraphs.order_by("ordinal").values_list("ordinal", "number"))
    assert rows == [(i, i) for i in range(1, len(rows) + 1)]


def test_every_paragraph_is_indexed_with_the_current_analyzer(seed_report):
    assert not seed_report.paragraphs.filter(search_vector__isnull=True).exists()
    assert set(seed_report.paragraphs.values_list("analyzer_version", flat=True)) == {
        analyzer_version("kk")
    }


def test_sections_know_their_parents_and_topics(seed_report):
    subsection = seed_report.sections.get(code="1c")
    assert subsection.parent.code == "1"
    assert "torture" in set(subsection.topics.values_list("slug", flat=True))


def test_reimporting_the_same_file_keeps_every_anchor(seed_report):
    before = dict(seed_report.paragraphs.values_list("text", "number"))
    result = ReportUpload(seed_bytes(), SEED_PATH.name, "KZ", 2022, "kk").save()
    assert not result.created
    assert result.kept_anchors == len(before)
    assert result.retired_anchors == []
    assert dict(seed_report.paragraphs.values_list("text", "number")) == before


def test_reimport_keeps_unchanged_and_edited_anchors_and_retires_removed_ones(seed_report):
    old = {p.text: p.number for p in seed_report.paragraphs.all()}
    parsed = seed_parsed()
    torture = next(s for s in parsed.sections if s.code == "1c")
    removed_text = torture.paragraphs.pop(2)
    successor_text = torture.paragraphs[2]
    edited_old = torture.paragraphs[3]
    torture.paragraphs[3] = edited_old.replace(" ", "  ", 1) + " Қосымша сөйлем."
    torture.paragraphs.insert(0, "Мүлдем жаңа абзац, бұрын болмаған.")

    result = import_report(parsed, country="KZ", year=2022, language="kk")

    numbers = dict(seed_report.paragraphs.values_list("text", "number"))
    unchanged = [t for t in old if t in numbers]
    assert all(numbers[t] == old[t] for t in unchanged)
    assert numbers[torture.paragraphs[4]] == old[edited_old]
    assert numbers["Мүлдем жаңа абзац, бұрын болмаған."] == max(old.values()) + 1
    assert result.retired_anchors == [old[removed_text]]
    moved_to = seed_report.resolve_anchor(old[removed_text])
    assert moved_to.text == successor_text


def test_assign_numbers_follows_a_retired_anchor_to_the_next_surviving_paragraph():
    old = [(1, "a", "one"), (2, "a", "two"), (3, "a", "three")]
    numbers, retired = assign_numbers(old, [("a", "one"), ("a", "three")])
    assert numbers == [1, 3]
    assert retired == {2: 3}


def test_a_failed_reimport_leaves_the_old_report_untouched(seed_report, monkeypatch):
    before = list(seed_report.paragraphs.order_by("ordinal").values_list("number", "text"))

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        ReportUpload(seed_bytes(), SEED_PATH.name, "KZ", 2022, "kk").save()
    monkeypatch.undo()
    assert list(seed_report.paragraphs.order_by("ordinal").values_list("number", "text")) == before


def run_import(*args):
    out, err = StringIO(), StringIO()
    call_command("import_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_saves_a_new_year(tmp_path):
    path = tmp_path / "kz-2020-kk.txt"
    path.write_bytes(seed_bytes())
    _, err = run_import(str(path), "--country", "kz", "--year", "2020", "--language", "kk")
    report = Report.objects.get(country="KZ", year=2020, language="kk")
    assert report.paragraphs.count() == sum(len(s.paragraphs) for s in seed_parsed().sections)
    assert "Imported KZ 2020 (kk)" in err


def test_dry_run_json_prints_the_outline_and_changes_nothing():
    before = archive_counts()
    out, _ = run_import(
        str(SEED_PATH),
        "--country",
        "KZ",
        "--year",
        "2019",
        "--language",
        "kk",
        "--dry-run",
        "--json",
    )
    outline = json.loads(out)
    assert outline["country"] == "KZ" and outline["year"] == 2019 and outline["language"] == "kk"
    assert {"code": "1c", "parent": "1"}.items() <= next(
        s for s in outline["sections"] if s["code"] == "1c"
    ).items()
    assert outline["paragraphs"] == sum(s["paragraphs"] for s in outline["sections"])
    assert archive_counts() == before


BAD_INPUTS = [
    ("empty.txt", b"", {}, "empty"),
    ("report.pdf", "ҚЫСҚАША ШОЛУ\nМәтін.\n".encode(), {}, "PDF"),
    ("report.docx", b"PK\x03\x04 not really a zip", {}, "DOCX"),
    ("report.txt", b"\x00\x01\x02\xff\xfe binary", {}, "text"),
    ("notes.txt", "Бұл жай ғана мәтін, тақырыптары жоқ.\n".encode(), {}, "heading"),
    ("report.odt", b"whatever", {}, ".odt"),
    (SEED_PATH.name, None, {"year": "2999"}, "2999"),
    (SEED_PATH.name, None, {"year": "1989"}, "1989"),
    (SEED_PATH.name, None, {"language": "de"}, "'de'"),
]


@pytest.mark.parametrize(("name", "data", "override", "expected"), BAD_INPUTS)
def test_bad_input_gets_one_clear_line_and_leaves_the_database_as_it_was(
    tmp_path, name, data, override, expected
):
    path = tmp_path / name
    path.write_bytes(seed_bytes() if data is None else data)
    options = {"country": "KZ", "year": "2018", "language": "kk", **override}
    before = archive_counts()
    with pytest.raises(CommandError) as error:
        run_import(str(path), *[f"--{key}={value}" for key, value in options.items()])
    message = str(error.value)
    assert "\n" not in message
    assert expected.lower() in message.lower()
    assert archive_counts() == before


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_bytes(seed_bytes())
    with pytest.raises(CommandError, match="limit"):
        run_import(str(path), "--country", "KZ", "--year", "2018", "--language", "kk")


def test_a_missing_file_is_reported_by_name():
    with pytest.raises(CommandError, match="cannot read"):
        run_import("/nonexistent/kz.txt", "--country", "KZ", "--year", "2018", "--language", "kk")


def test_loading_shipped_reports_twice_changes_nothing():
    before = archive_counts()
    out = StringIO()
    call_command("load_shipped_reports", stdout=out)
    call_command("load_shipped_reports", stdout=out)
    assert archive_counts() == before
    assert "kz-2022-kk.txt: already loaded" in out.getvalue()


def test_importer_refuses_a_report_without_paragraphs():
    parsed = seed_parsed()
    for section in parsed.sections:
        section.paragraphs.clear()
    with pytest.raises(IngestError, match="no paragraphs"):
        import_report(parsed, country="KZ", year=2017, language="kk")
    assert not Report.objects.filter(year=2017).exists()


def test_a_retired_number_is_never_given_to_a_new_paragraph(seed_report):
    parsed = seed_parsed()
    removed_text = parsed.sections[0].paragraphs.pop(0)
    first = import_report(parsed, country="KZ", year=2022, language="kk")
    [retired] = first.retired_anchors
    parsed.sections[0].paragraphs.insert(0, "Мүлдем жаңа абзац.")
    import_report(parsed, country="KZ", year=2022, language="kk")
    # The old citation still leads to the paragraph that followed the removed one.
    assert seed_report.resolve_anchor(retired).text != "Мүлдем жаңа абзац."
    assert not seed_report.paragraphs.filter(number=retired).exists()
    assert removed_text not in seed_report.paragraphs.values_list("text", flat=True)


def test_removing_the_last_paragraphs_points_their_permalinks_to_the_one_before():
    old = [(1, "a", "one"), (2, "a", "two"), (3, "a", "three")]
    numbers, retired = assign_numbers(old, [("a", "one")])
    assert numbers == [1]
    assert retired == {2: 1, 3: 1}


def test_a_report_without_a_recognised_title_gets_a_name_instead_of_an_error():
    parsed = seed_parsed()
    parsed.title = ""
    result = import_report(parsed, country="KZ", year=2016, language="kk")
    assert result.report.title == "KZ 2016 (kk)"


def test_a_word_too_long_for_postgres_does_not_break_the_import():
    parsed = seed_parsed()
    parsed.sections[0].paragraphs.append("Бұзылған жол: " + "а" * 1500)
    result = import_report(parsed, country="KZ", year=2015, language="kk")
    assert result.paragraphs == sum(len(s.paragraphs) for s in parsed.sections)


def test_shipped_reports_never_overwrite_an_admins_reupload(seed_report):
    Report.objects.filter(pk=seed_report.pk).update(checksum="re-uploaded", title="Corrected")
    out = StringIO()
    call_command("load_shipped_reports", stdout=out)
    seed_report.refresh_from_db()
    assert seed_report.title == "Corrected"
    assert "already loaded" in out.getvalue()


def test_assign_numbers_gives_a_retired_number_back_to_its_returning_text():
    from sections.ingest.importer import text_hash

    old = [(1, "a", "one"), (3, "a", "three")]
    retired = {2: text_hash("two  returns"), 4: ""}  # 4: retired before texts were kept
    new = [("a", "one"), ("a", "two returns"), ("a", "three"), ("a", "four")]
    numbers, newly_retired = assign_numbers(old, new, retired)
    # The whitespace-normalised text matches; an anchor without a hash revives nothing, and
    # a new paragraph still never gets a retired number.
    assert numbers == [1, 2, 3, 5]
    assert newly_retired == {}


def test_assign_numbers_prefers_a_kept_paragraph_over_a_retired_number_of_the_same_text():
    from sections.ingest.importer import text_hash

    old = [(1, "a", "same"), (3, "a", "other")]
    numbers, _ = assign_numbers(old, [("a", "same"), ("a", "same")], {2: text_hash("same")})
    assert numbers == [1, 2]


def numbers_by_text(report) -> dict[str, int]:
    return dict(report.paragraphs.values_list("text", "number"))


def section_of(parsed, code):
    return next(s for s in parsed.sections if s.code == code)


def test_a_paragraph_that_comes_back_gets_its_old_number_and_permalink(seed_report, client):
    parsed = seed_parsed()
    torture = section_of(parsed, "1c")
    returning = torture.paragraphs[2]
    before = numbers_by_text(seed_report)
    number, follower, highest = (
        before[returning],
        before[torture.paragraphs[3]],
        max(before.values()),
    )
    permalink = f"/kz/2022/kk/p/{number}/"

    # Re-imported without it, and with a paragraph that never was: its number is retired,
    # its permalink leads to the paragraph that followed it, the new one gets a new number.
    torture.paragraphs.remove(returning)
    torture.paragraphs.insert(0, "Мүлдем жаңа абзац, бұрын болмаған.")
    removed = import_report(parsed, country="KZ", year=2022, language="kk")
    assert removed.retired_anchors == [number] and removed.revived_anchors == []
    assert not seed_report.paragraphs.filter(number=number).exists()
    assert numbers_by_text(seed_report)["Мүлдем жаңа абзац, бұрын болмаған."] == highest + 1
    response = client.get(permalink)
    assert response.status_code == 302
    assert response["Location"] == f"/kz/2022/kk/1c/?p={follower}#p{follower}"

    # Re-imported with it back where it was, and one more new paragraph.
    torture.paragraphs.insert(3, returning)
    torture.paragraphs.append("Тағы бір жаңа абзац.")
    restored = import_report(parsed, country="KZ", year=2022, language="kk")
    assert restored.revived_anchors == [number] and restored.retired_anchors == []
    assert restored.kept_anchors == len(before)  # the seed's other paragraphs and the new one
    assert restored.new_anchors == 1
    after = numbers_by_text(seed_report)
    assert after[returning] == number
    assert after["Тағы бір жаңа абзац."] == highest + 2
    assert {text: after[text] for text in before} == before
    assert not seed_report.retired_anchors.filter(number=number).exists()
    response = client.get(permalink)
    assert response.status_code == 302
    assert response["Location"] == f"/kz/2022/kk/1c/?p={number}#p{number}"
    assert seed_report.resolve_anchor(number).text == returning
    assert f'id="p{number}"' in client.get("/kz/2022/kk/1c/").content.decode()


def test_permalinks_that_led_through_a_returning_paragraph_lead_to_it_again(seed_report):
    parsed = seed_parsed()
    torture = section_of(parsed, "1c")
    first, second, third = torture.paragraphs[1:4]
    numbers = numbers_by_text(seed_report)

    def reimport(*left_out):
        edited = seed_parsed()
        section = section_of(edited, "1c")
        section.paragraphs = [p for p in section.paragraphs if p not in left_out]
        return import_report(edited, country="KZ", year=2022, language="kk")

    assert reimport(first).retired_anchors == [numbers[first]]
    assert seed_report.resolve_anchor(numbers[first]).text == second
    # The paragraph its permalink led to goes too: both lead to the next one.
    assert reimport(first, second).retired_anchors == [numbers[second]]
    assert seed_report.resolve_anchor(numbers[first]).text == third
    assert seed_report.resolve_anchor(numbers[second]).text == third
    # It comes back: its own permalink and the one that led through it find it again.
    assert reimport(first).revived_anchors == [numbers[second]]
    assert seed_report.resolve_anchor(numbers[second]).text == second
    assert seed_report.resolve_anchor(numbers[first]).text == second
    assert list(seed_report.retired_anchors.values_list("number", flat=True)) == [numbers[first]]
