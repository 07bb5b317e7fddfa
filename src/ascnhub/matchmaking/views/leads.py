"""The city's leads from matchmaking (`/leads/`): meetings after which a side wanted to follow up.

The city's officer tracks them and turns them into partnerships; its National Representative and
the secretariat see them; nobody else learns they exist. The projects pages show them through
their signals (a project's leads on its page, a link from the needs list), answered here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ascnhub.common.http import LoginRequired
from ascnhub.projects.models import Project
from ascnhub.projects.signals import need_list_links, project_page_sections
from ascnhub.registry.models import City

from .. import leads as mm_leads
from .. import services
from ..errors import MatchmakingError
from ..forms import LeadForm, LeadPartnershipForm
from ..models import Lead

PAGE_SIZE = 25


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
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = mm_leads.with_sides(page.object_list)
    return render(
        request,
        "matchmaking/lead_list.html",
        {"page": page, "active": active, "statuses": Lead.Status.choices, "cities": cities},
    )


def lead_detail(request: HttpRequest, public_id) -> HttpResponse:
    """One lead: where it came from and its status; the city's officer tracks it or turns it into
    a partnership. Private: others are told it does not exist."""
    lead = get_object_or_404(Lead.objects.select_related(*mm_leads.ROW_RELATED), public_id=public_id)
    if not request.user.has_perm("matchmaking.view_lead", lead):
        raise Http404()
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
                    services.update_lead(request.user, lead, **form.cleaned_data)
                    messages.success(request, _("Lead saved."))
                    return redirect("leads:detail", lead.public_id)
            elif action == "partnership":
                partnership_form = LeadPartnershipForm(request.POST, lead=lead, prefix="p")
                if partnership_form.is_valid():
                    services.lead_to_partnership(request.user, lead, **partnership_form.cleaned_data)
                    messages.success(request, _("The partnership is recorded."))
                    return redirect("leads:detail", lead.public_id)
            else:
                raise Http404(action)
        except MatchmakingError as exc:
            messages.error(request, exc.message)
            return redirect("leads:detail", lead.public_id)
    lead.city_side, lead.counterpart = lead.sides()
    return render(
        request,
        "matchmaking/lead_detail.html",
        {
            "lead": lead,
            "meeting": lead.meeting.run.setup.meeting,
            "can_change": can_change,
            "form": form,
            "partnership_form": partnership_form,
        },
        status=400 if form.errors or partnership_form.errors else 200,
    )


@receiver(project_page_sections, dispatch_uid="matchmaking.project_leads")
def project_leads_section(sender, request: HttpRequest, project: Project, **kwargs) -> str:
    """On a project's page: the leads linked to its needs, for those who look after its city."""
    if not mm_leads.may_track_leads(request.user):
        return ""
    rows = mm_leads.with_sides(mm_leads.leads_for_cities(request.user).filter(need__project=project))
    return render_to_string("matchmaking/_project_leads.html", {"leads": rows}, request=request)


@receiver(need_list_links, dispatch_uid="matchmaking.lead_list_link")
def lead_list_link(sender, request: HttpRequest, **kwargs) -> list[tuple[str, str]]:
    """From the needs list to the city's leads, for those who have a city's leads to see."""
    if not mm_leads.may_track_leads(request.user):
        return []
    return [(reverse("leads:list"), _("Leads from business matchmaking"))]
