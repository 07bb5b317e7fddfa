"""API v1: the network registry (public)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from ascnhub.registry.models import City, MemberState, Organisation, Role

from .pagination import Mapped, Page
from .schemas import CityOut, CitySummaryOut, ErrorOut, MemberStateOut, OrganisationOut

router = Router(tags=["registry"])


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _state(request, s: MemberState) -> dict:
    return {
        "code": s.code,
        "name": s.name,
        "joined_asean": s.joined_asean,
        "url": _abs(request, s.get_absolute_url()),
    }


def _city(request, c: City) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "country": c.country.code,
        "kind": c.kind,
        "joined_year": c.joined_year,
        "latitude": float(c.latitude),
        "longitude": float(c.longitude),
        "timezone": c.timezone,
        "url": _abs(request, c.get_absolute_url()),
    }


def _holder(r: Role) -> dict:
    return {
        "name": r.person.name if r.person else None,
        "organisation": r.organisation.name if r.organisation else None,
        "since": r.start_date,
        "until": r.end_date,
    }


@router.get(
    "/member-states", response={200: list[MemberStateOut], 422: ErrorOut}, summary="All ASEAN member states"
)
def list_member_states(request):
    return [_state(request, s) for s in MemberState.objects.all()]


@router.get(
    "/member-states/{code}", response={200: MemberStateOut, 404: ErrorOut}, summary="One member state"
)
def get_member_state(request, code: str):
    return _state(request, get_object_or_404(MemberState, code=code.upper()))


class CityFilter(Schema):
    country: str | None = None


@router.get("/cities", response={200: list[CitySummaryOut], 422: ErrorOut}, summary="ASCN pilot cities")
@paginate(Page)
def list_cities(request, filters: Query[CityFilter]):
    cities = City.objects.select_related("country").order_by("name")
    if filters.country:
        cities = cities.filter(country__code=filters.country.upper())
    return Mapped(cities, lambda c: _city(request, c))


@router.get("/cities/{slug}", response={200: CityOut, 404: ErrorOut}, summary="One city with its officers")
def get_city(request, slug: str):
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    roles = list(city.roles.filter(kind=Role.Kind.CSCO).select_related("person", "organisation"))
    current = [r for r in roles if r.is_current()]
    past = [r for r in roles if r.end_date and not r.is_current()]
    return {
        **_city(request, city),
        "description": city.description,
        "website": city.website,
        "population": city.population,
        "chief_smart_city_officer": _holder(current[0]) if current else None,
        "past_officers": [_holder(r) for r in past],
    }


class OrganisationFilter(Schema):
    kind: Organisation.Kind | None = None
    country: str | None = None


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], 422: ErrorOut},
    summary="Organisations in the network",
)
@paginate(Page)
def list_organisations(request, filters: Query[OrganisationFilter]):
    orgs = Organisation.objects.select_related("city").order_by("name")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.country:
        orgs = orgs.filter(country=filters.country.upper())
    return Mapped(
        orgs,
        lambda o: {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind,
            "country": o.country,
            "city": o.city.slug if o.city else None,
            "website": o.website,
            "is_demo": o.is_demo,
            "url": _abs(request, o.get_absolute_url()),
        },
    )


@router.get(
    "/organisations/{slug}", response={200: OrganisationOut, 404: ErrorOut}, summary="One organisation"
)
def get_organisation(request, slug: str):
    o = get_object_or_404(Organisation.objects.select_related("city"), slug=slug)
    return {
        "slug": o.slug,
        "name": o.name,
        "kind": o.kind,
        "country": o.country,
        "city": o.city.slug if o.city else None,
        "website": o.website,
        "is_demo": o.is_demo,
        "url": _abs(request, o.get_absolute_url()),
    }
