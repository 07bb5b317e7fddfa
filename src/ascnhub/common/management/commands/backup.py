"""`ascnhub backup [--out FILE]`: database and uploads in one archive."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ascnhub.common.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (SQLite snapshot or pg_dump) and uploaded files into one .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="archive to write (default: DATA_DIR/backups/ascnhub-<time>.tar.gz)"
        )

    def handle(self, *args, out: str | None, **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(out) if out else Path(settings.DATA_DIR) / "backups" / f"ascnhub-{stamp}.tar.gz"
        try:
            path = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
