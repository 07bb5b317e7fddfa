"""The organisers' pages: rules, slots and tables, scheduling runs and their publication, leads."""

from __future__ import annotations

import json

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ascnhub.common.http import require_perm

from .. import history, scheduling, services
from .. import setup as setup_services
from ..errors import MatchmakingError
from ..forms import LocationsForm, SetMeetingForm, SetupForm, participant_label
from ..models import Lead, MeetingRequest, ScheduleRun, Setup
from .helpers import base_context, form_errors_text, setup_of


def organise(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    action = request.POST.get("action") if request.method == "POST" else None
    # Only the submitted form is bound: an error in one form must not blank the others.
    form = SetupForm(request.POST if action == "rules" else None, instance=setup, prefix="setup")
    locations_form = LocationsForm(
        request.POST if action == "locations" else None,
        prefix="loc",
        initial={
            "tables": setup.locations.filter(kind="table").count(),
            "video_rooms": setup.locations.filter(kind="virtual").count(),
        },
    )
    set_form = SetMeetingForm(request.POST if action == "set_meeting" else None, setup=setup)
    if request.method == "POST":
        try:
            if action == "rules" and form.is_valid():
                services.save_setup(request.user, form)
                messages.success(request, _("Rules saved."))
                return redirect("matchmaking:organise", slug)
            if action == "slots":
                n = setup_services.slots_from_agenda(request.user, setup)
                messages.success(
                    request, _("%(n)s slots cut from the agenda's matchmaking blocks.") % {"n": n}
                )
                return redirect("matchmaking:organise", slug)
            if action == "locations" and locations_form.is_valid():
                setup_services.set_locations(request.user, setup, **locations_form.cleaned_data)
                messages.success(request, _("Tables and video rooms saved."))
                return redirect("matchmaking:organise", slug)
            if action == "run":
                run = scheduling.start_run(
                    request.user, setup, from_scratch=request.POST.get("from_scratch") == "on"
                )
                return redirect("matchmaking:run", slug, run.number)
            if action == "set_meeting" and set_form.is_valid():
                a, b = set_form.cleaned_data["a"], set_form.cleaned_data["b"]
                services.organiser_set_meeting(request.user, a, b)
                messages.success(
                    request, _("Meeting between %(a)s and %(b)s set.") % {"a": a.name, "b": b.name}
                )
                return redirect("matchmaking:organise", slug)
            if set_form.errors:
                messages.error(request, form_errors_text(set_form))
        except MatchmakingError as exc:
            messages.error(request, exc.message)
    counts = MeetingRequest.objects.filter(setup=setup).values("status").annotate(n=Count("id"))
    return render(
        request,
        "matchmaking/organise.html",
        {
            **base_context(request, setup),
            "form": form,
            "locations_form": locations_form,
            "slots": setup.slots.all(),
            "runs": setup.runs.all(),
            "request_counts": {row["status"]: row["n"] for row in counts},
            "profiles": setup.profiles.count(),
            "leads": Lead.objects.filter(meeting__run__setup=setup).count(),
            "set_form": set_form,
            # only confirmed participants are suggested: a meeting with a pending one is refused
            "participant_labels": [
                participant_label(p)
                for p in setup.profiles.filter(owner__status="approved")
                .select_related("organisation")
                .order_by("name")
            ],
        },
        status=400 if form.errors or locations_form.errors or set_form.errors else 200,
    )


def _run(setup: Setup, number: int) -> ScheduleRun:
    return get_object_or_404(ScheduleRun, setup=setup, number=number)


def run_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    # A run whose worker died is shown as failed (with why) instead of polling forever.
    scheduling.fail_abandoned_runs(setup)
    run = _run(setup, number)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("publish", "rollback"):
        try:
            if action == "publish":
                summary = scheduling.publish_run(request.user, run)
            else:
                run, summary = history.rollback(request.user, setup, number)
        except MatchmakingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Published: %(meetings)s meetings; %(notified)s participants notified.") % summary
            )
        return redirect("matchmaking:run", slug, run.number)
    template = "matchmaking/_run_progress.html" if request.htmx else "matchmaking/run_detail.html"
    return render(
        request,
        template,
        {
            **base_context(request, setup),
            "run": run,
            "review": scheduling.review(run) if run.status in ("done", "published") else None,
            "newer_published": setup.published_run and setup.published_run.number > run.number,
            "diff": history.schedule_diff(setup, run)
            if run.status in history.FINISHED and run.pk != setup.published_run_id and not request.htmx
            else None,
        },
    )


def run_download(request: HttpRequest, slug: str, number: int, what: str) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    run = _run(setup, number)
    document = run.instance if what == "instance" else run.result
    if document is None:
        raise Http404("not computed yet")
    response = HttpResponse(json.dumps(document, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slug}-run{number}-{what}.json"'
    return response


def leads(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    if request.method == "POST":
        lead = get_object_or_404(Lead, meeting__run__setup=setup, public_id=request.POST.get("lead"))
        try:
            services.update_lead(
                request.user, lead, status=request.POST.get("status", ""), note=request.POST.get("note", "")
            )
        except MatchmakingError as exc:
            messages.error(request, exc.message)
        return redirect("matchmaking:leads", slug)
    rows = Lead.objects.filter(meeting__run__setup=setup).select_related(
        "city", "organisation", "meeting__request__requester", "meeting__request__recipient", "meeting__slot"
    )
    return render(
        request,
        "matchmaking/leads.html",
        {**base_context(request, setup), "leads": rows, "statuses": Lead.Status.choices},
    )
