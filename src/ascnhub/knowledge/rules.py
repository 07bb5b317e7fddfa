"""Who may do what with cases and the guidebook (django-rules).

- everyone reads published cases and published chapters;
- contributors from member states (National Representatives and Chief Smart City Officers) and
  the secretariat write and comment on the guidebook and publish cases;
- a chapter in review is approved (published) by the secretariat or by a National Representative
  who did not write its latest revision; changes may be requested by any reviewer.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.rules import officer_city_ids, represented_country_ids


@rules.predicate
def is_member_state_contributor(user) -> bool:
    return bool(represented_country_ids(user) or officer_city_ids(user))


@rules.predicate
def is_national_representative(user) -> bool:
    return bool(represented_country_ids(user))


@rules.predicate
def is_case_city_officer_or_nr(user, case) -> bool:
    if case is None or case.city_id is None:
        return False
    return case.city_id in officer_city_ids(user) or case.city.country_id in represented_country_ids(user)


@rules.predicate
def wrote_latest_revision(user, chapter) -> bool:
    if chapter is None or not getattr(user, "is_authenticated", False):
        return False
    latest = chapter.revisions.order_by("-number").values_list("author_id", flat=True).first()
    return latest == user.pk


@rules.predicate
def is_in_review(user, chapter) -> bool:
    return chapter is not None and chapter.status == "review"


@rules.predicate
def is_draft(user, chapter) -> bool:
    return chapter is not None and chapter.status == "draft"


contributor = is_secretariat | is_member_state_contributor

rules.add_perm("knowledge.add_case", contributor)
rules.add_perm("knowledge.change_case", is_secretariat | is_case_city_officer_or_nr)
rules.add_perm("knowledge.view_guidebook_drafts", contributor)
rules.add_perm("knowledge.change_chapter", contributor)
rules.add_perm("knowledge.comment_chapter", contributor)
rules.add_perm("knowledge.submit_chapter", contributor & is_draft)
rules.add_perm(
    "knowledge.approve_chapter",
    is_in_review & (is_secretariat | (is_national_representative & ~wrote_latest_revision)),
)
rules.add_perm("knowledge.request_changes", is_in_review & (is_secretariat | is_national_representative))
rules.add_perm("knowledge.add_chapter", is_secretariat)
