"""Server-rendered SVG charts: geometry computed here, drawn by small templates.

No JavaScript and no inline styles (the CSP forbids them): every chart is an <svg> with classes
styled by projects/charts.css, a text title and description, and the same figures in a table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import formats


@dataclass
class Series:
    key: str
    label: str
    values: list[tuple[datetime.date, float]]
    points: str = ""
    dots: list[tuple[float, float, str]] = field(default_factory=list)


def line_chart(
    series: Sequence[Series], *, width: int = 640, height: int = 260, y_max: float = 100.0
) -> dict | None:
    """A percentage-over-time chart: x is the date, y is 0..y_max. None when there is nothing to draw."""
    dates = sorted({d for s in series for d, _ in s.values})
    if not dates:
        return None
    left, right, top, bottom = 44, 34, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 1)

    def x(d: datetime.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (d - first).days / span

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0), y_max) / y_max)

    for s in series:
        pts = [(round(x(d), 1), round(y(v), 1), f"{v:g}") for d, v in sorted(s.values)]
        s.points = " ".join(f"{px},{py}" for px, py, _ in pts)
        s.dots = pts
    y_ticks = [{"y": round(y(v), 1), "label": f"{v:g}%"} for v in (0, 25, 50, 75, 100)]
    x_ticks = [
        {"x": round(x(d), 1), "label": formats.date_format(d, "YEAR_MONTH_FORMAT")} for d in _thin(dates, 6)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "series": list(series),
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "dates": dates,
    }


def _thin(items: list, most: int) -> list:
    if len(items) <= most:
        return items
    step = (len(items) - 1) / (most - 1)
    return [items[round(i * step)] for i in range(most)]


def progress_chart(reports: Iterable) -> dict | None:
    """Planned against actual physical and financial progress across a project's reports."""
    reports = sorted(reports, key=lambda r: (r.period_end, r.pk or 0))
    from django.utils.translation import gettext as _

    series = [
        Series(
            "physical-planned",
            _("Physical, planned"),
            [(r.period_end, float(r.physical_planned)) for r in reports],
        ),
        Series(
            "physical-actual",
            _("Physical, actual"),
            [(r.period_end, float(r.physical_actual)) for r in reports],
        ),
        Series(
            "financial-planned",
            _("Financial, planned"),
            [(r.period_end, float(r.financial_planned)) for r in reports],
        ),
        Series(
            "financial-actual",
            _("Financial, actual"),
            [(r.period_end, float(r.financial_actual)) for r in reports],
        ),
    ]
    return line_chart(series)


def bar_chart(
    items: Sequence[tuple[str, float, str]],
    *,
    width: int = 480,
    bar_h: int = 20,
    gap: int = 7,
    label_w: int = 165,
    unit: str = "",
) -> dict:
    """Horizontal bars: items are (label, value, link or "")."""
    most = max([v for _, v, _ in items] or [0]) or 1
    plot_w = width - label_w - 60
    bars = []
    for i, (label, value, url) in enumerate(items):
        y = i * (bar_h + gap)
        w = plot_w * value / most
        bars.append(
            {
                "label": label,
                "value": value,
                "url": url,
                "y": y,
                "w": round(w, 1),
                "text_y": y + bar_h * 0.7,
                "value_x": round(label_w + w + 6, 1),
                "display": f"{value:g}{unit}",
            }
        )
    height = max(len(items) * (bar_h + gap), bar_h)
    return {
        "width": width,
        "height": height,
        "bar_h": bar_h,
        "label_w": label_w,
        "bars": bars,
        "label_x": label_w - 8,
    }


def column_chart(items: Sequence[tuple[str, float]], *, width: int = 960, height: int = 220) -> dict:
    """Vertical columns over a sequence (e.g. partnerships per year), with a cumulative line."""
    left, right, top, bottom = 40, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(items), 1)
    slot = plot_w / n
    total = sum(v for _, v in items)
    cum, cum_pts, cols = 0.0, [], []
    most = max([v for _, v in items] or [1]) or 1
    for i, (label, value) in enumerate(items):
        h = plot_h * value / most
        x = left + i * slot + slot * 0.15
        cols.append(
            {
                "label": label,
                "value": value,
                "x": round(x, 1),
                "y": round(top + plot_h - h, 1),
                "w": round(slot * 0.7, 1),
                "h": round(h, 1),
                "cx": round(x + slot * 0.35, 1),
                "display": f"{value:g}",
            }
        )
        cum += value
        cum_pts.append(f"{round(x + slot * 0.35, 1)},{round(top + plot_h * (1 - cum / (total or 1)), 1)}")
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "columns": cols,
        "cumulative": " ".join(cum_pts),
        "total": total,
        "label_y": height - 10,
    }
