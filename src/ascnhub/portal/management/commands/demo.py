"""`ascnhub demo load`: load the demo network (idempotent, all or nothing).

It lives in portal, the top floor, because it loads every app's demo and so may import them all.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ascnhub.common import search_index


def demo_loaders() -> list:
    """Each ascnhub app may have a `demo` module with `load(say)`; run them in INSTALLED_APPS order."""
    loaders = []
    for config in apps.get_app_configs():
        if config.name.startswith("ascnhub.") and importlib.util.find_spec(f"{config.name}.demo"):
            loaders.append(importlib.import_module(f"{config.name}.demo"))
    return loaders


class Command(BaseCommand):
    help = "Load the demo network (cities, member states, invented people and companies, meetings)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"], help="what to do with the demo data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds cities"
        )

    def handle(self, *args, action: str, if_empty: bool, **options):
        from ascnhub.registry.models import City

        if if_empty and City.objects.exists():
            self.stdout.write("The database already holds data; demo not loaded.")
            return
        try:
            with transaction.atomic():
                for module in demo_loaders():
                    started = time.monotonic()
                    module.load(self.stdout.write)
                    self.stdout.write(
                        f"  ({module.__name__.split('.')[1]}: {time.monotonic() - started:.1f} s)"
                    )
        except Exception as exc:  # the whole load is rolled back; say which record broke it
            raise CommandError(f"Demo data not loaded, nothing was changed: {exc}") from exc
        started = time.monotonic()
        try:
            # Outside the load's transaction: the index is derived data, rebuilt by `search reindex`.
            embedded = search_index.reindex()
            self.stdout.write(f"  (search index: {embedded} passages, {time.monotonic() - started:.1f} s)")
        except Exception as exc:  # noqa: BLE001 — no model here: search falls back to word matching
            self.stdout.write(
                self.style.WARNING(f"Search index not built ({exc}); run `ascnhub search reindex`.")
            )
        self.stdout.write(self.style.SUCCESS("Demo network loaded."))
