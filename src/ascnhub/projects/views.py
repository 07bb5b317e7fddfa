"""Pages for projects, needs, progress reports, partnerships, offers and company profiles.

Thin: parse, authorise (`require_perm`; private things answer 404 to those who may not see them),
call a service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import uploads
from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.matchmaking import leads as mm_leads
from ascnhub.matchmaking import services as mm_services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.forms import LeadForm, LeadPartnershipForm
from ascnhub.matchmaking.models import Lead
from ascnhub.registry.models import City, Organisation
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from . import importers, queries, services
from .charts import progress_chart
from .forms import (
    DocumentForm,
    ImportForm,
    NeedForm,
    OfferForm,
    PartnershipForm,
    PartyForm,
    ProjectForm,
    ReportForm,
    ReviewForm,
)
from .models import (
    Need,
    Offer,
    Partnership,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectParty,
    ReportAttachment,
)
from .rules import user_organisation

PAGE_SIZE = 25


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _editable_cities(user):
    if is_secretariat(user):
        return City.objects.select_related("country").order_by("name")
    return City.objects.filter(pk__in=officer_city_ids(user)).select_related("country").order_by("name")


def _visible_or_404(request: HttpRequest, perm: str, obj) -> None:
    """Private things are not found by those who may not see them (no hint that they exist)."""
    if not request.user.has_perm(perm, obj):
        raise Http404()


def _form_errors_to(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- projects -------------------------------------------------------------------------------------


def project_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_projects(queries.project_rows(), request.GET)
    page = _page(request, qs.order_by("city__name", "title"))
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
    _visible_or_404(request, "projects.view_project", project)
    reports = list(
        project.reports.select_related("reviewed_by")
        .prefetch_related("attachments")
        .order_by("period_end", "id")
    )
    can_see_private = request.user.has_perm("projects.change_project", project) or request.user.has_perm(
        "projects.view_progressreport", ProgressReport(project=project, state="draft")
    )
    approved = [r for r in reports if r.state == ProgressReport.State.APPROVED]
    visible_reports = reports if can_see_private else approved
    text = project.translated()
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "text": text,
            "focus_areas": list(project.focus_areas.all()),
            "outcomes": list(project.outcomes.all()),
            "parties": list(project.parties.select_related("organisation")),
            "documents": list(project.documents.all()),
            "needs": list(project.needs.public().prefetch_related("focus_areas"))
            if not can_see_private
            else list(project.needs.prefetch_related("focus_areas")),
            "partnerships": list(project.partnerships.public().select_related("organisation")),
            "leads": _project_leads(request, project),
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
            "tile_url": _tile()[0],
            "tile_attribution": _tile()[1],
        },
    )


def _project_leads(request: HttpRequest, project: Project) -> list:
    """Matchmaking leads linked to the project's needs, for those who look after its city."""
    if not mm_leads.may_track_leads(request.user):
        return []
    return mm_leads.with_sides(mm_leads.leads_for_cities(request.user).filter(need__project=project))


def _tile():
    from django.conf import settings

    return settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION


def project_new(request: HttpRequest) -> HttpResponse:
    city = get_object_or_404(City, slug=request.GET["city"]) if request.GET.get("city") else None
    require_perm(request, "projects.add_project", city)
    cities = _editable_cities(request.user)
    form = ProjectForm(request.POST or None, cities=cities, initial={"city": city} if city else None)
    if request.method == "POST" and form.is_valid():
        require_perm(request, "projects.add_project", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations({})
        try:
            project = services.save_project(
                request.user,
                Project(),
                data,
                focus_areas=list(form.cleaned_data["focus_areas"]),
                outcomes=list(form.cleaned_data["outcomes"]),
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(
                request,
                _("Project created.")
                if project.published
                else _(
                    "Project saved as a draft: only your city, your National Representative and the "
                    "secretariat see it."
                ),
            )
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None},
        status=400 if form.errors else 200,
    )


def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    _visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    cities = _editable_cities(request.user)
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
    party_form = PartyForm(prefix="party")
    document_form = DocumentForm(prefix="doc")
    if request.method == "POST" and form.is_valid():
        require_perm(request, "projects.change_project", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations(project.translations)
        try:
            services.save_project(
                request.user,
                project,
                data,
                focus_areas=list(form.cleaned_data["focus_areas"]),
                outcomes=list(form.cleaned_data["outcomes"]),
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "project": project,
            "party_form": party_form,
            "document_form": document_form,
            "parties": project.parties.select_related("organisation"),
            "documents": project.documents.all(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def party_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    _visible_or_404(request, "projects.view_project", project)
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
    _visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    services.remove_party(request.user, get_object_or_404(ProjectParty, project=project, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("projects:project_edit", slug=project.slug)


@require_POST
def document_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    _visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        try:
            services.add_document(request.user, project, form.cleaned_data)
            messages.success(request, _("Document added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(
            request,
            _("Not added: %(errors)s") % {"errors": "; ".join(" ".join(v) for v in form.errors.values())},
        )
    return redirect("projects:project_edit", slug=project.slug)


@require_POST
def document_remove(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    _visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    services.remove_document(request.user, get_object_or_404(project.documents, public_id=public_id))
    messages.success(request, _("Removed."))
    return redirect("projects:project_edit", slug=project.slug)


# --- progress reports ------------------------------------------------------------------------------


def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    _visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.add_progressreport", project)
    last = project.reports.order_by("-period_end").first()
    initial = {"status": project.status}
    if last:
        initial.update(
            {
                "period_start": last.period_end,
                "physical_planned": last.physical_planned,
                "financial_planned": last.financial_planned,
            }
        )
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.save_report(
                request.user, ProgressReport(project=project), form.model_data(), form.attachments()
            )
            if "submit" in request.POST:
                services.submit_report(request.user, report)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(
                request,
                _("Report submitted for review.")
                if "submit" in request.POST
                else _("Report saved as a draft."),
            )
            return redirect(report)
    return render(
        request,
        "projects/report_form.html",
        {"form": form, "project": project, "report": None},
        status=400 if form.errors else 200,
    )


def _report(request: HttpRequest, public_id) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("project__city__country", "reviewed_by", "created_by"),
        public_id=public_id,
    )
    _visible_or_404(request, "projects.view_progressreport", report)
    return report


def report_file(request: HttpRequest, public_id) -> HttpResponse:
    """A progress report's attachment, to those who may see the report (a draft's stays private)."""
    attachment = get_object_or_404(
        ReportAttachment.objects.select_related("report__project__city__country"), public_id=public_id
    )
    _visible_or_404(request, "projects.view_progressreport", attachment.report)
    return uploads.file_response(attachment.file, attachment.file.name.rsplit("/", 1)[-1])


def document_file(request: HttpRequest, public_id) -> HttpResponse:
    """A project's uploaded document, to those who may see the project."""
    document = get_object_or_404(ProjectDocument.objects.select_related("project"), public_id=public_id)
    _visible_or_404(request, "projects.view_project", document.project)
    if not document.file:
        raise Http404()
    return uploads.file_response(document.file, document.file.name.rsplit("/", 1)[-1])


def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    can_review = request.user.has_perm("projects.review_progressreport", report)
    return render(
        request,
        "projects/report_detail.html",
        {
            "report": report,
            "project": report.project,
            "attachments": list(report.attachments.all()),
            "can_edit": request.user.has_perm("projects.change_progressreport", report),
            "can_review": can_review,
            "review_form": ReviewForm() if can_review else None,
        },
    )


def report_edit(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.change_progressreport", report)
    form = ReportForm(
        request.POST or None, request.FILES or None, instance=ProgressReport.objects.get(pk=report.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(request.user, report, form.model_data(), form.attachments())
            if "submit" in request.POST:
                services.submit_report(request.user, report)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        except services.ReviewError as exc:
            messages.error(request, str(exc))
            return redirect(report)
        else:
            messages.success(
                request, _("Report submitted for review.") if "submit" in request.POST else _("Saved.")
            )
            return redirect(report)
    return render(
        request,
        "projects/report_form.html",
        {"form": form, "project": report.project, "report": report},
        status=400 if form.errors else 200,
    )


@require_POST
def report_submit(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.change_progressreport", report)
    try:
        services.submit_report(request.user, report)
        messages.success(request, _("Report submitted for review."))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect(report)


@require_POST
def report_review(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.review_progressreport", report)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "projects/report_detail.html",
            {
                "report": report,
                "project": report.project,
                "attachments": list(report.attachments.all()),
                "can_review": True,
                "review_form": form,
            },
            status=400,
        )
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.review_report(request.user, report, approve=approve, comment=form.cleaned_data["comment"])
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    messages.success(
        request, _("Report approved and published.") if approve else _("Report returned to the city.")
    )
    return redirect("projects:reviews")


def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for the signed-in NR (or the secretariat), and the officer's own reports."""
    if not request.user.is_authenticated:
        raise LoginRequired()
    countries, cities = represented_country_ids(request.user), officer_city_ids(request.user)
    if not (countries or cities or is_secretariat(request.user)):
        raise PermissionDenied()
    base = ProgressReport.objects.select_related("project__city__country").order_by("-submitted_at", "-id")
    if is_secretariat(request.user):
        to_review = base.filter(state=ProgressReport.State.SUBMITTED)
    else:
        to_review = base.filter(state=ProgressReport.State.SUBMITTED, project__city__country_id__in=countries)
    mine = base.filter(project__city_id__in=cities).exclude(state=ProgressReport.State.APPROVED)
    return render(request, "projects/review_queue.html", {"to_review": to_review, "mine": mine})


# --- needs ----------------------------------------------------------------------------------------


def need_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_needs(queries.need_rows(), request.GET)
    from .codes import FocusArea

    return render(
        request,
        "projects/need_list.html",
        {
            "page": _page(request, qs),
            "active": active,
            "download_query": request.GET.urlencode(),
            "focus_areas": FocusArea.choices,
            "kinds": Need.Kind.choices,
            "stages": Need.Stage.choices,
            "countries": queries.project_filter_options()["countries"],
            "can_add": request.user.has_perm("projects.add_need"),
            "can_see_leads": mm_leads.may_track_leads(request.user),
        },
    )


def need_detail(request: HttpRequest, public_id) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("city__country", "project"), public_id=public_id)
    _visible_or_404(request, "projects.view_need", need)
    return render(
        request,
        "projects/need_detail.html",
        {
            "need": need,
            "text": need.translated(),
            "focus_areas": list(need.focus_areas.all()),
            "can_edit": request.user.has_perm("projects.change_need", need),
        },
    )


def _need_form(request: HttpRequest, need: Need | None) -> HttpResponse:
    cities = _editable_cities(request.user)
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
    if request.method == "POST" and form.is_valid():
        require_perm(request, "projects.add_need", form.cleaned_data["city"])
        data = form.model_data()
        data["translations"] = form.translations(need.translations if need else {})
        try:
            saved = services.save_need(
                request.user, need or Need(), data, focus_areas=list(form.cleaned_data["focus_areas"])
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(
        request, "projects/need_form.html", {"form": form, "need": need}, status=400 if form.errors else 200
    )


def need_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_need")
    return _need_form(request, None)


def need_edit(request: HttpRequest, public_id) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("city", "project"), public_id=public_id)
    _visible_or_404(request, "projects.view_need", need)
    require_perm(request, "projects.change_need", need)
    return _need_form(request, need)


# --- partnerships ---------------------------------------------------------------------------------


def partnership_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_partnerships(queries.partnership_rows(), request.GET)
    return render(
        request,
        "projects/partnership_list.html",
        {
            "page": _page(request, qs),
            "active": active,
            "kinds": Partnership.Kind.choices,
            "download_query": request.GET.urlencode(),
            "countries": queries.project_filter_options()["countries"],
            "can_add": request.user.has_perm("projects.add_partnership"),
        },
    )


def _partnership_form(request: HttpRequest, partnership: Partnership | None) -> HttpResponse:
    cities = _editable_cities(request.user)
    instance = Partnership.objects.get(pk=partnership.pk) if partnership else None
    form = PartnershipForm(request.POST or None, instance=instance, cities=cities)
    if request.method == "POST" and form.is_valid():
        require_perm(request, "projects.add_partnership", form.cleaned_data["city"])
        try:
            services.save_partnership(request.user, partnership or Partnership(), form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:partnerships")
    return render(
        request,
        "projects/partnership_form.html",
        {"form": form, "partnership": partnership},
        status=400 if form.errors else 200,
    )


def partnership_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_partnership")
    return _partnership_form(request, None)


def partnership_edit(request: HttpRequest, public_id) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("city"), public_id=public_id)
    require_perm(request, "projects.change_partnership", partnership)
    return _partnership_form(request, partnership)


# --- offers and companies -------------------------------------------------------------------------


def offer_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_offers(queries.offer_rows(), request.GET)
    from ascnhub.registry.countries import COUNTRY_CHOICES

    from .codes import FocusArea

    return render(
        request,
        "projects/offer_list.html",
        {
            "page": _page(request, qs.order_by("title")),
            "active": active,
            "focus_areas": FocusArea.choices,
            "countries": COUNTRY_CHOICES,
            "download_query": request.GET.urlencode(),
            "can_add": request.user.has_perm("projects.add_offer"),
            "can_import": request.user.has_perm("projects.import_offers"),
        },
    )


def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("organisation"), slug=slug)
    _visible_or_404(request, "projects.view_offer", offer)
    return render(
        request,
        "projects/offer_detail.html",
        {
            "offer": offer,
            "text": offer.translated(),
            "focus_areas": list(offer.focus_areas.all()),
            "can_edit": request.user.has_perm("projects.change_offer", offer),
        },
    )


def _offer_orgs(user):
    if is_secretariat(user):
        return Organisation.objects.filter(kind=Organisation.Kind.COMPANY)
    org = user_organisation(user)
    return Organisation.objects.filter(pk=org.pk if org else None)


def _offer_form(request: HttpRequest, offer: Offer | None) -> HttpResponse:
    orgs = _offer_orgs(request.user)
    instance = Offer.objects.get(pk=offer.pk) if offer else None
    initial = {"organisation": orgs.first()} if offer is None and orgs.count() == 1 else {}
    form = OfferForm(request.POST or None, instance=instance, organisations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        data["translations"] = form.translations(offer.translations if offer else {})
        try:
            saved = services.save_offer(
                request.user, offer or Offer(), data, focus_areas=list(form.cleaned_data["focus_areas"])
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return render(
        request,
        "projects/offer_form.html",
        {"form": form, "offer": offer},
        status=400 if form.errors else 200,
    )


def offer_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_offer")
    return _offer_form(request, None)


def offer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("organisation"), slug=slug)
    _visible_or_404(request, "projects.view_offer", offer)
    require_perm(request, "projects.change_offer", offer)
    return _offer_form(request, offer)


def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation.objects.select_related("city__country"), slug=slug)
    is_member = request.user.has_perm("projects.change_company", org)
    offers = (
        Offer.objects.filter(organisation=org)
        if is_member
        else Offer.objects.public().filter(organisation=org)
    )
    return render(
        request,
        "projects/company_detail.html",
        {
            "org": org,
            "offers": list(offers.prefetch_related("focus_areas")),
            "partnerships": list(
                Partnership.objects.public().filter(organisation=org).select_related("city", "project")
            ),
            "projects": list(
                Project.objects.public()
                .filter(parties__organisation=org)
                .distinct()
                .select_related("city")
                .prefetch_related(
                    Prefetch(
                        "parties", queryset=ProjectParty.objects.filter(organisation=org), to_attr="org_roles"
                    )
                )
            ),
            "can_edit": is_member,
            "can_add_offer": is_member and request.user.has_perm("projects.add_offer"),
        },
    )


# --- imports --------------------------------------------------------------------------------------


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    perm = "projects.import_projects" if kind == "projects" else "projects.import_offers"
    require_perm(request, perm)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importers.import_file(request.user, kind, form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("Imported %(n)s rows.") % {"n": result.count})
            return redirect("projects:projects" if kind == "projects" else "projects:offers")
    return render(
        request,
        "projects/import.html",
        {
            "form": form,
            "kind": kind,
            "result": result,
            "columns": importers.COLUMNS[kind],
        },
        status=400 if (form.errors or (result and not result.ok)) else 200,
    )


def project_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "projects")


def offer_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "offers")


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in importers.COLUMNS:
        raise Http404()
    response = HttpResponse(importers.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


# --- leads from business matchmaking --------------------------------------------------------------


def lead_list(request: HttpRequest) -> HttpResponse:
    """The follow-ups from matchmaking of the cities the user looks after (officer, NR, secretariat)."""
    if not request.user.is_authenticated:
        raise LoginRequired()
    if not mm_leads.may_track_leads(request.user):
        raise PermissionDenied()
    rows = mm_leads.leads_for_cities(request.user)
    cities = list(City.objects.filter(pk__in=rows.values("city_id")).order_by("name"))
    active = {"status": request.GET.get("status", ""), "city": request.GET.get("city", "")}
    if active["status"] in Lead.Status.values:
        rows = rows.filter(status=active["status"])
    if active["city"]:
        rows = rows.filter(city__slug=active["city"])
    page = _page(request, rows)
    page.object_list = mm_leads.with_sides(page.object_list)
    return render(
        request,
        "projects/lead_list.html",
        {"page": page, "active": active, "statuses": Lead.Status.choices, "cities": cities},
    )


def lead_detail(request: HttpRequest, public_id) -> HttpResponse:
    """One lead: where it came from and its status; the city's officer tracks it or turns it into
    a partnership. Private: others are told it does not exist."""
    lead = get_object_or_404(Lead.objects.select_related(*mm_leads.ROW_RELATED), public_id=public_id)
    _visible_or_404(request, "matchmaking.view_lead", lead)
    can_change = request.user.has_perm("matchmaking.change_lead", lead)
    form = LeadForm(lead=lead)
    partnership_form = LeadPartnershipForm(lead=lead, prefix="p")
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied()
        action = request.POST.get("action")
        try:
            if action == "update":
                form = LeadForm(request.POST, lead=lead)
                if form.is_valid():
                    mm_services.update_lead(request.user, lead, **form.cleaned_data)
                    messages.success(request, _("Lead saved."))
                    return redirect("projects:lead", lead.public_id)
            elif action == "partnership":
                partnership_form = LeadPartnershipForm(request.POST, lead=lead, prefix="p")
                if partnership_form.is_valid():
                    mm_services.lead_to_partnership(request.user, lead, **partnership_form.cleaned_data)
                    messages.success(request, _("The partnership is recorded."))
                    return redirect("projects:lead", lead.public_id)
            else:
                raise Http404(action)
        except MatchmakingError as exc:
            messages.error(request, exc.message)
            return redirect("projects:lead", lead.public_id)
    lead.city_side, lead.counterpart = lead.sides()
    return render(
        request,
        "projects/lead_detail.html",
        {
            "lead": lead,
            "meeting": lead.meeting.run.setup.meeting,
            "can_change": can_change,
            "form": form,
            "partnership_form": partnership_form,
        },
        status=400 if form.errors or partnership_form.errors else 200,
    )
