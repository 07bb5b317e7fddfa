"""API v1: support programmes, their studies, agreements with their cooperation items, city councils.

Only what the public pages show: published programmes, studies, agreements and councils, and of
the projects they link to only the published ones. Lists are paginated in the database, and each
page reads its related rows in a fixed number of queries, whatever its length.
"""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from ascnhub.programmes.models import (
    Agreement,
    CooperationItem,
    Council,
    CouncilMeeting,
    ItemStatus,
    ItemUpdate,
    Programme,
    Study,
)
from ascnhub.projects.models import Project

from .pagination import Mapped, Page
from .schemas import ErrorOut

router = Router(tags=["programmes"])


class NamedOut(Schema):
    slug: str
    name: str


class ProgrammeOut(Schema):
    slug: str
    name: str
    description: str
    funder: NamedOut | None
    website: str
    studies: list[str]
    url: str


class StudyDocumentOut(Schema):
    kind: str
    title: str
    url: str
    date: datetime.date | None


class StudyOut(Schema):
    slug: str
    title: str
    programme: str
    theme: str
    focus_area: str
    fiscal_year: int
    cities: list[str]
    consortium: list[NamedOut]
    kickoff_date: datetime.date | None
    summary: str
    deliverables: list[str]
    documents: list[StudyDocumentOut]
    projects: list[str]
    url: str


class ItemUpdateOut(Schema):
    date: datetime.date
    status: str
    note: str


class CooperationItemOut(Schema):
    number: int
    title: str
    description: str
    status: str
    updates: list[ItemUpdateOut]
    projects: list[str]


class AgreementOut(Schema):
    slug: str
    title: str
    kind: str
    signed_on: datetime.date
    summary: str
    cities: list[str]
    organisations: list[NamedOut]
    study: str | None
    items: list[CooperationItemOut]
    url: str


class CouncilMemberOut(Schema):
    name: str
    organisation: str | None
    role: str


class CouncilDocumentOut(Schema):
    title: str
    url: str


class CouncilMeetingOut(Schema):
    date: datetime.date
    title: str
    summary: str
    documents: list[CouncilDocumentOut]


class CouncilOut(Schema):
    slug: str
    name: str
    city: str
    country: str
    established_on: datetime.date
    purpose: str
    members: list[CouncilMemberOut]
    meetings: list[CouncilMeetingOut]
    url: str


def _named(org) -> dict | None:
    return {"slug": org.slug, "name": org.name} if org is not None else None


def _public_projects(prefix: str = "") -> Prefetch:
    # Without to_attr: `.projects.all()` then holds only the published ones.
    return Prefetch(f"{prefix}projects", queryset=Project.objects.public().only("slug").order_by("slug"))


# --- programmes ----------------------------------------------------------------------------------


def _programmes():
    return (
        Programme.objects.public()
        .select_related("funder")
        .prefetch_related(
            Prefetch(
                "studies", queryset=Study.objects.public().only("slug", "programme"), to_attr="public_studies"
            )
        )
        .order_by("name")
    )


def _programme(request, p: Programme) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        "description": p.description,
        "funder": _named(p.funder),
        "website": p.website,
        "studies": [s.slug for s in p.public_studies],  # type: ignore[attr-defined]
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }


@router.get("/programmes", response={200: list[ProgrammeOut], 422: ErrorOut}, summary="Support programmes")
@paginate(Page)
def list_programmes(request):
    return Mapped(_programmes(), lambda p: _programme(request, p))


@router.get(
    "/programmes/{slug}", response={200: ProgrammeOut, 404: ErrorOut}, summary="One support programme"
)
def get_programme(request, slug: str):
    return _programme(request, get_object_or_404(_programmes(), slug=slug))


# --- studies -------------------------------------------------------------------------------------


class StudyFilter(Schema):
    programme: str | None = None
    city: str | None = None
    fiscal_year: int | None = None


def _studies():
    return (
        Study.objects.public()
        .filter(programme__published=True)
        .select_related("programme")
        .prefetch_related("cities", "consortium", "documents", _public_projects())
        .order_by("-fiscal_year", "title")
    )


def _study(request, s: Study) -> dict:
    return {
        "slug": s.slug,
        "title": s.title,
        "programme": s.programme.slug,
        "theme": s.theme,
        "focus_area": s.focus_area,
        "fiscal_year": s.fiscal_year,
        "cities": [c.slug for c in s.cities.all()],
        "consortium": [_named(o) for o in s.consortium.all()],
        "kickoff_date": s.kickoff_date,
        "summary": s.summary,
        "deliverables": s.deliverable_list,
        "documents": [
            {"kind": d.kind, "title": d.title, "url": d.url, "date": d.date} for d in s.documents.all()
        ],
        "projects": [p.slug for p in s.projects.all()],
        "url": request.build_absolute_uri(s.get_absolute_url()),
    }


@router.get(
    "/studies",
    response={200: list[StudyOut], 422: ErrorOut},
    summary="Support studies (programme, city, year)",
)
@paginate(Page)
def list_studies(request, filters: Query[StudyFilter]):
    studies = _studies()
    if filters.programme:
        studies = studies.filter(programme__slug=filters.programme)
    if filters.city:
        studies = studies.filter(cities__slug=filters.city)
    if filters.fiscal_year is not None:
        studies = studies.filter(fiscal_year=filters.fiscal_year)
    return Mapped(studies.distinct(), lambda s: _study(request, s))


@router.get("/studies/{slug}", response={200: StudyOut, 404: ErrorOut}, summary="One support study")
def get_study(request, slug: str):
    return _study(request, get_object_or_404(_studies(), slug=slug))


# --- agreements ----------------------------------------------------------------------------------


class AgreementFilter(Schema):
    city: str | None = None
    status: ItemStatus | None = None


def _agreements():
    items = CooperationItem.objects.order_by("number").prefetch_related(
        Prefetch("updates", queryset=ItemUpdate.objects.order_by("-date", "-id")), _public_projects()
    )
    return (
        Agreement.objects.public()
        .select_related("study")
        .prefetch_related("cities", "organisations", Prefetch("items", queryset=items))
        .order_by("-signed_on", "title")
    )


def _agreement(request, a: Agreement) -> dict:
    study = a.study if a.study is not None and a.study.published else None
    return {
        "slug": a.slug,
        "title": a.title,
        "kind": a.kind,
        "signed_on": a.signed_on,
        "summary": a.summary,
        "cities": [c.slug for c in a.cities.all()],
        "organisations": [_named(o) for o in a.organisations.all()],
        "study": study.slug if study else None,
        "items": [
            {
                "number": i.number,
                "title": i.title,
                "description": i.description,
                "status": i.status,
                "updates": [{"date": u.date, "status": u.status, "note": u.note} for u in i.updates.all()],
                "projects": [p.slug for p in i.projects.all()],
            }
            for i in a.items.all()
        ],
        "url": request.build_absolute_uri(a.get_absolute_url()),
    }


@router.get(
    "/agreements",
    response={200: list[AgreementOut], 422: ErrorOut},
    summary="MoUs and cooperation agreements with their numbered items",
)
@paginate(Page)
def list_agreements(request, filters: Query[AgreementFilter]):
    agreements = _agreements()
    if filters.city:
        agreements = agreements.filter(cities__slug=filters.city)
    if filters.status:  # agreements with at least one item in this status
        agreements = agreements.filter(items__status=filters.status)
    return Mapped(agreements.distinct(), lambda a: _agreement(request, a))


@router.get("/agreements/{slug}", response={200: AgreementOut, 404: ErrorOut}, summary="One agreement")
def get_agreement(request, slug: str):
    return _agreement(request, get_object_or_404(_agreements(), slug=slug))


# --- councils ------------------------------------------------------------------------------------


def _councils():
    return (
        Council.objects.public()
        .select_related("city__country")
        .prefetch_related(
            "members__organisation",
            "members__person__organisation",
            Prefetch(
                "meetings", queryset=CouncilMeeting.objects.order_by("-date").prefetch_related("documents")
            ),
        )
        .order_by("city__name", "name")
    )


def _member(m) -> dict:
    if m.person is not None:
        org = m.organisation or m.person.organisation
        return {"name": m.person.name, "organisation": org.name if org else None, "role": m.role}
    return {"name": m.organisation.name, "organisation": m.organisation.name, "role": m.role}


def _council(request, c: Council) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "city": c.city.slug,
        "country": c.city.country.code,
        "established_on": c.established_on,
        "purpose": c.purpose,
        "members": [_member(m) for m in c.members.all()],
        "meetings": [
            {
                "date": mt.date,
                "title": mt.title,
                "summary": mt.summary,
                "documents": [{"title": d.title, "url": d.url} for d in mt.documents.all()],
            }
            for mt in c.meetings.all()
        ],
        "url": request.build_absolute_uri(c.get_absolute_url()),
    }


@router.get(
    "/councils",
    response={200: list[CouncilOut], 422: ErrorOut},
    summary="City councils, members and meetings",
)
@paginate(Page)
def list_councils(request, city: str | None = None):
    councils = _councils()
    if city:
        councils = councils.filter(city__slug=city)
    return Mapped(councils, lambda c: _council(request, c))


@router.get("/councils/{slug}", response={200: CouncilOut, 404: ErrorOut}, summary="One city council")
def get_council(request, slug: str):
    return _council(request, get_object_or_404(_councils(), slug=slug))
