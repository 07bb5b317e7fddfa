"""Outcome documents drafted on the site and reviewed before they are published (the secretariat's).

Thin: parse, authorise, call `authoring`, render. Drafts and their history are the secretariat's:
anyone else is sent to sign in (anonymous) or refused (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.errors import DomainError
from ascnhub.common.http import require_perm
from ascnhub.events.models import Meeting

from .. import authoring
from ..forms import OutcomeContentForm, RecommendationFormSet, ReviewForm
from ..models import OutcomeDocument, OutcomeRevision, Recommendation, RevisionEvent


def _earlier_choices(document: OutcomeDocument | None) -> list[tuple[str, str]]:
    """Published recommendations a draft may carry over (of other documents), newest meeting first."""
    recs = Recommendation.objects.filter(document__published=True).select_related("document__meeting")
    if document is not None:
        recs = recs.exclude(document=document)
    return [
        (str(r.public_id), f"{r.document.meeting.title} — {r.number}. {r.title}")
        for r in recs.order_by("-document__adopted_on", "number")
    ]


def _content_of(form: OutcomeContentForm, formset: Any) -> dict[str, Any]:
    # A blank extra row has no cleaned data; a row ticked "delete" is dropped.
    recs = [
        {k: f.cleaned_data.get(k) for k in ("number", "title", "text", "carried_from")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return {**{k: v for k, v in form.cleaned_data.items() if k != "meeting"}, "recommendations": recs}


def _initial(content: dict[str, Any]) -> tuple[dict, list[dict]]:
    recs = content.pop("recommendations")
    return content, recs


def _editor(request: HttpRequest, document: OutcomeDocument | None, initial: dict[str, Any]) -> HttpResponse:
    """The edit page of a new document (document None) or of the next revision of one."""
    meetings = None
    if document is None:
        meetings = Meeting.objects.filter(outcome_document__isnull=True).order_by("-start_date")
    head, recs = _initial(dict(initial))
    data = request.POST if request.method == "POST" else None
    form = OutcomeContentForm(data, initial=head, meetings=meetings)
    # Bound, the rows are what was posted (compared with nothing, so an untouched row still counts).
    formset = RecommendationFormSet(
        data,
        initial=recs if data is None else None,
        prefix="rec",
        form_kwargs={"earlier": _earlier_choices(document)},
    )
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            content = _content_of(form, formset)
            if document is None:
                revision = authoring.start_document(request.user, form.cleaned_data["meeting"], content)
            else:
                revision = authoring.save_revision(request.user, document, content)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect(revision)
    status = 400 if data is not None else 200
    return render(
        request,
        "followup/outcome_edit.html",
        {"document": document, "form": form, "formset": formset},
        status=status,
    )


def drafts(request: HttpRequest) -> HttpResponse:
    """The secretariat's desk: revisions waiting for review or still being drafted, and documents."""
    require_perm(request, "followup.author_outcomes")
    open_revisions = (
        OutcomeRevision.objects.filter(state__in=OutcomeRevision.OPEN_STATES)
        .select_related("document__meeting", "author")
        .order_by("-updated_at")
    )
    documents = OutcomeDocument.objects.select_related("meeting").order_by("-adopted_on")
    return render(
        request,
        "followup/drafts.html",
        {"revisions": list(open_revisions), "documents": list(documents), "active": "drafts"},
    )


def document_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "followup.author_outcomes")
    return _editor(request, None, {"title": "", "adopted_on": None, "recommendations": []})


def document_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a document: its open revision if there is one, else a new revision of what is live."""
    require_perm(request, "followup.author_outcomes")
    document = get_object_or_404(OutcomeDocument.objects.select_related("meeting"), meeting__slug=slug)
    revision = authoring.open_revision_of(document)
    if revision is not None and not revision.is_editable:
        messages.error(request, _("This revision is in review; it can be edited once it is returned."))
        return redirect(revision)
    if revision is not None:
        initial = {
            "title": revision.title,
            "adopted_on": revision.adopted_on,
            "summary": revision.summary,
            "source_url": revision.source_url,
            "recommendations": list(revision.recommendations),
        }
    else:
        initial = authoring.live_content(document)
    return _editor(request, document, initial)


def revision_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A revision as it would be published, beside what is live, with its history and the actions."""
    require_perm(request, "followup.author_outcomes")
    revision = get_object_or_404(
        OutcomeRevision.objects.select_related("document__meeting", "author"), public_id=public_id
    )
    live = authoring.live_content(revision.document) if revision.document.published else None
    live_recs = {r["number"]: r for r in live["recommendations"]} if live else {}
    titles = dict(_earlier_choices(revision.document))
    recs = [
        {
            **r,
            "carried_label": titles.get(r["carried_from"], ""),
            "change": _change(live_recs.get(r["number"]), r) if live else "",
        }
        for r in revision.recommendations
    ]
    removed = sorted(set(live_recs) - {r["number"] for r in revision.recommendations}) if live else []
    return render(
        request,
        "followup/revision_detail.html",
        {
            "revision": revision,
            "document": revision.document,
            "recs": recs,
            "removed": removed,
            "events": list(revision.events.select_related("actor")),
            "can_review": request.user.has_perm("followup.review_revision", revision)
            and revision.state == OutcomeRevision.State.IN_REVIEW,
            "review_form": ReviewForm(),
        },
    )


def _change(before: dict | None, after: dict) -> str:
    if before is None:
        return "new"
    keys = ("title", "text", "carried_from")
    return "changed" if any(before[k] != after[k] for k in keys) else ""


@require_POST
def revision_submit(request: HttpRequest, public_id) -> HttpResponse:
    require_perm(request, "followup.author_outcomes")
    revision = get_object_or_404(OutcomeRevision, public_id=public_id)
    try:
        authoring.submit_revision(request.user, revision)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Submitted for review. Another member of the secretariat will review it.")
        )
    return redirect(revision)


@require_POST
def revision_review(request: HttpRequest, public_id) -> HttpResponse:
    revision = get_object_or_404(
        OutcomeRevision.objects.select_related("document__meeting"), public_id=public_id
    )
    require_perm(request, "followup.review_revision", revision)
    form = ReviewForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                document = authoring.approve_revision(request.user, revision, comment)
                messages.success(request, _("Approved: the document is published."))
                return redirect(document)
            authoring.return_revision(request.user, revision, comment)
            messages.success(request, _("Returned to its authors with your comments."))
            return redirect(revision)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    revision.refresh_from_db()
    return render(
        request,
        "followup/revision_detail.html",
        {
            "revision": revision,
            "document": revision.document,
            "recs": revision.recommendations,
            "removed": [],
            "events": list(revision.events.select_related("actor")),
            "can_review": revision.state == OutcomeRevision.State.IN_REVIEW,
            "review_form": form,
        },
        status=400,
    )


def document_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every revision of a document with its edits and review decisions, newest first."""
    require_perm(request, "followup.author_outcomes")
    document = get_object_or_404(OutcomeDocument.objects.select_related("meeting"), meeting__slug=slug)
    revisions = document.revisions.select_related("author").order_by("-number")
    events = RevisionEvent.objects.filter(revision__document=document).select_related("actor")
    by_revision: dict[int, list[RevisionEvent]] = {}
    for e in events:
        by_revision.setdefault(e.revision_id, []).append(e)
    return render(
        request,
        "followup/outcome_history.html",
        {"document": document, "revisions": [(r, by_revision.get(r.pk, [])) for r in revisions]},
    )
