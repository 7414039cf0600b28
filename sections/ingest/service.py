"""One entry point for both the command and the admin: bytes in, parsed or saved report out."""

from dataclasses import dataclass

from django.conf import settings

from sections.ingest.errors import IngestError
from sections.ingest.importer import ImportResult, check_identity, checksum, import_report
from sections.ingest.parser import ParsedReport, parse_report
from sections.ingest.readers import read_report


@dataclass
class ReportUpload:
    """A report file with the country, year and language it is for."""

    data: bytes
    filename: str
    country: str
    year: int
    language: str

    def parse(self) -> ParsedReport:
        """Check the identity and the file, then parse; raise IngestError naming any problem."""
        self.country, self.year, self.language = check_identity(
            self.country, self.year, self.language
        )
        text = read_report(self.data, self.filename, settings.REPORT_UPLOAD_MAX_BYTES)
        return parse_report(text, self.language)

    def save(self, parsed: ParsedReport | None = None, published: bool = True) -> ImportResult:
        parsed = parsed or self.parse()
        return import_report(
            parsed,
            country=self.country,
            year=self.year,
            language=self.language,
            source_name=self.filename,
            source_checksum=checksum(self.data),
            published=published,
        )


__all__ = ["IngestError", "ReportUpload"]
