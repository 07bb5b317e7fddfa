"""What the matchmaking pages share: the meeting's setup, the viewer's profile, one-line errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ascnhub.common.http import LoginRequired
from ascnhub.events.models import Meeting

from .. import services
from .. import setup as setup_services
from ..models import Profile, Setup


def form_errors_text(form: BaseForm) -> str:
    """The form's errors on one line, each field named by its (translated) label."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        parts.append(f"{form.fields[name].label or name}: {text}" if name in form.fields else text)
    return "; ".join(parts)


def setup_of(slug: str) -> Setup:
    meeting = get_object_or_404(Meeting, slug=slug)
    return setup_services.setup_for(meeting)


def base_context(request: HttpRequest, setup: Setup) -> dict:
    return {
        "setup": setup,
        "meeting": setup.meeting,
        "can_organise": request.user.has_perm("matchmaking.organise", setup),
    }


def my_profile(request: HttpRequest, setup: Setup) -> Profile | None:
    profiles = services.profiles_of_user(request.user, setup)
    return profiles[0] if profiles else None


def require_profile(request: HttpRequest, setup: Setup) -> Profile:
    if not request.user.is_authenticated:
        raise LoginRequired()
    profile = my_profile(request, setup)
    if profile is None:
        raise PermissionDenied("no matchmaking profile")
    return profile
