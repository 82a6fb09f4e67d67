"""A report in the formats the office works in: JSON, CSV, XLSX and DOCX.

Georgian text is written as it is (never upper-cased: Mtavruli capitals lack glyphs).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from services.reporting.eu_report import EuReport
from shared.errors import RuleViolation

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MEASURE_COLUMNS = (
    "ref", "title", "area", "lead_unit", "sources", "deadline", "status", "overdue",
    "latest_percent", "latest_period", "latest_narrative",
)  # fmt: skip
GROUP_COLUMNS = ("name", "measures", "implemented_percent", "average_progress_percent")


def chosen_format(request: Request, fmt: str | None) -> str:
    """``format=`` wins; otherwise the ``Accept`` header; JSON by default."""
    if fmt:
        if fmt not in MEDIA:
            raise RuleViolation(f"format is one of {', '.join(MEDIA)}")
        return fmt
    accept = request.headers.get("accept", "")
    for name, media in MEDIA.items():
        if media.split(";")[0] in accept:
            return name
    return "json"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value if isinstance(value, int | float | str) else str(value)


def _measure_rows(report: EuReport) -> list[list[Any]]:
    return [[_cell(getattr(m, c)) for c in MEASURE_COLUMNS] for m in report.measures]


def render(report: EuReport, fmt: str, filename: str) -> Response:
    if fmt == "json":
        return JSONResponse(report.model_dump(mode="json"))
    body = {"csv": _csv, "xlsx": _xlsx, "docx": _docx}[fmt](report)
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def _csv(report: EuReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEASURE_COLUMNS)
    writer.writerows(_measure_rows(report))
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def _figures_rows(report: EuReport) -> list[list[Any]]:
    rows = [["", "measures", "implemented_percent", "average_progress_percent"]]
    for name, f in (("year", report.overall), ("cumulative", report.cumulative)):
        rows.append([name, f.measures, f.implemented_percent, f.average_progress_percent])
    return rows


def _xlsx(report: EuReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append([report.title])
    summary.append(["year", report.year, "report date", str(report.report_date)])
    for row in _figures_rows(report):
        summary.append(row)
    for name, groups in (("Chapters", report.by_chapter), ("Units", report.by_unit)):
        sheet = book.create_sheet(name)
        sheet.append(list(GROUP_COLUMNS))
        for g in groups:
            sheet.append([_cell(getattr(g, c)) for c in GROUP_COLUMNS])
    sheet = book.create_sheet("Measures")
    sheet.append(list(MEASURE_COLUMNS))
    for row in _measure_rows(report):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(report: EuReport) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(
        f"Implementation report {report.year} · report date {report.report_date}"
        + (f" · unit: {report.unit}" if report.unit else "")
    )
    doc.add_paragraph(
        "Generated from the event streams; includes events until "
        + ", ".join(f"{k} {v:%Y-%m-%d %H:%M} UTC" for k, v in report.includes_events_until.items())
    )
    _table(doc, _figures_rows(report))
    doc.add_heading("Implementation by chapter", level=1)
    _table(
        doc,
        [list(GROUP_COLUMNS)]
        + [[_cell(getattr(g, c)) for c in GROUP_COLUMNS] for g in report.by_chapter],
    )
    for chapter in report.by_chapter:
        doc.add_heading(chapter.name, level=2)
        rows = [m for m in report.measures if (m.area or "—") == chapter.name]
        _table(
            doc,
            [["ref", "measure", "unit", "status", "%"]]
            + [
                [m.ref or "", m.title, m.lead_unit, m.status, _cell(m.latest_percent)] for m in rows
            ],
        )
    doc.add_heading("Overdue measures", level=1)
    if report.overdue:
        _table(
            doc,
            [["ref", "measure", "unit", "deadline"]]
            + [[m.ref or "", m.title, m.lead_unit, str(m.deadline)] for m in report.overdue],
        )
    else:
        doc.add_paragraph("None.")
    doc.add_heading("Definitions", level=1)
    for term, meaning in report.definitions.items():
        doc.add_paragraph(f"{term}: {meaning}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: Any, rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(_cell(value))
