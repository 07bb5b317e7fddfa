"""Public registry pages and the edit pages for those allowed (thin: parse, authorise, call, render)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm

from . import services
from .forms import CityForm, PersonForm
from .models import City, MemberState, Organisation, Person, Role


def _roles_split(roles: list[Role]) -> tuple[list[Role], list[Role]]:
    today = timezone.localdate()
    current = [r for r in roles if r.is_current(today)]
    past = [r for r in roles if r.end_date and r.end_date < today]
    return current, past


def home(request: HttpRequest) -> HttpResponse:
    cities = list(City.objects.select_related("country").order_by("name"))
    states = MemberState.objects.annotate(n_cities=Count("cities"))
    this_year = timezone.localdate().year
    chair = (
        Role.objects.filter(kind=Role.Kind.CHAIR, year__lte=this_year)
        .select_related("member_state")
        .order_by("-year")
        .first()
    )
    figures = {
        "member_states": len(states),
        "cities": len(cities),
        "organisations": Organisation.objects.count(),
        "companies": Organisation.objects.filter(kind=Organisation.Kind.COMPANY).count(),
    }
    map_points = [
        {
            "name": c.name,
            "country": c.country.name,
            "lat": float(c.latitude),
            "lng": float(c.longitude),
            "url": c.get_absolute_url(),
        }
        for c in cities
    ]
    return render(
        request,
        "registry/home.html",
        {
            "figures": figures,
            "states": states,
            "chair": chair,
            "map_points": map_points,
            "cities": cities,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def city_list(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "").upper()
    cities = City.objects.select_related("country").prefetch_related(
        Prefetch(
            "roles",
            queryset=Role.objects.current().filter(kind=Role.Kind.CSCO).select_related("person"),
            to_attr="current_officers",
        )
    )
    if country:
        cities = cities.filter(country__code=country)
    states = MemberState.objects.annotate(n_cities=Count("cities")).filter(n_cities__gt=0)
    return render(
        request, "registry/city_list.html", {"cities": cities, "states": states, "country": country}
    )


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    officers_current, officers_past = _roles_split(
        list(city.roles.filter(kind=Role.Kind.CSCO).select_related("person__organisation"))
    )
    nr = (
        Role.objects.current()
        .filter(kind=Role.Kind.NATIONAL_REPRESENTATIVE, member_state=city.country)
        .select_related("organisation", "person")
        .first()
    )
    return render(
        request,
        "registry/city_detail.html",
        {
            "city": city,
            "officers_current": officers_current,
            "officers_past": officers_past,
            "nr": nr,
            "can_edit": request.user.has_perm("registry.change_city", city),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_points": [
                {
                    "name": city.name,
                    "country": city.country.name,
                    "lat": float(city.latitude),
                    "lng": float(city.longitude),
                    "url": "",
                }
            ],
        },
    )


def city_edit(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    require_perm(request, "registry.change_city", city)
    form = CityForm(request.POST or None, instance=City.objects.get(pk=city.pk))
    if request.method == "POST" and form.is_valid():
        changes = services.update_city(request.user, city, form.cleaned_data)
        if changes:
            messages.success(request, _("Saved: %(fields)s.") % {"fields": ", ".join(changes)})
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(city)
    return render(
        request, "registry/city_edit.html", {"city": city, "form": form}, status=400 if form.errors else 200
    )


def member_state_list(request: HttpRequest) -> HttpResponse:
    states = MemberState.objects.annotate(n_cities=Count("cities")).prefetch_related(
        Prefetch(
            "roles",
            queryset=Role.objects.current()
            .filter(kind=Role.Kind.NATIONAL_REPRESENTATIVE)
            .select_related("organisation"),
            to_attr="current_nr",
        )
    )
    chairs = (
        Role.objects.filter(kind__in=[Role.Kind.CHAIR, Role.Kind.SHEPHERD])
        .select_related("member_state")
        .order_by("year", "kind")
    )
    return render(request, "registry/member_state_list.html", {"states": states, "chairs": chairs})


def member_state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(MemberState, code=code.upper())
    nr_current, nr_past = _roles_split(
        list(
            state.roles.filter(kind=Role.Kind.NATIONAL_REPRESENTATIVE).select_related(
                "organisation", "person"
            )
        )
    )
    chair_years = state.roles.filter(kind__in=[Role.Kind.CHAIR, Role.Kind.SHEPHERD]).order_by("year")
    return render(
        request,
        "registry/member_state_detail.html",
        {
            "state": state,
            "nr_current": nr_current,
            "nr_past": nr_past,
            "chair_years": chair_years,
            "cities": state.cities.all(),
        },
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    country = request.GET.get("country", "").upper()
    q = request.GET.get("q", "").strip()
    orgs = Organisation.objects.select_related("city").annotate(n_people=Count("people"))
    if kind:
        orgs = orgs.filter(kind=kind)
    if country:
        orgs = orgs.filter(country=country)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return render(
        request,
        "registry/organisation_list.html",
        {
            "organisations": orgs,
            "kind": kind,
            "country": country,
            "q": q,
            "kinds": Organisation.Kind.choices,
            "countries": sorted(
                {(o.country, o.country_name) for o in Organisation.objects.only("country")},
                key=lambda c: c[1],
            ),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.select_related("city__country"), slug=slug)
    people = org.people.all()
    roles = org.roles.select_related("member_state").order_by("-start_date")
    return render(
        request, "registry/organisation_detail.html", {"org": org, "people": people, "roles": roles}
    )


def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("organisation"), public_id=public_id)
    current, past = _roles_split(list(person.roles.select_related("city", "member_state", "organisation")))
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "roles_current": current,
            "roles_past": past,
            "can_see_contact": request.user.has_perm("registry.view_person_contact", person),
            "can_edit": request.user.has_perm("registry.change_person", person),
        },
    )


def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("organisation"), public_id=public_id)
    require_perm(request, "registry.change_person", person)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))

    def save() -> Person:
        services.update_person(request.user, person, form.cleaned_data)
        return person

    if done := submit_form(request, form, save, success=_("Saved.")):
        return done
    return render(
        request, "registry/person_edit.html", {"person": person, "form": form}, status=form_status(form)
    )
