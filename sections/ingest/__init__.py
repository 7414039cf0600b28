"""Report ingest: read an uploaded file, parse it into the outline (pure Python, no Django).

The Django side (`importer`, `service`) saves what `parse_report` returns.
"""

from sections.ingest.errors import IngestError
from sections.ingest.parser import ParsedReport, ParsedSection, parse_report
from sections.ingest.readers import MAX_UPLOAD_BYTES, read_report

__all__ = [
    "MAX_UPLOAD_BYTES",
    "IngestError",
    "ParsedReport",
    "ParsedSection",
    "parse_report",
    "read_report",
]
