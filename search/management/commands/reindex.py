"""python manage.py reindex [--stale]: rebuild paragraph search vectors."""

from django.core.management.base import BaseCommand

from search.indexing import reindex, stale_paragraphs
from search.kazakh import ANALYZER_VERSION
from sections.models import Paragraph


class Command(BaseCommand):
    help = (
        "Rebuild the search vectors of all paragraphs with the current Kazakh analyzer; "
        "with --stale, only those indexed by another analyzer version (or never)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help=f"only paragraphs not indexed by analyzer version {ANALYZER_VERSION}",
        )

    def handle(self, *args, stale=False, **options):
        paragraphs = stale_paragraphs() if stale else Paragraph.objects.all()
        count = reindex(paragraphs)
        self.stdout.write(
            f"Reindexed {count} paragraph{'s' if count != 1 else ''} "
            f"with analyzer version {ANALYZER_VERSION}."
        )
