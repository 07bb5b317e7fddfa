"""Partnerships between cities and companies or partners: the list and the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm

from .. import queries, services
from ..forms import PartnershipForm
from ..models import Partnership
from .helpers import editable_cities, page_of


def partnership_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_partnerships(queries.partnership_rows(), request.GET)
    return render(
        request,
        "projects/partnership_list.html",
        {
            "page": page_of(request, qs),
            "active": active,
            "kinds": Partnership.Kind.choices,
            "download_query": request.GET.urlencode(),
            "countries": queries.project_filter_options()["countries"],
            "can_add": request.user.has_perm("projects.add_partnership"),
        },
    )


def _partnership_form(request: HttpRequest, partnership: Partnership | None) -> HttpResponse:
    cities = editable_cities(request.user)
    instance = Partnership.objects.get(pk=partnership.pk) if partnership else None
    form = PartnershipForm(request.POST or None, instance=instance, cities=cities)

    def save() -> Partnership:
        require_perm(request, "projects.add_partnership", form.cleaned_data["city"])
        return services.save_partnership(request.user, partnership or Partnership(), form.cleaned_data)

    if done := submit_form(request, form, save, success=_("Saved."), then="projects:partnerships"):
        return done
    return render(
        request,
        "projects/partnership_form.html",
        {"form": form, "partnership": partnership},
        status=form_status(form),
    )


def partnership_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_partnership")
    return _partnership_form(request, None)


def partnership_edit(request: HttpRequest, public_id) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("city"), public_id=public_id)
    require_perm(request, "projects.change_partnership", partnership)
    return _partnership_form(request, partnership)
