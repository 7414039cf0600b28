from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from reportsite import backup


class Command(BaseCommand):
    help = (
        "Write a consistent dump of the database (pg_dump --format=custom, one snapshot) to "
        "backups/NAME-YYYYMMDD-HHMMSS.dump or --output; restore it with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the archive to write")

    def handle(self, *args, output: Path | None, **options):
        try:
            done = backup.backup(connections["default"].settings_dict, output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"wrote {done.path} ({done.size / 1e6:.1f} MB in {done.seconds:.1f} s, {done.tool})"
        )
