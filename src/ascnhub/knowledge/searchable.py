"""Best-practice cases and guidebook chapters as searchable kinds (common.search_index).

A chapter is indexed with its *published* revision only: drafts are for contributors, who read them
in the guidebook itself, and a draft's words must not surface in anyone's search results.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ascnhub.common.permissions import is_secretariat
from ascnhub.common.search_index import Passage, SearchableKind, register
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .models import Case, Chapter


def case_passages(case: Case) -> list[Passage]:
    return [Passage(case.language, case.title, f"{case.problem} {case.solution} {case.results}")]


def chapter_passages(chapter: Chapter) -> list[Passage]:
    rev = chapter.published_revision
    if rev is None:
        return []
    # The guidebook is written in English (chapters carry no language of their own yet).
    return [Passage("en", rev.title, rev.body)]


def visible_cases(user) -> QuerySet:
    cases = Case.objects.select_related("city")
    if is_secretariat(user):
        return cases
    mine = Q(city_id__in=officer_city_ids(user)) | Q(city__country_id__in=represented_country_ids(user))
    return cases.filter(Q(published=True) | mine)


def visible_chapters(user) -> QuerySet:
    return Chapter.objects.filter(published_revision__isnull=False).select_related("published_revision")


def case_match(words: list[str]) -> Q:
    cond = Q()
    for w in words:
        cond &= (
            Q(title__icontains=w)
            | Q(problem__icontains=w)
            | Q(solution__icontains=w)
            | Q(results__icontains=w)
            | Q(place__icontains=w)
        )
    return cond


def chapter_match(words: list[str]) -> Q:
    cond = Q()
    for w in words:
        cond &= Q(published_revision__title__icontains=w) | Q(published_revision__body__icontains=w)
    return cond


def register_kinds() -> None:
    """Called from KnowledgeConfig.ready()."""
    register(SearchableKind("case", _("Best-practice case"), Case, case_passages, visible_cases, case_match))
    register(
        SearchableKind(
            "chapter",
            _("Guidebook chapter"),
            Chapter,
            chapter_passages,
            visible_chapters,
            chapter_match,
        )
    )
