"""Reading uploaded files: TXT, PDF and DOCX made in the test, and every error a user can cause.

Pure Python but for one test of the translated messages: no database.
"""

import io
import re
import shutil
import struct
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from django.utils import translation
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from sections.ingest import readers
from sections.ingest.errors import IngestError
from sections.ingest.parser import parse_report
from sections.ingest.readers import MAX_UPLOAD_BYTES, read_report

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
]
SEED = Path(__file__).resolve().parent.parent / "fixtures" / "kz-2022-kk.txt"
UNICODE_FONT = next((path for path in FONT_CANDIDATES if path.exists()), None)


KAZAKH_REPORT = [
    "ҚАЗАҚСТАН 2022: АДАМ ҚҰҚЫҒЫ ЖӨНІНДЕГІ ЕСЕП",
    "ҚЫСҚАША ШОЛУ",
    "Қазақстан билік президенттің қолында шоғырланған конституциялық республика болып "
    "табылады. Үкімет пен конституция билікті Президенттің қолына шоғырландырады.",
    "1 Бөлім. Жеке адам дербестігін құрметтеу",
    "a. Негізсіз немесе басқа да заңсыз, саяси себептермен адам өлтіру",
    "Үкімет немесе оның агенттері заңсыз кісі өлтірулері туралы бірнеше ақпараттар болды.",
    "b. Із-түзсіз жоғалу",
    "Биліктің араласуымен із-түзсіз жоғалғандар туралы ақпарат жоқ.",
]


def latin_pdf(*pages: str) -> bytes:
    """A PDF with a text layer, in a core font (no font file needed)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def kazakh_pdf(paragraphs: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(UNICODE_FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF whose only page is a drawing: what a scan without OCR looks like to a reader."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- text -------------------------------------------------------------------------------


def test_utf8_text_is_read_as_is():
    assert read_report("Азаптау\n".encode(), "report.txt") == "Азаптау\n"


def test_utf8_bom_is_dropped():
    assert read_report(b"\xef\xbb\xbf" + "Есеп".encode(), "REPORT.TXT") == "Есеп"


def test_cp1251_cyrillic_text_is_accepted():
    text = "Правительство ограничивало свободу собраний и преследовало журналистов.\n"
    assert read_report(text.encode("cp1251"), "ru.txt") == text


def test_undecodable_text_that_is_not_cyrillic_is_rejected():
    data = bytes(range(0xC0, 0x100)) * 4  # every cp1251 letter equally often: not prose
    with pytest.raises(IngestError, match=r"report\.txt is not valid UTF-8 at byte 1 \(line 1\)"):
        read_report(data, "report.txt")


RUSSIAN_LINES = [
    "Раздел 1. Уважение неприкосновенности личности",
    "Правительство ограничивало свободу собраний и преследовало журналистов.",
    "Власти задерживали участников мирных протестов без предъявления обвинений.",
]


@pytest.mark.parametrize(
    ("lines", "bom"),
    [(RUSSIAN_LINES, b""), (KAZAKH_REPORT, b""), (RUSSIAN_LINES, b"\xef\xbb\xbf")],
    ids=["russian", "kazakh", "russian-with-bom"],
)
def test_utf8_text_with_one_bad_byte_names_the_byte_and_its_line(lines, bom):
    good = "\n".join(lines).encode()
    cut = good.index(lines[2].encode()) + 10  # inside the third line, between letters
    data = bom + good[:cut] + b"\xff" + good[cut:]
    expected = (
        f"report.txt is not valid UTF-8 at byte {len(bom) + cut + 1} (line 3); "
        "save it as UTF-8 and upload it again"
    )
    with pytest.raises(IngestError) as caught:
        read_report(data, "report.txt")
    assert str(caught.value) == expected


def test_cp1251_report_with_many_lines_is_still_read_as_cp1251():
    text = "\n".join(RUSSIAN_LINES * 20)
    assert read_report(text.encode("cp1251"), "ru.txt") == text


def test_text_with_nul_bytes_is_binary():
    with pytest.raises(IngestError, match=r"report\.txt is named \.txt but .*binary"):
        read_report(b"abc\x00def", "report.txt")


def test_text_with_many_control_characters_is_binary():
    with pytest.raises(IngestError, match="binary"):
        read_report(b"\x01\x02\x03\x04 text", "report.txt")


def test_utf16_text_is_named_as_such():
    with pytest.raises(IngestError, match="UTF-16"):
        read_report("Есеп".encode("utf-16"), "report.txt")


def test_txt_report_parses_end_to_end():
    report = parse_report(read_report("\n\n".join(KAZAKH_REPORT).encode(), "kz.txt"))
    assert [s.code for s in report.sections] == ["summary", "1", "1a", "1b"]


# --- PDF --------------------------------------------------------------------------------


def test_latin_pdf_text_is_extracted_page_by_page():
    text = read_report(latin_pdf("Section 1. Respect", "Second page text."), "report.pdf")
    assert "Section 1. Respect" in text
    assert "Second page text." in text
    assert "\f" in text  # the page break, which the parser treats as a page marker


@pytest.mark.skipif(
    UNICODE_FONT is None,
    reason="no DejaVuSans.ttf on this system: fpdf2 needs a Unicode TTF to write Kazakh",
)
def test_kazakh_pdf_is_read_and_parsed():
    text = read_report(kazakh_pdf(KAZAKH_REPORT), "kz-2022.pdf")
    assert "Із-түзсіз жоғалу" in text
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["summary", "1", "1a", "1b"]
    assert report.title == KAZAKH_REPORT[0]
    assert section_text(report, "1b") == [KAZAKH_REPORT[-1]]


def seed_blocks() -> tuple[object, list[str]]:
    """The parsed seed and its text as blocks: title, each printed heading, each paragraph."""
    seed = parse_report(SEED.read_text(encoding="utf-8"))
    blocks = [seed.title]
    for s in seed.sections:
        blocks += [f"{s.printed_label} {s.title}".strip(), *s.paragraphs]
    return seed, blocks


def outline_of(report):
    return [(s.code, s.title) for s in report.sections]


def words_of(report):
    parts = [report.title]
    for s in report.sections:
        parts += [s.printed_label, s.title, *s.paragraphs]
    return re.findall(r"\w+", " ".join(parts))


@pytest.mark.skipif(UNICODE_FONT is None, reason="no DejaVuSans.ttf: cannot write Kazakh PDF")
def test_seed_typeset_as_pdf_parses_to_the_same_outline():
    seed, blocks = seed_blocks()
    report = parse_report(read_report(kazakh_pdf(blocks), "seed.pdf"))
    assert outline_of(report) == outline_of(seed)
    assert report.warnings == seed.warnings
    assert words_of(report) == words_of(seed)
    # Without the seed's blank lines, a paragraph ending exactly at a page end can merge.
    assert abs(report.paragraph_count - seed.paragraph_count) <= 2


def test_seed_as_docx_parses_to_the_same_report():
    seed, blocks = seed_blocks()
    report = parse_report(read_report(make_docx(blocks), "seed.docx"))
    assert report == seed


def section_text(report, code):
    return next(s.paragraphs for s in report.sections if s.code == code)


def test_pdf_without_a_text_layer_is_rejected():
    with pytest.raises(IngestError, match=r"scan\.pdf has no text layer .*scanned"):
        read_report(scanned_pdf(), "scan.pdf")


def test_damaged_pdf_is_rejected():
    data = latin_pdf("Some text")[:200]
    with pytest.raises(IngestError, match=r"broken\.pdf is a damaged PDF"):
        read_report(data, "broken.pdf")


def test_pdf_named_txt_is_rejected():
    with pytest.raises(IngestError, match=r"named \.txt but its content is a PDF"):
        read_report(latin_pdf("Text"), "report.txt")


def test_text_named_pdf_is_rejected():
    with pytest.raises(IngestError, match=r"named \.pdf but its content is plain text"):
        read_report(b"just some text", "report.pdf")


# --- DOCX -------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_are_read_in_order():
    data = make_docx(["Бірінші абзац.", "", "Екінші абзац."], table=[["Кесте", "ұяшығы"]])
    assert read_report(data, "report.docx") == "Бірінші абзац.\n\nЕкінші абзац.\n\nКесте\n\nұяшығы"


def test_docx_report_parses_end_to_end():
    report = parse_report(read_report(make_docx(KAZAKH_REPORT), "kz.docx"))
    assert [s.code for s in report.sections] == ["summary", "1", "1a", "1b"]
    assert section_text(report, "1a") == [KAZAKH_REPORT[5]]


def test_corrupt_zip_named_docx_is_rejected():
    data = make_docx(["text"])[:300]
    with pytest.raises(IngestError, match=r"report\.docx .*damaged zip"):
        read_report(data, "report.docx")


def test_zip_without_a_word_document_is_not_a_docx():
    data = zip_of({"readme.txt": b"hello"})
    with pytest.raises(IngestError, match="zip archive that is not a DOCX"):
        read_report(data, "report.docx")


def test_docx_with_broken_xml_is_rejected():
    data = zip_of({"[Content_Types].xml": b"<nonsense", "word/document.xml": b"<w:document"})
    with pytest.raises(IngestError, match=r"report\.docx is a damaged DOCX"):
        read_report(data, "report.docx")


def test_random_bytes_named_docx_are_rejected():
    with pytest.raises(IngestError, match=r"named \.docx but its content is binary"):
        read_report(b"\x00\x01\x02garbage", "report.docx")


def test_docx_heading_styles_become_markdown_headings():
    document = docx.Document()
    document.add_heading("Kazakhstan 2023 Human Rights Report", 0)
    document.add_heading("Executive Summary", 1)
    document.add_paragraph("Kazakhstan has a presidential system.")
    document.add_heading("Section 1. Respect for the Integrity of the Person", 1)
    document.add_heading("a. Arbitrary Deprivation of Life", 2)
    document.add_heading("Prison and Detention Center Conditions", 3)
    document.add_heading("Deepest", 9)
    localized = document.styles.add_style("Заголовок раздела", WD_STYLE_TYPE.PARAGRAPH)
    localized.base_style = document.styles["Heading 2"]
    document.add_paragraph("b. Disappearance", style=localized)
    outlined = document.add_paragraph("Women")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "3")  # outline levels count from 0
    outlined._p.get_or_add_pPr().append(level)
    document.add_paragraph("There were no reports of disappearances.")
    out = io.BytesIO()
    document.save(out)
    assert read_report(out.getvalue(), "report.docx").split("\n\n") == [
        "# Kazakhstan 2023 Human Rights Report",
        "# Executive Summary",
        "Kazakhstan has a presidential system.",
        "# Section 1. Respect for the Integrity of the Person",
        "## a. Arbitrary Deprivation of Life",
        "### Prison and Detention Center Conditions",
        "###### Deepest",
        "## b. Disappearance",
        "#### Women",
        "There were no reports of disappearances.",
    ]


def test_docx_with_heading_styles_parses_end_to_end():
    title, summary, summary_text, section, first, first_text, second, second_text = KAZAKH_REPORT
    document = docx.Document()
    document.add_heading(title, 0)
    document.add_heading(summary, 1)
    document.add_paragraph(summary_text)
    document.add_heading(section, 1)
    document.add_heading(first, 2)
    document.add_paragraph(first_text)
    document.add_heading(second, 2)
    document.add_paragraph(second_text)
    out = io.BytesIO()
    document.save(out)
    report = parse_report(read_report(out.getvalue(), "kz.docx"))
    assert report.title == title
    assert [s.code for s in report.sections] == ["summary", "1", "1a", "1b"]
    assert section_text(report, "1b") == [second_text]


def with_sizes_understated(data: bytes, member: str, claimed: int) -> bytes:
    """The zip with `member`'s uncompressed size patched to `claimed` in both its headers."""
    patched = bytearray(data)
    encoded = member.encode()
    # (signature, offset of the name length, offset of the name, offset of the size field)
    for signature, length_at, name_at, size_at in (
        (b"PK\x03\x04", 26, 30, 22),
        (b"PK\x01\x02", 28, 46, 24),
    ):
        start = patched.find(signature)
        while start >= 0:
            (length,) = struct.unpack_from("<H", patched, start + length_at)
            if patched[start + name_at : start + name_at + length] == encoded:
                struct.pack_into("<I", patched, start + size_at, claimed)
            start = patched.find(signature, start + 4)
    return bytes(patched)


def docx_with_bulk(size: int) -> bytes:
    """A real DOCX whose document.xml carries `size` bytes of highly compressible padding."""
    with zipfile.ZipFile(io.BytesIO(make_docx(["Бірінші абзац."]))) as original:
        files = {info.filename: original.read(info) for info in original.infolist()}
    header, body = files[readers.DOCX_PART].split(b"?>", 1)
    files[readers.DOCX_PART] = header + b"?><!--" + b"a" * size + b"-->" + body
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_docx_with_padding_under_the_limit_is_read():
    assert read_report(docx_with_bulk(2**20), "report.docx") == "Бірінші абзац."


def test_docx_whose_headers_understate_its_size_is_refused_without_inflating_it():
    bomb = with_sizes_understated(docx_with_bulk(40 * 2**20), readers.DOCX_PART, 4000)
    assert len(bomb) < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as caught:
            read_report(bomb, "bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith("bomb.docx is a damaged DOCX that cannot be read (")
    assert "\n" not in str(caught.value)
    # Reading the member whole would take 40 MB; chunked reading stays far below it.
    assert peak < 4 * 2**20


def test_docx_that_really_unzips_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 2**20)
    with pytest.raises(IngestError) as caught:
        read_report(docx_with_bulk(2 * 2**20), "big.docx")
    assert str(caught.value) == "big.docx unzips to more than 1 MB, too large for a report"


# --- any format -------------------------------------------------------------------------


def test_empty_file_is_rejected():
    with pytest.raises(IngestError, match=r"report\.pdf is empty"):
        read_report(b"", "report.pdf")


def test_oversized_file_is_rejected():
    with pytest.raises(IngestError, match="over the 20 MB upload limit"):
        read_report(b"a" * (MAX_UPLOAD_BYTES + 1), "report.txt")


@pytest.mark.parametrize("filename", ["report.doc", "report.rtf"])
def test_unknown_extension_is_rejected(filename):
    with pytest.raises(IngestError, match="unsupported file type"):
        read_report(b"some text", filename)


def test_file_without_extension_is_rejected():
    with pytest.raises(IngestError, match=r"report has no file extension; upload a \.txt"):
        read_report(b"some text", "report")


def test_legacy_word_file_is_named_in_the_message():
    with pytest.raises(IngestError, match=r"legacy Word"):
        read_report(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "report.docx")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
def test_messages_are_english_and_translated_when_shown(tmp_path, settings):
    catalogue = tmp_path / "ru" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "django.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "%(name)s is empty (0 bytes)"\nmsgstr "%(name)s пуст (0 байт)"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", catalogue / "django.mo", catalogue / "django.po"], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    with translation.override("ru"), pytest.raises(IngestError) as caught:
        read_report(b"", "report.txt")
    assert str(caught.value) == "report.txt is empty (0 bytes)"
    with translation.override("ru"):
        assert caught.value.translated(translation.gettext) == "report.txt пуст (0 байт)"


def test_error_messages_are_one_line():
    cases = [(b"", "a.txt"), (b"x", "a.exe"), (scanned_pdf(), "a.pdf"), (b"PK\x03\x04x", "a.docx")]
    for data, name in cases:
        with pytest.raises(IngestError) as caught:
            read_report(data, name)
        assert "\n" not in str(caught.value)
