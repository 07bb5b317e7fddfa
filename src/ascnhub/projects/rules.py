"""Who may do what with projects, needs, reports, partnerships and offers (django-rules).

- a Chief Smart City Officer edits its city's projects, needs and partnerships and files its reports;
- a National Representative sees its country's drafts and approves or returns its reports;
- a company (a person whose organisation is a company) edits only its own offers;
- the secretariat may do everything;
- everyone reads what is published (approved reports only).
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import Organisation
from ascnhub.registry.rules import officer_city_ids, represented_country_ids


def _city_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "country_id") and hasattr(obj, "joined_year"):
        return obj  # a City
    if hasattr(obj, "project") and not hasattr(obj, "city_id"):
        return obj.project.city  # a report, document or party
    return obj.city


def user_organisation(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    return person.organisation if person is not None else None


@rules.predicate
def is_officer_for(user, obj) -> bool:
    city = _city_of(obj)
    return city is not None and city.pk in officer_city_ids(user)


@rules.predicate
def is_officer_for_or_any(user, obj) -> bool:
    """For adding: the officer of that city, or (no city given yet) of any city."""
    return bool(officer_city_ids(user)) if obj is None else is_officer_for(user, obj)


@rules.predicate
def is_nr_for(user, obj) -> bool:
    city = _city_of(obj)
    return city is not None and city.country_id in represented_country_ids(user)


@rules.predicate
def is_any_officer(user) -> bool:
    return bool(officer_city_ids(user))


@rules.predicate
def is_published(user, obj) -> bool:
    if obj is None or not getattr(obj, "published", False):
        return False
    project = getattr(obj, "project", None)  # a need of a draft project stays private
    return project is None or project.published


@rules.predicate
def is_company_person(user) -> bool:
    org = user_organisation(user)
    return org is not None and org.kind == Organisation.Kind.COMPANY


@rules.predicate
def is_offer_owner(user, offer) -> bool:
    org = user_organisation(user)
    return offer is not None and org is not None and offer.organisation_id == org.pk


@rules.predicate
def is_company_member(user, org) -> bool:
    mine = user_organisation(user)
    return org is not None and mine is not None and mine.pk == org.pk


@rules.predicate
def report_is_approved(user, report) -> bool:
    return report is not None and report.state == "approved" and report.project.published


@rules.predicate
def report_is_editable(user, report) -> bool:
    return report is not None and report.is_editable


@rules.predicate
def report_is_submitted(user, report) -> bool:
    return report is not None and report.state == "submitted"


can_edit_city_things = is_secretariat | is_officer_for
can_add_city_things = is_secretariat | is_officer_for_or_any
# What is not public yet about a project (its draft needs, its unapproved reports): the city's
# officer, its National Representative and the secretariat.
can_see_city_drafts = can_edit_city_things | is_nr_for

rules.add_perm("projects.add_project", can_add_city_things)  # obj: the city (None: any city)
rules.add_perm("projects.change_project", can_edit_city_things)
rules.add_perm("projects.view_project", is_published | can_edit_city_things | is_nr_for)
rules.add_perm("projects.view_project_drafts", can_see_city_drafts)  # obj: the project
rules.add_perm("projects.add_need", can_add_city_things)
rules.add_perm("projects.change_need", can_edit_city_things)
rules.add_perm("projects.view_need", is_published | can_edit_city_things | is_nr_for)
rules.add_perm("projects.add_partnership", can_add_city_things)
rules.add_perm("projects.change_partnership", can_edit_city_things)
rules.add_perm("projects.add_progressreport", can_edit_city_things)  # obj: the project
rules.add_perm("projects.view_progressreport", report_is_approved | can_edit_city_things | is_nr_for)
rules.add_perm("projects.change_progressreport", is_secretariat | (is_officer_for & report_is_editable))
rules.add_perm("projects.review_progressreport", (is_secretariat | is_nr_for) & report_is_submitted)
rules.add_perm("projects.add_offer", is_secretariat | is_company_person)
rules.add_perm("projects.change_offer", is_secretariat | is_offer_owner)
rules.add_perm("projects.view_offer", is_published | is_secretariat | is_offer_owner)
rules.add_perm("projects.change_company", is_secretariat | is_company_member)
rules.add_perm("projects.import_projects", is_secretariat | is_any_officer)
rules.add_perm("projects.import_offers", is_secretariat | is_company_person)
