"""API v1: public projects, offers, meetings with their agendas, and meeting outcomes.

Only what the web pages show to anonymous visitors: published projects and offers, public
meetings, published outcome documents. Online-session links never appear here.
"""

import datetime
import uuid

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from ascnhub.common import translations
from ascnhub.events.models import Meeting, Session
from ascnhub.followup.models import Commitment, OutcomeDocument, Recommendation
from ascnhub.projects.models import Offer, Project

from .pagination import Mapped, Page
from .schemas import ErrorOut

router = Router(tags=["public data"])


class ProjectOut(Schema):
    slug: str
    title: str
    description: str
    language: str
    city: str
    country: str
    status: str
    focus_areas: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    budget_amount: float | None
    budget_currency: str
    url: str


class VersionOut(Schema):
    """One language version of a text: a human or machine translation, or an outdated one."""

    language: str
    status: str
    fields: dict[str, str]
    outdated_since: datetime.datetime | None
    updated_at: datetime.datetime


class ProjectDetailOut(ProjectOut):
    versions: list[VersionOut]


class ProjectFilter(Schema):
    country: str | None = None
    city: str | None = None
    status: Project.Status | None = None
    focus_area: str | None = None


def _project(request, p: Project) -> dict:
    return {
        "slug": p.slug,
        "title": p.title,
        "description": p.description,
        "language": p.language,
        "city": p.city.slug,
        "country": p.city.country.code,
        "status": p.status,
        "focus_areas": [f.code for f in p.focus_areas.all()],
        "start_date": p.start_date,
        "end_date": p.end_date,
        "budget_amount": float(p.budget_amount) if p.budget_amount is not None else None,
        "budget_currency": p.budget_currency,
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }


@router.get("/projects", response={200: list[ProjectOut], 422: ErrorOut}, summary="Published city projects")
@paginate(Page)
def list_projects(request, filters: Query[ProjectFilter]):
    projects = Project.objects.public().select_related("city__country").prefetch_related("focus_areas")
    if filters.country:
        projects = projects.filter(city__country__code=filters.country.upper())
    if filters.city:
        projects = projects.filter(city__slug=filters.city)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.focus_area:
        projects = projects.filter(focus_areas__code=filters.focus_area)
    return Mapped(projects.order_by("city__name", "title").distinct(), lambda p: _project(request, p))


@router.get(
    "/projects/{slug}",
    response={200: ProjectDetailOut, 404: ErrorOut},
    summary="One published project, with its versions in other languages",
)
def get_project(request, slug: str):
    project = get_object_or_404(Project.objects.public().select_related("city__country"), slug=slug)
    return {**_project(request, project), "versions": translations.readable_versions(project)}


class OfferOut(Schema):
    slug: str
    title: str
    description: str
    language: str
    organisation: str
    country: str
    focus_areas: list[str]
    deployed_in: list[str]
    url: str


@router.get(
    "/offers", response={200: list[OfferOut], 422: ErrorOut}, summary="Published solution offers of companies"
)
@paginate(Page)
def list_offers(request, focus_area: str | None = None):
    offers = Offer.objects.public().select_related("organisation").prefetch_related("focus_areas")
    if focus_area:
        offers = offers.filter(focus_areas__code=focus_area)
    return Mapped(
        offers.order_by("title").distinct(),
        lambda o: {
            "slug": o.slug,
            "title": o.title,
            "description": o.description,
            "language": o.language,
            "organisation": o.organisation.slug,
            "country": o.organisation.country,
            "focus_areas": [f.code for f in o.focus_areas.all()],
            "deployed_in": o.deployed_in_codes,
            "url": request.build_absolute_uri(o.get_absolute_url()),
        },
    )


class SessionOut(Schema):
    id: uuid.UUID
    title: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room: str | None
    track: str
    interpretation: str
    speakers: list[str]


class MeetingOut(Schema):
    slug: str
    title: str
    kind: str
    format: str
    venue: str
    place: str
    timezone: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    url: str


class MeetingDetailOut(MeetingOut):
    agenda: list[SessionOut]


def _meetings():
    return Meeting.objects.exclude(status=Meeting.Status.DRAFT)


def _meeting(request, m: Meeting) -> dict:
    return {
        "slug": m.slug,
        "title": m.title,
        "kind": m.kind,
        "format": m.format,
        "venue": m.venue,
        "place": m.place,
        "timezone": m.timezone,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "status": m.status,
        "url": request.build_absolute_uri(m.get_absolute_url()),
    }


@router.get("/meetings", response={200: list[MeetingOut], 422: ErrorOut}, summary="Meetings of the network")
@paginate(Page)
def list_meetings(request):
    return Mapped(_meetings().order_by("-start_date"), lambda m: _meeting(request, m))


@router.get(
    "/meetings/{slug}",
    response={200: MeetingDetailOut, 404: ErrorOut},
    summary="One meeting with its agenda (times in UTC; online links are never included)",
)
def get_meeting(request, slug: str):
    meeting = get_object_or_404(_meetings(), slug=slug)
    sessions = (
        Session.objects.filter(meeting=meeting)
        .select_related("room")
        .order_by("starts_at", "title")
        .prefetch_related("speakers")
    )
    return {
        **_meeting(request, meeting),
        "agenda": [
            {
                "id": s.public_id,
                "title": s.title,
                "kind": s.kind,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "room": s.room.name if s.room else None,
                "track": s.track,
                "interpretation": s.interpretation,
                "speakers": [p.name for p in s.speakers.all()],
            }
            for s in sessions
        ],
    }


class CommitmentOut(Schema):
    id: uuid.UUID
    party_kind: str
    party: str
    description: str
    due_date: datetime.date
    status: str
    progress: int


class RecommendationOut(Schema):
    id: uuid.UUID
    number: int
    title: str
    text: str
    carried_from: uuid.UUID | None
    commitments: list[CommitmentOut]


class OutcomeOut(Schema):
    meeting: str
    title: str
    adopted_on: datetime.date
    summary: str
    recommendations: list[RecommendationOut]


def _party(c: Commitment) -> str:
    return str(c.member_state or c.city or c.organisation or "")


@router.get(
    "/outcomes",
    response={200: list[OutcomeOut], 422: ErrorOut},
    summary="Outcome documents, recommendations and commitments",
)
@paginate(Page)
def list_outcomes(request):
    # Every commitment of a published outcome document is public (the tracker shows them all).
    public_commitments = Commitment.objects.select_related("member_state", "city", "organisation")
    documents = (
        OutcomeDocument.objects.filter(published=True)
        .select_related("meeting")
        .order_by("-adopted_on")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("carried_from").prefetch_related(
                    Prefetch("commitments", queryset=public_commitments)
                ),
            )
        )
    )
    return [
        {
            "meeting": d.meeting.slug,
            "title": d.title,
            "adopted_on": d.adopted_on,
            "summary": d.summary,
            "recommendations": [
                {
                    "id": r.public_id,
                    "number": r.number,
                    "title": r.title,
                    "text": r.text,
                    "carried_from": r.carried_from.public_id if r.carried_from else None,
                    "commitments": [
                        {
                            "id": c.public_id,
                            "party_kind": c.party_kind,
                            "party": _party(c),
                            "description": c.description,
                            "due_date": c.due_date,
                            "status": c.status,
                            "progress": c.progress,
                        }
                        for c in r.commitments.all()
                    ],
                }
                for r in d.recommendations.all()
            ],
        }
        for d in documents
    ]
