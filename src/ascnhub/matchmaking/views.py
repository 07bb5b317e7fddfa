"""Matchmaking pages (thin: parse, authorise, call a service, render)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.templatetags.ascnhub import zoned
from ascnhub.events.models import Meeting

from . import exporters, scheduling, services
from . import setup as setup_services
from .errors import MatchmakingError
from .forms import (
    FOCUS_CHOICES,
    AddMemberForm,
    FeedbackForm,
    LocationsForm,
    ProfileForm,
    RequestForm,
    SetMeetingForm,
    SetupForm,
)
from .models import Lead, MeetingRequest, Profile, ScheduledMeeting, ScheduleRun, Setup, Suggestion
from .outcomes import matchmaking_outcomes
from .tasks import agenda_of, refresh_suggestions


def _form_errors(form: BaseForm) -> str:
    """The form's errors on one line, each field named by its (translated) label."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        parts.append(f"{form.fields[name].label or name}: {text}" if name in form.fields else text)
    return "; ".join(parts)


def _setup(slug: str) -> Setup:
    meeting = get_object_or_404(Meeting, slug=slug)
    return setup_services.setup_for(meeting)


def _base(request: HttpRequest, setup: Setup) -> dict:
    return {
        "setup": setup,
        "meeting": setup.meeting,
        "can_organise": request.user.has_perm("matchmaking.organise", setup),
    }


def _my_profile(request: HttpRequest, setup: Setup) -> Profile | None:
    profiles = services.profiles_of_user(request.user, setup)
    return profiles[0] if profiles else None


def _require_profile(request: HttpRequest, setup: Setup) -> Profile:
    if not request.user.is_authenticated:
        raise LoginRequired()
    profile = _my_profile(request, setup)
    if profile is None:
        raise PermissionDenied("no matchmaking profile")
    return profile


def home(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("events.view_meeting", get_object_or_404(Meeting, slug=slug)):
        raise Http404("no such meeting")  # a draft meeting is the organisers' until it is announced
    setup = _setup(slug)
    profile = _my_profile(request, setup)
    context = {**_base(request, setup), "profile": profile, "outcomes": matchmaking_outcomes(setup)}
    if profile is not None:
        suggestions = (
            Suggestion.objects.filter(profile=profile)
            .select_related("other__city", "other__organisation", "other__setup__meeting")
            .order_by("rank")
        )
        country = request.GET.get("country", "").upper()
        focus = request.GET.get("focus", "")
        kind = request.GET.get("kind", "")
        if country:
            suggestions = suggestions.filter(other__country=country)
        if kind:
            suggestions = suggestions.filter(other__kind=kind)
        suggestions = list(suggestions)
        if focus:  # focus areas are a JSON list: filter in Python over at most TOP_K rows
            suggestions = [s for s in suggestions if focus in s.other.focus_areas]
        active = MeetingRequest.objects.filter(
            Q(requester=profile) | Q(recipient=profile), status__in=MeetingRequest.ACTIVE
        )
        requested = {r.pair_low if r.pair_high == profile.pk else r.pair_high: r for r in active}
        for s in suggestions:
            s.existing_request = requested.get(s.other_id)
        context.update(
            suggestions=suggestions,
            country=country,
            focus=focus,
            kind=kind,
            kinds=Profile.Kind.choices,
            focus_choices=FOCUS_CHOICES,
            pending_in=MeetingRequest.objects.filter(recipient=profile, status="pending").count(),
        )
    elif request.user.is_authenticated:
        context["registration"] = setup.meeting.registrations.filter(
            user=request.user, status="approved"
        ).first()
    return render(request, "matchmaking/home.html", context)


def _slot_label(profile_tz: str, venue_tz: str):
    def label(slot) -> str:
        return f"{zoned(slot.starts_at, profile_tz)} · {zoned(slot.starts_at, venue_tz)}"

    return label


def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
    if not request.user.is_authenticated:
        raise LoginRequired()
    profile = _my_profile(request, setup)
    registration = setup.meeting.registrations.filter(user=request.user, status="approved").first()
    if profile is None and registration is None:
        messages.error(
            request, _("Only approved participants of this meeting can take part in the matchmaking.")
        )
        return redirect("matchmaking:home", slug)
    from ascnhub.projects.models import Need, Offer

    person = getattr(request.user, "person", None)
    org = person.organisation if person else None
    needs_qs = (
        Need.objects.filter(is_open=True, city=org.city) if org and org.city_id else Need.objects.none()
    )
    offers_qs = Offer.objects.filter(organisation=org) if org else Offer.objects.none()
    instance = profile or Profile(
        setup=setup,
        owner=registration,
        name=registration.organisation_name,
        country=registration.country,
        mode=registration.mode,
        timezone=registration.timezone,
        organisation=org,
        city=org.city if org else None,
        kind="city"
        if org and org.kind == "city_government"
        else "company"
        if org and org.kind == "company"
        else "other",
    )
    form = ProfileForm(
        request.POST or None,
        instance=instance,
        setup=setup,
        needs_qs=needs_qs,
        offers_qs=offers_qs,
        slot_label=_slot_label(instance.timezone, setup.meeting.timezone),
    )
    if request.method == "POST" and form.is_valid():
        services.save_profile(request.user, form)
        refresh_suggestions.enqueue(setup.pk)
        messages.success(request, _("Profile saved. Your suggestions are being refreshed."))
        return redirect("matchmaking:home", slug)
    context = {**_base(request, setup), "form": form}
    if profile is not None:
        context.update(_delegation_context(request, profile))
    return render(request, "matchmaking/profile_form.html", context, status=400 if form.errors else 200)


def _delegation_context(request: HttpRequest, profile: Profile, form: AddMemberForm | None = None) -> dict:
    can_manage = request.user.has_perm("matchmaking.manage_delegation", profile)
    candidates = services.delegation_candidates(profile) if can_manage else None
    return {
        "profile": profile,
        "members": list(profile.members.order_by("name", "pk")),
        "can_manage": can_manage,
        "member_form": form or (AddMemberForm(candidates=candidates) if can_manage else None),
    }


def delegation(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Who meets as part of a profile's delegation; its owner (or an organiser) adds and removes
    members. With htmx, the section is answered alone; without, the page."""
    setup = _setup(slug)
    if not request.user.is_authenticated:
        raise LoginRequired()
    profile = get_object_or_404(
        Profile.objects.select_related("owner", "organisation", "city", "setup__meeting"),
        setup=setup,
        public_id=public_id,
    )
    if not (
        request.user.has_perm("matchmaking.manage_delegation", profile)
        or request.user.has_perm("matchmaking.act_for", profile)
    ):
        raise PermissionDenied("not this delegation's")
    form = None
    status = 200
    if request.method == "POST":
        require_perm(request, "matchmaking.manage_delegation", profile)
        action = request.POST.get("action")
        try:
            if action == "add":
                form = AddMemberForm(request.POST, candidates=services.delegation_candidates(profile))
                if form.is_valid():
                    registration = form.cleaned_data["registration"]
                    services.add_member(request.user, profile, registration)
                    messages.success(
                        request, _("%(name)s joined the delegation.") % {"name": registration.name}
                    )
                    form = None
                else:
                    status = 400
            elif action == "remove":
                registration = get_object_or_404(
                    profile.members.all(), public_id=request.POST.get("registration") or None
                )
                services.remove_member(request.user, profile, registration)
                messages.success(request, _("%(name)s left the delegation.") % {"name": registration.name})
            else:
                return HttpResponseBadRequest("unknown action")
        except MatchmakingError as exc:
            messages.error(request, exc.message)
            status = 400
        if not request.htmx:
            return redirect("matchmaking:delegation", slug, public_id)
    context = {**_base(request, setup), **_delegation_context(request, profile, form)}
    template = "matchmaking/_members.html" if request.htmx else "matchmaking/delegation.html"
    return render(request, template, context, status=status)


def profile_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = _setup(slug)
    other = get_object_or_404(
        Profile.objects.select_related("city", "organisation", "owner"), setup=setup, public_id=public_id
    )
    require_perm(request, "matchmaking.view_profile", other)
    mine = _my_profile(request, setup)
    existing = None
    if mine:
        low, high = sorted([mine.pk, other.pk])
        existing = MeetingRequest.objects.filter(
            setup=setup, pair_low=low, pair_high=high, status__in=MeetingRequest.ACTIVE
        ).first()
    suggestion = Suggestion.objects.filter(profile=mine, other=other).first() if mine else None
    return render(
        request,
        "matchmaking/profile_detail.html",
        {
            **_base(request, setup),
            "other": other,
            "mine": mine,
            "existing": existing,
            "suggestion": suggestion,
            "form": RequestForm(),
        },
    )


@require_POST
def request_create(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    other = Profile.objects.filter(setup=setup, public_id=public_id).first()
    if other is None:
        messages.error(request, _("That participant is not in this meeting's matchmaking."))
        return redirect("matchmaking:home", slug)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(other.get_absolute_url())
    try:
        services.send_request(
            request.user,
            mine,
            other,
            message=form.cleaned_data["message"],
            priority=form.cleaned_data["priority"],
        )
    except MatchmakingError as exc:
        messages.error(request, exc.message)
        return redirect(other.get_absolute_url())
    messages.success(request, _("Request sent to %(name)s.") % {"name": other.name})
    return redirect("matchmaking:requests", slug)


def requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    related = ("requester__setup__meeting", "recipient__setup__meeting")
    return render(
        request,
        "matchmaking/requests.html",
        {
            **_base(request, setup),
            "mine": mine,
            "incoming": MeetingRequest.objects.filter(recipient=mine).select_related(*related),
            "outgoing": MeetingRequest.objects.filter(requester=mine).select_related(*related),
        },
    )


@require_POST
def request_action(request: HttpRequest, slug: str, public_id: str, action: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    meeting_request = get_object_or_404(MeetingRequest, setup=setup, public_id=public_id)
    try:
        if action in ("accept", "decline"):
            if meeting_request.recipient_id != mine.pk:
                raise PermissionDenied("only the recipient answers")
            services.answer_request(request.user, meeting_request, accept=action == "accept")
        elif action == "cancel":
            if mine.pk not in (meeting_request.requester_id, meeting_request.recipient_id):
                raise PermissionDenied("not a side of this request")
            services.cancel_request(request.user, meeting_request)
        else:
            raise Http404(action)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:requests", slug)


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    run = setup.published_run
    meetings = agenda_of(mine, run) if run else []
    feedback: set[int] = set()
    if meetings:
        from .models import Feedback

        feedback = set(
            Feedback.objects.filter(profile=mine, meeting__in=meetings).values_list("meeting_id", flat=True)
        )
    viewer_tz = mine.timezone
    if mine.owner.user_id != request.user.pk:  # a delegation member sees its own time zone
        viewer_tz = (
            mine.members.filter(user=request.user).values_list("timezone", flat=True).first() or viewer_tz
        )
    return render(
        request,
        "matchmaking/agenda.html",
        {
            **_base(request, setup),
            "mine": mine,
            "viewer_tz": viewer_tz,
            "meetings": meetings,
            "run": run,
            "feedback_given": feedback,
            "feedback_form": FeedbackForm(),
        },
    )


def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    meetings = agenda_of(mine, setup.published_run) if setup.published_run_id else []
    response = HttpResponse(exporters.agenda_ics(mine, meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-matchmaking.ics"'
    return response


@require_POST
def meeting_action(request: HttpRequest, slug: str, public_id: str, action: str) -> HttpResponse:
    setup = _setup(slug)
    mine = _require_profile(request, setup)
    meeting = get_object_or_404(
        ScheduledMeeting.objects.select_related("request"), run__setup=setup, public_id=public_id
    )
    if mine.pk not in (meeting.request.requester_id, meeting.request.recipient_id):
        raise PermissionDenied("not a side of this meeting")
    try:
        if action == "confirm":
            services.confirm_at_table(request.user, meeting, mine)
            messages.success(request, _("Thank you: your attendance is confirmed."))
        elif action == "no-show":
            other = (
                meeting.request.recipient
                if meeting.request.requester_id == mine.pk
                else meeting.request.requester
            )
            services.mark_no_show(request.user, meeting, other)
            messages.info(request, _("Marked as a no-show."))
        elif action == "feedback":
            form = FeedbackForm(request.POST)
            if not form.is_valid():
                return HttpResponseBadRequest(_form_errors(form))
            services.give_feedback(request.user, meeting, mine, **form.cleaned_data)
            messages.success(request, _("Thank you for your feedback."))
        else:
            raise Http404(action)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:agenda", slug)


# --- organisers --------------------------------------------------------------------------------


def organise(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
    require_perm(request, "matchmaking.organise", setup)
    form = SetupForm(request.POST or None, instance=setup, prefix="setup")
    locations_form = LocationsForm(
        request.POST or None,
        prefix="loc",
        initial={
            "tables": setup.locations.filter(kind="table").count(),
            "video_rooms": setup.locations.filter(kind="virtual").count(),
        },
    )
    action = request.POST.get("action")
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
                run = scheduling.start_run(request.user, setup)
                return redirect("matchmaking:run", slug, run.number)
            if action == "set_meeting":
                set_form = SetMeetingForm(request.POST)
                if set_form.is_valid():
                    a = get_object_or_404(Profile, setup=setup, public_id=set_form.cleaned_data["a"])
                    b = get_object_or_404(Profile, setup=setup, public_id=set_form.cleaned_data["b"])
                    services.organiser_set_meeting(request.user, a, b)
                    messages.success(
                        request, _("Meeting between %(a)s and %(b)s set.") % {"a": a.name, "b": b.name}
                    )
                    return redirect("matchmaking:organise", slug)
                messages.error(request, _form_errors(set_form))
        except MatchmakingError as exc:
            messages.error(request, exc.message)
    counts = MeetingRequest.objects.filter(setup=setup).values("status").annotate(n=Count("id"))
    return render(
        request,
        "matchmaking/organise.html",
        {
            **_base(request, setup),
            "form": form,
            "locations_form": locations_form,
            "slots": setup.slots.all(),
            "runs": setup.runs.all()[:20],
            "request_counts": {row["status"]: row["n"] for row in counts},
            "profiles": setup.profiles.count(),
            "leads": Lead.objects.filter(meeting__run__setup=setup).count(),
            "set_form": SetMeetingForm(),
        },
        status=400 if form.errors or locations_form.errors else 200,
    )


def _run(setup: Setup, number: int) -> ScheduleRun:
    return get_object_or_404(ScheduleRun, setup=setup, number=number)


def run_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    setup = _setup(slug)
    require_perm(request, "matchmaking.organise", setup)
    # A run whose worker died is shown as failed (with why) instead of polling forever.
    scheduling.fail_abandoned_runs(setup)
    run = _run(setup, number)
    if request.method == "POST" and request.POST.get("action") == "publish":
        try:
            summary = scheduling.publish_run(request.user, run)
        except MatchmakingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Published: %(meetings)s meetings; %(notified)s participants notified.") % summary
            )
        return redirect("matchmaking:run", slug, number)
    template = "matchmaking/_run_progress.html" if request.htmx else "matchmaking/run_detail.html"
    return render(
        request,
        template,
        {
            **_base(request, setup),
            "run": run,
            "review": scheduling.review(run) if run.status in ("done", "published") else None,
            "newer_published": setup.published_run and setup.published_run.number > run.number,
        },
    )


def run_download(request: HttpRequest, slug: str, number: int, what: str) -> HttpResponse:
    setup = _setup(slug)
    require_perm(request, "matchmaking.organise", setup)
    run = _run(setup, number)
    document = run.instance if what == "instance" else run.result
    if document is None:
        raise Http404("not computed yet")
    response = HttpResponse(json.dumps(document, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slug}-run{number}-{what}.json"'
    return response


def leads(request: HttpRequest, slug: str) -> HttpResponse:
    setup = _setup(slug)
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
        {**_base(request, setup), "leads": rows, "statuses": Lead.Status.choices},
    )
