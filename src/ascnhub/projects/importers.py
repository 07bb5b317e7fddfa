"""Imports of projects and offers from CSV or XLSX (django-import-export).

All or nothing: every row is checked (codes, currencies, dates, permissions, model validation) and
every bad row is reported with its line and field; unless all rows are valid, nothing is written.
A row with a `slug` updates that project or offer; without one, a new one is created.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from ascnhub.common import activity
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import City, Organisation
from ascnhub.registry.rules import officer_city_ids

from .codes import FocusArea, Outcome
from .models import FocusAreaTag, Offer, OutcomeTag, Project
from .rules import user_organisation
from .services import unique_slug

COLUMNS = {
    "projects": [
        "slug",
        "city",
        "title",
        "language",
        "description",
        "focus_areas",
        "outcomes",
        "status",
        "start_date",
        "end_date",
        "budget_amount",
        "budget_currency",
        "budget_description",
        "latitude",
        "longitude",
        "location_description",
        "website",
        "published",
        "external_id",  # optional: the row's id in the source, so a re-import updates, never duplicates
    ],
    "offers": [
        "slug",
        "organisation",
        "title",
        "language",
        "description",
        "focus_areas",
        "deployed_in",
        "references",
        "contact_name",
        "contact_email",
        "contact_url",
        "published",
    ],
}

EXAMPLES = {
    "projects": [
        "",
        "makassar",
        "Early flood warning for the Jeneberang river",
        "en",
        "Sensors and SMS alerts for riverside districts.",
        "safety_security,quality_environment",
        "sustainable_environment",
        "preparation",
        "2025-01-01",
        "2026-12-31",
        "450000",
        "USD",
        "City budget",
        "",
        "",
        "Jeneberang river",
        "",
        "yes",
    ],
    "offers": [
        "",
        "your-company-slug",
        "River level sensors with SMS alerts",
        "en",
        "Low-cost radar gauges, a dashboard and alerts in local languages.",
        "safety_security",
        "JP,VN",
        "Da Nang (2023)",
        "Sales team",
        "sales@example.com",
        "",
        "yes",
    ],
}


class CodesWidget(widgets.ManyToManyWidget):
    """Comma-separated codes; an unknown code is an error naming it (not silently dropped)."""

    def __init__(self, model, allowed: list[str]):
        super().__init__(model, field="code", separator=",")
        self.allowed = allowed

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in str(value or "").replace(";", ",").split(",") if c.strip()]
        bad = [c for c in codes if c not in self.allowed]
        if bad:
            raise ValueError(
                _("unknown codes %(bad)s (use: %(allowed)s)")
                % {"bad": ", ".join(bad), "allowed": ", ".join(self.allowed)}
            )
        return self.model.objects.filter(code__in=codes)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error naming it."""

    def __init__(self, model):
        super().__init__(model, "slug")

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        found = self.model.objects.filter(slug=text).first()
        if found is None:
            raise ValueError(
                _("no %(what)s with the slug “%(slug)s”")
                % {"what": self.model._meta.verbose_name, "slug": text}
            )
        return found


class YesNoWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in ("", "0", "no", "false", "n", "draft"):
            return False
        if text in ("1", "yes", "true", "y", "published"):
            return True
        raise ValueError(_("use yes or no"))


class StrictDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as exc:
            raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD)") % {"value": value}) from exc


class BaseResource(resources.ModelResource):
    """Checks the extra rules of each row and logs every saved record."""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def row_errors(self, instance, row) -> dict[str, list[str]]:
        return {}

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        focus = self.fields["focus_areas"]
        try:
            if not focus.clean(row):
                errors.setdefault("focus_areas", []).append(
                    ValidationError(_("give at least one focus area"))
                )
        except ValueError as exc:
            errors.setdefault("focus_areas", []).append(ValidationError(str(exc)))
        for key, msgs in self.row_errors(instance, row).items():
            errors.setdefault(key, []).extend(ValidationError(m) for m in msgs)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not instance.slug:
            errors.pop("slug", None)
            instance.slug = "pending-slug"
            try:
                super().validate_instance(instance, errors, validate_unique=False)
            finally:
                instance.slug = ""
        else:
            super().validate_instance(instance, errors, validate_unique=False)

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            activity.record(self.user, "import", instance, {})


class ProjectResource(BaseResource):
    city = fields.Field(attribute="city", column_name="city", widget=SlugWidget(City))
    focus_areas = fields.Field(
        attribute="focus_areas",
        column_name="focus_areas",
        widget=CodesWidget(FocusAreaTag, list(FocusArea.values)),
    )
    outcomes = fields.Field(
        attribute="outcomes", column_name="outcomes", widget=CodesWidget(OutcomeTag, list(Outcome.values))
    )
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=StrictDateWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=StrictDateWidget())
    published = fields.Field(attribute="published", column_name="published", widget=YesNoWidget())

    class Meta:
        model = Project
        fields = COLUMNS["projects"]
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_diff = False  # keeps the original of each row, so an unchanged row is counted as such

    def get_instance(self, instance_loader, row):
        """The project a row is about: by slug, else by its external id, else (a file without
        ids) the city's project of the same title, so importing a file twice creates nothing new."""
        slug = (row.get("slug") or "").strip()
        if slug:
            return Project.objects.filter(slug=slug).first()
        external_id = (row.get("external_id") or "").strip()
        if external_id:
            return Project.objects.filter(external_id=external_id).first()
        city, title = (row.get("city") or "").strip(), (row.get("title") or "").strip()
        if city and title:
            return Project.objects.filter(city__slug=city, title=title).order_by("pk").first()
        return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Leave a row alone (and count it unchanged) when it would change nothing."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for f in self.get_import_fields():
            if f.column_name in ("slug", "external_id") or f.column_name not in row:
                continue
            if isinstance(f.widget, widgets.ManyToManyWidget):
                new = sorted(str(o.pk) for o in f.clean(row))
                if new != sorted(str(o.pk) for o in f.get_value(original).all()):
                    return False
            elif f.get_value(instance) != f.get_value(original):
                return False
        return True

    def row_errors(self, instance, row):
        errors: dict[str, list[str]] = {}
        city_slug = (row.get("city") or "").strip()
        if city_slug and not City.objects.filter(slug=city_slug).exists():
            return errors  # already reported by the city column
        if (
            instance.city_id
            and not is_secretariat(self.user)
            and instance.city_id not in officer_city_ids(self.user)
        ):
            errors["city"] = [_("you may not add or change projects of %(city)s") % {"city": city_slug}]
        if (row.get("slug") or "").strip() and instance.pk is None:
            errors["slug"] = [_("no project with this slug; leave it empty to create a new project")]
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            instance.slug = unique_slug(Project, f"{instance.city.slug} {instance.title}")
        if instance.pk is None:
            instance.created_by = self.user if getattr(self.user, "is_authenticated", False) else None
        instance.is_demo = False


class OfferResource(BaseResource):
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=SlugWidget(Organisation)
    )
    focus_areas = fields.Field(
        attribute="focus_areas",
        column_name="focus_areas",
        widget=CodesWidget(FocusAreaTag, list(FocusArea.values)),
    )
    published = fields.Field(attribute="published", column_name="published", widget=YesNoWidget())

    class Meta:
        model = Offer
        fields = COLUMNS["offers"]
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        slug = (row.get("slug") or "").strip()
        return Offer.objects.filter(slug=slug).first() if slug else None

    def row_errors(self, instance, row):
        errors: dict[str, list[str]] = {}
        if not instance.organisation_id:
            return errors
        if instance.organisation.kind != Organisation.Kind.COMPANY:
            errors["organisation"] = [_("offers are published by companies")]
        elif not is_secretariat(self.user):
            mine = user_organisation(self.user)
            if mine is None or mine.pk != instance.organisation_id:
                errors["organisation"] = [_("you may only import offers of your own company")]
        if (row.get("slug") or "").strip() and instance.pk is None:
            errors["slug"] = [_("no offer with this slug; leave it empty to create a new offer")]
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            instance.slug = unique_slug(Offer, f"{instance.organisation.slug} {instance.title}")
        if instance.pk is None:
            instance.created_by = self.user if getattr(self.user, "is_authenticated", False) else None
        instance.is_demo = False


RESOURCES = {"projects": ProjectResource, "offers": OfferResource}


@dataclass
class RowError:
    line: int  # the line in the file, the header being line 1
    label: str
    messages: list[str]


@dataclass
class ImportOutcome:
    ok: bool
    count: int = 0  # rows written: created and updated
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    problem: str = ""  # a problem with the file as a whole


class _Rollback(Exception):
    pass


def read_dataset(upload) -> tablib.Dataset:
    name = getattr(upload, "name", "").lower()
    raw = upload.read()
    if name.endswith(".xlsx"):
        return tablib.Dataset().load(io.BytesIO(raw), format="xlsx")
    text = raw.decode("utf-8-sig")
    return tablib.Dataset().load(text, format="csv")


def _clean_headers(dataset: tablib.Dataset) -> tablib.Dataset:
    dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
    return dataset


def import_file(user: Any, kind: str, upload) -> ImportOutcome:
    """Read a CSV/XLSX upload and import it all or nothing."""
    try:
        dataset = _clean_headers(read_dataset(upload))
    except Exception as exc:  # unreadable file: say so, change nothing
        return ImportOutcome(ok=False, problem=_("The file could not be read: %(error)s") % {"error": exc})
    return import_dataset(user, kind, dataset)


def import_dataset(user: Any, kind: str, dataset: tablib.Dataset) -> ImportOutcome:
    required = (
        {"city", "title", "description", "focus_areas"}
        if kind == "projects"
        else {"organisation", "title", "description", "focus_areas"}
    )
    missing = sorted(required - set(dataset.headers or []))
    if missing:
        return ImportOutcome(ok=False, problem=_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    unknown = sorted(set(dataset.headers) - set(COLUMNS[kind]))
    if unknown:
        return ImportOutcome(
            ok=False,
            problem=_("Unknown columns: %(cols)s (expected: %(exp)s).")
            % {"cols": ", ".join(unknown), "exp": ", ".join(COLUMNS[kind])},
        )
    if len(dataset) == 0:
        return ImportOutcome(ok=False, problem=_("The file has no rows."))
    if "slug" not in dataset.headers:  # optional: without it every row is a new record
        dataset.append_col([""] * len(dataset), header="slug")
    resource = RESOURCES[kind](user=user)
    outcome = ImportOutcome(ok=False)
    try:
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
            for invalid in result.invalid_rows:
                msgs = []
                for key, values in invalid.error_dict.items():
                    prefix = "" if key == NON_FIELD_ERRORS else f"{key}: "
                    msgs += [f"{prefix}{m}" for m in values]
                outcome.errors.append(
                    RowError(invalid.number + 1, _row_label(dataset[invalid.number - 1], dataset), msgs)
                )
            for number, errors in result.row_errors():
                outcome.errors.append(
                    RowError(
                        number + 1, _row_label(dataset[number - 1], dataset), [str(e.error) for e in errors]
                    )
                )
            outcome.errors.sort(key=lambda e: e.line)
            if result.base_errors:
                outcome.problem = "; ".join(str(e.error) for e in result.base_errors)
            if outcome.errors or outcome.problem:
                raise _Rollback()
            outcome.created = result.totals.get("new", 0)
            outcome.updated = result.totals.get("update", 0)
            outcome.unchanged = result.totals.get("skip", 0)
            outcome.count = outcome.created + outcome.updated
            outcome.ok = True
    except _Rollback:
        outcome.ok = False
        outcome.count = 0
    return outcome


def _row_label(values, dataset: tablib.Dataset) -> str:
    try:
        row = dict(zip(dataset.headers, values, strict=False)) if not isinstance(values, dict) else values
        return str(row.get("title") or "")[:80]
    except Exception:
        return ""


def template_csv(kind: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS[kind])
    writer.writerow(EXAMPLES[kind])
    return out.getvalue()
