"""API v1: register people for meetings and read their status (token with `write:registrations`).

Thin: the registration form of the web pages checks the fields (with the category's own
questions), `events.services.register` does capacity, waiting list, approval rule and the
one-registration-per-e-mail rule.
"""

import datetime
import uuid

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja import Status as Answer
from ninja.errors import HttpError
from ninja.pagination import paginate

from ascnhub.events import services as events
from ascnhub.events.forms import RegistrationForm
from ascnhub.events.models import Meeting, Mode, Registration, RegistrationCategory

from . import services
from .auth import WRITE_THROTTLE, TokenAuth, require_any_scope, require_scope
from .errors import InvalidFields, refuse_nul
from .pagination import Mapped, Page
from .schemas import ErrorOut, FieldErrorsOut

router = Router(tags=["registrations"], auth=TokenAuth())
SCOPE = "write:registrations"
Status = Registration.Status


class RegistrationIn(Schema):
    category: str = Field(description="The registration category's code, e.g. `private`.")
    name: str = Field(description="Full name.")
    email: str
    organisation_name: str
    country: str = Field(description="ISO 3166 alpha-2 code, e.g. `ID`.")
    name_on_badge: str = ""
    job_title: str = ""
    language: str = Field("en", description="Language of the e-mails: en, id, ja, …")
    timezone: str | None = Field(None, description="IANA zone, e.g. Asia/Jakarta; default: the meeting's.")
    mode: Mode | None = Field(None, description="In person or online, where the category lets people choose.")
    consent_list: bool = Field(False, description="Appear in the participant list.")
    answers: dict[str, str | bool] = Field(
        default_factory=dict, description="The category's extra questions."
    )
    idempotency_key: str | None = Field(
        None,
        max_length=100,
        description="Send the same key again (e.g. after a timeout) and get the first registration back.",
    )


class RegistrationOut(Schema):
    id: uuid.UUID
    meeting: str
    category: str
    name: str
    email: str
    organisation_name: str
    country: str
    mode: str
    status: str = Field(description="pending, approved, waitlisted, rejected or cancelled")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None


def _out(r: Registration) -> dict:
    return {
        "id": r.public_id,
        "meeting": r.meeting.slug,
        "category": r.category.code,
        "name": r.name,
        "email": r.email,
        "organisation_name": r.organisation_name,
        "country": r.country,
        "mode": r.mode,
        "status": r.status,
        "created_at": r.created_at,
        "decided_at": r.decided_at,
    }


def _meeting(request, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise HttpError(404, "Not found.")
    return meeting


def _mine(request, meeting: Meeting):
    """Registrations the token's user made through the API, or their own."""
    return (
        Registration.objects.filter(meeting=meeting)
        .filter(Q(api_submission__user=request.user) | Q(user=request.user))
        .select_related("meeting", "category")
    )


def _form_data(payload: RegistrationIn, meeting: Meeting, category: RegistrationCategory, key: str) -> dict:
    questions = {q["name"] for q in category.questions or []}
    unknown = sorted(set(payload.answers) - questions)
    if unknown:
        known = ", ".join(sorted(questions)) or "none"
        raise InvalidFields(
            {
                f"answers.{name}": [f"not a question of this category (its questions: {known})"]
                for name in unknown
            }
        )
    data = {
        "name": payload.name,
        "name_on_badge": payload.name_on_badge,
        "email": payload.email,
        "organisation_name": payload.organisation_name,
        "job_title": payload.job_title,
        "country": payload.country,
        "language": payload.language,
        "timezone": payload.timezone or meeting.timezone,
        "mode": payload.mode or category.default_mode,
        "consent_list": payload.consent_list,
        "submission_key": key,
    }
    data.update({f"q_{name}": value for name, value in payload.answers.items()})
    return data


def _field(name: str) -> str:
    return f"answers.{name[2:]}" if name.startswith("q_") else ("category" if name == "__all__" else name)


@router.post(
    "/meetings/{slug}/registrations",
    response={
        200: RegistrationOut,
        201: RegistrationOut,
        400: FieldErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Register someone for a meeting in a category",
    description=(
        "201 with the new registration (status `approved`, `pending` approval or `waitlisted` when the "
        "category is full); 200 with the first one when the same `idempotency_key` comes again. "
        "400 names every wrong field; 409 when the meeting is not open for registration or the "
        "e-mail address is already registered."
    ),
)
def create_registration(request, slug: str, payload: RegistrationIn):
    require_scope(request, SCOPE)
    meeting = _meeting(request, slug)  # an unknown meeting is 404 whatever the body holds
    refuse_nul(category=payload.category, email=payload.email)
    category = RegistrationCategory.objects.filter(meeting=meeting, code=payload.category).first()
    if category is None or not (
        category.is_public or request.user.has_perm("events.manage_meeting", meeting)
    ):
        open_codes = meeting.categories.filter(is_public=True).values_list("code", flat=True)
        raise InvalidFields.one(
            "category",
            f"no category {payload.category!r} open for registration here; open: {', '.join(open_codes)}",
        )
    key = services.submission_key(request.user, payload.idempotency_key or uuid.uuid4().hex)
    earlier = Registration.objects.filter(meeting=meeting, submission_key=key).first()
    if earlier is not None:
        return Answer(200, _out(earlier))
    if not meeting.is_open:
        raise HttpError(409, "meeting: registration for this meeting is not open")
    form = RegistrationForm(_form_data(payload, meeting, category, key), meeting=meeting, category=category)
    if not form.is_valid():
        invalid = InvalidFields({_field(name): [str(m) for m in msgs] for name, msgs in form.errors.items()})
        email = payload.email.strip().lower()
        taken = Registration.objects.filter(meeting=meeting, email=email).exclude(status=Status.CANCELLED)
        if list(invalid.errors) == ["email"] and taken.exists():
            raise HttpError(409, str(invalid))
        raise invalid
    registration, created = services.register_on_behalf(
        request.user, request.api_token, meeting, category, form.registration_data(), key
    )
    return Answer(201 if created else 200, _out(registration))


@router.get(
    "/meetings/{slug}/registrations",
    response={200: list[RegistrationOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Registrations the token's user made through the API, and their own",
)
@paginate(Page)
def list_registrations(request, slug: str):
    require_any_scope(request, SCOPE, "read:private")
    meeting = _meeting(request, slug)
    return Mapped(_mine(request, meeting).order_by("created_at", "id").distinct(), lambda r: _out(r))


@router.get(
    "/meetings/{slug}/registrations/{registration_id}",
    response={200: RegistrationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One registration and its status",
    description=(
        "Visible to who registered it through the API, the registrant, and those who manage or approve it."
    ),
)
def get_registration(request, slug: str, registration_id: uuid.UUID):
    require_any_scope(request, SCOPE, "read:private")
    meeting = _meeting(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "category"), meeting=meeting, public_id=registration_id
    )
    if not (
        _mine(request, meeting).filter(pk=registration.pk).exists()
        or request.user.has_perm("events.view_registration", registration)
    ):
        raise HttpError(404, "Not found.")
    return _out(registration)


@router.post(
    "/meetings/{slug}/registrations/{registration_id}/cancel",
    response={
        200: RegistrationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Cancel a registration (its place goes to the waiting list)",
)
def cancel_registration(request, slug: str, registration_id: uuid.UUID):
    require_scope(request, SCOPE)
    meeting = _meeting(request, slug)
    registration = get_object_or_404(_mine(request, meeting), public_id=registration_id)
    return _out(events.cancel(request.user, registration))
