"""Forms for editing the registry. They validate; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ascnhub.common.timezones import known_timezones

from .models import City, Person

TIMEZONE_CHOICES = [(z, z) for z in sorted(known_timezones()) if "/" in z and not z.startswith("Etc")]


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
