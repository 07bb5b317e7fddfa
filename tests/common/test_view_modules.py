"""Views stay thin: no views module grows past 400 lines (docs/architecture.md, "Views").

A views module that long holds more than one concern; split it into a `views/` package with one
module per concern instead of raising the limit.
"""

from __future__ import annotations

from pathlib import Path

import ascnhub

MAX_LINES = 400
SOURCE = Path(ascnhub.__file__).parent


def view_modules() -> list[Path]:
    return sorted([*SOURCE.rglob("views.py"), *SOURCE.rglob("views/*.py")])


def test_the_view_modules_are_found():
    found = {p.relative_to(SOURCE).as_posix() for p in view_modules()}
    # One of each kind: a package per area, and a single module where one suffices.
    assert "projects/views/projects.py" in found and "common/views.py" in found
    assert not (SOURCE / "projects" / "views.py").exists()


def test_no_views_module_is_over_400_lines():
    too_long = {
        p.relative_to(SOURCE).as_posix(): n
        for p in view_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"views modules over {MAX_LINES} lines (split them by concern): {too_long}"
