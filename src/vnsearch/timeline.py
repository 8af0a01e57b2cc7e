"""Matching documents per period: the timeline above the results.

Counted from the date column over the match mask (no stored document read): per year, or per
month when the dated matches span under two years (a chart of one or two bars says little).
The empty periods between the first and the last dated match are kept, so the bars are a true
time axis, unless that would make more than MAX_PERIODS bars (a stray date centuries off).
Undated matches are in no bar; `Timeline.undated` counts them.

`chart_bars` lays the bars out for an SVG whose viewBox is `chart_size`: the page draws them.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .engine.base import Snapshot

YEAR, MONTH = "year", "month"
MONTHLY_BELOW = 24  # months: matches spanning less than this are counted per month
MAX_PERIODS = 200  # gaps are filled with empty bars only up to this many bars in all
BAR_SLOT = 10  # viewBox units per bar: the bar, then a gap
BAR_GAP = 2
CHART_HEIGHT = 100
MIN_BAR_HEIGHT = 3  # a period with one document among thousands still shows a bar


@dataclass(frozen=True)
class Period:
    key: str  # "2012" (a year) or "2012-03" (a month)
    count: int

    @property
    def date_from(self) -> str:
        return f"{self.key}-01-01" if len(self.key) == 4 else f"{self.key}-01"

    @property
    def date_to(self) -> str:
        if len(self.key) == 4:
            return f"{self.key}-12-31"
        year, month = int(self.key[:4]), int(self.key[5:7])
        return f"{self.key}-{calendar.monthrange(year, month)[1]:02d}"

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.key, "count": self.count, "from": self.date_from, "to": self.date_to}


@dataclass(frozen=True)
class Timeline:
    unit: str  # YEAR or MONTH
    periods: tuple[Period, ...] = ()
    undated: int = 0  # matches without a date, in no period

    @property
    def peak(self) -> int:
        return max((period.count for period in self.periods), default=0)

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "periods": [period.to_dict() for period in self.periods], "undated": self.undated}


def count_periods(values: np.ndarray, codes: np.ndarray, mask: np.ndarray) -> Timeline:
    """The timeline of the documents in `mask`, from a date column as (distinct values, codes)."""
    per_value = np.bincount(codes[mask], minlength=len(values))
    dated: dict[str, int] = {}
    undated = 0
    for code in np.flatnonzero(per_value):
        value, count = str(values[code]), int(per_value[code])
        if _is_date(value):
            dated[value] = count
        else:
            undated += count
    return from_date_counts(dated, undated)


def from_date_counts(counts: Mapping[str, int], undated: int = 0) -> Timeline:
    """The timeline of ISO dates ("YYYY-MM-DD" -> documents), by year or by month."""
    months: dict[int, int] = {}
    for value, count in counts.items():
        index = _month_index(value)
        months[index] = months.get(index, 0) + count
    if not months:
        return Timeline(YEAR, (), undated)
    first, last = min(months), max(months)
    if last - first < MONTHLY_BELOW:
        keyed = {_month_key(index): count for index, count in months.items()}
        span = [_month_key(index) for index in range(first, last + 1)]
        unit = MONTH
    else:
        keyed = {}
        for index, count in months.items():
            keyed[f"{index // 12:04d}"] = keyed.get(f"{index // 12:04d}", 0) + count
        span = [f"{year:04d}" for year in range(first // 12, last // 12 + 1)]
        unit = YEAR
    keys = span if len(span) <= MAX_PERIODS else sorted(keyed)
    return Timeline(unit, tuple(Period(key, keyed.get(key, 0)) for key in keys), undated)


@dataclass(frozen=True)
class Bar:
    period: Period
    x: float
    width: float
    y: float
    height: float  # 0 for an empty period; at least MIN_BAR_HEIGHT otherwise


def chart_size(timeline: Timeline) -> tuple[int, int]:
    """(width, height) of the chart's viewBox."""
    return max(1, len(timeline.periods)) * BAR_SLOT, CHART_HEIGHT


def chart_bars(timeline: Timeline) -> list[Bar]:
    """The bars, left to right, scaled so the highest period fills the chart's height."""
    peak = timeline.peak or 1
    bars = []
    for slot, period in enumerate(timeline.periods):
        height = round(max(MIN_BAR_HEIGHT, CHART_HEIGHT * period.count / peak), 2) if period.count else 0.0
        bars.append(Bar(period, slot * BAR_SLOT + BAR_GAP / 2, BAR_SLOT - BAR_GAP, CHART_HEIGHT - height, height))
    return bars


def _is_date(value: str) -> bool:
    return len(value) >= 7 and value[:4].isdigit() and value[4] == "-" and value[5:7].isdigit() and 1 <= int(value[5:7]) <= 12


def _month_index(value: str) -> int:
    return int(value[:4]) * 12 + int(value[5:7]) - 1


def _month_key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_of(snapshot: Snapshot, mask: np.ndarray) -> Timeline:
    """The timeline of the documents in `mask` on an engine snapshot."""
    values, codes = snapshot.codes("date")
    return count_periods(values, codes, mask)
