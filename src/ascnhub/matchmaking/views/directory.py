"""The directory of everyone taking part in a meeting's matchmaking (search, filters, pages)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ascnhub.common.http import require_perm

from .. import directory, services
from ..forms import FOCUS_CHOICES
from ..models import MeetingRequest, Mode, Profile
from .helpers import base_context, my_profile, setup_of


def directory_page(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.view_directory", setup)
    mine = my_profile(request, setup)
    filters = directory.DirectoryFilters.from_query(request.GET)
    profiles = directory.filter_profiles(directory.listed_profiles(setup), filters)
    if mine is not None:
        profiles = profiles.exclude(pk=mine.pk)
    page = Paginator(directory.directory_page_rows(profiles), directory.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = list(page.object_list)
    if mine is not None and entries:
        # One query for the page: which entries the viewer already asked or was asked by.
        ids = [p.pk for p in entries]
        active = MeetingRequest.objects.filter(
            Q(requester=mine, recipient_id__in=ids) | Q(recipient=mine, requester_id__in=ids),
            status__in=MeetingRequest.ACTIVE,
        )
        existing = {r.recipient_id if r.requester_id == mine.pk else r.requester_id: r for r in active}
        for entry in entries:
            entry.existing_request = existing.get(entry.pk)
    return render(
        request,
        "matchmaking/directory.html",
        {
            **base_context(request, setup),
            "mine": mine,
            # the one-click request buttons go while requests are refused; the reason is shown once
            "closed": services.requests_closed(setup) if mine is not None else None,
            "page": page,
            "entries": entries,
            "filters": filters,
            "countries": directory.country_choices(setup),
            "kinds": Profile.Kind.choices,
            "modes": Mode.choices,
            "focus_choices": FOCUS_CHOICES,
        },
    )
