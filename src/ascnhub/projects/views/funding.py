"""A project's budget per funding source, edited as one form by the city or the secretariat."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ascnhub.common.http import require_perm

from .. import services
from ..codes import CURRENCY_CHOICES
from ..forms import FundingFormSet, OperationCostForm
from ..models import Project
from .helpers import visible_or_404


def funding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Every funding line of the project at once (amount, ISO 4217 currency, committed or pledged)
    and its operation-and-maintenance cost per year; a wrong line refuses the whole change."""
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    data = request.POST if request.method == "POST" else None
    lines = project.fundings.select_related("source").order_by("status", "-amount")
    fields = ("public_id", "source", "amount", "currency", "status", "description")
    # Bound, the rows are what was posted (the hidden public_id says which stored line each one is).
    initial = [{k: getattr(f, k) for k in fields} for f in lines] if data is None else None
    formset = FundingFormSet(data, prefix="funding", initial=initial)
    cost = OperationCostForm(
        data,
        initial={"om_cost_per_year": project.om_cost_per_year, "om_cost_currency": project.om_cost_currency},
    )
    if data is not None and formset.is_valid() and cost.is_valid():
        numbered = [
            (n, f)
            for n, f in enumerate(formset.forms, 1)
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        forms = [f for _n, f in numbered]
        try:
            services.set_fundings(
                request.user,
                project,
                [{**f.cleaned_data, "row": n} for n, f in numbered],
                om_cost_per_year=cost.cleaned_data["om_cost_per_year"],
                om_cost_currency=cost.cleaned_data["om_cost_currency"],
            )
        except services.FundingRowsError as exc:
            for index, errors in exc.rows.items():
                for field, texts in errors.items():
                    forms[index].add_error(field if field in forms[index].fields else None, texts)
            for field, texts in exc.fields.items():
                cost.add_error(field if field in cost.fields else None, texts)
        else:
            messages.success(request, _("Funding saved."))
            return redirect(project.get_absolute_url() + "#funding")
    return render(
        request,
        "projects/funding_form.html",
        {"project": project, "formset": formset, "cost": cost, "currencies": CURRENCY_CHOICES},
        status=400 if data is not None else 200,
    )
