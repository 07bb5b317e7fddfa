"""The notification centre: the list with mark-read, and the preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import LoginRequired

from . import services
from .errors import NoticesError
from .forms import PreferencesForm


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise LoginRequired()


def notice_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notices, newest first, 30 a page."""
    _signed_in(request)
    page = Paginator(services.notices_for(request.user), 30).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "notices/list.html", {"page": page})


@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notice (or all) read, then follow the notice's link or go back to the list."""
    _signed_in(request)
    try:
        services.mark_read(request.user, pk)  # type: ignore[arg-type]
    except NoticesError as exc:
        messages.error(request, str(exc))
        return redirect("notices:list")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notices:list")


def preferences(request: HttpRequest) -> HttpResponse:
    """Per kind of notice: in the platform only, e-mail at once, or daily digest."""
    _signed_in(request)
    form = PreferencesForm(request.POST or None, initial_choices=services.preferences_of(request.user))  # type: ignore[arg-type]
    done = submit_form(
        request,
        form,
        lambda: services.set_preferences(request.user, form.cleaned_data),  # type: ignore[arg-type]
        success=_("Your notice preferences are saved."),
        then="notices:preferences",
    )
    if done:
        return done
    return render(request, "notices/preferences.html", {"form": form}, status=form_status(form))
