"""The meeting's e-mail templates (organisers only): which kinds have their own text per language,
and the editor with preview, test send to oneself, save and reset to the built-in text."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.forms import add_form_errors, form_status
from ascnhub.common.http import require_perm

from .. import message_templates
from ..forms import MessageTemplateForm
from ..models import Meeting, MessageTemplate
from ..services import EventsError
from .helpers import meeting_or_404


def _organised(request: HttpRequest, slug: str) -> Meeting:
    meeting = meeting_or_404(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    return meeting


def _kind_and_language(kind: str, language: str) -> message_templates.Kind:
    if kind not in message_templates.KINDS or language not in dict(message_templates.languages()):
        raise Http404("no such e-mail template")
    return message_templates.KINDS[kind]


def template_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every kind of e-mail, and per language whether the meeting has its own text."""
    meeting = _organised(request, slug)
    return render(
        request,
        "events/message_templates.html",
        {
            "meeting": meeting,
            "rows": message_templates.overview(meeting),
            "template_languages": message_templates.languages(),
        },
    )


def template_edit(request: HttpRequest, slug: str, kind: str, language: str) -> HttpResponse:
    """The editor: `action` preview (nothing saved), test (to the organiser alone) or save."""
    meeting = _organised(request, slug)
    k = _kind_and_language(kind, language)
    if request.method == "POST":
        form = MessageTemplateForm(request.POST)
    else:
        subject, body = message_templates.starting_text(meeting, kind, language)
        form = MessageTemplateForm(initial={"subject": subject, "body": body})
    preview = None
    action = request.POST.get("action", "preview")
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        try:
            if action == "save":
                message_templates.save(request.user, meeting, kind, language, subject, body)  # type: ignore[arg-type]
                messages.success(request, _("Saved: this text now goes out instead of the built-in one."))
                return redirect("events:message_template", slug, kind, language)
            preview = message_templates.preview(meeting, kind, language, subject, body)
            if action == "test":
                message_templates.send_test(request.user, meeting, kind, language, subject, body)  # type: ignore[arg-type]
                messages.success(
                    request, _("A test message went to %(email)s.") % {"email": request.user.email}
                )
        except EventsError as exc:
            add_form_errors(form, exc)
    own = MessageTemplate.objects.filter(meeting=meeting, kind=kind, language=language).first()
    return render(
        request,
        "events/message_template_edit.html",
        {
            "meeting": meeting,
            "kind": k,
            "language": language,
            "language_name": dict(message_templates.languages())[language],
            "form": form,
            "preview": preview,
            "own": own,
            "placeholders": k.placeholders,
        },
        status=form_status(form),
    )


@require_POST
def template_reset(request: HttpRequest, slug: str, kind: str, language: str) -> HttpResponse:
    """Delete the meeting's own text: the built-in one goes out again."""
    meeting = _organised(request, slug)
    _kind_and_language(kind, language)
    if message_templates.reset(request.user, meeting, kind, language):
        messages.success(request, _("Back to the built-in text."))
    else:
        messages.info(request, _("This e-mail already uses the built-in text."))
    return redirect("events:message_template", slug, kind, language)
