"""Template context from matchmaking that every page may need: whether to link the leads."""

from __future__ import annotations

import functools

from django.http import HttpRequest

from .leads import may_track_leads


def leads(request: HttpRequest) -> dict:
    # A callable: the template calls it (one lookup) only for a signed-in user's menu.
    return {"user_tracks_leads": functools.partial(may_track_leads, request.user)}
