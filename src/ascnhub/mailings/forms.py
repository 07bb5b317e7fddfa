from django import forms
from django.utils.translation import gettext_lazy as _

from ascnhub.events.models import Registration


class MailingForm(forms.Form):
    """Audience and one version per language (English required, the fallback)."""

    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    statuses = forms.MultipleChoiceField(
        label=_("Statuses (none: approved)"),
        choices=Registration.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(label=_("Countries (ISO codes, comma-separated; empty: all)"), required=False)
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea)
    subject_id = forms.CharField(label=_("Subject (Indonesian)"), max_length=200, required=False)
    body_id = forms.CharField(label=_("Text (Indonesian)"), widget=forms.Textarea, required=False)
    subject_ja = forms.CharField(label=_("Subject (Japanese)"), max_length=200, required=False)
    body_ja = forms.CharField(label=_("Text (Japanese)"), widget=forms.Textarea, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = meeting.categories.all()

    def versions(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            lang: {"subject": data[f"subject_{lang}"], "body": data[f"body_{lang}"]}
            for lang in ("en", "id", "ja")
            if data.get(f"subject_{lang}") or data.get(f"body_{lang}")
        }

    def country_codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["countries"].split(",") if c.strip()]
