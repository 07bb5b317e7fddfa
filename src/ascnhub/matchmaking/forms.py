"""Forms of matchmaking pages. They validate; services write."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ascnhub.engine.matching.model import FOCUS_AREAS, FOCUS_LABELS
from ascnhub.projects.codes import CONTENT_LANGUAGES
from ascnhub.registry.forms import TimezoneField

from .models import Lead, MeetingRequest, Profile, Setup

FOCUS_CHOICES = [(code, FOCUS_LABELS[code]) for code in FOCUS_AREAS]


class ProfileForm(forms.ModelForm):
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"), choices=FOCUS_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    timezone = TimezoneField(label=_("Time zone"))
    language = forms.ChoiceField(label=_("Language of these texts"), choices=CONTENT_LANGUAGES)
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages we can meet in"), choices=CONTENT_LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Profile
        fields = [
            "name",
            "kind",
            "looking_for",
            "offering",
            "language",
            "languages_spoken",
            "focus_areas",
            "mode",
            "timezone",
            "needs",
            "offers",
            "unavailable",
            "visible",
            "contact_phone",
            "contact_handle",
            "share_email",
            "share_phone",
            "share_position",
            "share_handle",
        ]
        widgets = {
            "looking_for": forms.Textarea(attrs={"rows": 4}),
            "offering": forms.Textarea(attrs={"rows": 4}),
            "unavailable": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "offers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, setup: Setup, needs_qs, offers_qs, slot_label, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored as codes joined by commas ("en,ja"); chosen by name.
        spoken = self.initial.get("languages_spoken") or ""
        if isinstance(spoken, str):
            self.initial["languages_spoken"] = [c.strip() for c in spoken.split(",") if c.strip()]
        self.fields["needs"].queryset = needs_qs
        self.fields["offers"].queryset = offers_qs
        self.fields["unavailable"].queryset = setup.slots.all()
        self.fields["unavailable"].label_from_instance = slot_label
        self.fields["unavailable"].required = False
        self.fields["needs"].required = False
        self.fields["offers"].required = False

    def clean_languages_spoken(self) -> str:
        return ",".join(self.cleaned_data["languages_spoken"])

    def clean(self):
        data = super().clean()
        if not (data.get("looking_for") or data.get("offering") or data.get("needs") or data.get("offers")):
            raise forms.ValidationError(
                _("Say what you look for or what you offer, so partners can find you.")
            )
        return data


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=MeetingRequest.Priority.choices,
        initial=MeetingRequest.Priority.WOULD_LIKE,
    )


class SetupForm(forms.ModelForm):
    class Meta:
        model = Setup
        fields = [
            "is_open",
            "request_deadline",
            "max_open_requests",
            "request_expiry_days",
            "max_meetings",
            "auto_accept",
            "slot_minutes",
            "solver_time_limit",
            "video_link_template",
            "survey_after_months",
        ]
        widgets = {"request_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class LocationsForm(forms.Form):
    tables = forms.IntegerField(label=_("Tables on site"), min_value=0, max_value=500)
    video_rooms = forms.IntegerField(label=_("Video rooms"), min_value=0, max_value=500)


def participant_label(profile: Profile) -> str:
    """How a participant is offered and typed in a participant search: "name (organisation)"."""
    org = profile.organisation.name if profile.organisation_id and profile.organisation else ""
    return f"{profile.name} ({org})" if org and org.casefold() != profile.name.casefold() else profile.name


def find_participant(setup: Setup, text: str) -> Profile:
    """The one profile of ``setup`` that ``text`` names, or a ValidationError that says why not.

    ``text`` may be a label from the suggestion list, a part of a name or organisation
    (case-insensitive), or a profile id (older links and scripts use them).
    """
    text = " ".join(text.split())
    profiles = setup.profiles.select_related("organisation")
    try:
        by_id = profiles.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        by_id = None
    if by_id is not None:
        return by_id
    exact = [p for p in profiles if participant_label(p).casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0]
    found = list(
        profiles.filter(models.Q(name__icontains=text) | models.Q(organisation__name__icontains=text))[:6]
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(
            _("No participant of this matchmaking is called “%(text)s”."), params={"text": text}
        )
    names = ", ".join(participant_label(p) for p in found[:5])
    raise forms.ValidationError(
        _("“%(text)s” names several participants (%(names)s): type more of the name."),
        params={"text": text, "names": names},
    )


class SetMeetingForm(forms.Form):
    """Two participants chosen by name or organisation (a text box with a list of suggestions)."""

    a = forms.CharField(label=_("First participant"), max_length=300)
    b = forms.CharField(label=_("Second participant"), max_length=300)

    def __init__(self, *args: Any, setup: Setup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup = setup
        for name in ("a", "b"):
            self.fields[name].widget.attrs.update({"list": "mm-participants", "autocomplete": "off"})
            self.fields[name].help_text = _("Type a name or an organisation and choose from the list.")

    def clean_a(self) -> Profile:
        return find_participant(self.setup, self.cleaned_data["a"])

    def clean_b(self) -> Profile:
        return find_participant(self.setup, self.cleaned_data["b"])


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the meeting?"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    follow_up = forms.BooleanField(label=_("We want to follow up"), required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class AddMemberForm(forms.Form):
    """Choose a registered participant to join a delegation (from those who may)."""

    registration = forms.ModelChoiceField(
        label=_("Registered participant"),
        queryset=None,
        to_field_name="public_id",
        empty_label=_("Choose a person"),
        error_messages={"invalid_choice": _("Choose one of the participants listed.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = candidates
        self.fields["registration"].label_from_instance = lambda reg: (
            f"{reg.name} · {reg.job_title}" if reg.job_title else reg.name
        )


class LeadForm(forms.Form):
    """The city's officer (or an organiser) tracks a lead."""

    status = forms.ChoiceField(label=_("Status"), choices=Lead.Status.choices)
    need = forms.ModelChoiceField(
        label=_("Linked need"), queryset=None, required=False, empty_label=_("No need linked")
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, lead: Lead, **kwargs):
        from ascnhub.projects.models import Need

        kwargs.setdefault("initial", {"status": lead.status, "need": lead.need_id, "note": lead.note})
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = (
            Need.objects.filter(city_id=lead.city_id).order_by("title")
            if lead.city_id
            else Need.objects.none()
        )


class LeadPartnershipForm(forms.Form):
    """What the partnership that came of a lead is: published in `projects` as the city's."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    title = forms.CharField(label=_("Title"), max_length=250)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        required=False,
        empty_label=_("The linked need's project, if any"),
    )
    published = forms.BooleanField(label=_("Publish it"), required=False, initial=True)

    def __init__(self, *args, lead: Lead, **kwargs):
        from ascnhub.projects.models import Partnership, Project

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Partnership.Kind.choices
        self.fields["project"].queryset = (
            Project.objects.filter(city_id=lead.city_id).order_by("title")
            if lead.city_id
            else Project.objects.none()
        )
