"""The privacy notice, and a signed-in person's own data: download, consents, delete my account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.http import LoginRequired

from . import services
from .errors import PrivacyError
from .models import ConsentRecord, ErasureRequest


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise LoginRequired()


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice in the reader's language (a template per interface language; English for
    any other)."""
    language = (translation.get_language() or "en").split("-")[0]
    try:
        template = select_template([f"privacy/notice_{language}.html", "privacy/notice_en.html"])
    except TemplateDoesNotExist:  # pragma: no cover - the English notice ships with the app
        raise
    return HttpResponse(template.render({"grace_days": services.grace_period().days}, request))


def my_data(request: HttpRequest) -> HttpResponse:
    """What the signed-in person can do with their data."""
    _signed_in(request)
    return render(
        request,
        "privacy/my_data.html",
        {
            "consents": ConsentRecord.objects.filter(user=request.user),
            "pending": ErasureRequest.objects.filter(user=request.user, status="pending").first(),
        },
    )


def download(request: HttpRequest) -> HttpResponse:
    """Download my data: a zip of JSON and CSV."""
    _signed_in(request)
    try:
        data = services.export_data(request.user.email)  # type: ignore[union-attr]
    except PrivacyError as exc:
        messages.error(request, str(exc))
        return redirect("privacy:my_data")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-ascnhub-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    """Ask for the account to be deleted (or, with `cancel`, withdraw the request)."""
    _signed_in(request)
    if request.POST.get("cancel"):
        services.cancel_erasure(request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your request to delete your account is withdrawn."))
        return redirect("privacy:my_data")
    try:
        erasure = services.request_erasure(request.user)  # type: ignore[arg-type]
    except PrivacyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your account will be deleted once the secretariat approves, or on %(date)s at the latest.")
            % {"date": erasure.due_at.date().isoformat()},
        )
    return redirect("privacy:my_data")


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one of the person's consents."""
    _signed_in(request)
    record = ConsentRecord.objects.filter(user=request.user, pk=pk, withdrawn_at=None).first()
    if record is None:
        messages.error(request, _("There is no such standing consent."))
    else:
        services.withdraw_consent(request.user, record.purpose, scope=record.scope)  # type: ignore[arg-type]
        messages.success(request, _("Your consent is withdrawn."))
    return redirect("privacy:my_data")
