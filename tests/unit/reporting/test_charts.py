"""The page's charts: a bar per figure, the figure written beside it, described for screen
readers, in the page's language."""

from __future__ import annotations

from services.reporting.office import charts
from tests.unit.reporting.samples import activity_report, eu_report


def test_an_eu_chart_has_a_bar_and_a_figure_per_chapter_in_the_language():
    (by_chapter, _) = charts.of("eu", eu_report("ka"), "ka")
    svg = str(by_chapter.svg)
    assert svg.count("<rect") == 2 and "20,0%" in svg and "40,0%" in svg
    assert 'role="img"' in svg and "ვაჭრობა: 20" in svg  # the description says it in words
    assert 'class="poor"' in svg and 'class="fair"' in svg


def test_the_activity_chart_counts_visits_by_country_with_cldr_names():
    (chart,) = charts.of("activity", activity_report("en"), "en")
    svg = str(chart.svg)
    assert "Germany" in svg and "Lithuania" in svg and svg.count("<rect") == 3


def test_labels_are_escaped():
    chart = charts.bars("<b>", [("<script>", 50.0)], "en")
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)
