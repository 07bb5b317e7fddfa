"""What companies offer, and a company's page (its offers, partnerships and projects)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ascnhub.common import translations
from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.countries import country_choices
from ascnhub.registry.models import Organisation

from .. import queries, services
from ..codes import FocusArea
from ..forms import OfferForm
from ..models import Offer, Partnership, Project, ProjectParty
from ..rules import user_organisation
from .helpers import page_of, visible_or_404


def offer_list(request: HttpRequest) -> HttpResponse:
    qs, active = queries.filter_offers(queries.offer_rows(), request.GET)
    return render(
        request,
        "projects/offer_list.html",
        {
            "page": page_of(request, qs.order_by("title")),
            "active": active,
            "focus_areas": FocusArea.choices,
            "countries": country_choices(),
            "download_query": request.GET.urlencode(),
            "can_add": request.user.has_perm("projects.add_offer"),
            "can_import": request.user.has_perm("projects.import_offers"),
        },
    )


def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("organisation"), slug=slug)
    visible_or_404(request, "projects.view_offer", offer)
    return render(
        request,
        "projects/offer_detail.html",
        {
            "offer": offer,
            **translations.page_context(request, offer),
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

    def save() -> Offer:
        data = form.model_data()
        data["translations"] = form.translations(offer.translations if offer else {})
        return services.save_offer(
            request.user, offer or Offer(), data, focus_areas=list(form.cleaned_data["focus_areas"])
        )

    if done := submit_form(request, form, save, success=_("Saved.")):
        return done
    return render(
        request, "projects/offer_form.html", {"form": form, "offer": offer}, status=form_status(form)
    )


def offer_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "projects.add_offer")
    return _offer_form(request, None)


def offer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("organisation"), slug=slug)
    visible_or_404(request, "projects.view_offer", offer)
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
