"""Outcome documents and their recommendations, authored on the site and reviewed before publishing.

The secretariat drafts a revision of a document (a new one for a meeting, or the next version of a
published one), submits it for review, and another secretariat member approves it — which writes
it onto the live document and recommendations and publishes them — or returns it with comments.
Nothing the public sees changes before an approval; a published document stays published while
its next revision is drafted. Every step is logged as a `RevisionEvent` (the document's history).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.permissions import SECRETARIAT_GROUP
from ascnhub.notices.models import Kind
from ascnhub.notices.services import notify

from .models import OutcomeDocument, OutcomeRevision, Recommendation, RevisionEvent
from .services import FollowupError

if TYPE_CHECKING:
    from ascnhub.common.models import User
    from ascnhub.events.models import Meeting


class ReviewError(FollowupError):
    """A refused step of authoring or reviewing an outcome document."""

    conflicts = frozenset({"not_editable", "not_in_review", "open_revision", "has_document"})


def _content(
    title: str, adopted_on: datetime.date, summary: str, source_url: str, recommendations: list[dict]
) -> dict[str, Any]:
    return {
        "title": title,
        "adopted_on": adopted_on,
        "summary": summary,
        "source_url": source_url,
        "recommendations": recommendations,
    }


def _clean_recommendations(
    document: OutcomeDocument, items: list[dict], adopted_on: datetime.date
) -> list[dict]:
    """Check the drafted recommendations and return them in the stored shape, by number.

    Numbers are whole, from 1 and unique; each has a title and a text; a carried-over recommendation
    must be a published one of an earlier meeting. Refusals name the recommendation by its number.
    """
    cleaned: list[dict] = []
    seen: set[int] = set()
    for position, item in enumerate(items, start=1):
        number = item.get("number")
        if not isinstance(number, int) or number < 1:
            raise ReviewError(
                "bad_number",
                _("Recommendation in row %(row)s: the number must be a whole number from 1.")
                % {"row": position},
                "recommendations",
            )
        if number in seen:
            raise ReviewError(
                "duplicate_number",
                _("Two recommendations are numbered %(n)s.") % {"n": number},
                "recommendations",
            )
        seen.add(number)
        title, text = str(item.get("title") or "").strip(), str(item.get("text") or "").strip()
        if not title or not text:
            raise ReviewError(
                "incomplete",
                _("Recommendation %(n)s needs a short title and a text.") % {"n": number},
                "recommendations",
            )
        carried = str(item.get("carried_from") or "")
        if carried:
            earlier = (
                Recommendation.objects.filter(
                    public_id=carried, document__published=True, document__adopted_on__lt=adopted_on
                )
                .exclude(document=document)
                .first()
                if _is_uuid(carried)
                else None
            )
            if earlier is None:
                raise ReviewError(
                    "bad_carried_from",
                    _(
                        "Recommendation %(n)s carries over one that is not a published "
                        "recommendation of an earlier meeting."
                    )
                    % {"n": number},
                    "recommendations",
                )
        cleaned.append({"number": number, "title": title[:200], "text": text, "carried_from": carried})
    cleaned.sort(key=lambda r: r["number"])
    return cleaned


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _check_removals(document: OutcomeDocument, recommendations: list[dict]) -> None:
    """A live recommendation that has commitments cannot be dropped from the document."""
    kept = {r["number"] for r in recommendations}
    for rec in document.recommendations.exclude(number__in=kept).filter(commitments__isnull=False).distinct():
        raise ReviewError(
            "has_commitments",
            _(
                "Recommendation %(n)s already has commitments; it cannot be removed from the document "
                "(edit its text instead)."
            )
            % {"n": rec.number},
            "recommendations",
        )


def _log(revision: OutcomeRevision, actor: User | None, action: str, comment: str = "") -> None:
    RevisionEvent.objects.create(revision=revision, actor=actor, action=action, comment=comment)


def _write(revision: OutcomeRevision, content: dict[str, Any]) -> None:
    revision.title = content["title"].strip()
    revision.adopted_on = content["adopted_on"]
    revision.summary = content.get("summary", "").strip()
    revision.source_url = content.get("source_url", "")
    revision.recommendations = _clean_recommendations(
        revision.document, content.get("recommendations", []), revision.adopted_on
    )
    if not revision.title:
        raise ReviewError("no_title", _("Give the document a title."), "title")
    _check_removals(revision.document, revision.recommendations)


@transaction.atomic
def start_document(actor: User, meeting: Meeting, content: dict[str, Any]) -> OutcomeRevision:
    """Draft a meeting's first outcome document: an unpublished document and its revision 1.

    `content` holds title, adopted_on, summary, source_url and recommendations (a list of dicts with
    number, title, text and carried_from, a recommendation's public id or ""). Refused when the
    meeting already has an outcome document.
    """
    if OutcomeDocument.objects.filter(meeting=meeting).exists():
        raise ReviewError(
            "has_document",
            _("This meeting already has an outcome document; edit that one."),
            "meeting",
        )
    title = (content.get("title") or "").strip()
    if not title:
        raise ReviewError("no_title", _("Give the document a title."), "title")
    document = OutcomeDocument.objects.create(
        meeting=meeting, title=title, adopted_on=content["adopted_on"], published=False
    )
    revision = OutcomeRevision(document=document, number=1, author=actor)
    _write(revision, content)
    revision.save()
    _log(revision, actor, RevisionEvent.Action.CREATED)
    activity.record(actor, "draft_outcome_document", document, {"revision": [None, 1]})
    return revision


def open_revision_of(document: OutcomeDocument) -> OutcomeRevision | None:
    """The document's revision that is not yet approved, if any."""
    return document.revisions.filter(state__in=OutcomeRevision.OPEN_STATES).first()


def live_content(document: OutcomeDocument) -> dict[str, Any]:
    """What the public sees of a document, in the shape of a revision's content."""
    return _content(
        document.title,
        document.adopted_on,
        document.summary,
        document.source_url,
        [
            {
                "number": r.number,
                "title": r.title,
                "text": r.text,
                "carried_from": str(r.carried_from.public_id) if r.carried_from is not None else "",
            }
            for r in document.recommendations.select_related("carried_from").order_by("number")
        ],
    )


@transaction.atomic
def save_revision(actor: User, document: OutcomeDocument, content: dict[str, Any]) -> OutcomeRevision:
    """Save the secretariat's edit of a document: into its open revision (a draft, or one returned
    with comments, which becomes a draft again), or into a new revision when none is open. The live
    document does not change; refused while the open revision is in review."""
    document = OutcomeDocument.objects.select_for_update().get(pk=document.pk)
    revision = open_revision_of(document)
    if revision is not None and not revision.is_editable:
        raise ReviewError(
            "not_editable",
            _("Revision %(n)s is in review; it can be edited again once the reviewer returns it.")
            % {"n": revision.number},
        )
    created = revision is None
    if revision is None:
        last = document.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        revision = OutcomeRevision(document=document, number=last + 1, author=actor)
    _write(revision, content)
    revision.state = OutcomeRevision.State.DRAFT
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError as exc:  # another editor opened a revision at the same moment
        raise ReviewError(
            "open_revision", _("Someone else has just started a revision; reload the page.")
        ) from exc
    _log(revision, actor, RevisionEvent.Action.CREATED if created else RevisionEvent.Action.EDITED)
    return revision


def editors_of(revision: OutcomeRevision) -> set[int]:
    """Everyone who wrote this revision: its author and whoever edited or submitted it."""
    ids = set(
        revision.events.filter(
            action__in=[
                RevisionEvent.Action.CREATED,
                RevisionEvent.Action.EDITED,
                RevisionEvent.Action.SUBMITTED,
            ]
        )
        .exclude(actor=None)
        .values_list("actor_id", flat=True)
    )
    if revision.author_id:
        ids.add(revision.author_id)
    return ids


def _locked(revision: OutcomeRevision) -> OutcomeRevision:
    return OutcomeRevision.objects.select_for_update().select_related("document__meeting").get(pk=revision.pk)


def _reviewers(exclude: set[int]) -> list[User]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SECRETARIAT_GROUP)
        .exclude(pk__in=exclude)
    )
    return list(users.distinct().order_by("pk"))


@transaction.atomic
def submit_revision(actor: User, revision: OutcomeRevision) -> OutcomeRevision:
    """Send a draft (or a returned revision) for review; the other secretariat members are told."""
    revision = _locked(revision)
    if not revision.is_editable:
        raise ReviewError("not_editable", _("Only a draft can be submitted for review."))
    revision.state = OutcomeRevision.State.IN_REVIEW
    revision.save(update_fields=["state", "updated_at"])
    _log(revision, actor, RevisionEvent.Action.SUBMITTED)
    url = reverse("followup:revision", args=[revision.public_id])
    text = _("“%(title)s” (revision %(n)s) waits for your review.") % {
        "title": revision.title,
        "n": revision.number,
    }
    for user in _reviewers(editors_of(revision)):
        notify(user, Kind.OUTCOME_REVIEW, text, url)
    return revision


def _check_reviewer(actor: User, revision: OutcomeRevision) -> None:
    if revision.state != OutcomeRevision.State.IN_REVIEW:
        raise ReviewError("not_in_review", _("This revision is not waiting for review."))
    if actor.pk in editors_of(revision):
        raise ReviewError(
            "own_revision",
            _("You wrote or edited this revision; another member of the secretariat must review it."),
        )


def _tell_author(revision: OutcomeRevision, text: str) -> None:
    url = reverse("followup:revision", args=[revision.public_id])
    for user in get_user_model().objects.filter(pk__in=editors_of(revision), is_active=True):
        notify(user, Kind.OUTCOME_REVIEW, text, url)


@transaction.atomic
def return_revision(actor: User, revision: OutcomeRevision, comment: str) -> OutcomeRevision:
    """Send a revision in review back to its authors with comments (required); nothing is published."""
    revision = _locked(revision)
    _check_reviewer(actor, revision)
    if not comment.strip():
        raise ReviewError("no_comment", _("Say what should change before returning the revision."), "comment")
    revision.state = OutcomeRevision.State.RETURNED
    revision.save(update_fields=["state", "updated_at"])
    _log(revision, actor, RevisionEvent.Action.RETURNED, comment.strip())
    _tell_author(
        revision,
        _("Revision %(n)s of “%(title)s” was returned with comments.")
        % {"n": revision.number, "title": revision.title},
    )
    return revision


@transaction.atomic
def approve_revision(actor: User, revision: OutcomeRevision, comment: str = "") -> OutcomeDocument:
    """Approve a revision in review: write it onto the live document and recommendations (matched by
    number: changed, added, and removed where no commitment hangs on them) and publish the document."""
    revision = _locked(revision)
    _check_reviewer(actor, revision)
    document = OutcomeDocument.objects.select_for_update().get(pk=revision.document_id)
    # Commitments may have been added since the draft was saved: check the removals again.
    _check_removals(document, revision.recommendations)
    before = {"published": document.published, "title": document.title}
    document.title = revision.title
    document.adopted_on = revision.adopted_on
    document.summary = revision.summary
    document.source_url = revision.source_url
    document.published = True
    document.save()
    live = {r.number: r for r in document.recommendations.all()}
    carried = {
        str(r.public_id): r
        for r in Recommendation.objects.filter(
            public_id__in=[i["carried_from"] for i in revision.recommendations if i["carried_from"]]
        )
    }
    for item in revision.recommendations:
        rec = live.pop(item["number"], None) or Recommendation(document=document, number=item["number"])
        rec.title, rec.text = item["title"], item["text"]
        rec.carried_from = carried.get(item["carried_from"])
        rec.full_clean()
        rec.save()
    for rec in live.values():
        rec.delete()
    revision.state = OutcomeRevision.State.APPROVED
    revision.save(update_fields=["state", "updated_at"])
    _log(revision, actor, RevisionEvent.Action.APPROVED, comment.strip())
    activity.record(
        actor,
        "publish_outcome_document",
        document,
        {"revision": [None, revision.number], "published": [before["published"], True]},
    )
    _tell_author(
        revision,
        _("Revision %(n)s of “%(title)s” was approved and published.")
        % {"n": revision.number, "title": revision.title},
    )
    return document
