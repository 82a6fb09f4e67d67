"""The report arithmetic, as the definitions state it: % implemented is completed divided
by (all but cancelled), times 100; average progress is the mean latest approved percent
(0 when none), cancelled excluded; both to one decimal."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.reporting.reports import activity
from services.reporting.reports.common import (
    DEFINITIONS,
    MeasureCounter,
    concerns_unit,
    figures,
    groups,
    heading_lines,
)
from services.reporting.reports.language import text_in
from services.reporting.reports.units import UnitScope


def _measure(status: str, percent: int | None = None) -> dict[str, object]:
    return {"status": status, "latest_percent": percent}


def test_an_empty_plan_has_zero_figures_not_a_division_error():
    empty = figures([])
    assert (empty.measures, empty.implemented_percent, empty.average_progress_percent) == (0, 0, 0)


def test_cancelled_measures_count_in_the_total_but_not_in_the_percentages():
    result = figures([_measure("completed", 100), _measure("in_progress", 50),
                      _measure("cancelled", 90), _measure("not_started")])  # fmt: skip
    assert result.measures == 4
    assert result.by_status == {"cancelled": 1, "completed": 1, "in_progress": 1, "not_started": 1}
    assert result.implemented_percent == round(1 / 3 * 100, 1) == 33.3
    assert result.average_progress_percent == 50.0  # (100 + 50 + 0) / 3


def test_only_completed_counts_as_implemented():
    result = figures([_measure("partially_completed", 80), _measure("not_completed", 10)])
    assert result.implemented_percent == 0.0 and result.average_progress_percent == 45.0


def test_a_count_row_adds_up_like_that_many_measures():
    one_by_one, counted = MeasureCounter(), MeasureCounter()
    for percent in (20, 40, 60):
        one_by_one.add(_measure("in_progress", percent))
    counted.add({"status": "in_progress", "n": 3, "percent_sum": 120})
    assert one_by_one.figures() == counted.figures()


@pytest.mark.parametrize(
    ("done", "total", "expected"), [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (5, 5, 100.0)]
)
def test_percentages_are_rounded_to_one_decimal(done, total, expected):
    rows = [_measure("completed")] * done + [_measure("in_progress")] * (total - done)
    assert figures(rows).implemented_percent == expected


def test_groups_are_named_and_sorted():
    chapters = {"Trade": MeasureCounter(), "Energy": MeasureCounter()}
    chapters["Trade"].add(_measure("completed"))
    named = groups(chapters)
    assert [g.name for g in named] == ["Energy", "Trade"]
    assert named[1].implemented_percent == 100.0 and named[0].measures == 0


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [({"ka": "ტექსტი", "en": "Text"}, "ka", "ტექსტი"), ({"ka": "", "en": "Text"}, "ka", "Text"),
     ({"ka": "ტექსტი"}, "en", "ტექსტი"), (None, "en", ""), ({}, "ka", "")],
)  # fmt: skip
def test_text_is_shown_in_the_chosen_language_else_in_the_other(value, lang, expected):
    assert text_in(value, lang) == expected


LEGAL = UnitScope(frozenset({"u-legal", "u-old-legal"}), frozenset({"Legal", "Law"}), "Legal")


@pytest.mark.parametrize(
    ("row", "concerned"),
    [({"lead_unit": "Legal", "supporting_units": []}, True),
     ({"lead_unit": "Law", "supporting_units": []}, True),
     ({"lead_unit": "HR", "supporting_units": ["Legal"]}, True),
     ({"lead_unit": "HR", "supporting_units": ["Protocol"]}, False),
     ({"lead_unit": "X", "lead_unit_id": "u-old-legal", "supporting_units": []}, True),
     ({"lead_unit": "Legal", "lead_unit_id": "u-hr", "supporting_units": []}, False),
     ({"lead_unit": "HR", "lead_unit_id": "u-hr", "supporting_units": ["Y"],
       "supporting_unit_ids": ["u-legal"]}, True)],
)  # fmt: skip
def test_a_unit_is_concerned_as_lead_or_supporting_unit_by_id_else_by_a_name_it_had(row, concerned):
    assert concerns_unit(row, LEGAL) is concerned


def test_the_heading_states_the_date_scope_and_how_current_it_is_in_the_language():
    includes = {"agreements": datetime(2026, 6, 30, 9, 5, tzinfo=UTC)}
    assert heading_lines(date(2026, 6, 30), "Legal", includes, "en") == [
        "Report date: 30 Jun 2026",
        "Unit: Legal",
        "Data as of: agreements 2026-06-30 09:05 UTC",
    ]
    georgian = heading_lines(date(2026, 6, 30), None, {}, "ka")
    assert georgian == ["ანგარიშის თარიღი: 30 ივნ. 2026", "მონაცემები მდგომარეობით: არცერთი"]


def test_the_overdue_definition_matches_the_rule():
    assert "neither completed nor cancelled" in DEFINITIONS["overdue"]


def test_a_period_has_every_month_it_touches_across_the_years_end():
    assert activity.months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        "2025-11", "2025-12", "2026-01", "2026-02"
    ]  # fmt: skip
    assert activity.months_between(date(2026, 3, 5), date(2026, 3, 6)) == ["2026-03"]
