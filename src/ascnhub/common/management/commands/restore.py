"""`ascnhub restore FILE`: replace the database and uploads with a backup's."""

from django.core.management.base import BaseCommand, CommandError

from ascnhub.common.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `ascnhub backup` (stop the web server and workers first)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive: str, yes: bool, **options):
        if not yes and input(f"Replace ALL current data with {archive}? [y/N] ").strip().lower() != "y":
            raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored backup of {manifest['created']} "
                f"({manifest['engine']}, {manifest['migrations']} migrations)."
            )
        )
