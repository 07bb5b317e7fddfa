"""`ascnhub knowledge embed`: fill the embedding cache for every published best-practice case
(after an import, or after switching the embedding model)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Knowledge base upkeep: `embed` puts every published case's text in the embedding cache."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["embed"])

    def handle(self, *args, action: str, **options):
        from ascnhub.knowledge import services
        from ascnhub.knowledge.models import Case

        n = services.embed_cases()
        self.stdout.write(
            f"{Case.objects.public().count()} published cases; {n} texts embedded now, the rest were cached."
        )
