"""Every change to cases and the guidebook goes through here: validate, lock, write, log.

Domain errors carry a machine-readable `code` (as in pretix's services).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.errors import DomainError

from .models import Case, CaseAttachment, Chapter, ChapterComment, ChapterRevision

if TYPE_CHECKING:
    from ascnhub.common.models import User


class KnowledgeError(DomainError):
    """A refused change to a case or a guidebook chapter."""


class EditConflict(KnowledgeError):
    """Someone saved the chapter after the editor opened it: nothing was saved.

    `base` is the revision the editor started from, `current` the chapter's latest revision, and
    `others` the revisions saved in between (who changed what), newest first.
    """

    def __init__(
        self,
        chapter: Chapter,
        base: ChapterRevision | None,
        current: ChapterRevision,
        others: list[ChapterRevision],
    ):
        super().__init__(
            "edit_conflict",
            _("Someone else saved this chapter while you were editing it; nothing was saved."),
        )
        self.chapter, self.base, self.current, self.others = chapter, base, current, others


# --- cases ---------------------------------------------------------------------------------------

CASE_FIELDS = [
    "title",
    "city",
    "place",
    "country",
    "focus_area",
    "language",
    "year",
    "problem",
    "solution",
    "results",
    "partners_text",
    "source_url",
    "published",
]


@transaction.atomic
def create_case(
    actor: User, data: dict[str, Any], *, partners=(), projects=(), partnerships=(), slug: str | None = None
) -> Case:
    """Publish a new best-practice case; the slug is made from the title unless given."""
    from django.utils.text import slugify

    case = Case(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: v for k, v in data.items() if k in CASE_FIELDS},
    )
    base = slug or slugify(case.title, allow_unicode=False)[:120] or "case"
    candidate, n = base, 2
    while Case.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    case.slug = candidate
    case.full_clean()
    case.save()
    case.partners.set(partners)
    case.projects.set(projects)
    case.partnerships.set(partnerships)
    activity.record(actor, "create", case, activity.diff({}, activity.snapshot(case, CASE_FIELDS)))
    _embed_later(case)
    return case


@transaction.atomic
def update_case(
    actor: User, case: Case, data: dict[str, Any], *, partners=None, projects=None, partnerships=None
) -> dict[str, list[Any]]:
    """Change a case; returns the changed fields."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = activity.snapshot(case, CASE_FIELDS)
    before["partners"] = sorted(str(p) for p in case.partners.all())
    for name, value in data.items():
        if name in CASE_FIELDS:
            setattr(case, name, value)
    case.full_clean()
    case.save()
    for field, values in (("partners", partners), ("projects", projects), ("partnerships", partnerships)):
        if values is not None:
            getattr(case, field).set(values)
    after = activity.snapshot(case, CASE_FIELDS)
    after["partners"] = sorted(str(p) for p in case.partners.all())
    changes = activity.diff(before, after)
    if changes:
        activity.record(actor, "update", case, changes)
        _embed_later(case)
    return changes


def _embed_later(case: Case) -> None:
    """Embed the case's text in a worker once the change is committed, so no page view waits for it."""
    from .tasks import embed_cases

    case_id = case.pk
    transaction.on_commit(lambda: _enqueue(embed_cases, [case_id]))


def _enqueue(task, ids) -> None:
    try:
        task.enqueue(ids)
    except Exception:  # no task backend reachable: the case page embeds on first view instead
        import logging

        logging.getLogger(__name__).warning("could not enqueue embedding of cases %s", ids, exc_info=True)


def embed_cases(case_ids: list[int] | None = None, *, embedder=None) -> int:
    """Put the texts of these cases (default: every published case) in the embedding cache.
    Returns how many texts had to be embedded (the rest were cached)."""
    from ascnhub.common.embeddings import database_embedder

    cases = Case.objects.public()
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    texts = [c.similarity_text() for c in cases]
    embedder = embedder or database_embedder()
    before = embedder.embedded
    if texts:
        embedder.embed_passages(texts)
    return embedder.embedded - before


@transaction.atomic
def add_case_attachment(actor: User, case: Case, title: str, file) -> CaseAttachment:
    att = CaseAttachment(case=case, title=title, file=file)
    att.full_clean()
    att.save()
    activity.record(actor, "attach", case, {"attachment": [None, title]})
    return att


def similar_cases(case: Case, *, limit: int = 4, embedder=None) -> list[tuple[Case, float]]:
    """Published cases most like this one, in any language (the matching engine's embeddings,
    cached in the database)."""
    from ascnhub.common.embeddings import database_embedder
    from ascnhub.engine.matching import similar_texts

    others = list(Case.objects.public().exclude(pk=case.pk).select_related("city"))
    if not others:
        return []
    hits = similar_texts(
        [case.similarity_text()],
        [o.similarity_text() for o in others],
        embedder=embedder or database_embedder(),
        top_k=limit,
    )[0]
    return [(others[j], score) for j, score in hits]


# --- the guidebook -------------------------------------------------------------------------------


@transaction.atomic
def save_chapter(
    actor: User, chapter: Chapter, *, title: str, body: str, base_revision: int, summary: str = ""
) -> ChapterRevision:
    """Save a new revision of a chapter, unless someone saved one since `base_revision`.

    Optimistic concurrency: the chapter row is locked, and if its revision number is no longer
    the one the editor started from, `EditConflict` is raised with the revisions in between —
    the caller shows what the other person changed; nothing is overwritten. Saving text that is
    unchanged saves nothing and returns the current revision. A published chapter that is edited
    goes back to draft (the published revision stays public until the new one is approved).
    """
    locked = Chapter.objects.select_for_update().get(pk=chapter.pk)
    if locked.revision_number != base_revision:
        revisions = list(locked.revisions.select_related("author").filter(number__gte=base_revision))
        base = next((r for r in revisions if r.number == base_revision), None)
        others = [r for r in revisions if r.number > base_revision]
        current = next(r for r in revisions if r.number == locked.revision_number)
        raise EditConflict(locked, base, current, others)
    title, body = title.strip(), body.replace("\r\n", "\n").strip() + "\n"
    if not title:
        raise KnowledgeError("title_missing", _("A chapter needs a title."), "title")
    latest = locked.revisions.order_by("-number").first()
    if latest is not None and latest.title == title and latest.body == body:
        return latest
    before = activity.snapshot(locked, ["title", "body", "status", "revision_number"])
    locked.revision_number += 1
    revision = ChapterRevision.objects.create(
        chapter=locked,
        number=locked.revision_number,
        title=title,
        body=body,
        summary=summary.strip()[:250],
        author=(actor if getattr(actor, "is_authenticated", False) else None),
    )
    locked.title, locked.body = title, body
    locked.updated_by = revision.author
    if locked.status != Chapter.Status.DRAFT:
        locked.status = Chapter.Status.DRAFT
    locked.save()
    changes = activity.diff(before, activity.snapshot(locked, ["title", "body", "status", "revision_number"]))
    if "body" in changes:  # the log keeps the fact and the size; the revision keeps the text
        changes["body"] = [f"{len(before['body'] or '')} characters", f"{len(body)} characters"]
    activity.record(actor, "revise", locked, changes)
    chapter.refresh_from_db()
    return revision


def _review_step(
    actor: User, chapter: Chapter, *, expect: str, to: str, kind: str, note: str, publish: bool = False
) -> Chapter:
    locked = Chapter.objects.select_for_update().get(pk=chapter.pk)
    if locked.status != expect:
        raise KnowledgeError(
            "wrong_status",
            _("This chapter is no longer %(status)s; reload the page.")
            % {"status": Chapter.Status(expect).label},
        )
    if locked.revision_number == 0:
        raise KnowledgeError("empty", _("The chapter has no text yet."))
    before = locked.status
    locked.status = to
    if publish:
        locked.published_revision = locked.revisions.get(number=locked.revision_number)
    locked.save(update_fields=["status", "published_revision", "updated_at"])
    ChapterComment.objects.create(
        chapter=locked,
        kind=kind,
        revision_number=locked.revision_number,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        body=note.strip(),
    )
    activity.record(actor, kind, locked, {"status": [before, to]})
    chapter.refresh_from_db()
    return locked


@transaction.atomic
def submit_for_review(actor: User, chapter: Chapter, note: str = "") -> Chapter:
    """Draft → in review: contributors from member states are asked to read it."""
    return _review_step(
        actor,
        chapter,
        expect=Chapter.Status.DRAFT,
        to=Chapter.Status.REVIEW,
        kind=ChapterComment.Kind.SUBMITTED,
        note=note,
    )


@transaction.atomic
def approve(actor: User, chapter: Chapter, note: str = "") -> Chapter:
    """In review → published: the latest revision becomes the public text."""
    return _review_step(
        actor,
        chapter,
        expect=Chapter.Status.REVIEW,
        to=Chapter.Status.PUBLISHED,
        kind=ChapterComment.Kind.APPROVED,
        note=note,
        publish=True,
    )


@transaction.atomic
def request_changes(actor: User, chapter: Chapter, note: str) -> Chapter:
    """In review → draft, saying what should change."""
    if not note.strip():
        raise KnowledgeError("note_missing", _("Say what should change."), "note")
    return _review_step(
        actor,
        chapter,
        expect=Chapter.Status.REVIEW,
        to=Chapter.Status.DRAFT,
        kind=ChapterComment.Kind.CHANGES,
        note=note,
    )


@transaction.atomic
def add_comment(actor: User, chapter: Chapter, body: str) -> ChapterComment:
    body = body.strip()
    if not body:
        raise KnowledgeError("empty_comment", _("The comment is empty."), "body")
    if len(body) > 5000:
        raise KnowledgeError("comment_too_long", _("Keep a comment under 5000 characters."), "body")
    comment = ChapterComment.objects.create(
        chapter=chapter,
        kind=ChapterComment.Kind.COMMENT,
        body=body,
        revision_number=chapter.revision_number,
        author=actor,
    )
    activity.record(actor, "comment", chapter, {"comment": [None, body[:200]]})
    return comment


@dataclass
class GuidebookChapter:
    """What an export shows of one chapter."""

    chapter: Chapter
    title: str
    body: str
    revision: int
    is_draft: bool


def guidebook_contents(*, include_drafts: bool = False) -> list[GuidebookChapter]:
    """The chapters in order: their published text, or (for contributors) the latest draft."""
    out = []
    for ch in Chapter.objects.select_related("published_revision").order_by("position", "id"):
        if include_drafts and ch.revision_number:
            out.append(
                GuidebookChapter(
                    ch,
                    ch.title,
                    ch.body,
                    ch.revision_number,
                    ch.published_revision is None or ch.published_revision.number != ch.revision_number,
                )
            )
        elif ch.published_revision is not None:
            rev = ch.published_revision
            out.append(GuidebookChapter(ch, rev.title, rev.body, rev.number, False))
    return out
