"""Forms for editing the registry. They validate; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ascnhub.common.timezones import known_timezones

from .models import City, Person

TIMEZONE_CHOICES = [(z, z) for z in sorted(known_timezones()) if "/" in z and not z.startswith("Etc")]


class TimezoneInput(forms.TextInput):
    """A text box that suggests zone names as one types (a datalist), instead of a 600-entry list."""

    template_name = "registry/widgets/timezone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        datalist_id = f"{context['widget']['attrs'].get('id') or name}-zones"
        context["widget"]["attrs"]["list"] = datalist_id
        context["widget"]["attrs"].setdefault("autocomplete", "off")
        context["widget"]["datalist_id"] = datalist_id
        context["widget"]["zones"] = [z for z, _label in TIMEZONE_CHOICES]
        return context


class TimezoneField(forms.CharField):
    """A time zone typed with suggestions; refused, with an example, when it is not a known zone."""

    widget = TimezoneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _("Type a city to find its zone, e.g. Asia/Jakarta."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and value not in known_timezones():
            raise forms.ValidationError(
                _("“%(value)s” is not a known time zone (use a name like Asia/Jakarta).") % {"value": value}
            )
        return value


class CityForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES)

    class Meta:
        model = City
        fields = ["kind", "description", "website", "population", "timezone", "latitude", "longitude"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class PersonForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES)

    class Meta:
        model = Person
        fields = ["name", "title", "email", "organisation", "preferred_language", "timezone"]
