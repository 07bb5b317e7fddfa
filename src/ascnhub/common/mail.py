"""The e-mail outbox: every message the platform sends goes through here.

`OutboxBackend` is Django's EMAIL_BACKEND. It does not talk to a mail server: it stores each
message as an `OutgoingEmail` row inside the caller's transaction and, once that transaction
commits, asks the task worker to deliver it. Delivery uses the real transport
(`ASCNHUB_EMAIL_BACKEND`: SMTP, console, ...) through the durable-delivery channel "email"
(`common.delivery`): a refused or failed delivery is retried with growing pauses, and a worker
that dies mid-delivery leaves the row claimed, which the sweep (`ascnhub deliveries sweep`, or
`ascnhub mail send-pending` for e-mail alone) takes again after CLAIM_TIMEOUT. Delivery is at
least once: a message is never lost, and in the rare crash between the server accepting it and
the row being marked sent it may arrive twice.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
from collections.abc import Iterable, Iterator
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from . import delivery
from .models import OutgoingEmail

# Pauses after the 1st, 2nd, ... failed attempt: 1 min, 5 min, 25 min, about 2 h, then 6 h.
BACKOFF = delivery.Backoff(base=datetime.timedelta(minutes=1), factor=5, cap=datetime.timedelta(hours=6))
# The lease: a claim older than this belongs to a worker that died; the message is taken again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def max_attempts() -> int:
    """Attempts before a message is kept as failed (ASCNHUB_EMAIL_MAX_ATTEMPTS)."""
    return int(getattr(settings, "ASCNHUB_EMAIL_MAX_ATTEMPTS", 8))


def serialise(message: Any) -> dict[str, Any]:
    """The parts of a Django EmailMessage as JSON (attachments base64-encoded)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            # Already a MIME part: keep its bytes, re-attached as they are.
            attachments.append({"mime": base64.b64encode(attachment.as_bytes()).decode()})
            continue
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append(
            {
                "filename": filename,
                "content": base64.b64encode(raw).decode(),
                "mimetype": mimetype,
                "text": isinstance(content, str),
            }
        )
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [[str(a[0]), a[1]] for a in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def deserialise(data: dict[str, Any]) -> EmailMultiAlternatives:
    """Rebuild the EmailMessage that `serialise` stored."""
    from email import message_from_bytes

    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for item in data["attachments"]:
        if "mime" in item:
            message.attach(message_from_bytes(base64.b64decode(item["mime"])))
            continue
        raw = base64.b64decode(item["content"])
        message.attach(item["filename"], raw.decode() if item.get("text") else raw, item["mimetype"])
    return message


def queue(messages: Iterable[Any]) -> list[OutgoingEmail]:
    """Store messages in the outbox (inside the caller's transaction) and have each delivered by
    the task worker once that transaction commits."""
    now = timezone.now()
    stored = []
    for message in messages:
        if not message.recipients():
            continue
        stored.append(
            OutgoingEmail.objects.create(
                subject=message.subject[:998],
                recipients=list(message.recipients()),
                message=serialise(message),
                next_attempt_at=now,
            )
        )
    if stored:
        ids = [email.pk for email in stored]
        transaction.on_commit(lambda: _enqueue(ids))
    return stored


def _enqueue(ids: list[int], run_after: datetime.datetime | None = None) -> None:
    from .tasks import deliver_emails

    task = deliver_emails
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep will find it when it is due
        task = task.using(run_after=run_after)
    task.enqueue(ids)


def _send_one(email: OutgoingEmail, connection: Any) -> None:
    sent = transport(connection).send_messages([deserialise(email.message)])
    if not sent:
        raise RuntimeError("the mail server accepted none of the recipients")


def transport(connection: Any = None) -> Any:
    """The connection to the real mail transport (never the outbox itself)."""
    if connection is not None:
        return connection
    return get_connection(settings.ASCNHUB_EMAIL_TRANSPORT)


@contextlib.contextmanager
def _session() -> Iterator[Any]:
    """One open connection for a batch of sends. When the server cannot be reached, each send
    tries on its own and fails, so every message records the attempt and why it failed."""
    connection = transport()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - reported per message by its own attempt
        yield None
        return
    try:
        yield connection
    finally:
        connection.close()


CHANNEL = delivery.register(
    delivery.Channel(
        name="email",
        model=OutgoingEmail,
        send=_send_one,
        backoff=BACKOFF,
        max_attempts=max_attempts,
        lease=CLAIM_TIMEOUT,
        enqueue=_enqueue,
        session=_session,
    )
)


def _claim(email_id: int, now: datetime.datetime) -> OutgoingEmail | None:
    """Take one message for delivery; None when it is not due or another worker holds it."""
    return delivery.claim(CHANNEL, email_id, now)


def deliver(email_id: int, connection: Any = None) -> str:
    """Try to deliver one outbox message now, if it is due. Returns its status afterwards.

    The claim is a single UPDATE, so two workers never send the same message at once, and no
    database lock is held while talking to the mail server.
    """
    email = delivery.deliver(CHANNEL, email_id, session=connection)
    if email is None:
        return OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
    return email.status


def deliver_all(email_ids: Iterable[int]) -> dict[str, int]:
    """Deliver each message over one connection; returns how many ended in each status."""
    return delivery.deliver_many(CHANNEL, email_ids)


def send_pending(limit: int = 500) -> dict[str, int]:
    """Deliver every message that is due (first attempts, retries, and claims of dead workers);
    the safety net that cron (or an operator) runs. Returns how many ended in each status."""
    return delivery.deliver_due(CHANNEL, limit=limit)


def retry(email_ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts (the secretariat's "send again")."""
    return delivery.retry(CHANNEL, email_ids)


class OutboxBackend(BaseEmailBackend):
    """EMAIL_BACKEND that puts messages in the outbox instead of sending them in the request."""

    def send_messages(self, email_messages):
        return len(queue(email_messages))
