"""Forms: registration (with each category's own questions), check-in, cloning, publishing."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ascnhub.common.timezones import known_timezones
from ascnhub.registry.countries import COUNTRY_CHOICES

from .models import Meeting, Mode, RegistrationCategory
from .services import CLONE_PARTS

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

DUPLICATE_EMAIL = _("Someone is already registered for this meeting with this e-mail address. "
                    "Check your e-mail for the link to your registration.")


def _clean_text(value: str, label: str) -> str:
    value = " ".join((value or "").split())
    if _CONTROL.search(value):
        raise forms.ValidationError(_("%(field)s contains characters that cannot be printed.") % {"field": label})
    return value


class RegistrationForm(forms.Form):
    """Registration for one category; the category's JSON-defined questions become extra fields."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    name_on_badge = forms.CharField(label=_("Name on badge"), max_length=120, required=False,
                                    help_text=_("Leave empty to print your full name."))
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    job_title = forms.CharField(label=_("Position"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—")] + COUNTRY_CHOICES)
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=settings.LANGUAGES)
    timezone = forms.CharField(label=_("Your time zone"), max_length=64,
                               help_text=_("Used to show you the agenda in your own time, e.g. Asia/Jakarta."))
    mode = forms.ChoiceField(label=_("I will take part"), choices=Mode.choices, widget=forms.RadioSelect)
    consent_list = forms.BooleanField(
        label=_("Show my name, organisation and country in the participant list"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, meeting: Meeting, category: RegistrationCategory, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.category = category
        self.fields["submission_key"].initial = uuid.uuid4().hex
        self.fields["mode"].initial = category.default_mode
        if meeting.format != "hybrid" or not category.mode_choice:
            del self.fields["mode"]
        self.question_names: list[str] = []
        for q in category.questions or []:
            name = f"q_{q['name']}"
            label = q.get("label", q["name"])
            required = bool(q.get("required", False))
            kind = q.get("type", "text")
            if kind == "choice":
                field = forms.ChoiceField(label=label, required=required,
                                          choices=[("", "—")] + [(c, c) for c in q.get("choices", [])])
            elif kind == "boolean":
                field = forms.BooleanField(label=label, required=required)
            else:
                field = forms.CharField(label=label, required=required, max_length=int(q.get("max_length", 300)))
            field.help_text = q.get("help", "")
            self.fields[name] = field
            self.question_names.append(name)
        # Questions before the consent box and the hidden key.
        order = [n for n in self.fields if n not in ("consent_list", "submission_key")] + ["consent_list",
                                                                                           "submission_key"]
        self.order_fields(order)

    def clean_name(self):
        value = _clean_text(self.cleaned_data["name"], _("Full name"))
        if len(value) < 2:
            raise forms.ValidationError(_("Please enter your full name."))
        return value

    def clean_name_on_badge(self):
        return _clean_text(self.cleaned_data["name_on_badge"], _("Name on badge"))

    def clean_organisation_name(self):
        value = _clean_text(self.cleaned_data["organisation_name"], _("Organisation"))
        if not value:
            raise forms.ValidationError(_("Please name your organisation."))
        return value

    def clean_job_title(self):
        return _clean_text(self.cleaned_data["job_title"], _("Position"))

    def clean_email(self):
        # Whether the address is already registered is checked where it is decided, by the unique
        # constraint inside services.register (the view shows DUPLICATE_EMAIL on this field).
        return self.cleaned_data["email"].strip().lower()

    def clean_timezone(self):
        value = self.cleaned_data["timezone"].strip()
        if value not in known_timezones():
            raise forms.ValidationError(_("“%(value)s” is not a known time zone (use a name like Asia/Jakarta).")
                                        % {"value": value})
        return value

    def clean(self):
        data = super().clean()
        kind = self.category.kind
        country = data.get("country")
        if kind in (RegistrationCategory.Kind.GOVERNMENT, RegistrationCategory.Kind.CITY) and country:
            from ascnhub.registry.countries import ASEAN_COUNTRIES

            if country not in ASEAN_COUNTRIES and country != "JP":
                self.add_error("country", _("Delegations come from an ASEAN member state or Japan."))
        return data

    def registration_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("name", "name_on_badge", "email", "organisation_name",
                                                  "job_title", "country", "language", "timezone",
                                                  "consent_list")}
        data["mode"] = self.cleaned_data.get("mode") or self.category.default_mode
        data["answers"] = {n[2:]: self.cleaned_data[n] for n in self.question_names}
        return data


class CheckInForm(forms.Form):
    token = forms.CharField(label=_("Badge code"), max_length=300, required=False,
                            widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
                            help_text=_("Scan the QR code, or paste the code printed under it."))


class CloneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    slug = forms.SlugField(label=_("Address (slug)"), max_length=120)
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    parts = forms.MultipleChoiceField(
        label=_("Copy"), widget=forms.CheckboxSelectMultiple, required=False,
        choices=[("rooms", _("rooms")), ("categories", _("registration categories")),
                 ("sessions", _("sessions")), ("organisers", _("organisers"))])

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Meeting.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A meeting with this address already exists."))
        return slug

    def clean_parts(self):
        return set(self.cleaned_data["parts"]) & set(CLONE_PARTS)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("Note for the change log"), max_length=250, required=False)
