"""The network registry: member states, cities, organisations, people and their time-bound roles."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ascnhub.common.timezones import known_timezones

from .countries import COUNTRY_CHOICES, country_name

iso_code = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166 country code in capitals, e.g. ID."))


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use a name like Asia/Jakarta)."), params={"value": value}
        )


class MemberState(models.Model):
    """An ASEAN member state. The list grows (Timor-Leste joined on 26 Oct 2025): never assume ten."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True, validators=[iso_code])
    name = models.CharField(_("name"), max_length=100, unique=True)
    joined_asean = models.DateField(_("accession to ASEAN"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the active language: ours in English, the locale's ISO 3166 name otherwise."""
        name = country_name(self.code)
        return self.name if name == self.code or translation.get_language() in (None, "en") else name

    def get_absolute_url(self) -> str:
        return reverse("registry:member_state", args=[self.code.lower()])


class City(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("city")
        REGENCY = "regency", _("regency")
        PROVINCE = "province", _("province")
        CAPITAL = "capital", _("capital")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    joined_year = models.PositiveSmallIntegerField(
        _("joined ASCN in"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="city_unique_name_per_country")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:city", args=[self.slug])


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry or agency")
        CITY_GOVERNMENT = "city_government", _("city government")
        COMPANY = "company", _("company")
        PARTNER_GOVERNMENT = "partner_government", _("partner government")
        INTERNATIONAL = "international", _("international organisation")
        ACADEMIA = "academia", _("academia")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, validators=[iso_code])
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name=_("city"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.slug])


class Person(models.Model):
    """Someone working in the network. Invented in the demo: no real personal data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.ASCNHUB_PERSON_LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_timezone]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:person", args=[self.public_id])


class RoleQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> RoleQuerySet:
        """Roles held on a given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def past(self, on: datetime.date | None = None) -> RoleQuerySet:
        day = on or timezone.localdate()
        return self.filter(end_date__lt=day)


class Role(models.Model):
    """A time-bound role. Ending a role keeps it as history; nothing is overwritten."""

    class Kind(models.TextChoices):
        NATIONAL_REPRESENTATIVE = "national_representative", _("National Representative")
        CSCO = "csco", _("Chief Smart City Officer")
        CHAIR = "chair", _("Network Chair")
        SHEPHERD = "shepherd", _("Network Shepherd")
        FOCAL_POINT = "focal_point", _("Focal point")

    kind = models.CharField(_("role"), max_length=30, choices=Kind.choices)
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("member state"),
    )
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="roles", verbose_name=_("city")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        verbose_name=_("agency"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_kind",
                condition=(
                    Q(kind="csco", city__isnull=False, person__isnull=False)
                    | Q(
                        kind="national_representative", member_state__isnull=False, organisation__isnull=False
                    )
                    | Q(kind__in=["chair", "shepherd"], member_state__isnull=False, year__isnull=False)
                    | Q(kind="focal_point", person__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="role_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        scope = self.city or self.member_state or ""
        holder = self.person or self.organisation or self.member_state
        label = self.get_kind_display()
        if self.year:
            label = f"{label} {self.year}"
        return f"{label} · {scope} · {holder}" if scope != holder else f"{label} · {holder}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
