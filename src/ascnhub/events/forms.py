"""Forms: registration (with each category's own questions), check-in, cloning, publishing."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascnhub.common.timezones import known_timezones
from ascnhub.registry.countries import country_choices_with_blank
from ascnhub.registry.models import Person

from .models import Meeting, Mode, RegistrationCategory, Room, Session, SessionSpeaker, question_text
from .services import CLONE_PARTS

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

DUPLICATE_EMAIL = _(
    "Someone is already registered for this meeting with this e-mail address. "
    "Check your e-mail for the link to your registration."
)


def _clean_text(value: str, label: str) -> str:
    value = " ".join((value or "").split())
    if _CONTROL.search(value):
        raise forms.ValidationError(
            _("%(field)s contains characters that cannot be printed.") % {"field": label}
        )
    return value


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices never change: every form shares them instead of copying them.

    Django deep-copies each field for each form it builds; for the ~250 countries that copy took
    ~0.8 ms of the ~10 ms a registration costs the server (measured).
    """

    def __deepcopy__(self, memo: dict) -> FixedChoiceField:
        return forms.Field.__deepcopy__(self, memo)  # ChoiceField's own would deep-copy the choices


class RegistrationForm(forms.Form):
    """Registration for one category; the category's JSON-defined questions become extra fields."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    name_on_badge = forms.CharField(
        label=_("Name on badge"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to print your full name."),
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    job_title = forms.CharField(label=_("Position"), max_length=200, required=False)
    country = FixedChoiceField(label=_("Country"), choices=country_choices_with_blank)
    language = FixedChoiceField(label=_("Language for e-mails"), choices=settings.ASCNHUB_PERSON_LANGUAGES)
    timezone = forms.CharField(
        label=_("Your time zone"),
        max_length=64,
        help_text=_("Used to show you the agenda in your own time, e.g. Asia/Jakarta."),
    )
    mode = forms.ChoiceField(label=_("I will take part"), choices=Mode.choices, widget=forms.RadioSelect)
    consent_list = forms.BooleanField(
        label=_("Show my name, organisation and country in the participant list"), required=False
    )
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
            label = question_text(q, q.get("label", q["name"]))
            required = bool(q.get("required", False))
            kind = q.get("type", "text")
            if kind == "choice":  # stored as written, shown in the visitor's language
                field = forms.ChoiceField(
                    label=label,
                    required=required,
                    choices=[("", "—")] + [(c, question_text(q, c, "choices")) for c in q.get("choices", [])],
                )
            elif kind == "boolean":
                field = forms.BooleanField(label=label, required=required)
            else:
                field = forms.CharField(
                    label=label, required=required, max_length=int(q.get("max_length", 300))
                )
            field.help_text = question_text(q, q.get("help", ""), "help") if q.get("help") else ""
            self.fields[name] = field
            self.question_names.append(name)
        # Questions before the consent box and the hidden key.
        order = [n for n in self.fields if n not in ("consent_list", "submission_key")] + [
            "consent_list",
            "submission_key",
        ]
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
            raise forms.ValidationError(
                _("“%(value)s” is not a known time zone (use a name like Asia/Jakarta).") % {"value": value}
            )
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
        data = {
            k: self.cleaned_data[k]
            for k in (
                "name",
                "name_on_badge",
                "email",
                "organisation_name",
                "job_title",
                "country",
                "language",
                "timezone",
                "consent_list",
            )
        }
        data["mode"] = self.cleaned_data.get("mode") or self.category.default_mode
        data["answers"] = {n[2:]: self.cleaned_data[n] for n in self.question_names}
        return data


class CheckInForm(forms.Form):
    token = forms.CharField(
        label=_("Badge code"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        help_text=_("Scan the QR code, or paste the code printed under it."),
    )


class CloneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    slug = forms.SlugField(label=_("Address (slug)"), max_length=120)
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    parts = forms.MultipleChoiceField(
        label=_("Copy"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[
            ("rooms", _("rooms")),
            ("categories", _("registration categories")),
            ("sessions", _("sessions")),
            ("organisers", _("organisers")),
        ],
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Meeting.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A meeting with this address already exists."))
        return slug

    def clean_parts(self):
        return set(self.cleaned_data["parts"]) & set(CLONE_PARTS)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("Note for the change log"), max_length=250, required=False)


# --- programme editing ------------------------------------------------------------------------------


class VenueDateTimeField(forms.DateTimeField):
    """A date and time typed (and shown) in the venue's zone, whatever the viewer's zone is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        with timezone.override(self.tz):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(self.tz):  # a time that does not exist or exists twice is refused here
            return super().to_python(value)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})" if obj.organisation_id else obj.name


class SessionForm(forms.Form):
    """A session of the programme; times in the venue's zone, people from the registry."""

    title = forms.CharField(label=_("Title"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    starts_at = VenueDateTimeField(label=_("Starts"))
    ends_at = VenueDateTimeField(label=_("Ends"))
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("no room (e.g. online only)"),
    )
    track = forms.CharField(
        label=_("Track"),
        max_length=60,
        required=False,
        help_text=_("Sessions at the same time in different tracks run in parallel."),
    )
    theme = forms.CharField(label=_("Theme"), max_length=250, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    speakers = PersonChoiceField(
        label=_("Speakers"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("From the registry; hold Ctrl (or ⌘) to choose several."),
    )
    moderators = PersonChoiceField(
        label=_("Moderators"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation languages"),
        choices=settings.ASCNHUB_PERSON_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to approved online participants; never exported."),
    )
    signup_required = forms.BooleanField(
        label=_("Sign-up required (forums with limited places)"), required=False
    )
    capacity = forms.IntegerField(
        label=_("Sign-up capacity"), min_value=0, required=False, help_text=_("Empty: the room's capacity.")
    )

    def __init__(self, *args, meeting: Meeting, session: Session | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            links = list(session.speaker_links.all())
            kwargs["initial"] = {
                **{
                    name: getattr(session, name)
                    for name in (
                        "title",
                        "kind",
                        "starts_at",
                        "ends_at",
                        "track",
                        "theme",
                        "description",
                        "online_url",
                        "signup_required",
                        "capacity",
                    )
                },
                "room": session.room_id,
                "interpretation": session.interpretation_list,
                "speakers": [link.person_id for link in links if link.role == SessionSpeaker.Role.SPEAKER],
                "moderators": [
                    link.person_id for link in links if link.role == SessionSpeaker.Role.MODERATOR
                ],
            }
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.session = session
        self.fields["starts_at"].tz = self.fields["ends_at"].tz = meeting.tz
        self.fields["room"].queryset = meeting.rooms.all()
        people = Person.objects.select_related("organisation").order_by("name")
        self.fields["speakers"].queryset = self.fields["moderators"].queryset = people
        zone = meeting.timezone
        self.fields["starts_at"].help_text = _("In the venue's time zone (%(zone)s).") % {"zone": zone}
        self.fields["ends_at"].help_text = _("In the venue's time zone (%(zone)s).") % {"zone": zone}

    def clean_title(self):
        value = _clean_text(self.cleaned_data["title"], _("Title"))
        if not value:
            raise forms.ValidationError(_("Please give the session a title."))
        return value

    def clean_track(self):
        return _clean_text(self.cleaned_data["track"], _("Track"))

    def clean_theme(self):
        return _clean_text(self.cleaned_data["theme"], _("Theme"))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        both = {p.pk for p in data.get("speakers") or []} & {p.pk for p in data.get("moderators") or []}
        if both:
            self.add_error("moderators", _("Each person can be listed once: as a speaker or as a moderator."))
        return data

    def session_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "room",
                "track",
                "theme",
                "description",
                "online_url",
                "signup_required",
                "capacity",
            )
        }
        values["interpretation"] = ",".join(data["interpretation"])
        return values

    def people(self) -> list[tuple[Person, str]]:
        """Moderators first, then speakers, each in the registry's name order."""
        return [(p, SessionSpeaker.Role.MODERATOR) for p in self.cleaned_data["moderators"]] + [
            (p, SessionSpeaker.Role.SPEAKER) for p in self.cleaned_data["speakers"]
        ]


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, help_text=_("Seats in the room."))
    online_only = forms.BooleanField(label=_("Online only (a video room)"), required=False)

    def clean_name(self):
        value = _clean_text(self.cleaned_data["name"], _("Name"))
        if not value:
            raise forms.ValidationError(_("Please name the room."))
        return value


class MessageTemplateForm(forms.Form):
    """A meeting's own subject and text for one kind of e-mail in one language."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}))
