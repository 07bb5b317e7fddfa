"""The planning guidebook: its chapters, editing with revisions (a conflicting save shows the
other editor's change), comments, review and publication, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import translations
from ascnhub.common.http import require_perm

from .. import exporters, services
from ..forms import ChapterEditForm, CommentForm, ReviewForm
from ..models import Chapter, ChapterComment, ChapterRevision
from ..text import diff_lines, render_markdown, three_way_merge


def guidebook(request: HttpRequest) -> HttpResponse:
    contributor = request.user.has_perm("knowledge.view_guidebook_drafts")
    chapters = Chapter.objects.select_related("published_revision", "updated_by__person").order_by(
        "position", "id"
    )
    if not contributor:
        chapters = list(chapters.filter(published_revision__isnull=False))
        for c in chapters:  # a draft's new title is not public yet
            c.title = c.published_revision.title
    parts = []
    for value, label in Chapter.Part.choices:
        items = [c for c in chapters if c.part == value]
        if items:
            parts.append({"value": value, "label": label, "chapters": items})
    return render(request, "knowledge/guidebook.html", {"parts": parts, "contributor": contributor})


def _chapter_for(request: HttpRequest, slug: str) -> tuple[Chapter, bool]:
    chapter = get_object_or_404(Chapter.objects.select_related("published_revision", "updated_by"), slug=slug)
    contributor = request.user.has_perm("knowledge.view_guidebook_drafts")
    if not contributor and chapter.published_revision is None:
        raise Http404
    return chapter, contributor


def chapter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    chapter, contributor = _chapter_for(request, slug)
    show_draft = contributor and request.GET.get("version") != "published"
    # Versions in other languages translate the published text: the draft is shown as written.
    page = translations.page_context(request, chapter)
    if show_draft or chapter.published_revision is None:
        title, body, number = chapter.title, chapter.body, chapter.revision_number
        page["text"] = None
    else:
        number = chapter.published_revision.number
        title, body = page["text"]["title"], page["text"]["body"]
    comments = (
        chapter.comments.select_related("author__person") if contributor else ChapterComment.objects.none()
    )
    user = request.user
    return render(
        request,
        "knowledge/chapter_detail.html",
        {
            "chapter": chapter,
            **page,
            "title": title,
            "body_html": render_markdown(body),
            "number": number,
            "contributor": contributor,
            "show_draft": show_draft,
            "unpublished_changes": chapter.published_revision_id is not None
            and chapter.published_revision.number != chapter.revision_number,
            "comments": comments,
            "comment_form": CommentForm(),
            "review_form": ReviewForm(),
            "can_edit": user.has_perm("knowledge.change_chapter", chapter),
            "can_comment": user.has_perm("knowledge.comment_chapter", chapter),
            "can_submit": user.has_perm("knowledge.submit_chapter", chapter),
            "can_approve": user.has_perm("knowledge.approve_chapter", chapter),
            "can_request_changes": user.has_perm("knowledge.request_changes", chapter),
        },
    )


def chapter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_perm(request, "knowledge.change_chapter", chapter)
    conflict = None
    if request.method == "POST":
        form = ChapterEditForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_chapter(
                    request.user,
                    chapter,
                    title=d["title"],
                    body=d["body"],
                    base_revision=d["base_revision"],
                    summary=d["summary"],
                )
            except services.EditConflict as exc:
                conflict = exc
                # Keep the editor's text — merged with the other person's when both fit together —
                # and make the next save start from the revision now current.
                data = request.POST.copy()
                mine = d["body"].replace("\r\n", "\n").strip() + "\n"
                merged = three_way_merge(exc.base.body if exc.base else "", mine, exc.current.body)
                if merged is not None and merged != mine:
                    data["body"] = merged
                data["base_revision"] = str(exc.current.number)
                form = ChapterEditForm(data)
                form.is_valid()
            except services.KnowledgeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved as revision %(n)s.") % {"n": chapter.revision_number})
                return redirect(chapter)
    else:
        form = ChapterEditForm(
            initial={"title": chapter.title, "body": chapter.body, "base_revision": chapter.revision_number}
        )
    context = {"chapter": chapter, "form": form, "conflict": conflict}
    if conflict is not None:
        base_body = conflict.base.body if conflict.base else ""
        context.update(
            {
                "merged": form.data["body"] != request.POST.get("body"),
                "their_diff": diff_lines(base_body, conflict.current.body),
                "their_title_changed": conflict.base is None or conflict.base.title != conflict.current.title,
                "your_diff": diff_lines(
                    conflict.current.body, request.POST.get("body", "").replace("\r\n", "\n").strip() + "\n"
                ),
            }
        )
    status = 409 if conflict else (400 if form.errors else 200)
    return render(request, "knowledge/chapter_edit.html", context, status=status)


def chapter_history(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_perm(request, "knowledge.view_guidebook_drafts", chapter)
    revisions = chapter.revisions.select_related("author__person").order_by("-number")
    return render(request, "knowledge/chapter_history.html", {"chapter": chapter, "revisions": revisions})


def chapter_diff(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_perm(request, "knowledge.view_guidebook_drafts", chapter)
    try:
        to = int(request.GET.get("to") or chapter.revision_number)
        frm = int(request.GET.get("from") or to - 1)
    except ValueError:
        raise Http404 from None
    revs = {
        r.number: r for r in chapter.revisions.select_related("author__person").filter(number__in=[frm, to])
    }
    if to not in revs:
        raise Http404
    old, new = revs.get(frm), revs[to]
    return render(
        request,
        "knowledge/chapter_diff.html",
        {
            "chapter": chapter,
            "old": old,
            "new": new,
            "lines": diff_lines(old.body if old else "", new.body),
            "title_change": (old.title if old else "", new.title)
            if not old or old.title != new.title
            else None,
            "revisions": chapter.revisions.order_by("-number").values_list("number", flat=True),
        },
    )


@require_POST
def chapter_comment(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_perm(request, "knowledge.comment_chapter", chapter)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, chapter, form.cleaned_data["body"])
            messages.success(request, _("Comment added."))
        except services.KnowledgeError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("The comment is empty or too long; nothing was saved."))
    return redirect(chapter.get_absolute_url() + "#comments")


@require_POST
def chapter_review(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    action = request.POST.get("action", "")
    perms = {
        "submit": "knowledge.submit_chapter",
        "approve": "knowledge.approve_chapter",
        "changes": "knowledge.request_changes",
    }
    if action not in perms:
        raise PermissionDenied("unknown review action")
    require_perm(request, perms[action], chapter)
    note = request.POST.get("note", "")[:5000]
    try:
        if action == "submit":
            services.submit_for_review(request.user, chapter, note)
            messages.success(request, _("Sent for review by contributors from the member states."))
        elif action == "approve":
            services.approve(request.user, chapter, note)
            messages.success(request, _("Published."))
        else:
            services.request_changes(request.user, chapter, note)
            messages.success(request, _("Changes requested; the chapter is a draft again."))
    except services.KnowledgeError as exc:
        messages.error(request, str(exc))
    return redirect(chapter)


def _wants_drafts(request: HttpRequest) -> bool:
    if request.GET.get("drafts") != "1":
        return False
    require_perm(request, "knowledge.view_guidebook_drafts")
    return True


def guidebook_export_html(request: HttpRequest) -> HttpResponse:
    html = exporters.guidebook_html(include_drafts=_wants_drafts(request))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="asean-smart-city-planning-guidebook.html"'
    # A standalone file with its styles inside: allow those, and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


def guidebook_export_pdf(request: HttpRequest) -> HttpResponse:
    pdf = exporters.guidebook_pdf(include_drafts=_wants_drafts(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="asean-smart-city-planning-guidebook.pdf"'
    return response


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_perm(request, "knowledge.view_guidebook_drafts", chapter)
    rev = get_object_or_404(
        ChapterRevision.objects.select_related("author__person"), chapter=chapter, number=number
    )
    return render(
        request,
        "knowledge/revision_detail.html",
        {"chapter": chapter, "rev": rev, "body_html": render_markdown(rev.body)},
    )
