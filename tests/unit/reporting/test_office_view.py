"""What the office page shows of a report: headings, charts and tables in the language, a
long table cut to its first rows with a word that the documents hold them all."""

from __future__ import annotations

from services.reporting.office import pages
from tests.unit.reporting.samples import eu_report, measures


def test_a_long_table_is_cut_on_the_page_and_says_so():
    report = eu_report("en").model_copy(update={"measures": measures("en", n=450)})
    view = pages.report_view("eu", report, "en")
    listed = next(s for s in view["sheets"] if s["title"] == "Measures")
    assert (len(listed["rows"]), listed["total"]) == (pages.PAGE_ROWS, 450)
    html = pages.render_view(view, "en")
    assert "The first 300 of 450 rows" in html and html.count("<svg") == 2


def test_the_page_shows_the_report_in_georgian():
    html = pages.render_view(pages.report_view("eu", eu_report("ka"), "ka"), "ka")
    assert 'lang="ka"' in html and "შეჯამება" in html and "მიმდინარე" in html
    assert "in_progress" not in html and "Summary" not in html
