"""The follow-up survey page, reached from the e-mail's link (the token is the permission)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..errors import MatchmakingError
from ..models import FollowUpSurvey
from ..outcomes import answer_survey


def survey(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    found = (
        FollowUpSurvey.objects.filter(token=token, profile__setup__meeting__slug=slug)
        .select_related("profile__setup__meeting", "request__requester", "request__recipient")
        .first()
    )
    if found is None:
        raise Http404("no such survey")
    error = ""
    if request.method == "POST":
        try:
            answer_survey(found, request.POST.get("result", ""), request.POST.get("note", ""))
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("matchmaking:survey", slug, token)
        except MatchmakingError as exc:
            error = str(exc.message)
    return render(
        request,
        "matchmaking/survey.html",
        {
            "survey": found,
            "meeting": found.profile.setup.meeting,
            "other": found.request.other_side(found.profile),
            "choices": FollowUpSurvey.Result.choices,
            "error": error,
        },
        status=400 if error else 200,
    )
