"""The "Not interested" button on a suggestion."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..dismissals import dismiss_suggestion
from ..errors import MatchmakingError
from ..models import Profile
from .helpers import require_profile, setup_of


@require_POST
def dismiss(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    other = get_object_or_404(Profile, setup=setup, public_id=public_id)
    try:
        dismiss_suggestion(request.user, mine, other)
        messages.info(request, _("%(name)s is hidden from your suggestions.") % {"name": other.name})
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:home", slug)
