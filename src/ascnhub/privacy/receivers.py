"""What the privacy app does when a lower app announces something."""

from __future__ import annotations

from typing import Any

from .models import ConsentRecord, Purpose


def on_registration_changed(sender: Any, registration: Any, **kwargs: Any) -> None:
    """Record the participant-list consent a registrant gave, once per registration and meeting."""
    from . import services

    if registration.consent_list and registration.user_id:
        scope = f"meeting:{registration.meeting.slug}"
        if not ConsentRecord.objects.filter(
            user_id=registration.user_id, purpose=Purpose.PARTICIPANT_LIST, scope=scope, withdrawn_at=None
        ).exists():
            services.give_consent(registration.user, Purpose.PARTICIPANT_LIST, scope=scope)
