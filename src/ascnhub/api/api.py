"""The REST API, version 1 (`/api/v1/`). See docs/api.md for the versioning rules."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from ascnhub.common.errors import DomainError

from . import matchmaking, programmes, public, registrations, registry, reports, webhook_endpoints
from .auth import READ_THROTTLE
from .errors import InvalidFields

api = NinjaAPI(
    title="ASCN Hub API",
    version="1",
    description=(
        "Public data of the ASEAN Smart Cities Network (registry, projects, offers, meetings, outcomes, "
        "support programmes) and write endpoints for integrators. "
        "Authenticate with `Authorization: Bearer <token>`; tokens carry scopes. "
        "Lists are paginated with `page` and `page_size`."
    ),
    urls_namespace="api-v1",
    throttle=READ_THROTTLE,
)
api.add_router("/", registry.router)
api.add_router("/", public.router)
api.add_router("/", programmes.router)
api.add_router("/", matchmaking.router)
api.add_router("/", registrations.router)
api.add_router("/", reports.router)
api.add_router("/", webhook_endpoints.router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(InvalidFields)
def invalid_fields(request, exc: InvalidFields):
    return api.create_response(request, {"detail": str(exc), "errors": exc.errors}, status=400)


@api.exception_handler(DomainError)
def refused(request, exc: DomainError):
    """Every app's refusal, answered the same way: "field: message" (or "code: message") and `code`.

    400 also names the field in `errors`, like a wrong input; 409 means the request clashes with
    the current state (already registered, registration closed, a report already submitted).
    """
    name = exc.field or exc.code
    body: dict[str, object] = {"detail": f"{name}: {exc}", "code": exc.code}
    if exc.status == 400:
        body["errors"] = {name: [str(exc)]}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    # Name every wrong field: "query.page: Input should be greater than or equal to 1".
    details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors)
    return api.create_response(request, {"detail": details, "errors": exc.errors}, status=422)
