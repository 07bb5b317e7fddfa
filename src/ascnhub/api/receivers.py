"""The api app listens to the domain events of the apps below it and turns them into webhooks.

Connected in `ApiConfig.ready`. Each receiver only records delivery rows in the sender's
transaction; sending happens after the commit (`api.webhooks`).
"""

from typing import Any

from django.dispatch import receiver

from ascnhub.events.signals import registration_changed
from ascnhub.matchmaking.signals import schedule_published

from . import webhooks


@receiver(registration_changed, dispatch_uid="api.webhooks.registration_changed")
def on_registration_changed(sender: Any, registration: Any, **kwargs: Any) -> None:
    """`registration.approved` to the integrators who may see the registration."""
    webhooks.registration_changed(registration)


@receiver(schedule_published, dispatch_uid="api.webhooks.schedule_published")
def on_schedule_published(
    sender: Any, run: Any, meetings: int, changed: int, moved: int, **kwargs: Any
) -> None:
    """`matchmaking.meeting_scheduled` to the integrators who may see the meeting."""
    webhooks.schedule_published(run, meetings=meetings, changed=changed, moved=moved)
