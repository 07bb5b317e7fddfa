"""Views shared by the whole site: activity log, time-zone choice, health check."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .http import require_perm
from .middleware import TIMEZONE_COOKIE
from .models import ActivityLog
from .timezones import known_timezones, suggest_timezones


def activity_list(request: HttpRequest) -> HttpResponse:
    """The activity log, newest first (secretariat only)."""
    require_perm(request, "common.view_activity")
    entries = ActivityLog.objects.select_related("actor")
    object_type = request.GET.get("type", "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    labels = ActivityLog.objects.order_by().values_list("object_type", flat=True).distinct()
    types = sorted(((label, _type_name(label)) for label in labels), key=lambda t: str(t[1]).casefold())
    return render(
        request,
        "common/activity_list.html",
        {"page": page, "object_type": object_type, "types": types},
    )


def _type_name(label: str) -> str:
    """ "matchmaking.schedulerun" -> "Scheduling run" (the model's own name, in the reader's language)."""
    try:
        return capfirst(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):  # a model that no longer exists: its label is all we have
        return label


@csrf_exempt  # only a preference cookie; see urls.py
@require_POST
def set_timezone(request: HttpRequest) -> HttpResponse:
    """Remember the zone a visitor wants times shown in."""
    name = request.POST.get("timezone", "").strip()
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if name not in known_timezones():
        # The form again, with what went wrong and the zones the visitor probably meant.
        context = {"name": name, "suggestions": suggest_timezones(name), "next": target}
        return render(request, "common/timezone_form.html", context, status=400)
    response = redirect(target)
    response.set_cookie(TIMEZONE_COOKIE, name, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
