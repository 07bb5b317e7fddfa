"""Projects, needs and offers as searchable kinds of the one search (common.search_index)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ascnhub.common.permissions import is_secretariat
from ascnhub.common.search_index import Passage, SearchableKind, register
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .models import MultilingualText, Need, Offer, Project, fold
from .rules import user_organisation


def passages(obj: MultilingualText) -> list[Passage]:
    """The text as written and each translation, one passage per language."""
    out = [Passage(obj.language, obj.title, obj.description)]
    for lang, t in (obj.translations or {}).items():
        if lang != obj.language and isinstance(t, dict):
            out.append(Passage(lang, t.get("title", ""), t.get("description", "")))
    return out


def folded_words(words: list[str]) -> Q:
    cond = Q()
    for w in words:
        cond &= Q(search_text__contains=fold(w))
    return cond


def visible_projects(user) -> QuerySet:
    return Project.objects.visible_to(user).select_related("city")


def visible_needs(user) -> QuerySet:
    needs = Need.objects.select_related("city")
    if is_secretariat(user):
        return needs
    mine = Q(city_id__in=officer_city_ids(user)) | Q(city__country_id__in=represented_country_ids(user))
    return needs.filter(Q(pk__in=Need.objects.public()) | mine)


def visible_offers(user) -> QuerySet:
    offers = Offer.objects.select_related("organisation")
    if is_secretariat(user):
        return offers
    org = user_organisation(user) if user.is_authenticated else None
    if org is None:
        return offers.filter(published=True)
    return offers.filter(Q(published=True) | Q(organisation_id=org.pk))


def register_kinds() -> None:
    """Called from ProjectsConfig.ready()."""
    register(SearchableKind("project", _("Project"), Project, passages, visible_projects, folded_words))
    register(SearchableKind("need", _("Need"), Need, passages, visible_needs, folded_words))
    register(SearchableKind("offer", _("Offer"), Offer, passages, visible_offers, folded_words))
