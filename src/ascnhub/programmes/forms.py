"""Forms of the programmes pages: a status update of a cooperation item, an import upload."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ItemStatus


class ItemUpdateForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Date"), initial=datetime.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    note = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
