"""Helpers for thin views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class LoginRequired(Exception):
    """Raised for an anonymous visitor on a page that needs a signed-in user."""


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise 403 unless the user holds `perm` on `obj`; anonymous visitors are asked to sign in."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired()
    raise PermissionDenied(perm)


class LoginRequiredMiddleware:
    """Turn LoginRequired into a redirect to the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None


class RejectNullCharactersMiddleware:
    """No address or query may carry a NUL character: no page or record can have one, and
    PostgreSQL refuses it in text (which would otherwise surface as a server error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest, HttpResponseNotFound, JsonResponse

        is_api = request.path.startswith("/api/")
        if "\x00" in request.path:
            if is_api:
                return JsonResponse({"detail": "Not found."}, status=404)
            return HttpResponseNotFound()
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            message = "query: NUL characters are not allowed"
            if is_api:
                return JsonResponse({"detail": message}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
