"""Documents the office can send on, opened and checked, not just opened: A4, landscape
pages for wide tables, a running header and page X of Y, header rows that repeat, fitted
columns, typed cells, every word in the chosen language, and the JSON's figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from services.reporting.reports import docx_document, formats, layout, pdf_document
from services.reporting.reports.language import word
from tests.unit.reporting.samples import activity_report, commission_report, eu_report

LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _docx(report) -> Document:  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(docx_document.docx(report)))


def _xlsx(report):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(formats.xlsx(report)))


def _mm(section) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return round(section.page_width.mm), round(section.page_height.mm)


@pytest.mark.parametrize("build", [eu_report, activity_report])
def test_every_page_is_a4_and_wide_tables_get_landscape_pages(build):
    document = _docx(build())
    sizes = {_mm(s) for s in document.sections}
    assert sizes <= {(210, 297), (297, 210)}
    assert _mm(document.sections[0]) == (210, 297)
    if build is eu_report:  # the 11-column measure list, then back to portrait
        assert (297, 210) in sizes and _mm(document.sections[-1]) == (210, 297)


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_a_running_header_and_page_x_of_y_on_every_page(lang):
    document = _docx(eu_report(lang))
    section = document.sections[0]
    header = section.header.paragraphs[0].text
    assert ("Ministry" if lang == "en" else "სამინისტრო") in header
    assert section.header.paragraphs[1].text == document.core_properties.title
    footer = section.footer.paragraphs[0]
    assert 'w:instr="PAGE"' in footer._p.xml and 'w:instr="NUMPAGES"' in footer._p.xml
    assert ("Page" if lang == "en" else "გვერდი") in footer.text
    assert "{" not in section.header._element.xml + footer._p.xml  # every placeholder filled
    assert all(s.footer.is_linked_to_previous for s in document.sections[1:])


def test_the_offices_edited_template_lays_out_the_document(tmp_path):
    office = Document(str(docx_document.TEMPLATE))
    office.styles["Normal"].font.size = Pt(11)
    header = office.sections[0].header.paragraphs[0]
    for run in header.runs:
        run._r.getparent().remove(run._r)
    for piece in ("RESTRICTED · {ti", "tle}"):  # Word splits what the office types into runs
        header.add_run(piece)
    office.add_paragraph("the template's own body text")
    template = tmp_path / "office.docx"
    office.save(str(template))

    document = Document(io.BytesIO(docx_document.docx(eu_report(), template)))

    title = document.core_properties.title
    assert document.sections[0].header.paragraphs[0].text == f"RESTRICTED · {title}"
    assert document.styles["Normal"].font.size == Pt(11)
    assert "the template's own body text" not in [p.text for p in document.paragraphs]
    assert document.paragraphs[0].text == title


def test_a_template_without_the_documents_styles_is_refused(tmp_path):
    not_docx = tmp_path / "notes.docx"
    not_docx.write_text("not a document")
    with pytest.raises(ValueError, match="not a DOCX"):
        docx_document.check_template(not_docx)
    with pytest.raises(ValueError, match="not a DOCX"):
        docx_document.check_template(tmp_path / "missing.docx")
    docx_document.check_template(docx_document.TEMPLATE)


def test_table_headers_repeat_on_each_page_and_columns_have_widths():
    document = _docx(eu_report())
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.find(qn("w:tblHeader")) is not None
        widths = [cell.width for cell in table.rows[0].cells]
        assert (all(widths) and len(set(widths)) > 1) or len(widths) == 1
    measures = document.tables[-1]
    by_header = {c.text: c.width for c in measures.rows[0].cells}
    assert by_header["No."] < by_header["Title"] or by_header["No."] < by_header["Sources"]


def test_statuses_and_booleans_are_words_and_figures_are_the_jsons():
    report = eu_report()
    document = _docx(report)
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"in progress", "not started", "partially completed", "yes", "no"} <= cells
    assert not {"in_progress", "not_started", "True", "False"} & cells
    assert f"{report.overall.implemented_percent:.1f}" in cells


def test_document_properties_name_the_report_the_office_and_the_language():
    props = _docx(eu_report("ka")).core_properties
    assert props.title.startswith("ევროკავშირი") and props.language == "ka-GE"
    assert props.author == "საერთაშორისო ურთიერთობებისა და ოქმის სამსახური"
    assert props.created is not None and props.created.year >= 2026


@pytest.mark.parametrize("build", [eu_report, activity_report])
def test_a_georgian_document_has_no_english_heading_or_column_header(build):
    document = _docx(build("ka"))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    column_headers = [c.text for t in document.tables for c in t.rows[0].cells]
    assert headings and column_headers
    english = [t for t in headings + column_headers if LATIN_WORD.search(t)]
    assert english == []
    book = _xlsx(build("ka"))
    assert not [name for name in book.sheetnames if LATIN_WORD.search(name)]


def test_the_activity_document_names_countries_and_keeps_event_types_to_an_appendix():
    document = _docx(activity_report("ka"))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"გერმანია", "საფრანგეთი", "ლიეტუვა", "შემომავალი ვიზიტები"} <= cells
    texts = [p.text for p in document.paragraphs]
    assert texts.index("განმარტებები") < texts.index("მოვლენები ტიპების მიხედვით")


def test_a_spreadsheet_has_a_title_block_a_frozen_filtered_header_and_typed_cells():
    report = eu_report()
    book = _xlsx(report)
    sheet = book["Measures"]
    assert sheet["A1"].value.startswith("Implementation report") and sheet["A1"].font.b
    header = next(r for r in sheet.iter_rows() if r[0].value == "No.")
    row = header[0].row
    assert sheet.freeze_panes == f"A{row + 1}" and sheet.auto_filter.ref.startswith(f"A{row}:")
    assert all(c.font.b for c in header)
    deadline = sheet.cell(row + 1, 6)
    assert isinstance(deadline.value, datetime | date) and deadline.is_date
    progress = sheet.cell(row + 1, 9)
    assert progress.number_format == "0.0%"
    assert progress.value == report.measures[0].latest_percent / 100
    assert all(sheet.column_dimensions[c].width for c in "ABCDEFGHIJK")
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


def test_the_spreadsheet_figures_are_the_jsons():
    report = eu_report()
    summary = _xlsx(report)["Summary"]
    year = next(r for r in summary.iter_rows(values_only=True) if r[0] == "The year")
    assert year[1] == report.overall.measures
    assert year[2] == pytest.approx(report.overall.implemented_percent / 100)
    assert year[3] == pytest.approx(report.overall.average_progress_percent / 100)


def test_the_csv_is_the_main_table_headed_in_the_language_with_a_bom():
    body = formats.csv_table(activity_report("ka"))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["რა", "მაჩვენებელი", "მნიშვნელობა", "რაოდენობა"]
    assert ["incoming_visits", "total", "", "2"] in rows


def test_the_commission_document_states_the_session_its_date_place_partner_and_chairs():
    texts = [p.text for p in _docx(commission_report("ka")).paragraphs]
    assert texts[0] == "სესია 2: სესია 1-ის გადაწყვეტილებების შესრულება"
    assert "ჩატარდა: 10 მაი. 2026" in texts and "ადგილი: Tbilisi" in texts
    assert "პარტნიორი ქვეყანა: ლიეტუვა" in texts
    assert "თანათავმჯდომარე საქართველოს მხრიდან: Minister of Economy" in texts
    assert "თანათავმჯდომარე პარტნიორის მხრიდან: Minister of Economy of Lithuania" in texts


def test_the_activity_document_has_the_period_month_by_month_in_the_language():
    document = _docx(activity_report("ka"))
    (months,) = [t for t in document.tables if t.rows[0].cells[0].text == "თვე"]
    assert [r.cells[0].text for r in months.rows[1:3]] == ["იანვარი 2026", "თებერვალი 2026"]
    assert [c.text for c in months.rows[2].cells[1:4]] == ["2", "0", "1"]


def _pdf(report):  # type: ignore[no-untyped-def]
    return PdfReader(io.BytesIO(pdf_document.pdf(report)))


@pytest.mark.parametrize("build", [eu_report, activity_report, commission_report])
def test_the_pdf_is_the_same_document_on_a4_with_page_x_of_y(build):
    document = _pdf(build("ka"))
    pages = len(document.pages)
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in document.pages}  # fmt: skip
    assert sizes <= {(595, 842), (842, 595)} and (595, 842) in sizes
    text = [p.extract_text() for p in document.pages]
    assert all(f"გვერდი {n} / {pages}" in page for n, page in enumerate(text, start=1))
    assert "საერთაშორისო ურთიერთობებისა და ოქმის სამსახური" in text[0]
    meta = document.metadata
    assert meta.author == "საერთაშორისო ურთიერთობებისა და ოქმის სამსახური"
    assert meta.title and not LATIN_WORD.search(meta.title)


def test_the_pdf_writes_georgian_words_and_the_jsons_figures():
    report = eu_report("ka")
    text = "\n".join(p.extract_text() for p in _pdf(report).pages)
    assert "ევროკავშირი" in text and "მიმდინარე" in text and "ვადაგადაცილებული" in text
    assert f"{report.overall.implemented_percent:.1f}".replace(".", ",") in text
    assert "in_progress" not in text and "Measures" not in text


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_the_eu_summary_with_twenty_chapters_has_the_first_page_and_the_details_follow(lang):
    report = eu_report(lang, chapters=20)
    first, second = (page.extract_text() for page in _pdf(report).pages[:2])

    chapters = [c.name for c in report.by_chapter]
    assert len(chapters) == 20 and all(name in first for name in chapters)
    assert all(word(key, lang) in first for key in ("sheet.by_status", "sheet.chapters"))
    assert word("sheet.units", lang) not in first
    assert word("sheet.units", lang) in second


def test_the_eu_summary_ends_with_a_page_break_in_the_docx():
    document = _docx(eu_report(chapters=20))
    body = list(document.element.body)
    chapters_table = body.index(document.tables[2]._tbl)
    assert 'w:type="page"' in body[chapters_table + 1].xml


@pytest.mark.parametrize("unit", ["a\x0bb", "\ufffe", "\x00\x1f"])
def test_control_characters_in_the_asked_unit_are_left_out_not_a_500(unit):
    report = eu_report().model_copy(update={"unit": unit})
    document = _docx(report)
    assert any(p.text.startswith("Unit: ") for p in document.paragraphs)
    assert _xlsx(report)["Summary"]["A4"].value.startswith("Report date")
    assert _pdf(report).pages


def test_the_service_does_not_start_with_a_template_it_cannot_use(tmp_path):
    from services.reporting.app import create_app
    from shared.settings import ServiceSettings

    settings = ServiceSettings(
        service="reporting", var_dir=str(tmp_path), report_template=str(tmp_path / "gone.docx")
    )
    with pytest.raises(ValueError, match=r"gone\.docx"):
        create_app(settings)


def test_columns_too_many_for_the_page_narrow_the_widest_not_the_short_ones():
    widths = layout.fitted([20.0, 30.0, 100.0, 150.0], [20.0, 30.0, 100.0, 200.0], width=250.0)
    assert widths == [20.0, 30.0, 100.0, 100.0]
    assert layout.fitted([50.0, 50.0], [80.0, 50.0], width=130.0) == [80.0, 50.0]
    assert sum(layout.fitted([10.0, 300.0, 300.0], [10.0] * 3, width=410.0)) == 410.0
