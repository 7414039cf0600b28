"""Uploaded report files to text: one reader function per format, chosen by name and content.

`read_report` checks what the bytes really are (a PDF starts with %PDF, a DOCX is a zip with
word/document.xml) before trusting the file name, and turns every problem a user can fix into
an IngestError with a one-line message (its template marked for translation).
"""

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePath

from sections.ingest.errors import IngestError, gettext_noop

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A long report's Word XML is a few MB; more than this unzipped is a zip bomb, not a report.
# python-docx holds about twenty times the XML in memory (60 MB of XML: 1.2 GB), so this
# also bounds the memory of reading an accepted file (about 320 MB).
MAX_UNZIPPED_BYTES = 16 * 1024 * 1024
# Members are inflated this much at a time, so a bomb never gets more memory than this.
UNZIP_CHUNK = 64 * 1024
# PDF pages are joined with a form feed, which the parser treats as a page marker.
PAGE_BREAK = "\n\f\n"
# Below this share of pages with text, the PDF is scanned images, not a text document.
MIN_TEXT_PAGE_SHARE = 0.5
# Text with more control characters than this share is a binary file.
MAX_CONTROL_SHARE = 0.01
# Markdown has six heading levels; Word's Heading 7–9 become the deepest.
MAX_HEADING_LEVEL = 6

DOCX_PART = "word/document.xml"

# Leading bytes of formats people upload by mistake, for a helpful message.
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0", "doc"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"{\\rtf", "rtf"),
)
# Whole sentences, one per content found, so that translators can order the words freely.
_MISNAMED = {
    "pdf": gettext_noop("%(name)s is named .%(extension)s but its content is a PDF"),
    "docx": gettext_noop("%(name)s is named .%(extension)s but its content is a DOCX document"),
    "zip": gettext_noop(
        "%(name)s is named .%(extension)s but its content is a zip archive that is not a DOCX"
    ),
    "damaged zip": gettext_noop(
        "%(name)s is named .%(extension)s but its content is a damaged zip archive"
    ),
    "doc": gettext_noop(
        "%(name)s is named .%(extension)s but its content is a legacy Word or Office file (.doc)"
    ),
    "png": gettext_noop("%(name)s is named .%(extension)s but its content is a PNG image"),
    "jpeg": gettext_noop("%(name)s is named .%(extension)s but its content is a JPEG image"),
    "gif": gettext_noop("%(name)s is named .%(extension)s but its content is a GIF image"),
    "rtf": gettext_noop("%(name)s is named .%(extension)s but its content is an RTF document"),
    "utf-16": gettext_noop(
        "%(name)s is named .%(extension)s but its content is UTF-16 text (save it as UTF-8)"
    ),
    "binary": gettext_noop(
        "%(name)s is named .%(extension)s but its content is binary data, not text"
    ),
    "txt": gettext_noop("%(name)s is named .%(extension)s but its content is plain text"),
}
_ASCII = bytes(range(128))
_HEADING_STYLE = re.compile(r"heading ?([1-9])|(title)", re.IGNORECASE)


def read_report(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Return the text of an uploaded report; raise IngestError naming any problem.

    The extension (.txt, .pdf, .docx) picks the reader and the content must agree with it.
    """
    name = PurePath(filename or "").name or "the file"
    check_size(len(data), name, max_bytes)
    extension = PurePath(name).suffix.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None and not extension:
        raise IngestError(
            gettext_noop("%(name)s has no file extension; upload a .txt, .pdf or .docx file"),
            name=name,
        )
    if reader is None:
        raise IngestError(
            gettext_noop(
                "%(name)s: unsupported file type (.%(extension)s); "
                "upload a .txt, .pdf or .docx file"
            ),
            name=name,
            extension=extension,
        )
    found = detect_format(data)
    if found != extension:
        raise IngestError(_MISNAMED[found], name=name, extension=extension)
    text = reader(data, name)
    if not text.strip():
        raise IngestError(gettext_noop("%(name)s contains no text"), name=name)
    return text


def check_size(size: int, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Reject empty and oversized files, given their size in bytes (before reading them)."""
    if not size:
        raise IngestError(gettext_noop("%(name)s is empty (0 bytes)"), name=name)
    if size > max_bytes:
        raise IngestError(
            gettext_noop("%(name)s is %(size)s, over the %(limit)s upload limit"),
            name=name,
            size=_megabytes(size),
            limit=_megabytes(max_bytes),
        )


def _megabytes(size: int) -> str:
    amount, unit = (size / 2**20, "MB") if size >= 2**20 else (size / 1024, "KB")
    return f"{amount:.1f}".removesuffix(".0") + f" {unit}"


def detect_format(data: bytes) -> str:
    """What the bytes are: "pdf", "docx", "txt", "binary" or another key of _MISNAMED."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:8]
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if kind == "zip":
        return _zip_kind(data)
    if kind:
        return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "binary" if b"\x00" in data else "txt"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged zip"
    return "docx" if DOCX_PART in names else "zip"


def read_txt(data: bytes, name: str) -> str:
    """Decode UTF-8 text (with or without a BOM); cp1251 only when it is clearly Cyrillic.

    Text that is mostly valid UTF-8 is UTF-8 with a few bad bytes, never cp1251: the error
    names the first bad byte (counted from 1, as `cmp` does) and its line.
    """
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom) :]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        text = None if _mostly_utf8(body) else _decode_cp1251(body)
        if text is None:
            raise IngestError(
                gettext_noop(
                    "%(name)s is not valid UTF-8 at byte %(byte)d (line %(line)d); "
                    "save it as UTF-8 and upload it again"
                ),
                name=name,
                byte=len(bom) + error.start + 1,
                line=body.count(b"\n", 0, error.start) + 1,
            ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise IngestError(_MISNAMED["binary"], name=name, extension="txt")
    return text


def _mostly_utf8(data: bytes) -> bool:
    """Do valid UTF-8 sequences outnumber invalid ones? cp1251 Cyrillic is almost all invalid."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    return len(text) - ascii_bytes - invalid >= invalid


def _decode_cp1251(data: bytes) -> str | None:
    """The text as cp1251 if it decodes to Cyrillic prose, else None."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    return text if looks_cyrillic(text) else None


def looks_cyrillic(text: str) -> bool:
    """Is this mostly Cyrillic prose? Its commonest letters must dominate, as in real text."""
    letters = [ch.lower() for ch in text if ch.isalpha()]
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if len(cyrillic) < 20 or len(cyrillic) < 0.8 * len(letters):
        return False
    # о е а и н т с р are about half of Russian letters, an eighth of random bytes.
    common = sum(1 for ch in cyrillic if ch in "оеаинтср")
    return common >= 0.35 * len(cyrillic)


def read_pdf(data: bytes, name: str) -> str:
    """Extract the text layer of a PDF, pages separated by a form feed."""
    from pypdf import PdfReader  # imported here: only PDF uploads pay for it

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise IngestError(
                gettext_noop("%(name)s is a password-protected PDF; upload an unprotected copy"),
                name=name,
            )
        pages = [_page_text(page) for page in pdf.pages]
    except IngestError:
        raise
    except Exception as error:  # pypdf raises many types for damaged files
        raise IngestError(
            gettext_noop("%(name)s is a damaged PDF that cannot be read (%(error)s)"),
            name=name,
            error=_brief(error),
        ) from error
    with_text = sum(1 for page in pages if any(ch.isalpha() for ch in page))
    if not pages or with_text < MIN_TEXT_PAGE_SHARE * len(pages):
        raise IngestError(
            gettext_noop(
                "%(name)s has no text layer on %(blank)d of %(pages)d pages (a scanned PDF?); "
                "run OCR or upload the text as .txt or .docx"
            ),
            name=name,
            blank=len(pages) - with_text,
            pages=len(pages),
        )
    return PAGE_BREAK.join(pages)


def _page_text(page) -> str:
    """A page's text, in layout mode: it keeps the blank lines between paragraphs."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some odd pages; plain text is still the text
        return page.extract_text() or ""


def read_docx(data: bytes, name: str) -> str:
    """The paragraphs (and table cells) of a DOCX in document order, blank-line separated.

    Paragraphs in a heading style (Title, Heading 1–6, styles based on them, or with an
    outline level) become Markdown headings: "## Title of the section".
    """
    import docx  # imported here: only DOCX uploads pay for it
    from docx.table import Table

    checked = unzip_checked(data, name, MAX_UNZIPPED_BYTES)
    try:
        document = docx.Document(io.BytesIO(checked))
        level_of = _heading_levels()
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(cell.text for row in item.rows for cell in row.cells)
            elif (level := level_of(item)) and item.text.strip():
                blocks.append("#" * level + " " + " ".join(item.text.split()))
            else:
                blocks.append(item.text)
    except Exception as error:  # python-docx and lxml raise many types for damaged files
        raise _damaged_docx(name, error) from error
    return "\n\n".join(block.strip() for block in blocks if block.strip())


def unzip_checked(data: bytes, name: str, limit: int) -> bytes:
    """A fresh copy of the zip; IngestError if its members inflate past `limit` bytes in all.

    Sizes are counted while inflating, in small chunks: the headers' sizes can lie, and
    the copy's honest headers let python-docx read it without inflating more than counted.
    """
    out = io.BytesIO()
    total = 0
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
        ):
            # The last member of a repeated name is the one zipfile (and python-docx) reads.
            members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
            for info in members.values():
                with archive.open(info) as source, copy.open(info.filename, "w") as target:
                    while chunk := source.read(UNZIP_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise IngestError(
                                gettext_noop(
                                    "%(name)s unzips to more than %(limit)s, too large for a report"
                                ),
                                name=name,
                                limit=_megabytes(limit),
                            )
                        target.write(chunk)
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as error:
        # Bad CRC (a header that understates a size), encryption, an unknown compression
        raise _damaged_docx(name, error) from error
    return out.getvalue()


def _damaged_docx(name: str, error: Exception) -> IngestError:
    return IngestError(
        gettext_noop("%(name)s is a damaged DOCX that cannot be read (%(error)s)"),
        name=name,
        error=_brief(error),
    )


def _heading_levels() -> Callable[[object], int]:
    """A function from a paragraph to its heading level (1–6), or 0 for body text.

    The level is looked up once per paragraph style: a paragraph's own outline level
    wins, then its style's name or outline level, then the style it is based on.
    """
    by_style: dict[str | None, int] = {}

    def level_of(paragraph) -> int:
        own = _outline_level(paragraph._p.pPr)
        if own is not None:
            return own
        style_id = paragraph._p.style
        if style_id not in by_style:
            by_style[style_id] = _style_level(paragraph.style)
        return by_style[style_id]

    return level_of


def _style_level(style) -> int:
    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)  # a style based on itself, through a cycle, ends here
        named = _HEADING_STYLE.fullmatch(style.name or "")
        if named:
            return min(int(named.group(1) or 1), MAX_HEADING_LEVEL)
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level
        style = style.base_style
    return 0


def _outline_level(properties) -> int | None:
    """The heading level of a `w:outlineLvl` (0 = level 1, 9 = body text), None if absent."""
    from docx.oxml.ns import qn

    element = None if properties is None else properties.find(qn("w:outlineLvl"))
    if element is None:
        return None
    try:
        value = int(element.get(qn("w:val")))
    except (TypeError, ValueError):
        return None
    return 0 if value >= 9 else min(value + 1, MAX_HEADING_LEVEL)


def _brief(error: Exception) -> str:
    """A library's error message on one short line, for an IngestError."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"


READERS: dict[str, Callable[[bytes, str], str]] = {
    "txt": read_txt,
    "pdf": read_pdf,
    "docx": read_docx,
}
