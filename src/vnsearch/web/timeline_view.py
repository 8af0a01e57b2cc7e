"""What the search page needs to draw the timeline (templates/_timeline.html): bar geometry
and Vietnamese labels. The chart is an inline SVG drawn on the server: the page runs no script,
and its styles come from the stylesheet (the CSP allows no inline style)."""

from __future__ import annotations

from flask import Flask

from .. import defaults
from ..timeline import MONTH, Period, Timeline, chart_bars, chart_size


def period_label(period: Period) -> str:
    """"2012" -> "Năm 2012"; "2012-03" -> "Tháng 3/2012"."""
    if len(period.key) == 4:
        return f"Năm {period.key}"
    return f"Tháng {int(period.key[5:7])}/{period.key[:4]}"


def short_label(period: Period) -> str:
    """The axis label: "2012", "3/2012"."""
    return period.key if len(period.key) == 4 else f"{int(period.key[5:7])}/{period.key[:4]}"


def unit_label(timeline: Timeline) -> str:
    return "tháng" if timeline.unit == MONTH else "năm"


def register_timeline_view(app: Flask) -> None:
    app.jinja_env.globals.update(timeline_bars=chart_bars, timeline_size=chart_size, max_csv_rows=defaults.MAX_CSV_ROWS)
    app.jinja_env.filters.update(period_label=period_label, short_label=short_label, unit_label=unit_label)
