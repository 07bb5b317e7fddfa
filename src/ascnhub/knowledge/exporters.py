"""The whole guidebook as one HTML file or one PDF (WeasyPrint; Noto fonts for every script)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Chapter
from .services import guidebook_contents
from .text import render_markdown


def guidebook_html(*, include_drafts: bool = False, for_pdf: bool = False) -> str:
    """A standalone HTML document (styles inline, no external resources)."""
    contents = guidebook_contents(include_drafts=include_drafts)
    parts = []
    for value, label in Chapter.Part.choices:
        items = [c for c in contents if c.chapter.part == value]
        if not items:
            continue
        # A part with one chapter of the same name is shown once, not as a part and a chapter.
        single = len(items) == 1 and items[0].title.strip().casefold() == str(label).casefold()
        chapters = [{"c": c, "html": render_markdown(c.body, shift=2 if single else 3)} for c in items]
        parts.append({"label": label, "chapters": chapters, "single": single})
    return render_to_string(
        "knowledge/guidebook_export.html",
        {
            "parts": parts,
            "include_drafts": include_drafts,
            "for_pdf": for_pdf,
            "generated": timezone.now(),
        },
    )


def guidebook_pdf(*, include_drafts: bool = False) -> bytes:
    from weasyprint import HTML

    return HTML(string=guidebook_html(include_drafts=include_drafts, for_pdf=True), base_url=None).write_pdf()
