"""Suggestions follow the profiles: a change to either side queues a refresh in the background.

Connected in `MatchmakingConfig.ready`. A profile saved or removed, its linked needs or offers
changed, a linked need or offer edited in the projects pages, or a registration approved or
withdrawn queues `tasks.refresh_suggestions` for the meeting once the change is committed. The task
carries the time of the change, so that a burst of changes costs one recomputation
(`suggestions.refresh_if_stale`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ascnhub.events.signals import registration_changed
from ascnhub.projects.models import Need, Offer

from .models import Profile


def schedule_refresh(setup_id: int) -> None:
    """Queue a refresh of the meeting's suggestions when the current transaction commits."""
    requested_at = timezone.now().isoformat()

    def enqueue() -> None:
        from .tasks import refresh_suggestions

        refresh_suggestions.enqueue(setup_id, requested_at)

    transaction.on_commit(enqueue)


def _setups_linking(field: str, pk: int) -> list[int]:
    return list(Profile.objects.filter(**{field: pk}).values_list("setup_id", flat=True).distinct())


def _profile_saved(sender: Any, instance: Profile, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures load rows as they are
        schedule_refresh(instance.setup_id)


def _profile_deleted(sender: Any, instance: Profile, **kwargs: Any) -> None:
    schedule_refresh(instance.setup_id)


def _links_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Profile):
        schedule_refresh(instance.setup_id)
    elif pk_set:  # from the need's or offer's side: the profiles named
        for setup_id in set(Profile.objects.filter(pk__in=pk_set).values_list("setup_id", flat=True)):
            schedule_refresh(setup_id)


def _need_saved(sender: Any, instance: Need, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        for setup_id in _setups_linking("needs", instance.pk):
            schedule_refresh(setup_id)


def _offer_saved(sender: Any, instance: Offer, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        for setup_id in _setups_linking("offers", instance.pk):
            schedule_refresh(setup_id)


def _registration_changed(sender: Any, registration: Any, **kwargs: Any) -> None:
    # Approved or withdrawn: whether the registrant's profiles are suggested changes. A registration
    # just received has no profile yet (one is started on approval), so it costs no query here.
    if kwargs.get("event") == "received" or registration.status == "pending":
        return
    for setup_id in set(Profile.objects.filter(owner=registration).values_list("setup_id", flat=True)):
        schedule_refresh(setup_id)


def connect() -> None:
    """Connect the receivers (once, from `MatchmakingConfig.ready`)."""
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="mm-refresh-profile-saved")
    post_delete.connect(_profile_deleted, sender=Profile, dispatch_uid="mm-refresh-profile-deleted")
    m2m_changed.connect(_links_changed, sender=Profile.needs.through, dispatch_uid="mm-refresh-needs")
    m2m_changed.connect(_links_changed, sender=Profile.offers.through, dispatch_uid="mm-refresh-offers")
    post_save.connect(_need_saved, sender=Need, dispatch_uid="mm-refresh-need-saved")
    post_save.connect(_offer_saved, sender=Offer, dispatch_uid="mm-refresh-offer-saved")
    registration_changed.connect(_registration_changed, dispatch_uid="mm-refresh-registration")
