"""A city's projects: the list, a project's page, adding and editing one, its funders and partners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import translations
from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import City
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .. import queries, services
from ..charts import progress_chart
from ..forms import DocumentForm, PartyForm, ProjectForm
from ..models import ProgressReport, Project, ProjectParty
from ..signals import project_page_sections
from .helpers import editable_cities, map_tiles, page_of, visible_or_404


def project_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_projects(queries.project_rows(), request.GET)
    page = page_of(request, qs.order_by("city__name", "title"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "active": active,
            "options": queries.project_filter_options(),
            "download_query": request.GET.urlencode(),
            "can_add": request.user.has_perm("projects.add_project"),
            "can_import": request.user.has_perm("projects.import_projects"),
            "can_review": bool(
                represented_country_ids(request.user)
                or officer_city_ids(request.user)
                or is_secretariat(request.user)
            ),
        },
    )


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city__country", "created_by"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    reports = list(
        project.reports.select_related("reviewed_by")
        .prefetch_related("attachments")
        .order_by("period_end", "id")
    )
    can_see_private = request.user.has_perm("projects.view_project_drafts", project)
    approved = [r for r in reports if r.state == ProgressReport.State.APPROVED]
    visible_reports = reports if can_see_private else approved
    tile_url, tile_attribution = map_tiles()
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            **translations.page_context(request, project),
            "focus_areas": list(project.focus_areas.all()),
            "outcomes": list(project.outcomes.all()),
            "parties": list(project.parties.select_related("organisation")),
            "documents": list(project.documents.all()),
            "needs": list(project.needs.public().prefetch_related("focus_areas"))
            if not can_see_private
            else list(project.needs.prefetch_related("focus_areas")),
            "partnerships": list(project.partnerships.public().select_related("organisation")),
            "sections": _sections_from_other_apps(request, project),
            "cases": list(project.cases.filter(published=True)),
            "reports": visible_reports,
            "approved": approved,
            "chart": progress_chart(approved),
            "latest": approved[-1] if approved else None,
            "can_edit": request.user.has_perm("projects.change_project", project),
            "can_report": request.user.has_perm("projects.add_progressreport", project),
            "map_points": [
                {
                    "name": project.title,
                    "country": project.city.name,
                    "lat": project.point[0],
                    "lng": project.point[1],
                    "url": "",
                }
            ]
            if project.point
            else [],
            "tile_url": tile_url,
            "tile_attribution": tile_attribution,
        },
    )


def _sections_from_other_apps(request: HttpRequest, project: Project) -> str:
    """What apps above projects add to its page (matchmaking: the leads linked to its needs)."""
    answers = project_page_sections.send(sender=Project, request=request, project=project)
    return format_html_join("", "{}", ((html,) for _receiver, html in answers if html))


def _saved_message(project: Project) -> str:
    if project.published:
        return _("Project created.")
    return _(
        "Project saved as a draft: only your city, your National Representative and the secretariat see it."
    )


def project_new(request: HttpRequest) -> HttpResponse:
    city = get_object_or_404(City, slug=request.GET["city"]) if request.GET.get("city") else None
    require_perm(request, "projects.add_project", city)
    cities = editable_cities(request.user)
    form = ProjectForm(request.POST or None, cities=cities, initial={"city": city} if city else None)

    def save() -> Project:
        require_perm(request, "projects.add_project", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations({})
        return services.save_project(
            request.user,
            Project(),
            data,
            focus_areas=list(form.cleaned_data["focus_areas"]),
            outcomes=list(form.cleaned_data["outcomes"]),
        )

    if done := submit_form(request, form, save, success=_saved_message):
        return done
    return render(
        request, "projects/project_form.html", {"form": form, "project": None}, status=form_status(form)
    )


def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    cities = editable_cities(request.user)
    initial = {}
    if project.translations:
        lang, text = next(iter(project.translations.items()))
        initial = {
            "translation_language": lang,
            "translation_title": text.get("title"),
            "translation_description": text.get("description"),
        }
    form = ProjectForm(
        request.POST or None, instance=Project.objects.get(pk=project.pk), cities=cities, initial=initial
    )

    def save() -> Project:
        require_perm(request, "projects.change_project", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations(project.translations)
        return services.save_project(
            request.user,
            project,
            data,
            focus_areas=list(form.cleaned_data["focus_areas"]),
            outcomes=list(form.cleaned_data["outcomes"]),
        )

    if done := submit_form(request, form, save, success=_("Saved."), then=project):
        return done
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "project": project,
            "party_form": PartyForm(prefix="party"),
            "document_form": DocumentForm(prefix="doc"),
            "parties": project.parties.select_related("organisation"),
            "documents": project.documents.all(),
        },
        status=form_status(form),
    )


@require_POST
def party_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    form = PartyForm(request.POST, prefix="party")
    if form.is_valid():
        try:
            services.add_party(request.user, project, **form.cleaned_data)
            messages.success(request, _("Added %(name)s.") % {"name": form.cleaned_data["organisation"]})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(
            request,
            _("Not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("projects:project_edit", slug=project.slug)


@require_POST
def party_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    services.remove_party(request.user, get_object_or_404(ProjectParty, project=project, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("projects:project_edit", slug=project.slug)
