"""Organisers' mailings: compose, preview, test send, send, and the figures (organisers only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm
from ascnhub.events.models import Meeting

from . import services
from .forms import MailingForm
from .models import Mailing


def _meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    require_perm(request, "events.manage_meeting", meeting)
    return meeting


def mailing_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The meeting's mailings with their figures, and the form for a new one."""
    meeting = _meeting(request, slug)
    form = MailingForm(request.POST or None, meeting=meeting)
    done = submit_form(
        request,
        form,
        lambda: services.compose(
            request.user,  # type: ignore[arg-type]
            meeting,
            form.versions(),
            categories=list(form.cleaned_data["categories"]),
            statuses=form.cleaned_data["statuses"],
            countries=form.country_codes(),
        ),
        success=_("The mailing is saved: preview it, send yourself a test, then send it."),
        then=lambda m: redirect("mailings:detail", slug=slug, pk=m.pk),
    )
    if done:
        return done
    mailings = [(m, services.figures(m)) for m in Mailing.objects.filter(meeting=meeting)]
    return render(
        request,
        "mailings/list.html",
        {"meeting": meeting, "form": form, "mailings": mailings, "placeholders": services.PLACEHOLDERS},
        status=form_status(form),
    )


def mailing_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Preview for the first recipient in each language, the audience's size, the figures."""
    meeting = _meeting(request, slug)
    mailing = get_object_or_404(Mailing, meeting=meeting, pk=pk)
    audience = services.audience(mailing)
    sample = audience.first()
    previews = []
    if sample is not None:
        for language in mailing.versions:
            original, sample.language = sample.language, language
            previews.append(services.render(mailing, sample))
            sample.language = original
    return render(
        request,
        "mailings/detail.html",
        {
            "meeting": meeting,
            "mailing": mailing,
            "audience_size": audience.count(),
            "sample": sample,
            "previews": previews,
            "figures": services.figures(mailing),
        },
    )


@require_POST
def mailing_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """`test`: the organiser gets each language version; `send`: every recipient gets theirs."""
    meeting = _meeting(request, slug)
    mailing = get_object_or_404(Mailing, meeting=meeting, pk=pk)
    try:
        if action == "test":
            n = services.send_test(request.user, mailing)  # type: ignore[arg-type]
            messages.success(request, _("%(n)d test message(s) sent to you.") % {"n": n})
        elif action == "send":
            n = services.send(request.user, mailing)  # type: ignore[arg-type]
            messages.success(request, _("%(n)d message(s) are in the outbox.") % {"n": n})
        else:
            messages.error(request, _("Unknown action."))
    except services.MailingError as exc:
        messages.error(request, str(exc))
    return redirect("mailings:detail", slug=slug, pk=pk)
