"""Per-meeting templates of the transactional e-mails (registration received, approved, declined,
a place free from the waiting list, the matchmaking schedule …).

Each kind of e-mail has a built-in text (a template file, translated into the recipient's
language). A meeting's organisers may replace its subject and text per language
(`MessageTemplate`); the replacement goes to every recipient of that kind in that language, and a
recipient whose language has none gets the built-in text. Replacements use the placeholders of
`events.placeholders` (those of the organisers' mailings) plus the kind's own (`{reason}` for a
declined registration, `{schedule}` for the matchmaking schedule); an unknown one is refused,
naming it, and nothing is written.

Kinds are registered here (`register`); an app above (matchmaking) registers its own in its
`AppConfig.ready()`, since events may not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascnhub.common import activity, mail

from . import placeholders
from .models import Meeting, MessageTemplate, Mode, Registration
from .services import EventsError

if TYPE_CHECKING:
    from ascnhub.common.models import User


@dataclass(frozen=True)
class Kind:
    """One kind of transactional e-mail that a meeting may give its own text.

    `starting_text(meeting)` is the built-in subject and text with placeholders where the
    recipient's details go, in the active language: what the editor starts from.
    `sample_values(meeting)` gives the kind's own placeholders (`extra`) values for a preview.
    """

    code: str
    label: Any
    description: Any
    starting_text: Callable[[Meeting], tuple[str, str]]
    extra: tuple[str, ...] = ()
    sample_values: Callable[[Meeting], dict[str, str]] = field(default=lambda meeting: {})
    sample_status: str = Registration.Status.APPROVED

    @property
    def placeholders(self) -> tuple[str, ...]:
        return placeholders.REGISTRATION_PLACEHOLDERS + self.extra


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Offer `kind` on the meeting's e-mail templates page (an app registers its kinds once)."""
    KINDS[kind.code] = kind


def languages() -> list[tuple[str, str]]:
    """The languages a template may be written in: those the platform is translated into."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


# --- the built-in registration e-mails ------------------------------------------------------


def registration_subject(event: str) -> str:
    """The built-in subject line's first part for a registration e-mail, in the active language."""
    subjects = {
        "received": _("Registration received"),
        "approved": _("Registration approved"),
        "declined": _("Registration declined"),
        "promoted": _("A place is now free for you"),
    }
    return subjects.get(event, subjects["received"])


def registration_text(registration: Any, meeting: Any, event: str, reason: str, link: str) -> tuple[str, str]:
    """The built-in subject and text of a registration e-mail (events/email/registration.txt), in
    the active language."""
    body = render_to_string(
        "events/email/registration.txt",
        {"reg": registration, "meeting": meeting, "event": event, "reason": reason, "link": link},
    )
    return f"{registration_subject(event)}: {meeting.title}", body


def _registration_starting_text(event: str, status: str) -> Callable[[Meeting], tuple[str, str]]:
    def starting_text(meeting: Meeting) -> tuple[str, str]:
        # The template file rendered for a stand-in registrant whose details are placeholders.
        reg = SimpleNamespace(
            name="{name}",
            status=status,
            mode=Mode.IN_PERSON,
            get_status_display="{status}",
            get_mode_display="{participation}",
            category=SimpleNamespace(local_name="{category}"),
        )
        stand_in = SimpleNamespace(
            title="{meeting}",
            start_date=meeting.start_date,
            end_date=meeting.end_date,
            timezone=meeting.timezone,
            venue=meeting.venue,
            place=meeting.place,
        )
        return registration_text(reg, stand_in, event, "{reason}", "{registration_link}")

    return starting_text


def _declined_sample(meeting: Meeting) -> dict[str, str]:
    return {"reason": _("The category is full.")}


register(
    Kind(
        "received",
        gettext_lazy("Registration received"),
        gettext_lazy("Sent when someone registers (also when the registration is approved at once)."),
        _registration_starting_text("received", Registration.Status.PENDING),
        sample_status=Registration.Status.PENDING,
    )
)
register(
    Kind(
        "approved",
        gettext_lazy("Registration approved, with the badge"),
        gettext_lazy(
            "Sent when a registration is approved; it carries the way to the badge ({badge_link}) "
            "and the personal calendar."
        ),
        _registration_starting_text("approved", Registration.Status.APPROVED),
    )
)
register(
    Kind(
        "declined",
        gettext_lazy("Registration declined"),
        gettext_lazy("Sent when a registration is declined; {reason} is the reason given, if any."),
        _registration_starting_text("declined", Registration.Status.REJECTED),
        extra=("reason",),
        sample_values=_declined_sample,
        sample_status=Registration.Status.REJECTED,
    )
)
register(
    Kind(
        "promoted",
        gettext_lazy("A place is free (from the waiting list)"),
        gettext_lazy("Sent when a place becomes free for someone on the waiting list."),
        _registration_starting_text("promoted", Registration.Status.PENDING),
        sample_status=Registration.Status.PENDING,
    )
)


# --- reading and writing a meeting's templates ------------------------------------------------


def kind_of(code: str) -> Kind:
    """The registered kind `code`, or EventsError naming it."""
    if code not in KINDS:
        raise EventsError("unknown_kind", _("“%(kind)s” is not a kind of e-mail.") % {"kind": code}, "kind")
    return KINDS[code]


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise EventsError(
            "unknown_language",
            _("“%(l)s” is not a language of e-mail templates (%(known)s).")
            % {"l": language, "known": ", ".join(code for code, _name in settings.LANGUAGES)},
            "language",
        )


def validate(kind: Kind, subject: str, body: str) -> None:
    """Refuse (EventsError) an empty subject or text, or a placeholder `kind` does not know."""
    if "\n" in subject or "\r" in subject:
        raise EventsError("subject_lines", _("The subject must be one line."), "subject")
    for name, text in (("subject", subject), ("body", body)):
        if not text.strip():
            raise EventsError("empty", _("Write a subject and a text."), name)
        bad = placeholders.unknown(text, kind.placeholders)
        if bad:
            raise EventsError(
                "unknown_placeholder",
                _("Unknown placeholder {%(name)s}; this e-mail knows %(known)s.")
                % {"name": bad[0], "known": placeholders.known_text(kind.placeholders)},
                name,
            )


def custom(meeting: Meeting, kind: str) -> dict[str, MessageTemplate]:
    """The meeting's own templates of `kind`, by language (one query)."""
    return {t.language: t for t in MessageTemplate.objects.filter(meeting=meeting, kind=kind)}


def overview(meeting: Meeting) -> list[tuple[Kind, list[tuple[str, str, MessageTemplate | None]]]]:
    """Every kind with, per language, (code, name, the meeting's own template or None: built-in)."""
    own = {(t.kind, t.language): t for t in MessageTemplate.objects.filter(meeting=meeting)}
    return [
        (kind, [(code, name, own.get((kind.code, code))) for code, name in languages()])
        for kind in KINDS.values()
    ]


def starting_text(meeting: Meeting, kind: str, language: str) -> tuple[str, str]:
    """What the editor shows: the meeting's own template, else the built-in text with placeholders."""
    k = kind_of(kind)
    _check_language(language)
    own = MessageTemplate.objects.filter(meeting=meeting, kind=kind, language=language).first()
    if own is not None:
        return own.subject, own.body
    with translation.override(language):
        return k.starting_text(meeting)


@transaction.atomic
def save(
    actor: User | None, meeting: Meeting, kind: str, language: str, subject: str, body: str
) -> MessageTemplate:
    """Store the meeting's own subject and text for `kind` in `language` (replacing any before).

    Refused (EventsError, nothing written): an unknown kind or language, an empty subject or
    text, an unknown placeholder (named)."""
    k = kind_of(kind)
    _check_language(language)
    subject, body = subject.strip(), body.strip() + "\n"
    validate(k, subject, body)
    before = (
        MessageTemplate.objects.select_for_update()
        .filter(meeting=meeting, kind=kind, language=language)
        .first()
    )
    template, _created = MessageTemplate.objects.update_or_create(
        meeting=meeting,
        kind=kind,
        language=language,
        defaults={
            "subject": subject,
            "body": body,
            "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    activity.record(
        actor,
        "message_template_saved",
        template,
        {
            "subject": [before.subject if before else None, subject],
            "body": [before.body if before else None, body],
        },
    )
    return template


@transaction.atomic
def reset(actor: User | None, meeting: Meeting, kind: str, language: str) -> bool:
    """Go back to the built-in text for `kind` in `language`; False when there was nothing to reset."""
    kind_of(kind)
    _check_language(language)
    own = (
        MessageTemplate.objects.select_for_update()
        .filter(meeting=meeting, kind=kind, language=language)
        .first()
    )
    if own is None:
        return False
    activity.record(actor, "message_template_reset", own, {"subject": [own.subject, None]})
    own.delete()
    return True


# --- filling a template in -------------------------------------------------------------------


def fill(template: MessageTemplate, values: dict[str, str]) -> tuple[str, str]:
    """A stored template's subject and text with `values` in its placeholders."""
    return placeholders.fill(template.subject, values), placeholders.fill(template.body, values)


def custom_text(
    registration: Registration, kind: str, extra: dict[str, str] | None = None
) -> tuple[str, str] | None:
    """The meeting's own subject and text of `kind` for `registration`, in their language, filled
    in; None when the meeting has none in that language (the built-in text goes out)."""
    own = MessageTemplate.objects.filter(
        meeting_id=registration.meeting_id, kind=kind, language=registration.language
    ).first()
    if own is None:
        return None
    return fill(own, {**placeholders.registration_values(registration), **(extra or {})})


def sample_registration(meeting: Meeting, kind: str, language: str) -> Registration:
    """A made-up registrant for previews and test sends (not stored; no real person's data)."""
    return Registration(
        meeting=meeting,
        category=meeting.categories.order_by("order", "name").first(),
        name="Ayu Lestari",
        email="ayu.lestari@example.org",
        country="ID",
        language=language,
        mode=Mode.IN_PERSON,
        status=kind_of(kind).sample_status,
        timezone=meeting.timezone,
    )


def preview(meeting: Meeting, kind: str, language: str, subject: str, body: str) -> tuple[str, str]:
    """`subject` and `body` (saved or not) filled in for the sample registrant; refused like `save`."""
    k = kind_of(kind)
    _check_language(language)
    validate(k, subject, body)
    sample = sample_registration(meeting, kind, language)
    with translation.override(language):
        values = {**placeholders.registration_values(sample, language), **k.sample_values(meeting)}
    return placeholders.fill(subject, values), placeholders.fill(body, values)


def send_test(actor: User, meeting: Meeting, kind: str, language: str, subject: str, body: str) -> None:
    """Send the organiser (`actor`) alone the preview of `subject` and `body`, marked [TEST]."""
    if not getattr(actor, "email", ""):
        raise EventsError("no_email", _("Your account has no e-mail address to send the test to."))
    subject, body = preview(meeting, kind, language, subject, body)
    mail.queue(
        [
            EmailMessage(
                "[TEST] " + subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [actor.email],
                headers={"Content-Language": language},
            )
        ]
    )
