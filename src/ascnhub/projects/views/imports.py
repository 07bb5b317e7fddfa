"""Importing projects and offers from a spreadsheet, and the empty templates to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ascnhub.common.http import require_perm

from .. import importers
from ..forms import ImportForm


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    perm = "projects.import_projects" if kind == "projects" else "projects.import_offers"
    require_perm(request, perm)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importers.import_file(request.user, kind, form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
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
