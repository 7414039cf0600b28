"""python manage.py rebuild_terms [--changed]: the archive's term statistics (search.vocabulary)."""

from django.core.management.base import BaseCommand

from search.vocabulary import rebuild_terms, sync_terms, total_paragraphs


class Command(BaseCommand):
    help = (
        "Count the term statistics of every published report again (document frequencies "
        "and printed forms for ranking and 'did you mean'); with --changed, only reports "
        "imported, (un)published, deleted or reindexed since they were counted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--changed", action="store_true", help="refresh only the reports that changed"
        )

    def handle(self, *args, changed=False, **options):
        count = sync_terms() if changed else rebuild_terms()
        self.stdout.write(
            f"Counted {count} report{'s' if count != 1 else ''}; "
            f"{total_paragraphs()} published paragraphs in the statistics."
        )
