"""Public pages of programmes, studies, agreements and councils; status updates of cooperation items.

Thin: parse, authorise, call a service, render. Drafts answer 404 to whoever may not see them.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.http import require_perm

from . import services
from .forms import ItemUpdateForm
from .models import Agreement, CooperationItem, Council, CouncilMeeting, ItemUpdate, Programme, Study


def _visible_or_404(request: HttpRequest, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404()


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = (
        Programme.objects.public()
        .select_related("funder")
        .prefetch_related(Prefetch("studies", queryset=Study.objects.public(), to_attr="public_studies"))
    )
    agreements = Agreement.objects.public().prefetch_related("cities")
    councils = Council.objects.public().select_related("city")
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": list(programmes), "agreements": list(agreements), "councils": list(councils)},
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("funder"), slug=slug)
    _visible_or_404(request, "programmes.view_programme", programme)
    studies = programme.studies.public().prefetch_related("cities", "consortium")
    return render(
        request, "programmes/programme_detail.html", {"programme": programme, "studies": list(studies)}
    )


def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study.objects.select_related("programme__funder"), slug=slug)
    _visible_or_404(request, "programmes.view_study", study)
    return render(
        request,
        "programmes/study_detail.html",
        {
            "study": study,
            "cities": list(study.cities.select_related("country")),
            "consortium": list(study.consortium.all()),
            "documents": list(study.documents.all()),
            "projects": list(study.projects.public().select_related("city")),
            "agreements": list(study.agreements.public()),
        },
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("study"), slug=slug)
    _visible_or_404(request, "programmes.view_agreement", agreement)
    return _agreement_page(request, agreement)


def _agreement_page(
    request: HttpRequest, agreement: Agreement, form: ItemUpdateForm | None = None, status: int = 200
) -> HttpResponse:
    from ascnhub.projects.models import Project

    items = agreement.items.prefetch_related(
        Prefetch("updates", queryset=ItemUpdate.objects.order_by("-date", "-id")),
        Prefetch(
            "projects", queryset=Project.objects.public().select_related("city"), to_attr="public_projects"
        ),
    )
    return render(
        request,
        "programmes/agreement_detail.html",
        {
            "agreement": agreement,
            "cities": list(agreement.cities.all()),
            "organisations": list(agreement.organisations.all()),
            "items": list(items),
            "can_update": request.user.has_perm("programmes.update_item", agreement),
            "form": form or ItemUpdateForm(),
        },
        status=status,
    )


@require_POST
def item_update(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement, slug=slug)
    require_perm(request, "programmes.update_item", agreement)
    form = ItemUpdateForm(request.POST)
    if not form.is_valid():
        return _agreement_page(request, agreement, form, status=400)
    item = CooperationItem.objects.filter(agreement=agreement, pk=form.cleaned_data["item"]).first()
    if item is None:
        form.add_error(None, _("This item is not part of this agreement."))
        return _agreement_page(request, agreement, form, status=400)
    try:
        services.add_item_update(
            request.user,
            item,
            date=form.cleaned_data["date"],
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except services.ProgrammesError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _agreement_page(request, agreement, form, status=400)
    messages.success(request, _("Status update of item %(n)s saved.") % {"n": item.number})
    return redirect(agreement.get_absolute_url() + f"#item-{item.number}")


def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council.objects.select_related("city__country"), slug=slug)
    _visible_or_404(request, "programmes.view_council", council)
    return render(
        request,
        "programmes/council_detail.html",
        {
            "council": council,
            "members": list(council.members.select_related("organisation", "person")),
            "meetings": list(
                CouncilMeeting.objects.filter(council=council).prefetch_related("documents").order_by("-date")
            ),
        },
    )
