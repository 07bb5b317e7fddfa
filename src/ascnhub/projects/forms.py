"""Forms for projects, needs, reports, partnerships and offers. They validate; the services write."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.registry.models import City, Organisation

from .codes import CONTENT_LANGUAGES, CURRENCY_CHOICES
from .models import (
    UPLOAD_EXTENSIONS,
    Funding,
    Need,
    Offer,
    Partnership,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectParty,
    upload_validators,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def https_urls(field, **kwargs):
    """Form fields for model fields; a web address typed without a scheme gets https://."""
    if isinstance(field, models.URLField):
        return field.formfield(assume_scheme="https", **kwargs)
    return field.formfield(**kwargs)


CURRENCY_FIELD_CHOICES = [("", "—")] + CURRENCY_CHOICES
ACCEPT = ",".join(f".{e}" for e in UPLOAD_EXTENSIONS)


class TranslationMixin(forms.Form):
    """One optional translation of the title and description, added or replaced on save."""

    translation_language = forms.ChoiceField(
        label=_("translation: language"), required=False, choices=[("", "—")] + CONTENT_LANGUAGES
    )
    translation_title = forms.CharField(label=_("translation: title"), required=False, max_length=250)
    translation_description = forms.CharField(
        label=_("translation: description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        lang = data.get("translation_language")
        if (data.get("translation_title") or data.get("translation_description")) and not lang:
            self.add_error("translation_language", _("Say which language the translation is in."))
        if lang and lang == data.get("language"):
            self.add_error(
                "translation_language", _("A translation must be in another language than the original.")
            )
        return data

    def translations(self, existing: dict) -> dict:
        result = dict(existing or {})
        lang = self.cleaned_data.get("translation_language")
        if lang:
            title, desc = (
                self.cleaned_data.get("translation_title"),
                self.cleaned_data.get("translation_description"),
            )
            if title or desc:
                result[lang] = {"title": title, "description": desc}
            else:
                result.pop(lang, None)
        return result

    def model_data(self) -> dict:
        skip = {
            "translation_language",
            "translation_title",
            "translation_description",
            "focus_areas",
            "outcomes",
        }
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class ProjectForm(TranslationMixin, forms.ModelForm):
    budget_currency = forms.ChoiceField(label=_("currency"), choices=CURRENCY_FIELD_CHOICES, required=False)

    class Meta:
        formfield_callback = https_urls
        model = Project
        fields = [
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
            "location_description",
            "latitude",
            "longitude",
            "website",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "start_date": DATE,
            "end_date": DATE,
            "focus_areas": forms.CheckboxSelectMultiple,
            "outcomes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities if cities is not None else City.objects.all()
        self.fields["focus_areas"].required = True


class PartyForm(forms.ModelForm):
    class Meta:
        model = ProjectParty
        fields = ["organisation", "role", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class DocumentForm(forms.ModelForm):
    file = forms.FileField(
        label=_("file"),
        required=False,
        validators=upload_validators,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=uploads.help_text(),
    )

    class Meta:
        formfield_callback = https_urls
        model = ProjectDocument
        fields = ["title", "kind", "language", "url", "file"]

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise forms.ValidationError(_("Give a link or upload a file."))
        return data


class NeedForm(TranslationMixin, forms.ModelForm):
    budget_currency = forms.ChoiceField(label=_("currency"), choices=CURRENCY_FIELD_CHOICES, required=False)

    class Meta:
        model = Need
        fields = [
            "city",
            "project",
            "kind",
            "title",
            "language",
            "description",
            "focus_areas",
            "stage",
            "budget_amount",
            "budget_currency",
            "budget_usd",
            "is_open",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "focus_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        cities = cities if cities is not None else City.objects.all()
        self.fields["city"].queryset = cities
        self.fields["project"].queryset = Project.objects.filter(city__in=cities).select_related("city")
        self.fields["focus_areas"].required = True


class ReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = [
            "period_start",
            "period_end",
            "status",
            "physical_planned",
            "physical_actual",
            "financial_planned",
            "financial_actual",
            "milestones_met",
            "narrative",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "milestones_met": forms.Textarea(attrs={"rows": 4}),
        }

    attachment_title = forms.CharField(label=_("attachment: title"), required=False, max_length=250)
    attachment = forms.FileField(
        label=_("attachment: file"),
        required=False,
        validators=upload_validators,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=uploads.help_text(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["physical_planned", "physical_actual", "financial_planned", "financial_actual"]:
            self.fields[name].widget.attrs.update({"min": 0, "max": 100, "step": "0.1"})

    def model_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"attachment", "attachment_title"}}

    def attachments(self) -> list:
        f = self.cleaned_data.get("attachment")
        return [(self.cleaned_data.get("attachment_title") or f.name, f)] if f else []


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve and publish")), ("return", _("Return for changes"))],
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the report."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change when returning a report."))
        return data


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "city",
            "organisation",
            "project",
            "kind",
            "title",
            "start_date",
            "end_date",
            "origin",
            "published",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        cities = cities if cities is not None else City.objects.all()
        self.fields["city"].queryset = cities
        self.fields["project"].queryset = Project.objects.filter(city__in=cities)


class OfferForm(TranslationMixin, forms.ModelForm):
    class Meta:
        formfield_callback = https_urls
        model = Offer
        fields = [
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
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "references": forms.Textarea(attrs={"rows": 3}),
            "focus_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations
            if organisations is not None
            else Organisation.objects.filter(kind=Organisation.Kind.COMPANY)
        )
        self.fields["focus_areas"].required = True


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("file (CSV or XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class FundingLineForm(forms.Form):
    """One funding source's line of a project's budget (checked by `services.set_fundings`)."""

    public_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    source = forms.ModelChoiceField(
        label=_("funding source"), queryset=Organisation.objects.order_by("name"), to_field_name="slug"
    )
    amount = forms.DecimalField(label=_("amount"), max_digits=18, decimal_places=2)
    # Free text (a list of codes is offered in the page): a wrong code is named by the service.
    currency = forms.CharField(
        label=_("currency"), max_length=10, widget=forms.TextInput(attrs={"list": "iso-4217", "size": 4})
    )
    status = forms.ChoiceField(label=_("status"), choices=Funding.Status.choices)
    description = forms.CharField(label=_("description"), max_length=250, required=False)

    def has_changed(self) -> bool:
        # An offered empty row stays empty whatever its status select says: it is skipped.
        if not self.is_bound:
            return super().has_changed()
        names = ("public_id", "source", "amount", "currency", "description")
        return any((self.data.get(self.add_prefix(n)) or "").strip() for n in names)


FundingFormSet = forms.formset_factory(FundingLineForm, extra=2, can_delete=True)


class OperationCostForm(forms.Form):
    om_cost_per_year = forms.DecimalField(
        label=_("operation and maintenance cost per year"), max_digits=18, decimal_places=2, required=False
    )
    om_cost_currency = forms.CharField(
        label=_("currency of the operation and maintenance cost"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"list": "iso-4217", "size": 4}),
    )
