"""Uploaded report files to text: one reader function per format, chosen by name and content.

`read_report` checks what the bytes really are (a PDF starts with %PDF, a DOCX is a zip with
word/document.xml) before trusting the file name, and turns every problem a user can fix into
an IngestError with a one-line message.
"""

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from sections.ingest.errors import IngestError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A DOCX unzips to a few times its size; far more than the upload limit is a zip bomb.
MAX_UNZIPPED_BYTES = 10 * MAX_UPLOAD_BYTES
# PDF pages are joined with a form feed, which the parser treats as a page marker.
PAGE_BREAK = "\n\f\n"
# Below this share of pages with text, the PDF is scanned images, not a text document.
MIN_TEXT_PAGE_SHARE = 0.5
# Text with more control characters than this share is a binary file.
MAX_CONTROL_SHARE = 0.01

DOCX_PART = "word/document.xml"

# Leading bytes of formats people upload by mistake, for a helpful message.
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0", "a legacy Word or Office file (.doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)
_DESCRIPTION = {
    "pdf": "a PDF",
    "docx": "a DOCX document",
    "zip": "a zip archive that is not a DOCX",
    "damaged zip": "a damaged zip archive",
    "binary": "binary data, not text",
    "txt": "plain text",
}


def read_report(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Return the text of an uploaded report; raise IngestError naming any problem.

    The extension (.txt, .pdf, .docx) picks the reader and the content must agree with it.
    """
    name = PurePath(filename or "").name or "the file"
    check_size(data, name, max_bytes)
    extension = PurePath(name).suffix.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        shown = f".{extension}" if extension else "no extension"
        raise IngestError(
            f"{name}: unsupported file type ({shown}); upload a .txt, .pdf or .docx file"
        )
    found = detect_format(data)
    if found != extension:
        raise IngestError(
            f"{name} is named .{extension} but its content is {_DESCRIPTION.get(found, found)}"
        )
    text = reader(data, name)
    if not text.strip():
        raise IngestError(f"{name} contains no text")
    return text


def check_size(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Reject empty and oversized uploads."""
    if not data:
        raise IngestError(f"{name} is empty (0 bytes)")
    if len(data) > max_bytes:
        raise IngestError(
            f"{name} is {_megabytes(len(data))}, over the {_megabytes(max_bytes)} upload limit"
        )


def _megabytes(size: int) -> str:
    amount, unit = (size / 2**20, "MB") if size >= 2**20 else (size / 1024, "KB")
    return f"{amount:.1f}".removesuffix(".0") + f" {unit}"


def detect_format(data: bytes) -> str:
    """What the bytes are: "pdf", "docx", "zip", "damaged zip", "txt", "binary" or a name."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:8]
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if kind == "zip":
        return _zip_kind(data)
    if kind:
        return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (save it as UTF-8)"
    return "binary" if b"\x00" in data else "txt"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged zip"
    return "docx" if DOCX_PART in names else "zip"


def read_txt(data: bytes, name: str) -> str:
    """Decode UTF-8 text (with or without a BOM); cp1251 only when it is clearly Cyrillic."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_cp1251(body, name)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise IngestError(f"{name} is named .txt but its content is binary data, not text")
    return text


def _decode_cp1251(data: bytes, name: str) -> str:
    message = f"{name} is not UTF-8 text; save it with UTF-8 encoding and upload it again"
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise IngestError(message) from None
    if not looks_cyrillic(text):
        raise IngestError(message)
    return text


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
            raise IngestError(f"{name} is a password-protected PDF; upload an unprotected copy")
        pages = [_page_text(page) for page in pdf.pages]
    except IngestError:
        raise
    except Exception as error:  # pypdf raises many types for damaged files
        raise IngestError(
            f"{name} is a damaged PDF that cannot be read ({_brief(error)})"
        ) from error
    with_text = sum(1 for page in pages if any(ch.isalpha() for ch in page))
    if not pages or with_text < MIN_TEXT_PAGE_SHARE * len(pages):
        raise IngestError(
            f"{name} has no text layer on {len(pages) - with_text} of {len(pages)} pages "
            "(a scanned PDF?); run OCR or upload the text as .txt or .docx"
        )
    return PAGE_BREAK.join(pages)


def _page_text(page) -> str:
    """A page's text, in layout mode: it keeps the blank lines between paragraphs."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some odd pages; plain text is still the text
        return page.extract_text() or ""


def read_docx(data: bytes, name: str) -> str:
    """The paragraphs (and table cells) of a DOCX in document order, blank-line separated."""
    import docx  # imported here: only DOCX uploads pay for it
    from docx.table import Table

    _check_unzipped_size(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(cell.text for row in item.rows for cell in row.cells)
            else:
                blocks.append(item.text)
    except Exception as error:  # python-docx and lxml raise many types for damaged files
        raise IngestError(
            f"{name} is a damaged DOCX that cannot be read ({_brief(error)})"
        ) from error
    return "\n\n".join(block.strip() for block in blocks if block.strip())


def _brief(error: Exception) -> str:
    """A library's error message on one short line, for an IngestError."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _check_unzipped_size(data: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > MAX_UNZIPPED_BYTES:
        raise IngestError(f"{name} unzips to {unzipped // 2**20} MB, too large for a report")


READERS: dict[str, Callable[[bytes, str], str]] = {
    "txt": read_txt,
    "pdf": read_pdf,
    "docx": read_docx,
}
