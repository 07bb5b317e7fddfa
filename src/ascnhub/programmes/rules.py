"""Who may see and change programmes, studies, agreements, councils and action plans.

Published records are public. The secretariat edits everything; a city's Chief Smart City Officer
posts status updates on the items of agreements their city is party to, and imports their own city's
action-plan items.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.rules import officer_city_ids


@rules.predicate
def is_published(user, obj) -> bool:
    return obj is None or bool(getattr(obj, "published", False))


@rules.predicate
def is_officer_of_agreement_city(user, agreement) -> bool:
    if agreement is None:
        return False
    cities = officer_city_ids(user)
    return bool(cities) and agreement.cities.filter(pk__in=cities).exists()


@rules.predicate
def is_any_officer(user) -> bool:
    return bool(officer_city_ids(user))


rules.add_perm("programmes.view_programme", is_published | is_secretariat)
rules.add_perm("programmes.view_study", is_published | is_secretariat)
rules.add_perm("programmes.view_agreement", is_published | is_secretariat)
rules.add_perm("programmes.view_council", is_published | is_secretariat)
rules.add_perm("programmes.update_item", is_secretariat | is_officer_of_agreement_city)  # obj: agreement
rules.add_perm("programmes.import_studies", is_secretariat)
rules.add_perm("programmes.import_agreements", is_secretariat)
rules.add_perm("programmes.import_action_plan", is_secretariat | is_any_officer)
