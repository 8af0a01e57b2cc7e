"""timeline.py: periods from dates, the year/month choice, gaps, bounds, bar geometry. Pure: no index."""

from __future__ import annotations

import numpy as np
import pytest

from vnsearch.query import parse_bound
from vnsearch.timeline import (
    CHART_HEIGHT,
    MAX_PERIODS,
    MIN_BAR_HEIGHT,
    MONTH,
    YEAR,
    Period,
    chart_bars,
    chart_size,
    count_periods,
    from_date_counts,
)


def test_years_when_the_dates_span_two_years_or_more_with_the_empty_years_between() -> None:
    timeline = from_date_counts({"2015-03-01": 2, "2015-11-30": 1, "2018-01-01": 4})
    assert timeline.unit == YEAR
    assert [(p.key, p.count) for p in timeline.periods] == [("2015", 3), ("2016", 0), ("2017", 0), ("2018", 4)]
    assert timeline.peak == 4


def test_months_when_the_dates_span_under_two_years() -> None:
    timeline = from_date_counts({"2023-11-05": 1, "2024-02-10": 2, "2024-02-11": 1})
    assert timeline.unit == MONTH
    assert [(p.key, p.count) for p in timeline.periods] == [("2023-11", 1), ("2023-12", 0), ("2024-01", 0), ("2024-02", 3)]


@pytest.mark.parametrize(("last", "unit"), [("2013-12-31", MONTH), ("2014-01-01", YEAR)])
def test_the_month_view_ends_at_a_span_of_two_years(last: str, unit: str) -> None:
    assert from_date_counts({"2012-01-01": 1, last: 1}).unit == unit


def test_undated_documents_are_counted_apart_and_nothing_dated_is_an_empty_timeline() -> None:
    timeline = from_date_counts({}, undated=3)
    assert (timeline.periods, timeline.undated) == ((), 3)
    assert timeline.to_dict() == {"unit": "year", "periods": [], "undated": 3}


def test_a_stray_date_far_away_does_not_make_hundreds_of_empty_bars() -> None:
    timeline = from_date_counts({"1010-01-01": 1, "2020-05-05": 2, "2021-05-05": 1})
    assert len(range(1010, 2022)) > MAX_PERIODS
    assert [p.key for p in timeline.periods] == ["1010", "2020", "2021"]


@pytest.mark.parametrize("key", ["2012", "2024-02", "2023-02", "2023-12"])
def test_a_period_s_bounds_are_what_the_date_filter_makes_of_the_same_year_or_month(key: str) -> None:
    period = Period(key, 1)
    shown = key if len(key) == 4 else f"{key[5:7]}/{key[:4]}"
    assert (period.date_from, period.date_to) == (parse_bound(shown, upper=False), parse_bound(shown, upper=True))


def test_counts_come_from_a_date_column_over_a_mask() -> None:
    values = np.array(["", "2019-01-02", "2019-05-06", "2021-07-08", "not-a-date"])
    codes = np.array([0, 1, 1, 2, 3, 4, 0, 3])
    mask = np.array([True, True, False, True, True, True, False, False])
    timeline = count_periods(values, codes, mask)
    assert [(p.key, p.count) for p in timeline.periods] == [("2019", 2), ("2020", 0), ("2021", 1)]
    assert timeline.undated == 2  # the empty date and the value that is not a date


def test_bars_fill_the_chart_the_highest_at_full_height_and_one_document_still_shows() -> None:
    timeline = from_date_counts({"2010-01-01": 1000, "2011-01-01": 1, "2013-01-01": 500})
    bars = chart_bars(timeline)
    width, height = chart_size(timeline)
    assert [bar.period.key for bar in bars] == ["2010", "2011", "2012", "2013"]
    assert bars[0].height == height == CHART_HEIGHT and bars[0].y == 0
    assert bars[1].height == MIN_BAR_HEIGHT and bars[2].height == 0
    assert bars[3].height == pytest.approx(height / 2) and bars[3].y == pytest.approx(height / 2)
    assert all(bar.y + bar.height == pytest.approx(height) for bar in bars)
    assert bars[-1].x + bars[-1].width <= width and all(a.x + a.width < b.x for a, b in zip(bars, bars[1:], strict=False))
