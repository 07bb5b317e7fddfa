"""The secretariat assigns and ends roles on the site, through `services.assign_role` and
`services.end_role` (no admin needed); every role's history is listed here, on the person's page
and, for officers, on the city's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ascnhub.common.http import require_perm

from . import services
from .models import City, MemberState, Organisation, Person, Role

ROLE_FIELDS = ["kind", "person", "city", "member_state", "organisation", "year", "start_date", "note"]


class AssignRoleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.Kind.choices)
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"), queryset=Person.objects.select_related("organisation"), required=False
    )
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.all(), required=False)
    member_state = forms.ModelChoiceField(
        label=gettext_lazy("Member state"), queryset=MemberState.objects.all(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=Organisation.objects.all(), required=False
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2018, max_value=2100)
    start_date = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)


class EndRoleForm(forms.Form):
    end_date = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))


def _page(request: HttpRequest, form: AssignRoleForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    roles = list(Role.objects.select_related("person", "city", "member_state", "organisation"))
    return render(
        request,
        "registry/roles.html",
        {
            "form": form,
            "current": [r for r in roles if r.is_current(today)],
            "past": [r for r in roles if r.end_date and r.end_date < today],
            "upcoming": [r for r in roles if r.start_date > today],
            "today": today,
        },
        status=status,
    )


def roles(request: HttpRequest) -> HttpResponse:
    """Every role, current and past, and the form that assigns one (the secretariat only)."""
    require_perm(request, "registry.assign_role")
    if request.method != "POST":
        return _page(request, AssignRoleForm(initial={"start_date": timezone.localdate()}))
    form = AssignRoleForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        role = services.assign_role(request.user, **form.cleaned_data)
    except services.RoleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, form, status=409 if exc.code in exc.conflicts else 400)
    messages.success(request, _("%(role)s assigned.") % {"role": role})
    return redirect("registry:roles")


@require_POST
def end_role(request: HttpRequest, pk: int) -> HttpResponse:
    """End one term on the given day (the secretariat only); it stays in the history."""
    require_perm(request, "registry.assign_role")
    role = get_object_or_404(Role, pk=pk)
    form = EndRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day of the term."))
        return redirect("registry:roles")
    try:
        services.end_role(request.user, role, form.cleaned_data["end_date"])
    except services.RoleError as exc:
        messages.error(request, f"{role}: {exc.message}")
        return redirect("registry:roles")
    messages.success(request, _("%(role)s ended.") % {"role": role})
    return redirect("registry:roles")
