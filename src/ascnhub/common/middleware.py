"""Viewer time zone and Content-Security-Policy."""

from __future__ import annotations

import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone

from .timezones import known_timezones

TIMEZONE_COOKIE = "ascnhub_tz"


def viewer_timezone_name(request) -> str:
    """The zone to show times in: the person's own, else the browser's, else the site default."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        person = getattr(user, "person", None)
        if person is not None and person.timezone:
            return person.timezone
    # Browsers' scripts often percent-encode the value ("Asia%2FTokyo"); a zone name never holds "%".
    name = unquote(request.COOKIES.get(TIMEZONE_COOKIE, ""))
    if name in known_timezones():
        return name
    return settings.ASCNHUB_DEFAULT_VIEWER_TIMEZONE


class ViewerTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = viewer_timezone_name(request)
        request.viewer_timezone = name
        timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ContentSecurityPolicyMiddleware:
    """A strict CSP: our own scripts and styles only; map tiles from the configured tile host."""

    def __init__(self, get_response):
        self.get_response = get_response
        tile_origin = "/".join(settings.MAP_TILE_URL.split("/")[:3]).replace("{s}.", "*.")
        self.policy = "; ".join(
            [
                "default-src 'self'",
                f"img-src 'self' data: {tile_origin}",
                "script-src 'self'",
                "style-src 'self'",
                "font-src 'self'",
                "connect-src 'self'",
                "frame-ancestors 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "object-src 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response


class SecretariatMFAMiddleware:
    """Secretariat and staff accounts must set up two-factor authentication before anything else.

    They can change everything, so a stolen password alone must not be enough. Until an
    authenticator is set up, every page except the account pages sends them to set one up.
    """

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT and self._needs_mfa(request):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.warning(
                request,
                _(
                    "Secretariat accounts must use two-factor authentication: "
                    "set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _needs_mfa(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return False
        from allauth.mfa.models import Authenticator

        from .permissions import is_secretariat

        if not (user.is_staff or is_secretariat(user)):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
