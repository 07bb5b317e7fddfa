"""Uploaded documents and report attachments are served through a permission check, as downloads
that cannot run in the browser: a draft report's attachment stays private, a public one is public."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from ascnhub.projects.models import ProjectDocument, ReportAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def attach(report, name):
        attachment = ReportAttachment(report=report, title=name)
        attachment.file.save(name, ContentFile(b"%PDF-1.7 " + name.encode()), save=True)
        return attachment

    def document(project, name):
        doc = ProjectDocument(project=project, title=name, kind="other")
        doc.file.save(name, ContentFile(b"%PDF-1.7 " + name.encode()), save=True)
        return doc

    return {
        "approved": attach(world.approved, "approved-photos.pdf"),
        "draft": attach(world.draft_report, "draft-budget.pdf"),
        "public_doc": document(world.public, "feasibility-study.pdf"),
        "secret_doc": document(world.draft, "pump-tender.pdf"),
    }


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_public_files_are_downloads_for_everyone(client, world, files):
    for key in ("approved", "public_doc"):
        obj = files[key]
        url = obj.get_absolute_url() if key == "approved" else obj.href
        response, body = _get(client, url)
        assert response.status_code == 200 and body.startswith(b"%PDF-1.7")
        assert response["Content-Disposition"].startswith("attachment;")
        assert (
            response["X-Content-Type-Options"] == "nosniff"
            and "sandbox" in response["Content-Security-Policy"]
        )
    page = client.get(world.approved.get_absolute_url()).content.decode()
    assert files["approved"].get_absolute_url() in page and "/media/" not in page


@pytest.mark.parametrize("who", ["anonymous", "danang_officer", "company"])
def test_private_files_are_not_found_by_outsiders(client, client_for, world, files, who):
    net = world.net
    visitor = (
        client
        if who == "anonymous"
        else client_for(net.danang_officer.user if who == "danang_officer" else net.company_person.user)
    )
    assert visitor.get(files["draft"].get_absolute_url()).status_code == 404
    assert visitor.get(files["secret_doc"].href).status_code == 404


def test_the_citys_officer_downloads_their_private_files(client_for, world, files):
    officer = client_for(world.net.makassar_officer.user)
    response, body = _get(officer, files["draft"].get_absolute_url())
    assert response.status_code == 200 and b"draft-budget" in body
    response, body = _get(officer, files["secret_doc"].href)
    assert response.status_code == 200 and b"pump-tender" in body
