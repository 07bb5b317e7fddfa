"""`ascnhub privacy export --email E --out F | erase --email E --yes | erase-due | retention
[--dry-run]`: the secretariat's tools for the data-protection rights of a person."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ascnhub.privacy import services
from ascnhub.privacy.errors import PrivacyError


class Command(BaseCommand):
    help = "Export or erase the personal data behind an e-mail address; carry out due erasure requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write a zip of everything stored about the person")
        export.add_argument("--email", required=True)
        export.add_argument("--out", required=True)
        erase = sub.add_parser("erase", help="anonymise the person in place (cannot be undone)")
        erase.add_argument("--email", required=True)
        erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
        sub.add_parser("erase-due", help="carry out the requests whose grace period has passed")
        retention = sub.add_parser("retention", help="anonymise registrations past their meeting's retention")
        retention.add_argument("--dry-run", action="store_true", help="only list what would be anonymised")

    def handle(self, *args, action: str, **options):
        try:
            if action == "export":
                data = services.export_data(options["email"])
                Path(options["out"]).write_bytes(data)
                self.stdout.write(f"wrote {len(data)} bytes to {options['out']}")
            elif action == "erase":
                if not options["yes"]:
                    raise CommandError("erasure cannot be undone: add --yes to confirm")
                counts = services.erase(None, options["email"])
                self.stdout.write("erased: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v))
            elif action == "retention":
                rows = services.apply_retention(dry_run=options["dry_run"])
                verb = "would anonymise" if options["dry_run"] else "anonymised"
                for slug, n, due in rows:
                    self.stdout.write(f"{slug}: {verb} {n} registration(s) (retention ended {due})")
                if not rows:
                    self.stdout.write("no meeting is past its retention")
            else:
                self.stdout.write(f"{services.erase_due()} request(s) carried out")
        except PrivacyError as exc:
            raise CommandError(str(exc)) from exc
