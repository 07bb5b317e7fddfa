"""Events listens to the accounts app (allauth): a verified e-mail claims its registrations."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed


def _claim_on_verified_email(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    from .services import claim_registrations

    claim_registrations(email_address.user, email_address.email)


def connect() -> None:
    email_confirmed.connect(_claim_on_verified_email, dispatch_uid="events_claim_registrations")
