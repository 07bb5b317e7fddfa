"""Uploaded files: one check for every upload, and one way to hand a stored file back.

Every FileField in the apps uses `upload_validators`. A file is accepted when its extension is on
the list, its size is within `ASCNHUB_MAX_UPLOAD_MB`, and its first bytes are those of that kind
of file: a renamed HTML page, SVG or executable is refused even when called `report.pdf`. Files
are served by `file_response` only, after the caller's permission check: always as a download,
with a content type chosen from the extension (never from what the uploader claimed), `nosniff`
and a sandboxing CSP, so nothing uploaded can run in the site's origin.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# extension -> content type sent back when the file is downloaded
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
EXTENSIONS = sorted(CONTENT_TYPES)
OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "ASCNHUB_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _looks_like(extension: str, file: Any) -> bool:
    """Whether the content is what the extension says (magic numbers, container layout, text)."""
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension in ("csv", "txt"):
        return _is_text(file)
    if extension in OOXML or extension in ODF:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
                if extension in OOXML:
                    return "[Content_Types].xml" in names and any(
                        n.startswith(OOXML[extension]) for n in names
                    )
                return "mimetype" in names and archive.read("mimetype").strip() == ODF[extension]
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        finally:
            file.seek(0)
    return False


def _is_text(file: Any) -> bool:
    """UTF-8 (with or without a BOM) text without NUL bytes and not markup a browser would run."""
    data = file.read(max_upload_bytes() + 1)
    file.seek(0)
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    start = text.lstrip()[:100].lower()
    return not start.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


def validate_upload(file: Any) -> None:
    """Refuse an upload with the wrong extension, too large, or whose content is not of its kind."""
    if not file:
        return
    extension = extension_of(file.name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted; allowed: %(allowed)s."),
            params={"extension": extension or "?", "allowed": ", ".join(EXTENSIONS)},
            code="file_type",
        )
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB is allowed."),
            params={
                "size": round(file.size / 1024 / 1024, 1),
                "max": round(max_upload_bytes() / 1024 / 1024, 1),
            },
            code="file_size",
        )
    if not _looks_like(extension, file):
        raise ValidationError(
            _("The file “%(name)s” is not a real %(extension)s file."),
            params={"name": PurePath(file.name).name, "extension": extension.upper()},
            code="file_content",
        )


upload_validators = [validate_upload]


def help_text() -> Any:
    """ "At most 10 MB: csv, docx, …" in the viewer's language (evaluated when shown)."""
    return format_lazy(
        _("At most {mb} MB: {types}."),
        mb=round(max_upload_bytes() / 1024 / 1024, 1),
        types=", ".join(EXTENSIONS),
    )


def file_response(field_file: Any, filename: str) -> FileResponse:
    """A stored upload as a download that cannot run in the browser (call after the permission check)."""
    content_type = CONTENT_TYPES.get(extension_of(filename), "application/octet-stream")
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
