"""Views shared by the whole site: activity log, time-zone choice, health check."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .http import require_perm
from .middleware import TIMEZONE_COOKIE
from .models import ActivityLog
from .timezones import known_timezones


def activity_list(request: HttpRequest) -> HttpResponse:
    """The activity log, newest first (secretariat only)."""
    require_perm(request, "common.view_activity")
    entries = ActivityLog.objects.select_related("actor")
    object_type = request.GET.get("type", "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    types = ActivityLog.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "common/activity_list.html",
        {"page": page, "object_type": object_type, "types": sorted(types)},
    )


@csrf_exempt  # only a preference cookie; see urls.py
@require_POST
def set_timezone(request: HttpRequest) -> HttpResponse:
    """Remember the zone a visitor wants times shown in."""
    name = request.POST.get("timezone", "")
    if name not in known_timezones():
        return HttpResponseBadRequest(f"Unknown time zone: {name!r}")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(TIMEZONE_COOKIE, name, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
