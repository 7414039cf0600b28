from django.core.management.base import BaseCommand

from sections import bulk


class Command(BaseCommand):
    help = (
        "Write the bulk download of the published archive now (gzip JSON Lines and CSV, with "
        "manifest.json) into BULK_DATA_DIR; publishing a report does this in the background."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="What permalinks start with, e.g. https://archive.example.org "
            "(default: SITE_URL; without one, permalinks are site paths)",
        )

    def handle(self, *args, base_url=None, verbosity=1, **options):
        manifest = bulk.write_bulk_data(base_url=base_url)
        if verbosity < 1:
            return
        for described in manifest["files"].values():
            path = bulk.bulk_dir() / described["name"]
            self.stdout.write(f"{path}: {described['bytes']} bytes")
        self.stdout.write(
            f"{manifest['paragraphs']} paragraphs of {len(manifest['reports'])} reports"
        )
