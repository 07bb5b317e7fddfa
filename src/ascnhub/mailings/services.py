"""Organisers' mailings: compose to categories, statuses and countries, one version per language
(English, Indonesian, Japanese; each recipient gets theirs, English where theirs is missing),
placeholders with a preview and a test send, sent through the outbox with figures per mailing.

Placeholders: those of `events.placeholders` (`{name}`, `{badge_link}`, `{agenda_link}`,
`{meeting}`, `{registration_link}`, …), shared with the per-meeting templates of the transactional
e-mails. An unknown one is refused when the mailing is composed, naming it, and nothing is stored.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import mail
from ascnhub.common.errors import DomainError
from ascnhub.events import placeholders
from ascnhub.events.models import Meeting, Registration, RegistrationCategory

from .models import Mailing, MailingRecipient

if TYPE_CHECKING:
    from ascnhub.common.models import User

LANGUAGES = ("en", "id", "ja")
PLACEHOLDERS = placeholders.REGISTRATION_PLACEHOLDERS


class MailingError(DomainError):
    """A refused mailing."""

    conflicts = frozenset({"already_sent"})


def _check_versions(versions: dict[str, dict[str, str]]) -> None:
    if "en" not in versions:
        raise MailingError("no_english", _("Write the English version: it is the fallback."), "versions")
    for language, version in versions.items():
        if language not in LANGUAGES:
            raise MailingError(
                "unknown_language",
                _("“%(l)s” is not a mailing language (en, id, ja).") % {"l": language},
                "versions",
            )
        if not version.get("subject", "").strip() or not version.get("body", "").strip():
            raise MailingError(
                "empty", _("The %(l)s version needs a subject and a text.") % {"l": language}, "versions"
            )
        for part in (version["subject"], version["body"]):
            for name in placeholders.unknown(part, PLACEHOLDERS):
                raise MailingError(
                    "unknown_placeholder",
                    _("Unknown placeholder {%(name)s} in the %(l)s version; known: %(known)s.")
                    % {"name": name, "l": language, "known": placeholders.known_text(PLACEHOLDERS)},
                    "versions",
                )


def compose(
    actor: User | None,
    meeting: Meeting,
    versions: dict[str, dict[str, str]],
    *,
    categories: list[RegistrationCategory] | None = None,
    statuses: list[str] | None = None,
    countries: list[str] | None = None,
) -> Mailing:
    """Store a mailing (not sent yet). Unknown placeholders, languages, statuses or another
    meeting's categories are refused and nothing is stored."""
    _check_versions(versions)
    bad = sorted(set(statuses or []) - set(Registration.Status.values))
    if bad:
        raise MailingError("unknown_status", _("Unknown status: %(s)s.") % {"s": ", ".join(bad)}, "statuses")
    if any(c.meeting_id != meeting.pk for c in categories or []):
        raise MailingError("other_meeting", _("A category of another meeting was chosen."), "categories")
    with transaction.atomic():
        mailing = Mailing.objects.create(
            meeting=meeting,
            versions=versions,
            statuses=sorted(set(statuses or [])),
            countries=sorted({c.upper() for c in countries or []}),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        mailing.categories.set(categories or [])
    return mailing


def audience(mailing: Mailing) -> Any:
    """The registrations a mailing goes to."""
    regs = Registration.objects.filter(meeting=mailing.meeting, status__in=mailing.statuses or ["approved"])
    category_ids = list(mailing.categories.values_list("pk", flat=True))
    if category_ids:
        regs = regs.filter(category_id__in=category_ids)
    if mailing.countries:
        regs = regs.filter(country__in=mailing.countries)
    return regs.order_by("pk")


def render(mailing: Mailing, registration: Registration) -> tuple[str, str, str]:
    """(language, subject, body) for one registrant: their language's version, else English, with
    the placeholders filled in. Also the preview."""
    language = registration.language if registration.language in mailing.versions else "en"
    version = mailing.versions[language]
    values = placeholders.registration_values(registration, language)
    return (
        language,
        placeholders.fill(version["subject"], values),
        placeholders.fill(version["body"], values),
    )


def send_test(actor: User, mailing: Mailing, registration: Registration | None = None) -> int:
    """Send each language version to the organiser (`actor`) alone, filled in for a sample
    registrant (the first of the audience); returns how many messages went to the outbox."""
    sample = registration or audience(mailing).first()
    if sample is None:
        raise MailingError("no_audience", _("Nobody matches this mailing yet, so nothing can be previewed."))
    messages = []
    for language in mailing.versions:
        original = sample.language
        sample.language = language
        _lang, subject, body = render(mailing, sample)
        sample.language = original
        messages.append(EmailMessage("[TEST] " + subject, body, settings.DEFAULT_FROM_EMAIL, [actor.email]))
    return len(mail.queue(messages))


@transaction.atomic
def send(actor: User | None, mailing: Mailing) -> int:
    """Put one message per recipient in the outbox (in the mailing's transaction); returns how
    many. A mailing is sent once."""
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if locked.sent_at is not None:
        raise MailingError("already_sent", _("This mailing was already sent."))
    count = 0
    for registration in audience(locked).select_related("meeting"):
        language, subject, body = render(locked, registration)
        (stored,) = mail.queue(
            [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])]
        )
        MailingRecipient.objects.create(
            mailing=locked, registration=registration, language=language, email=stored
        )
        count += 1
    Mailing.objects.filter(pk=locked.pk).update(sent_at=timezone.now())
    return count


def figures(mailing: Mailing) -> dict[str, int]:
    """How many of the mailing's messages are queued (waiting), sent and failed, for the progress bar."""
    states = Counter(mailing.recipients.values_list("email__status", flat=True))
    return {
        "total": sum(states.values()),
        "queued": states.get("pending", 0),
        "sent": states.get("sent", 0),
        "failed": states.get("failed", 0),
    }
