import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sections.ingest.service import IngestError, ReportUpload
from sections.models import Report

# fixtures/kz-2022-kk.txt -> KZ, 2022, kk
FIXTURE_NAME = re.compile(
    r"^(?P<country>[a-z]{2})-(?P<year>\d{4})-(?P<language>[a-z]{2})\.(txt|pdf|docx)$"
)


class Command(BaseCommand):
    help = (
        "Import the reports shipped in fixtures/ whose country, year and language are not in "
        "the archive yet; a report already there (perhaps re-uploaded by an admin) is kept."
    )

    def handle(self, *args, **options):
        for path in sorted((settings.BASE_DIR / "fixtures").iterdir()):
            match = FIXTURE_NAME.match(path.name)
            if not match:
                continue
            upload = ReportUpload(path.read_bytes(), path.name, **match.groupdict())
            if Report.objects.find(upload.country, int(upload.year), upload.language):
                self.stderr.write(f"{path.name}: already loaded")
                continue
            try:
                result = upload.save()
            except IngestError as error:
                raise CommandError(f"{path.name}: {error}") from None
            self.stderr.write(f"{path.name}: loaded {result.paragraphs} paragraphs")
