from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common.admin import ActivityLoggedAdmin

from . import services
from .models import City, MemberState, Organisation, Person, Role

ROLE_FIELDS = [
    "kind",
    "person",
    "city",
    "member_state",
    "organisation",
    "year",
    "start_date",
    "end_date",
    "note",
]


@admin.register(MemberState)
class MemberStateAdmin(ActivityLoggedAdmin):
    list_display = ["name", "code", "joined_asean"]


@admin.register(City)
class CityAdmin(ActivityLoggedAdmin):
    list_display = ["name", "country", "kind", "joined_year", "timezone"]
    list_filter = ["country", "kind", "joined_year"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(ActivityLoggedAdmin):
    list_display = ["name", "kind", "country", "is_demo"]
    list_filter = ["kind", "country", "is_demo"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(ActivityLoggedAdmin):
    list_display = ["name", "organisation", "title", "email", "timezone"]
    search_fields = ["name", "email"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]


class RoleAdminForm(forms.ModelForm):
    """A new role is checked by the same rules as on the site (`services.check_role`); an existing
    one may only be ended."""

    class Meta:
        model = Role
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "end_date" in self.changed_data:
            saved = Role.objects.get(pk=self.instance.pk)
            end = cleaned.get("end_date")
            if end is None:
                raise ValidationError({"end_date": _("An ended term is not reopened: assign a new one.")})
            if saved.end_date is not None and saved.end_date < timezone.localdate():
                raise ValidationError({"end_date": _("This term already ended.")})
            if end < saved.start_date:
                raise ValidationError({"end_date": _("A term cannot end before it started.")})
        if self.instance.pk is None and not self.errors:
            role = Role(**{f: cleaned.get(f) for f in ROLE_FIELDS if f in cleaned})
            try:
                services.check_role(role)
            except services.RoleError as exc:
                raise ValidationError({exc.field: exc.message} if exc.field in self.fields else exc.message)
        return cleaned


@admin.register(Role)
class RoleAdmin(ActivityLoggedAdmin):
    """Roles are given and ended through `registry.services` here too, so a new holder ends the
    previous term and overlapping terms or holders of another country are refused."""

    form = RoleAdminForm
    list_display = [
        "kind",
        "member_state",
        "city",
        "organisation",
        "person",
        "year",
        "start_date",
        "end_date",
    ]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state", "city", "organisation", "person"]
    autocomplete_fields = ["person", "organisation", "city"]

    def get_readonly_fields(self, request, obj=None):
        # History is not rewritten: an existing term may only be given its last day.
        return [f for f in ROLE_FIELDS if f != "end_date"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            if "end_date" in form.changed_data and obj.end_date is not None:
                ended = services.end_role(request.user, Role.objects.get(pk=obj.pk), obj.end_date)
                obj.end_date = ended.end_date
            return
        role = services.assign_role(
            request.user, **{f: form.cleaned_data.get(f) for f in ROLE_FIELDS if f in form.cleaned_data}
        )
        obj.pk = role.pk
