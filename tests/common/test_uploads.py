"""The one upload check every app uses: the extension, the size, and content that is really of
that kind; and stored files handed back as downloads that cannot run in the browser."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ascnhub.common import uploads


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})

GOOD = [
    ("plan.pdf", b"%PDF-1.7\n..."),
    ("site.PNG", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
    ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ("photo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "),
    ("budget.csv", "city,budget\nMakassar,1200\nĐà Nẵng,900\n".encode()),
    ("notes.txt", "ข้อความภาษาไทย and 日本語".encode("utf-8-sig")),
    ("minutes.docx", DOCX),
    ("budget.xlsx", XLSX),
    ("minutes.odt", ODT),
]

BAD = [
    ("run.exe", b"MZ\x90\x00", "are not accepted"),
    ("page.html", b"<html></html>", "are not accepted"),
    ("logo.svg", b"<svg onload=alert(1)>", "are not accepted"),
    ("no-extension", b"%PDF-1.7", "are not accepted"),
    ("report.pdf", b"<html><script>alert(1)</script>", "not a real PDF"),
    ("photo.png", b"GIF89a", "not a real PNG"),
    ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>", "not a real TXT"),
    ("data.csv", b"a,b\x00c", "not a real CSV"),
    ("legacy.csv", "Société Générale".encode("latin-1"), "not a real CSV"),
    ("minutes.docx", XLSX, "not a real DOCX"),  # a spreadsheet renamed
    ("minutes.docx", b"PK\x03\x04 broken zip", "not a real DOCX"),
    ("minutes.odt", _zip({"mimetype": b"application/x-evil"}), "not a real ODT"),
]


@pytest.mark.parametrize("name,content", GOOD)
def test_real_files_of_each_accepted_kind_pass(name, content):
    uploads.validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize("name,content,message", BAD)
def test_wrong_kinds_and_disguised_files_are_refused_with_the_reason(name, content, message):
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(SimpleUploadedFile(name, content))
    assert message in " ".join(refused.value.messages)


def test_size_limit_comes_from_the_settings(settings):
    settings.ASCNHUB_MAX_UPLOAD_BYTES = 1024
    uploads.validate_upload(SimpleUploadedFile("small.pdf", b"%PDF-" + b"0" * 1000))
    with pytest.raises(ValidationError, match="at most 0.0 MB|at most"):
        uploads.validate_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 1100))


@pytest.mark.django_db  # closing a response sends request_finished, which closes database connections
def test_a_stored_file_goes_back_as_a_download_that_cannot_run(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("evidence.pdf", ContentFile(b"%PDF-1.7 evidence"))
    response = uploads.file_response(storage.open(name), "evidence.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 evidence"
    response.close()
    odd = uploads.file_response(storage.open(name), "evidence.html")  # never served as a page
    assert odd["Content-Type"] == "application/octet-stream"
    odd.close()
