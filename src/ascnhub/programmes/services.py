"""Every change to programmes, studies, agreements, councils and action plans: validate, write, log
— in one transaction. Views, importers and the demo call these; they never save models themselves.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.errors import DomainError

from .models import ActionPlanItem, Agreement, CooperationItem, ItemStatus, ItemUpdate, Study

if TYPE_CHECKING:
    from ascnhub.common.models import User


class ProgrammesError(DomainError):
    """A refused change to a study, an agreement or an action plan; `field` names the input at fault."""

    conflicts = frozenset({"duplicate"})


def unique_slug(model: Any, text: str, max_length: int = 110) -> str:
    """A slug from `text` not yet used by `model` (numbered when taken)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _raise_as_domain_error(exc: ValidationError) -> None:
    field, messages = next(iter(exc.message_dict.items()))
    raise ProgrammesError("invalid", " ".join(messages), None if field == "__all__" else field)


@transaction.atomic
def create_study(
    actor: User | None,
    data: dict[str, Any],
    *,
    cities: list,
    consortium: list | None = None,
    projects: list | None = None,
) -> Study:
    """Create a study of a programme. A study with the same title in the same programme and fiscal
    year already exists: refused ("duplicate", field "title"); no city: refused (field "cities")."""
    if not cities:
        raise ProgrammesError("no_city", _("Name at least one city."), "cities")
    if Study.objects.filter(
        programme=data["programme"], fiscal_year=data["fiscal_year"], title=data.get("title")
    ).exists():
        raise ProgrammesError(
            "duplicate",
            _("The study “%(title)s” of FY%(year)s is already there.")
            % {"title": data.get("title"), "year": data.get("fiscal_year")},
            "title",
        )
    study = Study(**data)
    study.slug = unique_slug(Study, f"{data.get('title', '')} {data.get('fiscal_year', '')}")
    try:
        study.full_clean()
    except ValidationError as exc:
        _raise_as_domain_error(exc)
    study.save()
    study.cities.set(cities)
    study.consortium.set(consortium or [])
    study.projects.set(projects or [])
    activity.record(actor, "create", study, activity.diff({}, activity.snapshot(study)))
    return study


@transaction.atomic
def create_agreement(
    actor: User | None,
    data: dict[str, Any],
    *,
    cities: list,
    organisations: list | None = None,
    items: list[dict[str, Any]] | None = None,
) -> Agreement:
    """Create an agreement with its numbered cooperation items (each {number, title, description?,
    status?, projects?}). Item numbers are unique within the agreement."""
    if not cities:
        raise ProgrammesError("no_city", _("Name at least one city."), "cities")
    agreement = Agreement(**data)
    agreement.slug = unique_slug(Agreement, f"{data.get('title', '')} {data.get('signed_on', '')}"[:100])
    try:
        agreement.full_clean()
    except ValidationError as exc:
        _raise_as_domain_error(exc)
    agreement.save()
    agreement.cities.set(cities)
    agreement.organisations.set(organisations or [])
    seen: set[int] = set()
    for entry in items or []:
        number = entry["number"]
        if number in seen:
            raise ProgrammesError(
                "duplicate", _("Item %(n)s appears twice in this agreement.") % {"n": number}, "number"
            )
        seen.add(number)
        add_item(actor, agreement, **entry)
    activity.record(actor, "create", agreement, activity.diff({}, activity.snapshot(agreement)))
    return agreement


@transaction.atomic
def add_item(
    actor: User | None,
    agreement: Agreement,
    *,
    number: int,
    title: str,
    description: str = "",
    status: str = ItemStatus.PLANNED,
    projects: list | None = None,
) -> CooperationItem:
    """Add a numbered cooperation item to an agreement (a number already used there is refused)."""
    if agreement.items.filter(number=number).exists():
        raise ProgrammesError(
            "duplicate", _("Item %(n)s is already in this agreement.") % {"n": number}, "number"
        )
    item = CooperationItem(
        agreement=agreement, number=number, title=title, description=description, status=status
    )
    try:
        item.full_clean()
    except ValidationError as exc:
        _raise_as_domain_error(exc)
    item.save()
    item.projects.set(projects or [])
    activity.record(actor, "add_item", agreement, {"cooperation_items": [None, str(item)]})
    return item


@transaction.atomic
def add_item_update(
    actor: User | None, item: CooperationItem, *, date: datetime.date, status: str, note: str
) -> ItemUpdate:
    """Post a status update on a cooperation item. The item takes the status of its latest update
    (by date), so an update back-dated behind a newer one is kept in the history without changing it."""
    item = CooperationItem.objects.select_for_update().select_related("agreement").get(pk=item.pk)
    if status not in ItemStatus.values:
        raise ProgrammesError("invalid", _("Choose a status from the list."), "status")
    if not (note or "").strip():
        raise ProgrammesError("invalid", _("Say what happened."), "note")
    if date > datetime.date.today():
        raise ProgrammesError("invalid", _("An update cannot be dated in the future."), "date")
    if date < item.agreement.signed_on:
        raise ProgrammesError(
            "invalid",
            _("An update cannot be dated before the agreement was signed (%(date)s).")
            % {"date": item.agreement.signed_on.isoformat()},
            "date",
        )
    update = ItemUpdate(
        item=item,
        date=date,
        status=status,
        note=note.strip(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    update.save()
    latest = item.updates.order_by("-date", "-id").first()
    if latest and latest.status != item.status:
        before = item.status
        item.status = latest.status
        item.save(update_fields=["status"])
        activity.record(actor, "update", item, {"status": [before, item.status]})
    activity.record(actor, "add_update", item.agreement, {"updates": [None, f"{update}: {update.note}"]})
    return update


@transaction.atomic
def save_action_plan_item(
    actor: User | None,
    city,
    *,
    code: str,
    title: str,
    description: str = "",
    focus_area: str = "",
    projects: list | None = None,
) -> ActionPlanItem:
    """Create or update (by city and code) an item of a city's Smart City Action Plan."""
    item = ActionPlanItem.objects.filter(city=city, code=code).first() or ActionPlanItem(city=city, code=code)
    creating = item.pk is None
    before = {} if creating else activity.snapshot(item)
    item.title, item.description, item.focus_area = title, description, focus_area
    try:
        item.full_clean()
    except ValidationError as exc:
        _raise_as_domain_error(exc)
    item.save()
    if projects is not None:
        item.projects.set(projects)
    activity.record(
        actor, "create" if creating else "update", item, activity.diff(before, activity.snapshot(item))
    )
    return item
