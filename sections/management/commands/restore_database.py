from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from reportsite import backup


class Command(BaseCommand):
    help = (
        "Restore a backup_database archive into an empty database: the configured one, or "
        "--database NAME (created when missing). --force replaces a non-empty one's contents."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", help="restore into this database on the same server")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore into a non-empty database, dropping the objects the archive holds",
        )

    def handle(self, *args, file: Path, database: str | None, force: bool, **options):
        try:
            name = backup.restore(connections["default"].settings_dict, file, database, force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored {file} into database {name}")
