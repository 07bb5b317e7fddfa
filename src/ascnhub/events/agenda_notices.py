"""A new agenda version reaches the people it affects: each registrant whose sessions changed gets
one message (a notice, or an e-mail for a registrant without an account) listing what changed for
them, in their language. Called by `services.publish_agenda` inside its transaction.

Whose sessions: a session with sign-up is theirs if they signed up; one without sign-up (a
plenary) belongs to every registrant who holds a place; a speaker's sessions are theirs too. A
removed session's sign-ups were deleted with it, so only a removed plenary (or a speaker's removed
session) is reported as removed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ascnhub.notices.services import NoticeEmail

from .models import AgendaVersion, ForumSignup, Registration, Session


def _change_line(kind: str, title: str, fields: list[str]) -> str:
    if kind == "added":
        return _("New: %(title)s") % {"title": title}
    if kind == "removed":
        return _("Removed: %(title)s") % {"title": title}
    return _("Changed: %(title)s (%(what)s)") % {"title": title, "what": ", ".join(_(f) for f in fields)}


FIELD_LABELS = {
    "title": "title",
    "starts_at": "start",
    "ends_at": "end",
    "room": "room",
    "speakers": "speakers",
}


def tell_affected(version: AgendaVersion, previous: dict[str, dict[str, Any]]) -> int:
    """Send each affected registrant one message about `version`; returns how many registrants.
    The first version tells nobody: nothing of theirs changed."""
    if not previous:
        return 0
    new = version.snapshot
    changed: dict[str, tuple[str, str, list[str]]] = {}  # session key -> (kind, title, fields)
    for key, item in new.items():
        if key in previous:
            fields = [label for f, label in FIELD_LABELS.items() if previous[key].get(f) != item.get(f)]
            if fields:
                changed[key] = ("changed", item["title"], fields)
    removed = {key: ("removed", item["title"], []) for key, item in previous.items() if key not in new}
    if not changed and not removed:
        return 0
    meeting = version.meeting
    active = Registration.objects.filter(meeting=meeting, status__in=Registration.HOLDS_PLACE)
    per_registration: dict[int, list[tuple[str, str, list[str]]]] = defaultdict(list)
    sessions = Session.objects.filter(meeting=meeting, public_id__in=list(changed)).prefetch_related(
        "speaker_links"
    )
    everyone = list(active.values_list("pk", flat=True))
    for session in sessions:
        change = changed[str(session.public_id)]
        if session.signup_required:
            ids = ForumSignup.objects.filter(session=session, registration__in=active).values_list(
                "registration_id", flat=True
            )
        else:
            ids = everyone
        speakers = [link.person_id for link in session.speaker_links.all()]
        ids = {*ids, *active.filter(person_id__in=speakers).values_list("pk", flat=True)}
        for reg_id in ids:
            per_registration[reg_id].append(change)
    for key, change in removed.items():
        # A removed session without sign-ups (a plenary) concerned everyone; a speaker is named.
        names = set(previous[key].get("speakers") or [])
        if previous[key].get("kind") not in ("forum", "workshop", "matchmaking"):
            for reg_id in everyone:
                per_registration[reg_id].append(change)
        elif names:
            for reg_id in active.filter(person__name__in=names).values_list("pk", flat=True):
                per_registration[reg_id].append(change)
    url = reverse("events:agenda", args=[meeting.slug])
    for registration in active.filter(pk__in=list(per_registration)).select_related("user"):
        lines = per_registration[registration.pk]
        with translation.override(registration.language or settings.LANGUAGE_CODE):
            subject = _("The programme of %(meeting)s changed (version %(n)s)") % {
                "meeting": meeting.title,
                "n": version.number,
            }
            body = "\n".join(
                [
                    _("What changed for you:"),
                    *(f"- {_change_line(*line)}" for line in lines),
                    "",
                    settings.SITE_URL + url,
                ]
            )
        args = (subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
        if registration.user_id and registration.user.is_active:
            NoticeEmail(*args, user=registration.user, kind="agenda_changed", url=url).send()
        else:
            EmailMessage(*args).send()
    return len(per_registration)
