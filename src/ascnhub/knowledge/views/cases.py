"""Best-practice cases: the list, a case's page, publishing and editing one, its attachments."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import translations, uploads
from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.projects.codes import CONTENT_LANGUAGES, FocusArea
from ascnhub.registry.countries import country_name
from ascnhub.registry.models import City
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .. import services
from ..forms import AttachmentForm, CaseForm
from ..models import Case, CaseAttachment, Chapter
from ..text import render_markdown

logger = logging.getLogger(__name__)


def case_list(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.public().select_related("city__country")
    focus = request.GET.get("focus", "")
    country = request.GET.get("country", "").upper()
    language = request.GET.get("language", "")
    q = request.GET.get("q", "").strip()
    if focus:
        cases = cases.filter(focus_area=focus)
    if country:
        cases = cases.filter(country=country)
    if language:
        cases = cases.filter(language=language)
    if q:
        cases = cases.filter(
            Q(title__icontains=q)
            | Q(problem__icontains=q)
            | Q(solution__icontains=q)
            | Q(place__icontains=q)
            | Q(city__name__icontains=q)
        )
    page = Paginator(cases.order_by("title", "id"), 24).get_page(request.GET.get("page"))
    present = Case.objects.public().order_by().values_list("country", "language").distinct()
    countries = sorted({(c, country_name(c)) for c, _l in present}, key=lambda x: x[1])
    used_languages = {lang for _c, lang in present}
    return render(
        request,
        "knowledge/case_list.html",
        {
            "page": page,
            "focus": focus,
            "country": country,
            "language": language,
            "q": q,
            "focus_areas": FocusArea.choices,
            "countries": countries,
            "content_languages": [(c, n) for c, n in CONTENT_LANGUAGES if c in used_languages],
            "can_add": request.user.has_perm("knowledge.add_case"),
            "chapters": Chapter.objects.filter(published_revision__isnull=False).order_by("position")[:8],
        },
    )


def _allowed_cities(user):
    """The cities a contributor may publish cases for (all, for the secretariat)."""
    if is_secretariat(user):
        return None
    return City.objects.filter(
        Q(pk__in=officer_city_ids(user)) | Q(country_id__in=represented_country_ids(user))
    )


def _case_data(form: CaseForm) -> tuple[dict, dict]:
    """The form's fields for the case, and its links (partners, projects, partnerships) apart."""
    data = dict(form.cleaned_data)
    return data, {k: data.pop(k) for k in ("partners", "projects", "partnerships")}


def case_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "knowledge.add_case")
    form = CaseForm(request.POST or None, allowed_cities=_allowed_cities(request.user))

    def save() -> Case:
        data, links = _case_data(form)
        return services.create_case(request.user, data, **links)

    if done := submit_form(request, form, save, success=_("The case is published.")):
        return done
    return render(request, "knowledge/case_form.html", {"form": form, "case": None}, status=form_status(form))


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("city__country"), slug=slug)
    can_edit = request.user.has_perm("knowledge.change_case", case)
    if not case.published and not can_edit:
        raise Http404
    similar = []
    try:
        similar = services.similar_cases(case)
    except Exception:  # the page still works if the model cannot be loaded; the log says why
        logger.exception("similar cases failed for %s", case.slug)
    page = translations.page_context(request, case)
    text = page["text"]
    return render(
        request,
        "knowledge/case_detail.html",
        {
            "case": case,
            "can_edit": can_edit,
            "similar": similar,
            **page,
            "problem_html": render_markdown(text["problem"]),
            "solution_html": render_markdown(text["solution"]),
            "results_html": render_markdown(text["results"]),
            "partners": case.partners.all(),
            "attachments": case.attachments.all(),
            "projects": case.projects.filter(published=True).select_related("city"),
            "partnerships": case.partnerships.public().select_related("city", "organisation"),
            "attachment_form": AttachmentForm() if can_edit else None,
        },
    )


def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case, slug=slug)
    require_perm(request, "knowledge.change_case", case)
    form = CaseForm(
        request.POST or None,
        instance=Case.objects.get(pk=case.pk),
        allowed_cities=_allowed_cities(request.user),
    )

    def save() -> Case:
        data, links = _case_data(form)
        services.update_case(request.user, case, data, **links)
        return case

    if done := submit_form(request, form, save, success=_("Saved.")):
        return done
    return render(request, "knowledge/case_form.html", {"form": form, "case": case}, status=form_status(form))


@require_POST
def case_attach(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case, slug=slug)
    require_perm(request, "knowledge.change_case", case)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_case_attachment(
                request.user, case, form.cleaned_data["title"], form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
            return redirect(case)
        messages.success(request, _("Attachment added."))
    else:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {e}")
    return redirect(case)


def attachment_download(request: HttpRequest, public_id) -> FileResponse:
    att = get_object_or_404(CaseAttachment.objects.select_related("case"), public_id=public_id)
    if not att.case.published and not request.user.has_perm("knowledge.change_case", att.case):
        raise Http404
    name = att.file.name.rsplit("/", 1)[-1]
    return uploads.file_response(att.file, name)
