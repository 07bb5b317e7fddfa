"""Best-practice cases and the smart-city planning guidebook (chapters, revisions, comments).

Thin models: fields, constraints and small properties. Every change goes through `services.py`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.projects.codes import CONTENT_LANGUAGES, FocusArea
from ascnhub.registry.countries import COUNTRY_CHOICES, country_name

ATTACHMENT_EXTENSIONS = uploads.EXTENSIONS
# The name migration 0001 refers to; every upload check lives in common.uploads.
validate_attachment_size = uploads.validate_upload
attachment_validators = uploads.upload_validators


class CaseQuerySet(models.QuerySet):
    def public(self) -> CaseQuerySet:
        return self.filter(published=True)


class Case(models.Model):
    """A best-practice case: a city's problem, what it did, what came of it, and with whom."""

    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    city = models.ForeignKey(
        "registry.City",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("ASCN city"),
    )
    place = models.CharField(
        _("city or place"),
        max_length=160,
        blank=True,
        help_text=_("For places outside the network, e.g. a Japanese city."),
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    focus_area = models.CharField(_("focus area"), max_length=40, choices=FocusArea.choices)
    language = models.CharField(
        _("language written in"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("solution"))
    results = models.TextField(_("results"), blank=True)
    partners = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="cases", verbose_name=_("partners")
    )
    partners_text = models.CharField(_("other partners"), max_length=300, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="cases", verbose_name=_("projects")
    )
    partnerships = models.ManyToManyField(
        "projects.Partnership", blank=True, related_name="cases", verbose_name=_("partnerships")
    )
    source_url = models.URLField(_("source"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("best-practice case")
        verbose_name_plural = _("best-practice cases")
        constraints = [
            models.CheckConstraint(name="case_has_a_place", condition=Q(city__isnull=False) | ~Q(place=""))
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.city_id is None and not self.place:
            raise ValidationError({"place": _("Choose an ASCN city or name the place.")})

    def get_absolute_url(self) -> str:
        return reverse("knowledge:case", args=[self.slug])

    @property
    def place_name(self) -> str:
        return self.city.name if self.city_id else self.place

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def similarity_text(self) -> str:
        """What 'similar cases' compares: the problem and the solution, in the language written."""
        return f"{self.title}. {self.problem} {self.solution}"


class CaseAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="knowledge/cases/%Y/", validators=attachment_validators)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    """A chapter of the ASEAN smart-city planning guidebook, with its review state."""

    class Part(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction")
        BASICS = "basics", _("Basic understanding of smart cities")
        PRIORITY_AREAS = "priority_areas", _("Priority areas, with examples")
        PROCESS = "process", _("Process and enablers")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: # headings, *emphasis*, lists, links.")
    )
    language = models.CharField(
        _("language written in"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    #: Goes up by one with every saved revision; an edit must name the revision it started from.
    revision_number = models.PositiveIntegerField(_("revision"), default=0)
    published_revision = models.ForeignKey(
        "ChapterRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published revision"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("guidebook chapter")
        verbose_name_plural = _("guidebook chapters")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:chapter", args=[self.slug])


class ChapterRevision(models.Model):
    """One saved version of a chapter: who changed what, when, and why."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    summary = models.CharField(_("what changed"), max_length=250, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "-number"]
        verbose_name = _("chapter revision")
        verbose_name_plural = _("chapter revisions")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="chapter_revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.chapter} r{self.number}"


class ChapterComment(models.Model):
    """A comment on a chapter; approvals and change requests of the review are comments too."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved and published")
        CHANGES = "changes", _("changes requested")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    revision_number = models.PositiveIntegerField(_("on revision"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("chapter comment")
        verbose_name_plural = _("chapter comments")

    def __str__(self) -> str:
        return f"{self.chapter}: {self.get_kind_display()}"
