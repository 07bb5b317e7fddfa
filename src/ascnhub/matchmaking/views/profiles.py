"""A participant's side: suggestions, their profile, their delegation, another participant's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ascnhub.common import translations
from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.templatetags.ascnhub import zoned_span
from ascnhub.events.models import Meeting
from ascnhub.projects.models import Need, Offer
from ascnhub.registry.countries import country_name

from .. import contacts, services
from ..errors import MatchmakingError
from ..forms import FOCUS_CHOICES, AddMemberForm, ProfileForm, RequestForm
from ..models import MeetingRequest, Profile, Suggestion
from ..outcomes import matchmaking_outcomes
from ..suggestions import apply_dismissals, fold
from ..tasks import refresh_suggestions
from .helpers import base_context, my_profile, setup_of


def home(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("events.view_meeting", get_object_or_404(Meeting, slug=slug)):
        raise Http404("no such meeting")  # a draft meeting is the organisers' until it is announced
    setup = setup_of(slug)
    profile = my_profile(request, setup)
    context = {**base_context(request, setup), "profile": profile, "outcomes": matchmaking_outcomes(setup)}
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
        # The filter offers the countries of this profile's suggestions, by name.
        countries = sorted(
            {
                (c, country_name(c))
                for c in Suggestion.objects.filter(profile=profile).values_list("other__country", flat=True)
            },
            key=lambda kv: kv[1],
        )
        suggestions = list(suggestions)
        if focus:  # focus areas are a JSON list: filter in Python over at most TOP_K rows
            suggestions = [s for s in suggestions if focus in s.other.focus_areas]
        suggestions = apply_dismissals(profile, suggestions)
        active = MeetingRequest.objects.filter(
            Q(requester=profile) | Q(recipient=profile), status__in=MeetingRequest.ACTIVE
        )
        requested = {r.pair_low if r.pair_high == profile.pk else r.pair_high: r for r in active}
        for s in suggestions:
            s.existing_request = requested.get(s.other_id)
        # When they were last computed: the time of the last background refresh.
        updated = max((s.computed_at for s in suggestions), default=None)
        context.update(
            suggestions=fold(suggestions),
            suggestions_total=len(suggestions),
            suggestions_updated=updated,
            refresh_pending=updated is not None and profile.updated_at > updated,
            country=country,
            countries=countries,
            filtered=bool(country or focus or kind),
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
        mine = zoned_span(slot.starts_at, slot.ends_at, profile_tz)
        return f"{mine} · {zoned_span(slot.starts_at, slot.ends_at, venue_tz)}"

    return label


def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    if not request.user.is_authenticated:
        raise LoginRequired()
    profile = my_profile(request, setup)
    registration = setup.meeting.registrations.filter(user=request.user, status="approved").first()
    if profile is None and registration is None:
        messages.error(
            request, _("Only approved participants of this meeting can take part in the matchmaking.")
        )
        return redirect("matchmaking:home", slug)
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
    context = {**base_context(request, setup), "form": form}
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
    setup = setup_of(slug)
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
    context = {**base_context(request, setup), **_delegation_context(request, profile, form)}
    template = "matchmaking/_members.html" if request.htmx else "matchmaking/delegation.html"
    return render(request, template, context, status=status)


def profile_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = setup_of(slug)
    other = get_object_or_404(
        Profile.objects.select_related("city", "organisation", "owner"), setup=setup, public_id=public_id
    )
    require_perm(request, "matchmaking.view_profile", other)
    mine = my_profile(request, setup)
    existing = None
    if mine:
        low, high = sorted([mine.pk, other.pk])
        existing = MeetingRequest.objects.filter(
            setup=setup, pair_low=low, pair_high=high, status__in=MeetingRequest.ACTIVE
        ).first()
    suggestion = Suggestion.objects.filter(profile=mine, other=other).first() if mine else None
    shared = contacts.contacts_for(request.user, setup, other) if mine else None
    return render(
        request,
        "matchmaking/profile_detail.html",
        {
            **base_context(request, setup),
            "other": other,
            "mine": mine,
            "existing": existing,
            "suggestion": suggestion,
            "shared_contacts": shared,
            "form": RequestForm(),
            **translations.page_context(request, other),
        },
    )
