"""Who may do what with outcomes (django-rules).

- everyone reads published outcome documents, recommendations, commitments and their updates;
- the secretariat manages everything (documents, recommendations, any commitment);
- a National Representative reports on its country's commitments and those of its cities, and
  may add commitments for them;
- a Chief Smart City Officer reports on, and adds, its city's commitments;
- the staff of a partner organisation report on their organisation's commitments.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.rules import officer_city_ids, represented_country_ids


def _commitment_of(obj):
    return getattr(obj, "commitment", obj)


def person_organisation_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_person_organisation_id", False)
    if cached is False:
        from ascnhub.registry.models import Person

        cached = Person.objects.filter(user=user).values_list("organisation_id", flat=True).first()
        user._person_organisation_id = cached
    return cached


@rules.predicate
def is_commitment_nr(user, obj) -> bool:
    c = _commitment_of(obj)
    if c is None:
        return False
    countries = represented_country_ids(user)
    if not countries:
        return False
    return c.country_id in countries


@rules.predicate
def is_commitment_city_officer(user, obj) -> bool:
    c = _commitment_of(obj)
    return c is not None and c.city_id is not None and c.city_id in officer_city_ids(user)


@rules.predicate
def is_commitment_partner_staff(user, obj) -> bool:
    c = _commitment_of(obj)
    return (
        c is not None and c.organisation_id is not None and c.organisation_id == person_organisation_id(user)
    )


@rules.predicate
def represents_anyone(user) -> bool:
    return bool(represented_country_ids(user) or officer_city_ids(user))


rules.add_perm(
    "followup.update_commitment",
    is_secretariat | is_commitment_nr | is_commitment_city_officer | is_commitment_partner_staff,
)
rules.add_perm("followup.add_commitment", is_secretariat | represents_anyone)
rules.add_perm("followup.manage_outcomes", is_secretariat)
rules.add_perm("followup.view_reminders", is_secretariat)


@rules.predicate
def is_revision_editor(user, revision) -> bool:
    from .authoring import editors_of

    return revision is not None and user.pk in editors_of(revision)


# Outcome documents are drafted by the secretariat and reviewed by another of its members.
rules.add_perm("followup.author_outcomes", is_secretariat)
rules.add_perm("followup.review_revision", is_secretariat & ~is_revision_editor)  # obj: revision
