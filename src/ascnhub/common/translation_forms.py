"""Forms of the translation workflow (see common.translations)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContentTranslation


class RequestForm(forms.Form):
    content = forms.CharField(max_length=100, widget=forms.HiddenInput)
    object_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    language = forms.CharField(label=_("language"), max_length=8)


class AssignForm(forms.Form):
    me = forms.BooleanField(required=False, widget=forms.HiddenInput)
    email = forms.EmailField(label=_("translator's e-mail"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("me") and not data.get("email"):
            self.add_error("email", _("Give the translator's e-mail address."))
        return data


class SubmitForm(forms.Form):
    """One text box per translatable field, filled with the draft, else the current version
    (a machine translation is a starting point for the translator)."""

    def __init__(self, spec: Any, version: ContentTranslation, data: Any = None) -> None:
        super().__init__(data)
        self.spec = spec
        start = version.draft or version.fields
        for name in spec.fields:
            self.fields[name] = forms.CharField(
                label=spec.label(name),
                required=False,
                initial=start.get(name, ""),
                widget=forms.Textarea(attrs={"rows": 6, "lang": version.language})
                if name != "title"
                else forms.TextInput(attrs={"lang": version.language}),
            )

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.spec.fields}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("what should change"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
