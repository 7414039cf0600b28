import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sections.ingest.service import IngestError, ReportUpload
from sections.models import Report
from sections.shipped import METADATA_PATH, fill_metadata, shipped_metadata

# fixtures/kz-2022-kk.txt -> KZ, 2022, kk
FIXTURE_NAME = re.compile(
    r"^(?P<country>[a-z]{2})-(?P<year>\d{4})-(?P<language>[a-z]{2})\.(txt|pdf|docx)$"
)


class Command(BaseCommand):
    help = (
        "Import the reports shipped in fixtures/ whose country, year and language are not in "
        "the archive yet; a report already there (perhaps re-uploaded by an admin) is kept. "
        "Reports with no publisher, original or publication date yet get those of "
        "fixtures/reports.json."
    )

    def handle(self, *args, verbosity=1, **options):
        self.verbosity = verbosity
        for path in sorted((settings.BASE_DIR / "fixtures").iterdir()):
            match = FIXTURE_NAME.match(path.name)
            if not match:
                continue
            upload = ReportUpload(path.read_bytes(), path.name, **match.groupdict())
            report = Report.objects.find(upload.country, int(upload.year), upload.language)
            if report:
                self.say(f"{path.name}: already loaded")
            else:
                try:
                    result = upload.save()
                except IngestError as error:
                    raise CommandError(f"{path.name}: {error}") from None
                report = result.report
                self.say(f"{path.name}: loaded {result.paragraphs} paragraphs")
            self.describe(report, path.name)

    def describe(self, report: Report, filename: str) -> None:
        """Give the report the publisher, original and date of fixtures/reports.json, if blank."""
        metadata = shipped_metadata(filename)
        if metadata is None:
            return
        try:
            filled = fill_metadata(report, metadata)
        except ValidationError as error:
            raise CommandError(f"{METADATA_PATH.name}, {filename}: {error}") from None
        if filled:
            self.say(f"{filename}: publisher, original and publication date filled in")

    def say(self, line: str) -> None:
        """A line of progress on standard output, unless --verbosity 0."""
        if self.verbosity >= 1:
            self.stdout.write(line)
