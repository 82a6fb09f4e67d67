"""The page's charts: a bar per figure, the figure written beside it, described for screen
readers, in the page's language."""

from __future__ import annotations

from services.reporting.office import charts
from tests.unit.reporting.samples import (
    activity_report,
    commission_report,
    country_dossier,
    eu_report,
)


def test_an_eu_chart_has_a_bar_and_a_figure_per_chapter_in_the_language():
    (by_chapter, _) = charts.of("eu", eu_report("ka"), "ka")
    svg = str(by_chapter.svg)
    assert svg.count("<rect") == 2 and "20,0%" in svg and "40,0%" in svg
    assert 'role="img"' in svg and "ვაჭრობა: 20" in svg  # the description says it in words
    assert 'class="poor"' in svg and 'class="fair"' in svg


def test_the_activity_chart_counts_visits_by_country_with_cldr_names():
    (_, chart) = charts.of("activity", activity_report("en"), "en")
    svg = str(chart.svg)
    assert "Germany" in svg and "Lithuania" in svg and svg.count("<rect") == 3


def test_activity_by_month_stacks_each_months_kinds_with_a_legend_in_the_language():
    (chart, _) = charts.of("activity", activity_report("ka"), "ka")
    svg = str(chart.svg)
    assert chart.title == "საქმიანობა თვეების მიხედვით"
    assert "იანვარი 2026" in svg and "ივნისი 2026" in svg  # CLDR's month names
    assert "შეხვედრები" in svg  # the legend names each kind
    # February: two incoming visits and one meeting
    assert "თებერვალი 2026: შემომავალი ვიზიტები 2, გამავალი ვიზიტები 0, შეხვედრები 1" in svg
    legend, segments = 5, 2 + 2 + 1 + 1 + 2 + 0  # the non-zero figures of January to June
    assert svg.count("<rect") == legend + segments


def test_a_month_without_activity_has_no_bar_but_keeps_its_row():
    chart = charts.stacked("t", [("Jan", [0, 0]), ("Feb", [3, 1])], ["a", "b"], "en")
    svg = str(chart.svg)
    assert svg.count("<rect") == 2 + 2 and ">Jan<" in svg and ">4<" in svg


def test_labels_are_escaped():
    chart = charts.bars("<b>", [("<script>", 50.0)], "en")
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)


def test_a_commission_shows_its_decisions_by_status_and_each_units_implementation():
    by_status, by_unit = charts.of("commission", commission_report("en"), "en")
    assert "completed: 1; in progress: 2" in str(by_status.svg)
    # Customs: one of two completed; Legal: none of one
    assert "Customs: 50%; Legal: 0%" in str(by_unit.svg)


def test_a_dossier_shows_the_countrys_record_year_by_year():
    (chart,) = charts.of("dossier", country_dossier("ka"), "ka")
    svg = str(chart.svg)
    assert chart.title == "წლების მიხედვით"
    assert "2025: ვიზიტები 1, შეხვედრები, ღონისძიებები, მივლინებები 0, შეთანხმებები 1" in svg
    assert "2026: ვიზიტები 2, შეხვედრები, ღონისძიებები, მივლინებები 1" in svg
    assert "2027: ვიზიტები 0" in svg and "ვალდებულებები 1" in svg
