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
    """No address or stored text can contain a NUL character, and PostgreSQL refuses one in a
    query parameter (which would otherwise surface as a server error).

    An address with NUL is not found. In query values NUL becomes U+FFFD, the Unicode
    replacement character, so a filter or search holding it simply matches nothing — the same
    answer on SQLite and PostgreSQL, and a valid request still gets a valid (empty) answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseNotFound, JsonResponse, QueryDict

        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            return HttpResponseNotFound()
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", "\ufffd"), [v.replace("\x00", "\ufffd") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
