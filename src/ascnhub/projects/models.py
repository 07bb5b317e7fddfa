"""City projects and needs, company offers, progress reports and partnerships.

Thin models: fields, constraints and small properties. Every change goes through `services.py`.
Visibility rules (what is public) live in the `public()` query-set methods so the pages, the
open data and the search all agree.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.registry.countries import country_name
from ascnhub.registry.models import City, Organisation

from .codes import (
    CONTENT_LANGUAGES,
    FocusArea,
    Outcome,
    split_codes,
    validate_country_list,
    validate_currency,
)

UPLOAD_EXTENSIONS = uploads.EXTENSIONS
# The name migration 0001 refers to; every upload check lives in common.uploads.
validate_upload_size = uploads.validate_upload
upload_validators = uploads.upload_validators


def validate_percent(value) -> None:
    if value is not None and not (0 <= value <= 100):
        raise ValidationError(_("Use a percentage between 0 and 100."), code="percent")


def validate_translations(value) -> None:
    """{"en": {"title": "...", "description": "..."}, ...} with known language codes."""
    if not isinstance(value, dict):
        raise ValidationError(_("Translations must be an object keyed by language code."))
    codes = {c for c, _ in CONTENT_LANGUAGES}
    for lang, text in value.items():
        if lang not in codes or not isinstance(text, dict) or not set(text) <= {"title", "description"}:
            raise ValidationError(
                _("Translation “%(lang)s” must be a known language code with a title and a description."),
                params={"lang": lang},
            )


def fold(text: str) -> str:
    """Case-folded text for searching in every script (SQLite's LIKE folds ASCII only)."""
    return " ".join((text or "").casefold().split())


class FocusAreaTag(models.Model):
    """One of the six ASCF focus areas, as a row so projects, needs and offers can be filtered by it."""

    code = models.CharField(_("code"), max_length=40, primary_key=True, choices=FocusArea.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return FocusArea(self.code).label


class OutcomeTag(models.Model):
    """One of the three ASCF strategic outcomes."""

    code = models.CharField(_("code"), max_length=40, primary_key=True, choices=Outcome.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("strategic outcome")
        verbose_name_plural = _("strategic outcomes")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return Outcome(self.code).label


class MultilingualText(models.Model):
    """Title and description in the language written, with optional translations."""

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    language = models.CharField(
        _("language written in"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, validators=[validate_translations]
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        parts = [self.title, self.description]
        for text in (self.translations or {}).values():
            parts += [text.get("title", ""), text.get("description", "")]
        self.search_text = fold(" \n ".join(parts))
        super().save(*args, **kwargs)

    def translated(self, lang: str | None = None) -> dict[str, str]:
        """The title and description in `lang` (default: the viewer's), else as written."""
        lang = (lang or get_language() or "en").split("-")[0]
        if lang != self.language and lang in (self.translations or {}):
            t = self.translations[lang]
            return {
                "title": t.get("title") or self.title,
                "description": t.get("description") or self.description,
                "language": lang,
                "translated": True,
            }
        return {
            "title": self.title,
            "description": self.description,
            "language": self.language,
            "translated": False,
        }


class ProjectQuerySet(models.QuerySet):
    def public(self) -> ProjectQuerySet:
        return self.filter(published=True)

    def visible_to(self, user) -> ProjectQuerySet:
        """Published projects, plus the drafts the user may see (own city, own country, secretariat)."""
        from ascnhub.common.permissions import is_secretariat
        from ascnhub.registry.rules import officer_city_ids, represented_country_ids

        if is_secretariat(user):
            return self
        return self.filter(
            Q(published=True)
            | Q(city_id__in=officer_city_ids(user))
            | Q(city__country_id__in=represented_country_ids(user))
        )


class Project(MultilingualText):
    """An item of a city's Smart City Action Plan."""

    class Status(models.TextChoices):
        # The codes are OC4IDS projectStatus codes.
        IDENTIFICATION = "identification", _("Identification")
        PREPARATION = "preparation", _("Preparation")
        IMPLEMENTATION = "implementation", _("Implementation")
        COMPLETION = "completion", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The project's id in the file or system it is imported from: a re-import updates it."),
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="projects", verbose_name=_("city"))
    focus_areas = models.ManyToManyField(FocusAreaTag, related_name="projects", verbose_name=_("focus areas"))
    outcomes = models.ManyToManyField(
        OutcomeTag, blank=True, related_name="projects", verbose_name=_("strategic outcomes")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFICATION
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end (planned)"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    budget_description = models.CharField(_("budget source"), max_length=250, blank=True)
    # What running and maintaining the result costs each year once built (technical proposals give
    # it beside the budget); published as an OC4IDS cost measurement.
    om_cost_per_year = models.DecimalField(
        _("operation and maintenance cost per year"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    om_cost_currency = models.CharField(
        _("currency of the operation and maintenance cost"),
        max_length=3,
        blank=True,
        validators=[validate_currency],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_description = models.CharField(_("location"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Drafts are seen only by the city, its country and the secretariat."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="project_unique_external_id"
            ),
            models.CheckConstraint(
                name="project_period_order",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="project_budget_has_currency",
                condition=Q(budget_amount__isnull=True) | ~Q(budget_currency=""),
            ),
            models.CheckConstraint(
                name="project_om_cost_has_currency",
                condition=Q(om_cost_per_year__isnull=True) | ~Q(om_cost_currency=""),
            ),
        ]
        indexes = [models.Index(fields=["published", "status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if self.budget_amount is not None and not self.budget_currency:
            errors["budget_currency"] = _("Give the currency of the budget.")
        if self.om_cost_per_year is not None and not self.om_cost_currency:
            errors["om_cost_currency"] = _("Give the currency of the operation and maintenance cost.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.slug])

    @property
    def point(self) -> tuple[float, float] | None:
        """(latitude, longitude) of the project, else of its city."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.latitude), float(self.longitude)
        if self.city_id:
            return float(self.city.latitude), float(self.city.longitude)
        return None


class ProjectParty(models.Model):
    """An organisation involved in a project: funder, partner, implementer, adviser."""

    class Role(models.TextChoices):
        # OC4IDS partyRole codes where one fits.
        FUNDER = "funder", _("Funder")
        PARTNER = "partner", _("Partner")
        IMPLEMENTER = "implementer", _("Implementer")
        ADVISER = "adviser", _("Technical adviser")
        PUBLIC_AUTHORITY = "publicAuthority", _("Public authority")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="project_roles", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(
        _("note"), max_length=250, blank=True, help_text=_("e.g. “Smart JAMP feasibility study”")
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("funder or partner")
        verbose_name_plural = _("funders and partners")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="party_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Funding(models.Model):
    """One funding source's share of a project's budget: who gives how much, in which currency, and
    whether it is committed or only pledged. Published as OC4IDS `budget.budgetBreakdowns`."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        PLEDGED = "pledged", _("Pledged")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    source = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funding source")
    )
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED)
    description = models.CharField(
        _("description"), max_length=250, blank=True, help_text=_("e.g. “Smart JAMP grant, FY2022”")
    )

    class Meta:
        ordering = ["project", "status", "-amount"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source", "status", "currency"], name="funding_once_per_source_and_status"
            ),
            models.CheckConstraint(name="funding_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount} {self.currency} ({self.get_status_display()})"


class ProjectDocument(models.Model):
    """A document or link about a project (an upload limited in type and size, or a URL)."""

    class Kind(models.TextChoices):
        # OC4IDS documentType codes.
        PROJECT_SCOPE = "projectScope", _("Project scope")
        FEASIBILITY = "feasibilityStudy", _("Feasibility study")
        PLAN = "projectPlan", _("Plan")
        ENVIRONMENTAL = "environmentalImpact", _("Environmental impact")
        PROGRESS = "physicalProgressReport", _("Progress report")
        COMPLETION = "completionReport", _("Completion report")
        WEBPAGE = "webpage", _("Web page")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to="projects/documents/%Y/", blank=True, validators=upload_validators
    )
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES, default="en")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(name="document_has_file_or_url", condition=~Q(url="") | ~Q(file=""))
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or upload a file."))

    @property
    def href(self) -> str:
        # An uploaded file goes through a view that checks who may see the project.
        return reverse("projects:document_file", args=[self.public_id]) if self.file else self.url


class NeedQuerySet(models.QuerySet):
    def public(self) -> NeedQuerySet:
        return self.filter(published=True).filter(Q(project__isnull=True) | Q(project__published=True))


class Need(MultilingualText):
    """What a city is looking for: technology, finance or expertise (matching engine input)."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        FINANCE = "finance", _("Finance")
        EXPERTISE = "expertise", _("Expertise")

    class Stage(models.TextChoices):
        # The stages of the matching engine (`ascnhub-match/1`).
        IDEA = "idea", _("Idea")
        PLANNING = "planning", _("Planning")
        PROCUREMENT = "procurement", _("Procurement")
        IMPLEMENTATION = "implementation", _("Implementation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="needs", verbose_name=_("city"))
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("looking for"), max_length=20, choices=Kind.choices, default=Kind.TECHNOLOGY)
    focus_areas = models.ManyToManyField(FocusAreaTag, related_name="needs", verbose_name=_("focus areas"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    budget_usd = models.PositiveBigIntegerField(_("budget in US dollars (approx.)"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_open", "city__name", "title"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.budget_amount is not None and not self.budget_currency:
            raise ValidationError({"budget_currency": _("Give the currency of the budget.")})
        if self.project_id and self.city_id and self.project.city_id != self.city_id:
            raise ValidationError({"project": _("The project belongs to another city.")})

    def get_absolute_url(self) -> str:
        return reverse("projects:need", args=[self.public_id])

    def as_match_input(self) -> dict:
        """This need in the matching engine's input format (`ascnhub-match/1`)."""
        return {
            "id": str(self.public_id),
            "city": self.city.name,
            "country": self.city.country.code,
            "language": self.language,
            "title": self.title,
            "description": self.description,
            "focus_areas": [f.code for f in self.focus_areas.all()],
            "stage": self.stage,
            "budget_usd": self.budget_usd,
        }


class ReportQuerySet(models.QuerySet):
    def public(self) -> ReportQuerySet:
        return self.filter(state=ProgressReport.State.APPROVED, project__published=True)


class ProgressReport(models.Model):
    """A periodic report by the city's officer, reviewed by its country's National Representative."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(_("project status"), max_length=20, choices=Project.Status.choices)
    physical_planned = models.DecimalField(
        _("physical progress planned (%)"), max_digits=5, decimal_places=1, validators=[validate_percent]
    )
    physical_actual = models.DecimalField(
        _("physical progress actual (%)"), max_digits=5, decimal_places=1, validators=[validate_percent]
    )
    financial_planned = models.DecimalField(
        _("financial progress planned (%)"), max_digits=5, decimal_places=1, validators=[validate_percent]
    )
    financial_actual = models.DecimalField(
        _("financial progress actual (%)"), max_digits=5, decimal_places=1, validators=[validate_percent]
    )
    milestones_met = models.TextField(_("milestones met"), blank=True, help_text=_("One milestone a line."))
    narrative = models.TextField(_("narrative"))
    state = models.CharField(_("review state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                name="report_period_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period_end:%Y-%m-%d}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period cannot be before its start.")})

    def get_absolute_url(self) -> str:
        return reverse("projects:report", args=[self.public_id])

    @property
    def milestones(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.milestones_met.splitlines() if line.strip(" -•\t")]

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    # A report more than this many points of physical progress below its plan is behind plan.
    BEHIND_PLAN_POINTS = 5

    @property
    def summary(self) -> str:
        """One sentence on the period from the report's figures, in the reader's language (computed
        when shown, never stored: the narrative holds only the city's own words)."""
        from django.utils.formats import number_format
        from django.utils.translation import gettext

        figures = {
            "actual": number_format(self.physical_actual, decimal_pos=0),
            "planned": number_format(self.physical_planned, decimal_pos=0),
        }
        if self.status == Project.Status.COMPLETION and self.physical_actual >= 100:
            return gettext("Work completed and handed over in the period.")
        if self.physical_actual >= self.physical_planned - self.BEHIND_PLAN_POINTS:
            return (
                gettext(
                    "Work continued in the period. Physical progress %(actual)s%% against %(planned)s%% "
                    "planned: on track."
                )
                % figures
            )
        return (
            gettext(
                "Work continued in the period. Physical progress %(actual)s%% against %(planned)s%% "
                "planned: behind plan."
            )
            % figures
        )


class ReportAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="projects/reports/%Y/", validators=upload_validators)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        return reverse("projects:report_file", args=[self.public_id])

    def __str__(self) -> str:
        return self.title


class PartnershipQuerySet(models.QuerySet):
    def public(self) -> PartnershipQuerySet:
        return self.filter(published=True).filter(Q(project__isnull=True) | Q(project__published=True))


class Partnership(models.Model):
    """A city working with an organisation: an MoU, a pilot, a feasibility study, a contract."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        PILOT = "pilot", _("Pilot")
        FEASIBILITY = "feasibility_study", _("Feasibility study")
        CONTRACT = "contract", _("Contract")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("city")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("organisation")
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    origin = models.CharField(
        _("where it came from"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “met at the 3rd ASEAN–Japan HLM business matchmaking”"),
    )
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                name="partnership_period_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.organisation}: {self.title}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})


class OfferQuerySet(models.QuerySet):
    def public(self) -> OfferQuerySet:
        return self.filter(published=True)


class Offer(MultilingualText):
    """A company's solution, offered to cities."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offers", verbose_name=_("company")
    )
    focus_areas = models.ManyToManyField(FocusAreaTag, related_name="offers", verbose_name=_("focus areas"))
    deployed_in = models.CharField(
        _("countries deployed in"),
        max_length=200,
        blank=True,
        validators=[validate_country_list],
        help_text=_("ISO country codes separated by commas, e.g. JP, VN, TH"),
    )
    references = models.TextField(
        _("references"), blank=True, help_text=_("Where it runs today; one a line.")
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_url = models.URLField(_("contact web page"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.deployed_in = ",".join(dict.fromkeys(split_codes(self.deployed_in)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("projects:offer", args=[self.slug])

    @property
    def deployed_in_codes(self) -> list[str]:
        return split_codes(self.deployed_in)

    @property
    def deployed_in_names(self) -> list[str]:
        return [country_name(c) for c in self.deployed_in_codes]

    @property
    def reference_list(self) -> list[str]:
        return [line.strip() for line in self.references.splitlines() if line.strip()]

    def as_match_input(self) -> dict:
        """This offer in the matching engine's input format (`ascnhub-match/1`)."""
        return {
            "id": self.slug,
            "organisation": self.organisation.name,
            "country": self.organisation.country,
            "language": self.language,
            "title": self.title,
            "description": self.description,
            "focus_areas": [f.code for f in self.focus_areas.all()],
            "deployed_in": self.deployed_in_codes,
        }
