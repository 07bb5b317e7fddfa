"""The public outcome tracker: every recommendation's status, by meeting, by country, over years."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ascnhub.registry.models import MemberState

from .. import services
from ..models import Commitment, OutcomeDocument, Recommendation, StatusUpdate
from ..services import Rollup
from .helpers import commitments_qs


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
                Prefetch("commitments", queryset=commitments_qs(country)), "carried_into__document"
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
    if not doc.published and not request.user.has_perm("followup.author_outcomes"):
        raise Http404  # a draft does not exist for anyone but the secretariat
    today = timezone.localdate()
    recs = doc.recommendations.select_related("carried_from__document__meeting").prefetch_related(
        Prefetch("commitments", queryset=commitments_qs().prefetch_related("actions")),
        "carried_into__document__meeting",
    )
    items = [{"rec": r, "rollup": Rollup(r.commitments.all(), today)} for r in recs]
    return render(request, "followup/document_detail.html", {"doc": doc, "items": items, "today": today})


def recommendation_detail(request: HttpRequest, public_id) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("document__meeting"), public_id=public_id)
    if not rec.document.published and not request.user.has_perm("followup.author_outcomes"):
        raise Http404
    today = timezone.localdate()
    commitments = list(
        commitments_qs()
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
