"""`ascnhub catalogues [--missing LANG]`: the coverage of each interface language's catalogue.

`make messages` runs it after extracting the strings; `--missing id` lists the msgids still to
translate in Indonesian (untranslated or fuzzy), one per line, to work through after a merge.
"""

from django.core.management.base import BaseCommand, CommandError

from ascnhub.common import catalogues


class Command(BaseCommand):
    help = "Print each interface language's translation coverage, or one language's missing msgids."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", metavar="LANG", help="list the msgids LANG does not translate yet (or only fuzzily)"
        )

    def handle(self, *args, missing: str | None = None, **options):
        languages = catalogues.catalogue_languages()
        if missing:
            if missing not in languages:
                raise CommandError(f"no catalogue for {missing!r}; catalogues: {', '.join(languages)}")
            result = catalogues.coverage(missing)
            for key in result.missing:
                context, _sep, msgid = key.rpartition("\x04")
                self.stdout.write(f"[{context}] {msgid!r}" if context else repr(msgid))
            self.stderr.write(f"{result.line()}: {len(result.missing)} to translate")
            return
        for code in languages:
            self.stdout.write(catalogues.coverage(code).line())
