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
