"""Response schemas of API v1 (Pydantic via django-ninja). Field names are part of the contract."""

import datetime

from ninja import Field, Schema


class MemberStateOut(Schema):
    code: str
    name: str
    joined_asean: datetime.date
    url: str


class CitySummaryOut(Schema):
    slug: str
    name: str
    country: str
    kind: str
    joined_year: int
    latitude: float
    longitude: float
    timezone: str
    url: str


class HolderOut(Schema):
    name: str | None
    organisation: str | None
    since: datetime.date
    until: datetime.date | None


class CityOut(CitySummaryOut):
    description: str
    website: str
    population: int | None
    chief_smart_city_officer: HolderOut | None
    past_officers: list[HolderOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    city: str | None
    website: str
    is_demo: bool
    url: str


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Each wrong field with its messages.")
