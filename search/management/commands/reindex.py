"""python manage.py reindex [--stale]: rebuild paragraph search vectors."""

from django.core.management.base import BaseCommand

from search.indexing import analyzer_version, reindex, stale_paragraphs
from sections.models import Language, Paragraph


def _versions() -> str:
    return ", ".join(f"{analyzer_version(code)} ({code})" for code in Language.values)


class Command(BaseCommand):
    help = (
        "Rebuild the search vectors of all paragraphs, each with its report language's "
        "analyzer; with --stale, only those indexed by another analyzer version (or never)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help=f"only paragraphs not indexed by the current analyzers ({_versions()})",
        )

    def handle(self, *args, stale=False, **options):
        paragraphs = stale_paragraphs() if stale else Paragraph.objects.all()
        count = reindex(paragraphs)
        self.stdout.write(
            f"Reindexed {count} paragraph{'s' if count != 1 else ''} "
            f"with analyzer versions {_versions()}."
        )
