"""What the cities need (technology, finance, expertise): the list, a need's page, the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ascnhub.common import translations
from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm
from ascnhub.registry.models import City

from .. import queries, services
from ..codes import FocusArea
from ..forms import NeedForm
from ..models import Need, Project
from ..signals import need_list_links
from .helpers import editable_cities, page_of, visible_or_404


def need_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_needs(queries.need_rows(), request.GET)
    links = [
        link for _receiver, answer in need_list_links.send(sender=Need, request=request) for link in answer
    ]
    return render(
        request,
        "projects/need_list.html",
        {
            "page": page_of(request, qs),
            "active": active,
            "download_query": request.GET.urlencode(),
            "focus_areas": FocusArea.choices,
            "kinds": Need.Kind.choices,
            "stages": Need.Stage.choices,
            "countries": queries.project_filter_options()["countries"],
            "can_add": request.user.has_perm("projects.add_need"),
            "links": links,  # from apps above projects (matchmaking: the city's leads)
        },
    )


def need_detail(request: HttpRequest, public_id) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("city__country", "project"), public_id=public_id)
    visible_or_404(request, "projects.view_need", need)
    return render(
        request,
        "projects/need_detail.html",
        {
            "need": need,
            **translations.page_context(request, need),
            "focus_areas": list(need.focus_areas.all()),
            "can_edit": request.user.has_perm("projects.change_need", need),
        },
    )


def _need_form(request: HttpRequest, need: Need | None) -> HttpResponse:
    cities = editable_cities(request.user)
    initial = {}
    if need is None:
        if request.GET.get("city"):
            initial["city"] = City.objects.filter(slug=request.GET["city"]).first()
        if request.GET.get("project"):
            proj = Project.objects.filter(slug=request.GET["project"], city__in=cities).first()
            if proj:
                initial.update({"project": proj, "city": proj.city})
    instance = Need.objects.get(pk=need.pk) if need else None
    form = NeedForm(request.POST or None, instance=instance, cities=cities, initial=initial)

    def save() -> Need:
        require_perm(request, "projects.add_need", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations(need.translations if need else {})
        return services.save_need(
            request.user, need or Need(), data, focus_areas=list(form.cleaned_data["focus_areas"])
        )

    if done := submit_form(request, form, save, success=_("Saved.")):
        return done
    return render(request, "projects/need_form.html", {"form": form, "need": need}, status=form_status(form))


def need_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_need")
    return _need_form(request, None)


def need_edit(request: HttpRequest, public_id) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("city", "project"), public_id=public_id)
    visible_or_404(request, "projects.view_need", need)
    require_perm(request, "projects.change_need", need)
    return _need_form(request, need)
