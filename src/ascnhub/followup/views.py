"""The public outcome tracker and the pages where those responsible report progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import uploads
from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import City, MemberState, Organisation
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from . import services
from .forms import ActionItemForm, CommitmentForm, StatusUpdateForm
from .models import ActionItem, Commitment, OutcomeDocument, Recommendation, StatusUpdate
from .rules import person_organisation_id
from .services import Rollup

COMMITMENT_RELATED = ["member_state", "city__country", "organisation"]


def _commitments_qs(country: MemberState | None = None):
    qs = Commitment.objects.select_related(*COMMITMENT_RELATED)
    if country is not None:
        qs = qs.for_country(country.pk)
    return qs.order_by("due_date", "id")


def tracker(request: HttpRequest) -> HttpResponse:
    """Every recommendation's status, per meeting, per country and across years."""
    today = timezone.localdate()
    documents = OutcomeDocument.objects.filter(published=True).select_related("meeting")
    all_documents = list(documents.order_by("-adopted_on"))
    years = sorted({d.adopted_on.year for d in all_documents}, reverse=True)
    meeting = request.GET.get("meeting", "")
    code = request.GET.get("country", "").upper()
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    country = MemberState.objects.filter(code=code).first() if code else None
    if meeting:
        documents = documents.filter(meeting__slug=meeting)
    if year.isdigit():
        documents = documents.filter(adopted_on__year=int(year))
    documents = documents.order_by("-adopted_on").prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("carried_from__document").prefetch_related(
                Prefetch("commitments", queryset=_commitments_qs(country)), "carried_into__document"
            ),
        )
    )
    rows = []
    for doc in documents:
        recs = []
        for rec in doc.recommendations.all():
            rollup = Rollup(rec.commitments.all(), today)
            if status and rollup.status != status:
                continue
            recs.append({"rec": rec, "rollup": rollup, "commitments": list(rec.commitments.all())})
        if recs or not status:
            rows.append({"doc": doc, "recs": recs})
    totals = Rollup([c for row in rows for r in row["recs"] for c in r["commitments"]], today)
    return render(
        request,
        "followup/tracker.html",
        {
            "rows": rows,
            "totals": totals,
            "documents": all_documents,
            "years": years,
            "states": MemberState.objects.order_by("name"),
            "meeting": meeting,
            "country": country,
            "code": code,
            "year": year,
            "status": status,
            "status_choices": list(Rollup.LABELS.items()),
            "today": today,
        },
    )


def by_country(request: HttpRequest) -> HttpResponse:
    """A matrix: each recommendation (rows, grouped by meeting) against each member state."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    states = list(MemberState.objects.order_by("name"))
    documents = (
        OutcomeDocument.objects.filter(published=True).select_related("meeting").order_by("-adopted_on")
    )
    years = sorted({d.adopted_on.year for d in documents}, reverse=True)
    if year.isdigit():
        documents = documents.filter(adopted_on__year=int(year))
    documents = documents.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                Prefetch("commitments", queryset=Commitment.objects.select_related("city"))
            ),
        )
    )
    rows = []
    for doc in documents:
        recs = []
        for rec in doc.recommendations.all():
            per_state = {s.pk: [] for s in states}
            partners = []
            for c in rec.commitments.all():
                sid = c.member_state_id or (c.city.country_id if c.city_id else None)
                if sid in per_state:
                    per_state[sid].append(c)
                else:
                    partners.append(c)
            recs.append(
                {
                    "rec": rec,
                    "cells": [Rollup(per_state[s.pk], today) for s in states],
                    "partners": Rollup(partners, today),
                }
            )
        rows.append({"doc": doc, "recs": recs})
    return render(
        request, "followup/by_country.html", {"rows": rows, "states": states, "years": years, "year": year}
    )


def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(OutcomeDocument.objects.select_related("meeting"), meeting__slug=slug)
    if not doc.published:
        require_perm(request, "followup.manage_outcomes")
    today = timezone.localdate()
    recs = doc.recommendations.select_related("carried_from__document__meeting").prefetch_related(
        Prefetch("commitments", queryset=_commitments_qs().prefetch_related("actions")),
        "carried_into__document__meeting",
    )
    items = [{"rec": r, "rollup": Rollup(r.commitments.all(), today)} for r in recs]
    return render(request, "followup/document_detail.html", {"doc": doc, "items": items, "today": today})


def recommendation_detail(request: HttpRequest, public_id) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("document__meeting"), public_id=public_id)
    if not rec.document.published:
        require_perm(request, "followup.manage_outcomes")
    today = timezone.localdate()
    commitments = list(
        _commitments_qs()
        .filter(recommendation=rec)
        .prefetch_related(
            Prefetch("updates", queryset=StatusUpdate.objects.order_by("-created_at", "-id")), "actions"
        )
    )
    chain = services.recommendation_chain(rec)
    chain_rollups = {r.pk: Rollup(r.commitments.all(), today) for r in chain if r.pk != rec.pk}
    return render(
        request,
        "followup/recommendation_detail.html",
        {
            "rec": rec,
            "commitments": commitments,
            "rollup": Rollup(commitments, today),
            "today": today,
            "chain": [
                {
                    "rec": r,
                    "rollup": chain_rollups.get(r.pk) or Rollup(commitments, today),
                    "current": r.pk == rec.pk,
                }
                for r in chain
            ],
            "can_add": request.user.has_perm("followup.add_commitment"),
        },
    )


def commitment_detail(request: HttpRequest, public_id) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*COMMITMENT_RELATED, "recommendation__document__meeting"),
        public_id=public_id,
    )
    if not commitment.recommendation.document.published:
        require_perm(request, "followup.manage_outcomes")
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
    if not commitment.recommendation.document.published:
        require_perm(request, "followup.manage_outcomes")
    require_perm(request, "followup.update_commitment", commitment)
    form = StatusUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": commitment.status, "progress": commitment.progress},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.post_status_update(
                request.user,
                commitment,
                status=d["status"],
                progress=d["progress"],
                note=d["note"],
                evidence_url=d["evidence_url"],
                evidence_file=d["evidence_file"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Status update published."))
            return redirect(commitment)
    return render(
        request,
        "followup/commitment_update.html",
        {"c": commitment, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def action_add(request: HttpRequest, public_id) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*COMMITMENT_RELATED, "recommendation__document"),
        public_id=public_id,
    )
    if not commitment.recommendation.document.published:
        require_perm(request, "followup.manage_outcomes")
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
    if not item.commitment.recommendation.document.published:
        require_perm(request, "followup.manage_outcomes")
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
    if not rec.document.published:
        require_perm(request, "followup.manage_outcomes")
    require_perm(request, "followup.add_commitment", rec)
    states, cities, orgs = _parties_for(request.user)
    form = CommitmentForm(
        request.POST or None, states=list(states), cities=list(cities), organisations=list(orgs)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            commitment = services.create_commitment(
                request.user, rec, description=d["description"], due_date=d["due_date"], **d["party"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect(commitment)
    return render(
        request,
        "followup/commitment_create.html",
        {"rec": rec, "form": form},
        status=400 if form.errors else 200,
    )


def mine(request: HttpRequest) -> HttpResponse:
    """The commitments the signed-in person answers for, overdue first."""
    user = request.user
    if not user.is_authenticated:
        raise LoginRequired()
    qs = _commitments_qs().select_related("recommendation__document__meeting")
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
    if not update.commitment.recommendation.document.published:
        require_perm(request, "followup.manage_outcomes")
    name = update.evidence_filename
    return uploads.file_response(update.evidence_file, name)


def commitments_csv(request: HttpRequest) -> HttpResponse:
    """Every public commitment as open data (CSV, UTF-8 with a byte-order mark for spreadsheets)."""
    import csv

    from django.db.models import Max

    today = timezone.localdate()
    rows = (
        Commitment.objects.filter(recommendation__document__published=True)
        .select_related(*COMMITMENT_RELATED, "recommendation__document__meeting")
        .annotate(last_update=Max("updates__created_at"))
        .order_by("recommendation__document__adopted_on", "recommendation__number", "due_date", "id")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ascn-commitments.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "meeting",
            "meeting_year",
            "recommendation_number",
            "recommendation",
            "party_kind",
            "party",
            "country",
            "commitment",
            "due_date",
            "status",
            "overdue",
            "progress_percent",
            "last_update",
            "url",
        ]
    )
    for c in rows:
        country = (
            c.member_state.code
            if c.member_state_id
            else (c.city.country.code if c.city_id else c.organisation.country)
        )
        writer.writerow(
            [
                c.public_id,
                c.recommendation.document.meeting.title,
                c.recommendation.document.year,
                c.recommendation.number,
                c.recommendation.title,
                c.party_kind,
                str(c.party),
                country,
                c.description,
                c.due_date.isoformat(),
                c.status,
                "yes" if c.is_overdue(today) else "no",
                c.progress,
                c.last_update.date().isoformat() if c.last_update else "",
                request.build_absolute_uri(c.get_absolute_url()),
            ]
        )
    return response
