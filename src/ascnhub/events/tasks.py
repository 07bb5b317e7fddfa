"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from . import exporters
from .models import Registration, Session


def _public_sessions(registration: Registration):
    return (
        Session.objects.filter(meeting=registration.meeting)
        .select_related("room")
        .prefetch_related("speaker_links__person")
    )


def join_url_for(registration: Registration):
    base = settings.SITE_URL

    def build(session: Session) -> str:
        path = reverse("events:join", args=[registration.meeting.slug, session.public_id])
        return f"{base}{path}?r={registration.public_id}&key={registration.secret}"

    return build


def build_registration_email(registration: Registration, event: str, reason: str = "") -> EmailMessage:
    """The e-mail in the registrant's language, with their calendar (.ics) attached: the meeting's
    own template of this kind in that language (`message_templates`), else the built-in text."""
    from . import message_templates

    with translation.override(registration.language):
        meeting = registration.meeting
        online_ok = registration.is_online and registration.status == Registration.Status.APPROVED
        own = message_templates.custom_text(registration, event, {"reason": reason})
        if own is not None:
            subject, body = own
        else:
            subject, body = message_templates.registration_text(
                registration, meeting, event, reason, settings.SITE_URL + registration.get_absolute_url()
            )
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [registration.email],
            headers={"Content-Language": registration.language},
        )
        if registration.status in (Registration.Status.APPROVED, Registration.Status.PENDING):
            ics = exporters.personal_ics(
                registration,
                _public_sessions(registration),
                join_url_for(registration) if online_ok else None,
            )
            message.attach(f"{meeting.slug}.ics", ics, "text/calendar")
        return message


@task()
def send_registration_email(registration_id: int, event: str, reason: str = "") -> bool:
    registration = (
        Registration.objects.select_related("meeting", "category").filter(pk=registration_id).first()
    )
    if registration is None:
        return False
    build_registration_email(registration, event, reason).send()
    return True
