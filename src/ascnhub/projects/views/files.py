"""A project's documents and a progress report's attachments: adding, removing, downloading.

Downloads go only to those who may see the owning project or report (`common.uploads`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common import uploads
from ascnhub.common.http import require_perm

from .. import services
from ..forms import DocumentForm
from ..models import Project, ProjectDocument, ReportAttachment
from .helpers import visible_or_404


@require_POST
def document_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
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
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.change_project", project)
    services.remove_document(request.user, get_object_or_404(project.documents, public_id=public_id))
    messages.success(request, _("Removed."))
    return redirect("projects:project_edit", slug=project.slug)


def document_file(request: HttpRequest, public_id) -> HttpResponse:
    """A project's uploaded document, to those who may see the project."""
    document = get_object_or_404(ProjectDocument.objects.select_related("project"), public_id=public_id)
    visible_or_404(request, "projects.view_project", document.project)
    if not document.file:
        raise Http404()
    return uploads.file_response(document.file, document.file.name.rsplit("/", 1)[-1])


def report_file(request: HttpRequest, public_id) -> HttpResponse:
    """A progress report's attachment, to those who may see the report (a draft's stays private)."""
    attachment = get_object_or_404(
        ReportAttachment.objects.select_related("report__project__city__country"), public_id=public_id
    )
    visible_or_404(request, "projects.view_progressreport", attachment.report)
    return uploads.file_response(attachment.file, attachment.file.name.rsplit("/", 1)[-1])
