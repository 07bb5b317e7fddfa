from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.registry.models import City, MemberState, Organisation

from .models import Status


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=capfirst(_("status")), choices=Status.choices)
    progress = forms.IntegerField(label=capfirst(_("progress (%)")), min_value=0, max_value=100)
    note = forms.CharField(
        label=capfirst(_("what happened")), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_url = forms.URLField(
        label=capfirst(_("evidence link")),
        required=False,
        assume_scheme="https",
        help_text=_("A public web page, report or news item."),
    )
    evidence_file = forms.FileField(
        label=capfirst(_("evidence file")),
        required=False,
        validators=uploads.upload_validators,
        help_text=uploads.help_text(),
    )

    def clean(self):
        data = super().clean()
        has_evidence = data.get("evidence_url") or data.get("evidence_file")
        if data.get("status") == Status.COMPLETED and not has_evidence:
            raise forms.ValidationError(
                _("A completed commitment needs evidence: a link or a file."), code="evidence_required"
            )
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(label=capfirst(_("action")), max_length=250)
    owner = forms.CharField(label=capfirst(_("who does it")), max_length=200, required=False)
    due_date = forms.DateField(label=capfirst(_("by when")), widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentForm(forms.Form):
    """A new commitment; the parties offered are those the user may speak for."""

    party = forms.ChoiceField(label=capfirst(_("who commits")))
    description = forms.CharField(
        label=capfirst(_("what")), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=capfirst(_("by when")), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, states=(), cities=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if states:
            choices.append((_("member states"), [(f"member_state:{s.pk}", s.name) for s in states]))
        if cities:
            choices.append((_("cities"), [(f"city:{c.pk}", f"{c.name} ({c.country.name})") for c in cities]))
        if organisations:
            choices.append(
                (_("partner organisations"), [(f"organisation:{o.pk}", o.name) for o in organisations])
            )
        self.fields["party"].choices = [("", "—")] + choices
        self._allowed = {v for _g, opts in choices for v, _l in opts}

    def clean_party(self):
        value = self.cleaned_data["party"]
        if value not in self._allowed:
            raise forms.ValidationError(_("You cannot make a commitment for this party."))
        kind, pk = value.split(":")
        model = {"member_state": MemberState, "city": City, "organisation": Organisation}[kind]
        return {"party_kind": kind, kind: model.objects.get(pk=pk)}


class OutcomeContentForm(forms.Form):
    """The document part of an outcome document's draft (its recommendations come in a formset)."""

    title = forms.CharField(label=capfirst(_("title")), max_length=250)
    adopted_on = forms.DateField(
        label=capfirst(_("adopted on")), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=capfirst(_("summary")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_url = forms.URLField(label=capfirst(_("source")), required=False, assume_scheme="https")

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:  # a new document: for which meeting
            self.fields = {
                "meeting": forms.ModelChoiceField(
                    label=capfirst(_("meeting")),
                    queryset=meetings,
                    help_text=_("Meetings that have no outcome document yet."),
                ),
                **self.fields,
            }


class RecommendationDraftForm(forms.Form):
    number = forms.IntegerField(label=capfirst(_("number")), min_value=1, max_value=999)
    title = forms.CharField(label=capfirst(_("short title")), max_length=200)
    text = forms.CharField(label=capfirst(_("text")), widget=forms.Textarea(attrs={"rows": 3}))
    carried_from = forms.ChoiceField(label=capfirst(_("carries over")), required=False)

    def __init__(self, *args, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carried_from"].choices = [("", "—"), *earlier]


RecommendationFormSet = forms.formset_factory(RecommendationDraftForm, extra=1, can_delete=True)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("return", _("Return with comments"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
