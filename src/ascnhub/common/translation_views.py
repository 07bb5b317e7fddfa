"""The translation workflow's pages: the translators' queue, one request, and asking for one.

Thin: each view parses, checks who may see the request, calls `common.translations` and renders.
The per-object "Translations" panel is rendered by the object's own page
(`common/_translations_panel.html` with `translations.panel(obj, user)`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import translations
from .errors import DomainError
from .forms import submit_form
from .http import LoginRequired
from .models import ContentTranslation, User
from .translation_forms import AssignForm, RejectForm, RequestForm, SubmitForm


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise LoginRequired()


def queue(request: HttpRequest) -> HttpResponse:
    """The translation requests the user works on (all of them for the secretariat)."""
    _signed_in(request)
    state = request.GET.get("state", "open")
    if state not in {"", "open", *ContentTranslation.State.values}:
        state = "open"
    page = Paginator(translations.queue_for(request.user, state), 50).get_page(request.GET.get("page"))
    rows = translations.attach_content(page.object_list)
    states = [("open", _("open")), ("", _("all")), *ContentTranslation.State.choices]
    return render(
        request,
        "common/translation_queue.html",
        {"page": page, "rows": rows, "state": state, "states": states},
    )


@require_POST
def request_translation(request: HttpRequest) -> HttpResponse:
    """Ask for a translation from an object's panel; back to the object's page."""
    _signed_in(request)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language for the translation."))
        return redirect(target)
    try:
        obj = translations.find_content(form.cleaned_data["content"], form.cleaned_data["object_id"])
        if not translations.may_see_content(request.user, obj):
            raise Http404
        version = translations.request_translation(request.user, obj, form.cleaned_data["language"])
    except DomainError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(
        request,
        _("Translation into %(lang)s requested.") % {"lang": translations.language_name(version.language)},
    )
    return redirect(target)


def _version_for(request: HttpRequest, public_id) -> tuple[ContentTranslation, object]:
    version = get_object_or_404(
        ContentTranslation.objects.select_related("content_type", "translator", "requested_by", "reviewer"),
        public_id=public_id,
    )
    _signed_in(request)
    obj = translations.content_of(version)
    # A request one may not see does not exist, whatever its content.
    if not translations.may_see(request.user, version, obj):
        raise Http404
    return version, obj


def detail(request: HttpRequest, public_id) -> HttpResponse:
    """One request: the original beside the translation, and the step the user may take now."""
    version, obj = _version_for(request, public_id)
    spec = translations.spec_for(obj)
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    can_manage = translations.can_manage(user, obj)
    is_translator = version.translator_id == user.pk
    assign_form = AssignForm(request.POST if action == "assign" else None)
    submit_form_ = SubmitForm(spec, version, request.POST if action == "submit" else None)
    reject_form = RejectForm(request.POST if action == "reject" else None)

    def done(result: ContentTranslation) -> str:
        return request.path

    response = None
    if action == "assign":
        response = submit_form(
            request,
            assign_form,
            lambda: translations.assign(user, version, _translator(user, assign_form.cleaned_data)),
            success=_("Assigned."),
            then=done,
        )
    elif action == "submit":
        response = submit_form(
            request,
            submit_form_,
            lambda: translations.submit(user, version, submit_form_.text()),
            success=_("Submitted for review."),
            then=done,
        )
    elif action == "reject":
        response = submit_form(
            request,
            reject_form,
            lambda: translations.reject(user, version, reject_form.cleaned_data["reason"]),
            success=_("Sent back to the translator."),
            then=done,
        )
    elif action in {"approve", "machine", "withdraw"}:
        try:
            if action == "approve":
                translations.approve(user, version)
                messages.success(request, _("Approved: readers now see this translation."))
            elif action == "withdraw":
                translations.withdraw(user, version)
                messages.success(request, _("Request withdrawn."))
            else:
                translations.request_machine_translation(user, version)
                messages.success(request, _("Machine translation started; reload the page in a moment."))
        except DomainError as exc:
            messages.error(request, str(exc))
        return redirect(request.path)
    if response is not None:
        return response
    original = spec.original(obj)
    rows = [
        {
            "name": name,
            "label": spec.label(name),
            "original": original.get(name, ""),
            "current": version.fields.get(name, ""),
            "draft": version.draft.get(name, ""),
        }
        for name in spec.fields
    ]
    context = {
        "version": version,
        "obj": obj,
        "rows": rows,
        "language_name": translations.language_name(version.language),
        "original_language_name": translations.language_name(translations.original_language(obj)),
        "status_label": translations.STATUS_LABELS.get(version.status, version.get_status_display()),
        "can_manage": can_manage,
        "can_assign": can_manage and version.state in translations.ASSIGNABLE,
        "can_submit": is_translator and version.state in translations.SUBMITTABLE,
        "can_review": can_manage
        and not is_translator
        and version.state == ContentTranslation.State.SUBMITTED,
        "can_withdraw": version.state in translations.WITHDRAWABLE
        and translations.may_withdraw(user, version, obj),
        "can_machine": can_manage
        and translations.machine_translation_enabled()
        and version.status != ContentTranslation.Status.HUMAN,
        "assign_form": assign_form,
        "submit_form": submit_form_,
        "reject_form": reject_form,
    }
    forms = (assign_form, submit_form_, reject_form)
    status = 400 if any(f.is_bound and f.errors for f in forms) else 200
    return render(request, "common/translation_detail.html", context, status=status)


def _translator(user, data: dict) -> User | None:
    """The chosen translator: the user themselves ("take it"), or the person with that e-mail."""
    if data.get("me"):
        return user
    email = (data.get("email") or "").strip().lower()
    translator = User.objects.filter(email=email, is_active=True).first()
    if translator is None:
        raise translations.TranslationError(
            "translator", _("Nobody has the e-mail address %(email)s.") % {"email": email}, field="email"
        )
    return translator
