"""Support programmes and their studies, agreements with numbered cooperation items, city councils
and the cities' Smart City Action Plan items.

Thin models: fields, constraints and small properties. Every change goes through `services.py`.
Drafts (`published=False`) are seen only by the secretariat; `public()` is what pages, open data and
the outcomes tracker show.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascnhub.projects.codes import FocusArea
from ascnhub.projects.models import Project
from ascnhub.registry.models import City, Organisation, Person


class PublishedQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published=True)


class Programme(models.Model):
    """A support programme through which a partner funds studies in cities, e.g. Japan's Smart JAMP."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    funder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("funded by"),
    )
    website = models.URLField(_("website"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme", args=[self.slug])


class Study(models.Model):
    """One support study of a programme: a theme, a fiscal year, the cities it serves, the consultant
    consortium that does it, its kick-off, documents, deliverables and the projects it led to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="studies", verbose_name=_("programme")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    theme = models.CharField(_("theme"), max_length=200)
    focus_area = models.CharField(_("focus area"), max_length=40, choices=FocusArea.choices, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    cities = models.ManyToManyField(City, related_name="studies", verbose_name=_("cities"))
    consortium = models.ManyToManyField(
        Organisation, blank=True, related_name="studies", verbose_name=_("consultant consortium")
    )
    kickoff_date = models.DateField(_("kick-off"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True, help_text=_("One per line."))
    projects = models.ManyToManyField(
        Project, blank=True, related_name="studies", verbose_name=_("projects it led to")
    )
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "title"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year", "title"], name="study_once_per_programme_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (FY{self.fiscal_year})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:study", args=[self.slug])

    @property
    def deliverable_list(self) -> list[str]:
        return [line.strip() for line in self.deliverables.splitlines() if line.strip()]


class StudyDocument(models.Model):
    """A document of a study (kick-off minutes, signed minutes, a report), published as a link."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        SIGNED_MINUTES = "signed_minutes", _("Signed minutes")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"))
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("study document")
        verbose_name_plural = _("study documents")

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """An MoU or cooperation agreement between cities, agencies and companies."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MOU)
    signed_on = models.DateField(_("signed on"))
    summary = models.TextField(_("summary"), blank=True)
    cities = models.ManyToManyField(City, related_name="agreements", verbose_name=_("cities"))
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="agreements", verbose_name=_("agencies and companies")
    )
    study = models.ForeignKey(
        Study,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("study it came from"),
    )
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:agreement", args=[self.slug])


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class CooperationItem(models.Model):
    """A numbered item of an agreement, with its current status and the projects it produced."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default="planned")
    projects = models.ManyToManyField(
        Project, blank=True, related_name="cooperation_items", verbose_name=_("projects it produced")
    )

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("cooperation item")
        verbose_name_plural = _("cooperation items")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="cooperation_item_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ItemUpdate(models.Model):
    """A dated status update of a cooperation item (the item takes the latest status)."""

    item = models.ForeignKey(CooperationItem, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices)
    note = models.TextField(_("what happened"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()} ({self.date})"


class Council(models.Model):
    """A city's public–private stakeholder council."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="councils", verbose_name=_("city"))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=250)
    established_on = models.DateField(_("established on"))
    purpose = models.TextField(_("purpose"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "name"]
        verbose_name = _("city council")
        verbose_name_plural = _("city councils")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:council", args=[self.slug])


class CouncilMember(models.Model):
    """An organisation or a person on a council, with their role on it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="council_seats"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=120)

    class Meta:
        ordering = ["council", "id"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.CheckConstraint(
                name="council_member_is_someone",
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
            )
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.organisation.name
        return f"{who} ({self.role})"


class CouncilMeeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title


class ActionPlanItem(models.Model):
    """An item of a city's Smart City Action Plan, linked to the projects that carry it out."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="action_plan_items", verbose_name=_("city")
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("The plan's own numbering, e.g. “M-3”."))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    focus_area = models.CharField(_("focus area"), max_length=40, choices=FocusArea.choices, blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="action_plan_items", verbose_name=_("projects")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["city__name", "code"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="action_plan_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
