import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sections.ingest.readers import check_size
from sections.ingest.service import IngestError, ReportUpload


class Command(BaseCommand):
    help = "Import a report (TXT, PDF or DOCX); --dry-run --json shows the parsed outline only."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--country", required=True, help="ISO code, e.g. KZ")
        parser.add_argument("--year", required=True)
        parser.add_argument("--language", required=True, help="kk, en or ru")
        parser.add_argument("--dry-run", action="store_true", help="parse only, save nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed outline as JSON")
        parser.add_argument("--unpublished", action="store_true", help="save without publishing")

    def handle(self, *args, file: Path, **options):
        data = read_limited(file, settings.REPORT_UPLOAD_MAX_BYTES)
        upload = ReportUpload(
            data, file.name, options["country"], options["year"], options["language"]
        )
        try:
            parsed = upload.parse()
            if options["json"]:
                outline = parsed.to_dict(upload.country, upload.year, upload.language)
                self.stdout.write(json.dumps(outline, ensure_ascii=False, indent=2))
            if options["dry_run"]:
                return
            result = upload.save(parsed, published=not options["unpublished"])
        except IngestError as error:
            raise CommandError(str(error)) from None
        verb = "Imported" if result.created else "Replaced"
        self.stderr.write(
            f"{verb} {result.report} with {result.paragraphs} paragraphs "
            f"({result.kept_anchors} anchors kept, {len(result.revived_anchors)} given back, "
            f"{result.new_anchors} new, {len(result.retired_anchors)} retired)."
        )


def read_limited(file: Path, max_bytes: int) -> bytes:
    """The file's bytes, its size checked before reading; CommandError naming any problem."""
    try:
        check_size(file.stat().st_size, file.name, max_bytes)
        with file.open("rb") as stream:
            # A file that grew since stat() is still read only to just past the limit.
            data = stream.read(max_bytes + 1)
        check_size(len(data), file.name, max_bytes)
    except IngestError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot read {file}: {error.strerror}") from None
    return data
