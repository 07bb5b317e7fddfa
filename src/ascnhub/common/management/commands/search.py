"""`ascnhub search reindex | status`: rebuild or inspect the cross-language search index."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from ascnhub.common import search_index
from ascnhub.common.models import SearchDocument


class Command(BaseCommand):
    help = (
        "The search index (common.search_index): `reindex` embeds every searchable object whose text "
        "changed (or only --kind ones) and drops rows of deleted objects; `status` counts the "
        "indexed documents per kind."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="bring the whole index up to date")
        reindex.add_argument("--kind", action="append", default=None, help="only this kind (repeatable)")
        sub.add_parser("status", help="documents per kind")

    def handle(self, *args, action: str, **options):
        if action == "status":
            counts = dict(SearchDocument.objects.values_list("kind").annotate(n=Count("id")))
            for name in search_index.kinds():
                self.stdout.write(f"{name}: {counts.get(name, 0)} documents")
            return
        started = time.monotonic()
        try:
            embedded = search_index.reindex(options["kind"], say=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Search index up to date: {embedded} passages embedded in {took:.1f} s.")
        )
