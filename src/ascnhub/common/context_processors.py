"""Template context shared by every page."""

from django.conf import settings

from .permissions import is_secretariat


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "viewer_timezone": getattr(request, "viewer_timezone", settings.TIME_ZONE),
        "user_is_secretariat": is_secretariat(request.user) if hasattr(request, "user") else False,
    }
