from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.projects.models import Partnership, Project
from ascnhub.registry.models import City, Organisation

from .models import Case, Chapter


class CaseForm(forms.ModelForm):
    city = forms.ModelChoiceField(
        City.objects.select_related("country"), required=False, label=capfirst(_("ASCN city"))
    )
    projects = forms.ModelMultipleChoiceField(
        Project.objects.none(),
        required=False,
        label=capfirst(_("projects")),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    partnerships = forms.ModelMultipleChoiceField(
        Partnership.objects.none(),
        required=False,
        label=capfirst(_("partnerships")),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    partners = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        required=False,
        label=capfirst(_("partners")),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "city",
            "place",
            "country",
            "focus_area",
            "language",
            "year",
            "problem",
            "solution",
            "results",
            "partners",
            "partners_text",
            "projects",
            "partnerships",
            "source_url",
            "published",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ["problem", "solution", "results"]}

    def __init__(self, *args, allowed_cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.public().select_related("city").order_by("title")
        self.fields["partnerships"].queryset = (
            Partnership.objects.public().select_related("city", "organisation").order_by("-start_date")
        )
        if allowed_cities is not None:
            self.fields["city"].queryset = allowed_cities
            self.fields["city"].required = True


class AttachmentForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    file = forms.FileField(
        label=capfirst(_("file")), validators=uploads.upload_validators, help_text=uploads.help_text()
    )


class ChapterEditForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=250)
    body = forms.CharField(
        label=capfirst(_("text")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Markdown: # headings, *emphasis*, lists, links."),
    )
    summary = forms.CharField(label=capfirst(_("what you changed")), max_length=250, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=capfirst(_("comment")), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=capfirst(_("note to the editors")),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChapterCreateForm(forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["title", "slug", "part", "position", "language"]
