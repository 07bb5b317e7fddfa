"""Imports from CSV or XLSX: studies, agreements with their cooperation items, status updates of
items, cities' Smart City Action Plan items and funding per source of projects.

All or nothing: every row is checked first (known programme, cities, organisations, projects and
items; ISO 4217 currencies; dates; no duplicate study or item; the importer's permission on the
row's city) and every problem is reported with its line and field. Unless every row passes, nothing
is written; the rows are then written in one transaction through the services, and a refusal there
rolls everything back and is reported on its line too.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ascnhub.common.errors import DomainError
from ascnhub.common.http import require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.projects import services as project_services
from ascnhub.projects.codes import ISO_4217, FocusArea
from ascnhub.projects.importers import read_dataset
from ascnhub.projects.models import Funding, Project
from ascnhub.registry.models import City, Organisation
from ascnhub.registry.rules import officer_city_ids

from . import services
from .forms import ImportForm
from .models import Agreement, CooperationItem, ItemStatus, Programme, Study

COLUMNS: dict[str, list[str]] = {
    "studies": [
        "programme",
        "title",
        "theme",
        "fiscal_year",
        "cities",
        "consortium",
        "kickoff_date",
        "focus_area",
        "summary",
        "deliverables",
        "projects",
    ],
    "agreements": [
        "agreement",
        "kind",
        "signed_on",
        "cities",
        "organisations",
        "study",
        "summary",
        "item_number",
        "item_title",
        "item_description",
        "item_status",
        "item_projects",
    ],
    "item-updates": ["agreement", "item_number", "date", "status", "note"],
    "action-plan": ["city", "code", "title", "description", "focus_area", "projects"],
    "fundings": ["project", "source", "amount", "currency", "status", "description"],
}
REQUIRED: dict[str, set[str]] = {
    "studies": {"programme", "title", "theme", "fiscal_year", "cities"},
    "agreements": {"agreement", "signed_on", "cities", "item_number", "item_title"},
    "item-updates": {"agreement", "item_number", "date", "status", "note"},
    "action-plan": {"city", "code", "title"},
    "fundings": {"project", "source", "amount", "currency"},
}
PERMS = {
    "studies": "programmes.import_studies",
    "agreements": "programmes.import_agreements",
    "item-updates": "programmes.import_agreements",
    "action-plan": "programmes.import_action_plan",
    "fundings": "programmes.import_action_plan",
}
TITLES = {
    "studies": _("Import studies"),
    "agreements": _("Import agreements and their cooperation items"),
    "item-updates": _("Import status updates of cooperation items"),
    "action-plan": _("Import Smart City Action Plan items"),
    "fundings": _("Import funding per source"),
}


@dataclass
class RowError:
    line: int  # the line in the file, the header being line 1
    field: str
    message: str


@dataclass
class ImportOutcome:
    ok: bool
    count: int = 0
    errors: list[RowError] = field(default_factory=list)
    problem: str = ""  # a problem with the file as a whole


class _Row:
    """One row's values with the problems found in it (each naming its field)."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]):
        self.line, self.values, self._errors = line, values, errors

    def get(self, name: str) -> str:
        return str(self.values.get(name) or "").strip()

    def error(self, name: str, message: str) -> None:
        self._errors.append(RowError(self.line, name, message))

    def required(self, name: str) -> str:
        value = self.get(name)
        if not value:
            self.error(name, _("This column is required."))
        return value

    def date(self, name: str, required: bool = True) -> datetime.date | None:
        value = self.required(name) if required else self.get(name)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.error(name, _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value})
            return None

    def integer(self, name: str, low: int, high: int) -> int | None:
        value = self.required(name)
        if not value:
            return None
        try:
            number = int(float(value))
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.error(
                name,
                _("“%(value)s” is not a number from %(low)s to %(high)s.")
                % {"value": value, "low": low, "high": high},
            )
            return None
        return number

    def listed(self, name: str) -> list[str]:
        return [v.strip() for v in self.get(name).replace(";", ",").split(",") if v.strip()]

    def lookup(self, name: str, values: list[str], find: Callable[[str], Any], what: str) -> list[Any]:
        found = []
        for value in values:
            obj = find(value)
            if obj is None:
                self.error(name, _("Unknown %(what)s “%(value)s”.") % {"what": what, "value": value})
            else:
                found.append(obj)
        return found

    def choice(self, name: str, choices: list[str], default: str = "") -> str:
        value = self.get(name) or default
        if value and value not in choices:
            self.error(
                name,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices)},
            )
        return value


def _city(value: str) -> City | None:
    return City.objects.filter(Q(slug=value) | Q(name__iexact=value)).select_related("country").first()


def _org(value: str) -> Organisation | None:
    return Organisation.objects.filter(slug=value).first()


def _project(value: str) -> Project | None:
    return Project.objects.filter(slug=value).select_related("city").first()


class _Importer:
    """Check every row into a list of writes; write them only when no row has a problem."""

    def __init__(self, user: Any, kind: str):
        self.user, self.kind = user, kind
        self.errors: list[RowError] = []
        self.writes: list[tuple[int, Callable[[], Any]]] = []
        self.cities_allowed = None if is_secretariat(user) else officer_city_ids(user)

    def city_allowed(self, row: _Row, name: str, city: City | None) -> None:
        if city is not None and self.cities_allowed is not None and city.pk not in self.cities_allowed:
            row.error(name, _("You may not import for %(city)s.") % {"city": city.name})

    # --- studies ---------------------------------------------------------------------------------
    def studies(self, rows: list[_Row]) -> None:
        seen: set[tuple] = set()
        for row in rows:
            programme = None
            slug = row.required("programme")
            if slug:
                programme = Programme.objects.filter(slug=slug).first()
                if programme is None:
                    row.error("programme", _("Unknown programme “%(value)s”.") % {"value": slug})
            title, theme = row.required("title"), row.required("theme")
            year = row.integer("fiscal_year", 2000, 2100)
            cities = row.lookup("cities", row.listed("cities"), _city, _("city"))
            if not row.listed("cities"):
                row.error("cities", _("Name at least one city."))
            consortium = row.lookup("consortium", row.listed("consortium"), _org, _("organisation"))
            projects = row.lookup("projects", row.listed("projects"), _project, _("project"))
            focus = row.choice("focus_area", FocusArea.values)
            kickoff = row.date("kickoff_date", required=False)
            key = (slug, year, title)
            if programme and year and title:
                if (
                    key in seen
                    or Study.objects.filter(programme=programme, fiscal_year=year, title=title).exists()
                ):
                    row.error(
                        "title",
                        _("Duplicate study: “%(title)s” of FY%(year)s is already there.")
                        % {"title": title, "year": year},
                    )
                seen.add(key)
            data = {
                "programme": programme,
                "title": title,
                "theme": theme,
                "fiscal_year": year,
                "kickoff_date": kickoff,
                "focus_area": focus,
                "summary": row.get("summary"),
                "deliverables": "\n".join(v.strip() for v in row.get("deliverables").split("|") if v.strip()),
            }
            self.writes.append(
                (
                    row.line,
                    partial(
                        services.create_study,
                        self.user,
                        data,
                        cities=cities,
                        consortium=consortium,
                        projects=projects,
                    ),
                )
            )

    # --- agreements with items ---------------------------------------------------------------------
    def agreements(self, rows: list[_Row]) -> None:
        groups: dict[str, dict] = {}
        for row in rows:
            title = row.required("agreement")
            signed = row.date("signed_on")
            kind = row.choice("kind", Agreement.Kind.values, Agreement.Kind.MOU)
            cities = row.lookup("cities", row.listed("cities"), _city, _("city"))
            for city in cities:
                self.city_allowed(row, "cities", city)
            orgs = row.lookup("organisations", row.listed("organisations"), _org, _("organisation"))
            study = None
            if row.get("study"):
                study = Study.objects.filter(slug=row.get("study")).first()
                if study is None:
                    row.error("study", _("Unknown study “%(value)s”.") % {"value": row.get("study")})
            number = row.integer("item_number", 1, 999)
            item_title = row.required("item_title")
            status = row.choice("item_status", ItemStatus.values, ItemStatus.PLANNED)
            projects = row.lookup("item_projects", row.listed("item_projects"), _project, _("project"))
            if title and Agreement.objects.filter(title=title, signed_on=signed).exists():
                row.error("agreement", _("This agreement is already there: “%(title)s”.") % {"title": title})
            group = groups.get(title)
            if group is None:
                group = groups[title] = {
                    "line": row.line,
                    "data": {
                        "title": title,
                        "kind": kind,
                        "signed_on": signed,
                        "summary": row.get("summary"),
                        "study": study,
                    },
                    "cities": cities,
                    "organisations": orgs,
                    "items": [],
                    "numbers": set(),
                }
            elif group["data"]["signed_on"] != signed:
                row.error(
                    "signed_on",
                    _("The same agreement has another date on line %(line)s.") % {"line": group["line"]},
                )
            if number is not None:
                if number in group["numbers"]:
                    row.error(
                        "item_number",
                        _("Item %(n)s appears twice in “%(title)s”.") % {"n": number, "title": title},
                    )
                group["numbers"].add(number)
            group["items"].append(
                {
                    "number": number,
                    "title": item_title,
                    "description": row.get("item_description"),
                    "status": status,
                    "projects": projects,
                }
            )
        for group in groups.values():
            self.writes.append(
                (
                    group["line"],
                    partial(
                        services.create_agreement,
                        self.user,
                        group["data"],
                        cities=group["cities"],
                        organisations=group["organisations"],
                        items=group["items"],
                    ),
                )
            )

    # --- status updates of items -----------------------------------------------------------------------
    def item_updates(self, rows: list[_Row]) -> None:
        for row in rows:
            slug = row.required("agreement")
            number = row.integer("item_number", 1, 999)
            item = None
            if slug and number is not None:
                item = (
                    CooperationItem.objects.filter(agreement__slug=slug, number=number)
                    .select_related("agreement")
                    .first()
                )
                if item is None:
                    row.error(
                        "item_number",
                        _("Agreement “%(slug)s” has no item %(n)s.") % {"slug": slug, "n": number},
                    )
            date = row.date("date")
            if date and date > datetime.date.today():
                row.error("date", _("An update cannot be dated in the future."))
            status = row.choice("status", ItemStatus.values)
            note = row.required("note")
            self.writes.append(
                (
                    row.line,
                    partial(services.add_item_update, self.user, item, date=date, status=status, note=note),
                )
            )

    # --- action plan ---------------------------------------------------------------------------------
    def action_plan(self, rows: list[_Row]) -> None:
        seen: set[tuple] = set()
        for row in rows:
            name = row.required("city")
            city = _city(name) if name else None
            if name and city is None:
                row.error("city", _("Unknown city “%(value)s”.") % {"value": name})
            self.city_allowed(row, "city", city)
            code, title = row.required("code"), row.required("title")
            if (name, code) in seen:
                row.error("code", _("Item %(code)s appears twice for this city.") % {"code": code})
            seen.add((name, code))
            projects = row.lookup("projects", row.listed("projects"), _project, _("project"))
            for p in projects:
                if city is not None and p.city_id != city.pk:
                    row.error(
                        "projects",
                        _("Project “%(slug)s” is not a project of %(city)s.")
                        % {"slug": p.slug, "city": city.name},
                    )
            focus = row.choice("focus_area", FocusArea.values)
            self.writes.append(
                (
                    row.line,
                    partial(
                        services.save_action_plan_item,
                        self.user,
                        city,
                        code=code,
                        title=title,
                        description=row.get("description"),
                        focus_area=focus,
                        projects=projects,
                    ),
                )
            )

    # --- funding per source ----------------------------------------------------------------------------
    def fundings(self, rows: list[_Row]) -> None:
        for row in rows:
            slug = row.required("project")
            project = _project(slug) if slug else None
            if slug and project is None:
                row.error("project", _("Unknown project “%(value)s”.") % {"value": slug})
            if project is not None:
                self.city_allowed(row, "project", project.city)
            source_slug = row.required("source")
            source = _org(source_slug) if source_slug else None
            if source_slug and source is None:
                row.error("source", _("Unknown organisation “%(value)s”.") % {"value": source_slug})
            amount = None
            raw = row.required("amount")
            if raw:
                try:
                    amount = Decimal(raw.replace(",", ""))
                except InvalidOperation:
                    amount = None
                if amount is None or amount <= 0:
                    row.error("amount", _("“%(value)s” is not a positive amount.") % {"value": raw})
            currency = row.required("currency").upper()
            if currency and currency not in ISO_4217:
                message = _("“%(value)s” is not an ISO 4217 currency code (e.g. USD, JPY, IDR).")
                row.error("currency", message % {"value": row.get("currency")})
            status = row.choice("status", Funding.Status.values, Funding.Status.PLEDGED)
            self.writes.append(
                (
                    row.line,
                    partial(
                        project_services.add_funding,
                        self.user,
                        project,
                        source=source,
                        amount=amount,
                        currency=currency,
                        status=status,
                        description=row.get("description"),
                    ),
                )
            )


def import_rows(user: Any, kind: str, headers: list[str], records: list[list[Any]]) -> ImportOutcome:
    """Check and import rows (header names and row values) of one kind, all or nothing."""
    headers = [str(h or "").strip().lower() for h in headers]
    missing = sorted(REQUIRED[kind] - set(headers))
    if missing:
        return ImportOutcome(ok=False, problem=_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    unknown = sorted(set(headers) - set(COLUMNS[kind]))
    if unknown:
        return ImportOutcome(
            ok=False,
            problem=_("Unknown columns: %(cols)s (expected: %(exp)s).")
            % {"cols": ", ".join(unknown), "exp": ", ".join(COLUMNS[kind])},
        )
    if not records:
        return ImportOutcome(ok=False, problem=_("The file has no rows."))
    importer = _Importer(user, kind)
    rows = [
        _Row(
            i + 2,
            dict(zip(headers, ["" if v is None else str(v) for v in values], strict=False)),
            importer.errors,
        )
        for i, values in enumerate(records)
    ]
    getattr(importer, kind.replace("-", "_"))(rows)
    if importer.errors:
        importer.errors.sort(key=lambda e: (e.line, e.field))
        return ImportOutcome(ok=False, errors=importer.errors)
    at = 0  # the line being written when a service refuses
    try:
        with transaction.atomic():
            for at, write in importer.writes:  # noqa: B007  (read after the loop when it fails)
                write()
    except DomainError as exc:
        return ImportOutcome(ok=False, errors=[RowError(at, exc.field or exc.code, str(exc.message))])
    except ValidationError as exc:
        return ImportOutcome(ok=False, errors=[RowError(at, "", " ".join(exc.messages))])
    return ImportOutcome(ok=True, count=len(importer.writes))


def import_file(user: Any, kind: str, upload) -> ImportOutcome:
    """Read a CSV (UTF-8) or XLSX upload and import it all or nothing."""
    try:
        dataset = read_dataset(upload)
    except Exception as exc:  # an unreadable file: say so, change nothing
        return ImportOutcome(ok=False, problem=_("The file could not be read: %(error)s") % {"error": exc})
    return import_rows(user, kind, list(dataset.headers or []), [list(r) for r in dataset])


def import_page(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in COLUMNS:
        from django.http import Http404

        raise Http404()
    require_perm(request, PERMS[kind])
    if request.GET.get("template"):
        out = io.StringIO()
        csv.writer(out).writerow(COLUMNS[kind])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        result = import_file(request.user, kind, form.cleaned_data["file"])
        status = 200 if result.ok else 400
    return render(
        request,
        "programmes/import.html",
        {"kind": kind, "title": TITLES[kind], "columns": COLUMNS[kind], "form": form, "result": result},
        status=status,
    )
