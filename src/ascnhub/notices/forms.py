from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_DELIVERY, Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notice."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices.get(kind, DEFAULT_DELIVERY),
                widget=forms.RadioSelect,
                help_text=_("Sign-in and security e-mails always arrive."),
            )
