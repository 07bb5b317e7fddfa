"""Notices: tell a user something in the platform and, as they chose, by e-mail.

Every app that tells a signed-up user about something calls `notify`: the notice is stored in the
caller's transaction, and the user's preference for its kind decides whether an e-mail goes out at
once (through the outbox, in the same transaction), later in the daily digest (`send_digests`,
`ascnhub notices digest`), or not at all. Security messages (sign-in, MFA, password) never come
here: allauth sends them directly, whatever the preferences.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .errors import NoticesError
from .models import DEFAULT_DELIVERY, Delivery, Kind, Notification, Preference

if TYPE_CHECKING:
    from ascnhub.common.models import User


def delivery_for(user: User, kind: str) -> str:
    """The user's choice for notices of `kind` (e-mail at once when they never chose)."""
    choice = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return choice or DEFAULT_DELIVERY


def _language(user: User) -> str:
    try:
        return user.person.preferred_language  # type: ignore[attr-defined]
    except Exception:  # no person behind the account
        return settings.LANGUAGE_CODE


class NoticeEmail(EmailMessage):
    """An e-mail that is also a notice to a user: `send()` stores the notice and lets the user's
    preference for `kind` decide whether the e-mail goes out now, waits for the digest, or stays in
    the platform. Senders that build `EmailMessage`s build this instead for recipients with an
    account, and change nothing else."""

    def __init__(self, *args: Any, user: User, kind: str, url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notice_user, self.notice_kind, self.notice_url = user, kind, url

    def send(self, fail_silently: bool = False) -> int:
        notice = notify(self.notice_user, self.notice_kind, str(self.subject), self.notice_url, email=self)
        return 1 if notice.emailed_at else 0


def notify(
    user: User,
    kind: str,
    text: str,
    url: str = "",
    *,
    email: EmailMessage | None = None,
) -> Notification:
    """Store a notice for `user` and e-mail it if their preference for `kind` says "at once".

    `email` is the message the sender would have sent before the centre existed (its own subject
    and body, in the recipient's language); without one a short message with the text and link is
    written. With "in the platform only" nothing is e-mailed; with "daily digest" the notice waits
    for `send_digests`. Call inside the transaction of the change the notice is about.
    """
    if kind not in Kind.values:
        raise NoticesError("unknown_kind", _("“%(kind)s” is not a kind of notice.") % {"kind": kind}, "kind")
    choice = delivery_for(user, kind)
    notice = Notification.objects.create(
        user=user, kind=kind, text=text[:500], url=url[:500], delivery=choice
    )
    if choice == Delivery.EMAIL and user.email and user.is_active:
        if email is None:
            with translation.override(_language(user)):
                email = EmailMessage(
                    text[:200],
                    render_to_string(
                        "notices/email/notice.txt",
                        {"notice": notice, "SITE_URL": settings.SITE_URL},
                    ),
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
        EmailMessage.send(email)  # the plain send, also for a NoticeEmail (whose send() is this)
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return notice


def unread_count(user: User) -> int:
    """How many notices the user has not read (one indexed COUNT)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notices_for(user: User) -> QuerySet[Notification]:
    """The user's notices, newest first."""
    return Notification.objects.filter(user=user)


def mark_read(user: User, notice_id: int | None = None) -> int:
    """Mark one of the user's notices (or all of them, without `notice_id`) read; returns how many
    changed. Someone else's notice is refused as unknown."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notice_id is not None:
        if not Notification.objects.filter(user=user, pk=notice_id).exists():
            raise NoticesError("unknown_notice", _("There is no such notice."))
        unread = unread.filter(pk=notice_id)
    return unread.update(read_at=timezone.now())


def preferences_of(user: User) -> dict[str, str]:
    """Every kind of notice with the user's choice for it (the default where they never chose)."""
    stored = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: stored.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}


def set_preferences(user: User, choices: dict[str, str]) -> dict[str, str]:
    """Store the user's choice per kind. An unknown kind or delivery is refused and nothing is
    written."""
    for kind, choice in choices.items():
        if kind not in Kind.values:
            raise NoticesError(
                "unknown_kind", _("“%(kind)s” is not a kind of notice.") % {"kind": kind}, kind
            )
        if choice not in Delivery.values:
            raise NoticesError(
                "unknown_delivery",
                _("“%(choice)s” is not a way to deliver notices.") % {"choice": choice},
                kind,
            )
    with transaction.atomic():
        for kind, choice in choices.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": choice})
    return preferences_of(user)


def send_digests(now: datetime.datetime | None = None) -> int:
    """E-mail each user one digest of their notices chosen for the daily digest and not yet
    e-mailed; returns how many digests were written to the outbox. Each user's digest and the
    stamps on its notices are written in one transaction, so a crash never sends one twice."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, created_at__lte=now)
        .select_related("user")
        .order_by("user_id", "created_at", "id")
    )
    per_user: dict[int, list[Notification]] = defaultdict(list)
    for notice in waiting:
        per_user[notice.user_id].append(notice)
    sent = 0
    for notices in per_user.values():
        user = notices[0].user
        if not user.email or not user.is_active:
            continue
        with transaction.atomic(), translation.override(_language(user)):
            EmailMessage(
                _("Your ASCN Hub digest: %(n)d notice(s)") % {"n": len(notices)},
                render_to_string(
                    "notices/email/digest.txt", {"notices": notices, "SITE_URL": settings.SITE_URL}
                ),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            ).send()
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        sent += 1
    return sent
