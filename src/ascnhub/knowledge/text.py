"""Markdown to safe HTML, and word-level differences between two texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import markdown as _markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "sup",
    "sub",
}


def render_markdown(text: str, shift: int = 1) -> SafeString:
    """Markdown as HTML that can hold no script or style; headings are shifted down by `shift`
    levels (1: a "# Heading" under the page's h1 becomes h2), never below h6."""
    html = _markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # A chapter's "# Heading" sits under the chapter title: make h1 -> h2 … so the outline stays sound.
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # sanitised by nh3 just above


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "changed", "gap"
    html: SafeString


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _inline(old: str, new: str) -> tuple[str, str]:
    """Mark the changed words of a changed line: <del> in the old, <ins> in the new."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_out, new_out = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_out.append(left)
            new_out.append(right)
        else:
            if left:
                old_out.append(f"<del>{left}</del>")
            if right:
                new_out.append(f"<ins>{right}</ins>")
    return "".join(old_out), "".join(new_out)


def diff_lines(old: str, new: str, context: int = 2) -> list[DiffLine]:
    """Line-by-line differences with changed words marked; unchanged stretches folded to `context` lines."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("gap", mark_safe("…")))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                out += [DiffLine("same", escape(line)) for line in a[i1:i2]]
            elif op == "replace" and (i2 - i1) == (j2 - j1):
                for old_line, new_line in zip(a[i1:i2], b[j1:j2], strict=True):
                    o, n = _inline(old_line, new_line)
                    out.append(DiffLine("removed", mark_safe(o)))
                    out.append(DiffLine("added", mark_safe(n)))
            else:
                out += [DiffLine("removed", escape(line)) for line in a[i1:i2]]
                out += [DiffLine("added", escape(line)) for line in b[j1:j2]]
    return out


def three_way_merge(base: str, mine: str, theirs: str) -> str | None:
    """My changes (base → mine) applied onto their saved text, or None when they do not fit cleanly.

    Used to offer — never to save unseen — a combined text after an edit conflict.
    """
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.2  # only apply a change where its context is found nearly as it was
    patches = dmp.patch_make(base, mine)
    merged, applied = dmp.patch_apply(patches, theirs)
    return merged if all(applied) else None
