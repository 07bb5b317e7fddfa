"""E-mails about matchmaking, each in the recipient's language, sent by the task worker."""

from __future__ import annotations

from collections.abc import Callable
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ascnhub.notices.services import NoticeEmail


def _recipients(profile: Any, attendee: Any = None) -> list[Any]:
    """The registrations of everyone who acts for a profile (one per e-mail address): its owner
    and delegation members; only `attendee` when a colleague is assigned to the meeting the
    message is about."""
    people = [attendee] if attendee is not None else [profile.owner, *profile.members.all()]
    seen, out = set(), []
    for reg in people:
        if reg.email not in seen:
            seen.add(reg.email)
            out.append(reg)
    return out


# Which kind of notice each e-mail is (ascnhub.notices): for a recipient with an account, the
# message is also a notice, and their preference for its kind decides whether it is e-mailed.
NOTICE_KINDS = {
    "request_received": ("request_received", "matchmaking:requests"),
    "request_answered": ("request_answered", "matchmaking:requests"),
    "request_expired": ("request_expired", "matchmaking:requests"),
    "schedule": ("schedule_changed", "matchmaking:agenda"),
    "reminder": ("reminder", "matchmaking:agenda"),
    "request_unplaced": ("request_unplaced", "matchmaking:requests"),
}


def build_email(
    profile: Any,
    template: str,
    subject: str,
    context: dict[str, Any],
    attendee: Any = None,
    own_text: Callable[[Any], tuple[str, str] | None] | None = None,
    *,
    url: str | None = None,
) -> list[EmailMessage]:
    """One message per person acting for `profile` (or for `attendee` alone), in their language;
    a notice (`NoticeEmail`) for those with an account where the template is a kind of notice
    (linking to `url`, or else to the kind's page).

    `own_text(registration)` gives the meeting's own subject and text for that recipient
    (`events.message_templates`), or None for the built-in text."""
    messages: list[EmailMessage] = []
    for reg in _recipients(profile, attendee):
        email = reg.email
        with translation.override(reg.language):
            own = own_text(reg) if own_text is not None else None
            if own is not None:
                text_subject, body = own
            else:
                text_subject = _(subject) + f" · {profile.setup.meeting.title}"
                body = render_to_string(
                    f"matchmaking/email/{template}.txt",
                    {**context, "profile": profile, "SITE_URL": settings.SITE_URL},
                )
            args = (text_subject, body, settings.DEFAULT_FROM_EMAIL, [email])
            if template in NOTICE_KINDS and reg.user_id:
                kind, url_name = NOTICE_KINDS[template]
                link = url or reverse(url_name, args=[profile.setup.meeting.slug])
                messages.append(NoticeEmail(*args, user=reg.user, kind=kind, url=link))
            else:
                messages.append(EmailMessage(*args))
    return messages


def schedule_link(meeting: Any) -> str:
    """The full address of a participant's matchmaking agenda at `meeting`."""
    return settings.SITE_URL + reverse("matchmaking:agenda", args=[meeting.slug])


def schedule_listing(profile: Any, meetings: list[Any]) -> str:
    """A profile's meetings as the schedule e-mail lists them (one line each), in the active
    language: the value of the `{schedule}` placeholder."""
    return render_to_string(
        "matchmaking/email/_schedule_list.txt", {"meetings": meetings, "profile": profile}
    ).strip()


def schedule_own_text(
    own: dict[str, Any], profile: Any, meetings: list[Any]
) -> Callable[[Any], tuple[str, str] | None]:
    """`own_text` for the schedule e-mail: the meeting's own template in the recipient's language
    (`own`: by language, from `message_templates.custom`) filled in, else None (built-in)."""
    from ascnhub.events import message_templates, placeholders

    def text(reg: Any) -> tuple[str, str] | None:
        template = own.get(reg.language)
        if template is None:
            return None
        values = {
            **placeholders.registration_values(reg),
            "schedule": schedule_listing(profile, meetings),
            "schedule_link": schedule_link(profile.setup.meeting),
        }
        return message_templates.fill(template, values)

    return text


def _enqueue(kind: str, *ids: Any) -> None:
    from .tasks import send_notification

    transaction.on_commit(lambda: send_notification.enqueue(kind, *ids))


def request_received(request: Any) -> None:
    _enqueue("request_received", request.pk)


def request_answered(request: Any) -> None:
    _enqueue("request_answered", request.pk)


def schedule_changed(run_id: int, profile_ids: list[int]) -> None:
    if profile_ids:
        from .tasks import send_schedule_emails

        send_schedule_emails.enqueue(run_id, profile_ids)


def attach_invitations(message: EmailMessage, invitations: dict[str, list[Any]]) -> None:
    """Attach iTIP invitations (RFC 6047: text/calendar with a METHOD parameter) for the person the
    message goes to: one REQUEST for meetings placed or moved, one CANCEL for those taken out."""
    from .calendar_feed import itip_ics

    for method, placements in invitations.items():
        if not placements:
            continue
        part = MIMEText(itip_ics(method, message.to[0], placements).decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename=f"{method.lower()}.ics")
        message.attach(part)


def request_withdrawn(request: Any, told: Any) -> None:
    """Tell `told` (a profile) that the other side withdrew: their registration was cancelled."""
    _enqueue_withdrawn(request.pk, told.pk)


def _enqueue_withdrawn(request_id: int, profile_id: int) -> None:
    from .tasks import send_withdrawn

    transaction.on_commit(lambda: send_withdrawn.enqueue(request_id, profile_id))


def request_expired(request: Any) -> None:
    """Tell both sides that a request expired unanswered (the requester's quota is free again)."""
    _enqueue("request_expired", request.pk)


def follow_up_survey(survey: Any) -> None:
    """Send one side of a held meeting the follow-up survey link."""
    from .tasks import send_follow_up_survey

    survey_id = survey.pk
    transaction.on_commit(lambda: send_follow_up_survey.enqueue(survey_id))
