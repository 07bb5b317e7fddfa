"""Commitments: their pages, where those responsible report progress and tick off actions, and
the list of what the signed-in person answers for."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import uploads
from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import City, MemberState, Organisation
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .. import services
from ..forms import ActionItemForm, CommitmentForm, StatusUpdateForm
from ..models import ActionItem, Commitment, Recommendation, StatusUpdate
from ..rules import person_organisation_id
from .helpers import COMMITMENT_RELATED, commitments_qs, hide_draft


def commitment_detail(request: HttpRequest, public_id) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*COMMITMENT_RELATED, "recommendation__document__meeting"),
        public_id=public_id,
    )
    hide_draft(request, commitment.recommendation.document)
    can_update = request.user.has_perm("followup.update_commitment", commitment)
    return render(
        request,
        "followup/commitment_detail.html",
        {
            "c": commitment,
            "updates": commitment.updates.select_related("author").all(),
            "actions": commitment.actions.all(),
            "today": timezone.localdate(),
            "can_update": can_update,
            "form": StatusUpdateForm(initial={"status": commitment.status, "progress": commitment.progress})
            if can_update
            else None,
            "action_form": ActionItemForm() if can_update else None,
        },
    )


def commitment_update(request: HttpRequest, public_id) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*COMMITMENT_RELATED, "recommendation__document__meeting"),
        public_id=public_id,
    )
    hide_draft(request, commitment.recommendation.document)
    require_perm(request, "followup.update_commitment", commitment)
    form = StatusUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": commitment.status, "progress": commitment.progress},
    )

    def save() -> Commitment:
        d = form.cleaned_data
        services.post_status_update(
            request.user,
            commitment,
            status=d["status"],
            progress=d["progress"],
            note=d["note"],
            evidence_url=d["evidence_url"],
            evidence_file=d["evidence_file"],
        )
        return commitment

    if done := submit_form(request, form, save, success=_("Status update published.")):
        return done
    return render(
        request,
        "followup/commitment_update.html",
        {"c": commitment, "form": form},
        status=form_status(form),
    )


@require_POST
def action_add(request: HttpRequest, public_id) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*COMMITMENT_RELATED, "recommendation__document"),
        public_id=public_id,
    )
    hide_draft(request, commitment.recommendation.document)
    require_perm(request, "followup.update_commitment", commitment)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        services.add_action_item(request.user, commitment, **form.cleaned_data)
        messages.success(request, _("Action added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request,
                _("%(field)s: %(error)s — nothing was saved.") % {"field": label, "error": " ".join(errors)},
            )
    return redirect(commitment.get_absolute_url() + "#actions")


@require_POST
def action_toggle(request: HttpRequest, public_id) -> HttpResponse:
    item = get_object_or_404(
        ActionItem.objects.select_related(
            "commitment__member_state",
            "commitment__city",
            "commitment__organisation",
            "commitment__recommendation__document",
        ),
        public_id=public_id,
    )
    hide_draft(request, item.commitment.recommendation.document)
    require_perm(request, "followup.update_commitment", item.commitment)
    services.set_action_done(request.user, item, request.POST.get("done") == "1")
    return redirect(item.commitment.get_absolute_url() + "#actions")


def _parties_for(user):
    if is_secretariat(user):
        return (
            MemberState.objects.order_by("name"),
            City.objects.select_related("country").order_by("name"),
            Organisation.objects.exclude(kind__in=["city_government"]).order_by("name"),
        )
    countries = represented_country_ids(user)
    states = MemberState.objects.filter(pk__in=countries).order_by("name")
    cities = (
        City.objects.select_related("country")
        .filter(Q(pk__in=officer_city_ids(user)) | Q(country_id__in=countries))
        .order_by("name")
    )
    return states, cities, Organisation.objects.none()


def commitment_create(request: HttpRequest, public_id) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("document__meeting"), public_id=public_id)
    hide_draft(request, rec.document)
    require_perm(request, "followup.add_commitment", rec)
    states, cities, orgs = _parties_for(request.user)
    form = CommitmentForm(
        request.POST or None, states=list(states), cities=list(cities), organisations=list(orgs)
    )

    def save() -> Commitment:
        d = form.cleaned_data
        return services.create_commitment(
            request.user, rec, description=d["description"], due_date=d["due_date"], **d["party"]
        )

    if done := submit_form(request, form, save, success=_("Commitment recorded.")):
        return done
    return render(
        request,
        "followup/commitment_create.html",
        {"rec": rec, "form": form},
        status=form_status(form),
    )


def mine(request: HttpRequest) -> HttpResponse:
    """The commitments the signed-in person answers for, overdue first."""
    user = request.user
    if not user.is_authenticated:
        raise LoginRequired()
    qs = commitments_qs().select_related("recommendation__document__meeting")
    if not is_secretariat(user):
        countries, cities = represented_country_ids(user), officer_city_ids(user)
        org = person_organisation_id(user)
        qs = qs.filter(recommendation__document__published=True)  # drafts are the secretariat's
        qs = qs.filter(
            Q(member_state_id__in=countries)
            | Q(city__country_id__in=countries)
            | Q(city_id__in=cities)
            | Q(organisation_id=org if org else -1)
        )
    today = timezone.localdate()
    items = list(qs)
    items.sort(key=lambda c: (not c.is_overdue(today), not c.is_open, c.due_date))
    return render(request, "followup/mine.html", {"commitments": items, "today": today})


def evidence(request: HttpRequest, public_id) -> FileResponse:
    update = get_object_or_404(
        StatusUpdate.objects.select_related("commitment__recommendation__document"), public_id=public_id
    )
    if not update.evidence_file:
        raise Http404
    hide_draft(request, update.commitment.recommendation.document)
    name = update.evidence_filename
    return uploads.file_response(update.evidence_file, name)
