"""A report in the formats the office works in: JSON, CSV, XLSX, DOCX and PDF.

Every report offers the same tabular view (``tabular.Sheet``); the formats put it in the
report's language: CSV is its main table, XLSX a sheet each with a title block, DOCX a
document to send on in the office's template (``docx_document``), PDF the same document
(``pdf_document``). Georgian text is written as it is (never upper-cased).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from services.reporting.reports.common import Lang
from services.reporting.reports.docx_document import docx
from services.reporting.reports.language import DOCUMENT_LOCALE, cell_text, word
from services.reporting.reports.pdf_document import pdf
from services.reporting.reports.tabular import Sheet, Tabular, clean, headers, in_order
from shared.errors import RuleViolation

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


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


def cell(value: Any) -> Any:
    """A value for a machine-readable table: lists joined, nothing as empty, ISO dates."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value if isinstance(value, int | float | str) else str(value)


def render(report: BaseModel, fmt: str, filename: str, template: Path | None = None) -> Response:
    """The report in ``fmt``; a DOCX laid out in ``template`` (the office's own) if given."""
    if fmt == "json":  # serialised by pydantic in one pass, not dumped to dicts first
        return Response(report.model_dump_json(), media_type=MEDIA["json"])
    tabular: Tabular = report  # type: ignore[assignment]
    body = (
        docx(tabular, template)
        if fmt == "docx"
        else {"csv": csv_table, "xlsx": xlsx, "pdf": pdf}[fmt](tabular)
    )
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def csv_table(report: Tabular) -> bytes:
    """The main table, headed in the report's language, values as the JSON has them (ISO
    dates, plain numbers) so that a spreadsheet or a program reads them alike."""
    items = next(s for s in report.sheets() if s.is_items)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(items, report.language))
    writer.writerows([[cell(v) for v in row] for row in items.rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


# --- XLSX ---


def _sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "Sheet"
    while title in taken:
        title = f"{title[:28]}~{len(taken)}"
    taken.add(title)
    return title


def _xlsx_value(value: Any, kind: str, lang: Lang) -> Any:
    """Dates stay dates, numbers numbers (percent as a fraction, shown as %), words words."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return cell_text(value, kind, lang)
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return float(value) / 100
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return cell_text(value, kind, lang)


_NUMBER_FORMATS = {"percent": "0.0%", "date": "DD.MM.YYYY", "count": "#,##0"}


def xlsx(report: Tabular) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    lang = report.language
    title, lines = report.heading()
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = word("office", lang)
    book.properties.language = DOCUMENT_LOCALE[lang]
    taken: set[str] = set()
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for sheet in in_order(report.sheets()):
        ws = book.create_sheet(_sheet_title(clean(sheet.title(lang)), taken))
        ws.append([clean(title)])
        ws["A1"].font = Font(bold=True, size=13)
        for line in [sheet.title(lang), *lines]:
            ws.append([clean(line)])
        ws.append([])
        ws.append(headers(sheet, lang))
        header_row = ws.max_row
        kinds = sheet.kinds()
        for row in sheet.rows:
            ws.append([clean(_xlsx_value(v, k, lang)) for v, k in zip(row, kinds, strict=False)])
        for column, kind in enumerate(kinds, start=1):
            head = ws.cell(header_row, column)
            head.font, head.fill = bold, shaded
            head.alignment = Alignment(wrap_text=True, vertical="top")
            for (data,) in ws.iter_rows(
                min_row=header_row + 1, min_col=column, max_col=column, max_row=ws.max_row
            ):
                data.alignment = Alignment(wrap_text=True, vertical="top")
                if kind in _NUMBER_FORMATS:
                    data.number_format = _NUMBER_FORMATS[kind]
        widths = _widths(sheet, lang)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.row_dimensions[header_row].height = 15 * _wrapped_lines(headers(sheet, lang), widths)
        last = get_column_letter(max(len(sheet.header), 1))
        ws.freeze_panes = ws.cell(header_row + 1, 1)
        ws.auto_filter.ref = f"A{header_row}:{last}{max(ws.max_row, header_row)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if sheet.wide else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wrapped_lines(texts: list[str], widths: list[float]) -> int:
    """How many lines the longest header takes in its column's width."""
    lines = [-(-len(t) // max(int(w) - 1, 1)) for t, w in zip(texts, widths, strict=True)]
    return max([1, *lines])


def _widths(sheet: Sheet, lang: Lang, cap: int = 30) -> list[float]:
    """Each column's share: its longest value up to ``cap`` characters (longer text wraps),
    never narrower than its longest word, so that no word is broken."""
    kinds = sheet.kinds()
    widths = []
    for index, head in enumerate(headers(sheet, lang)):
        texts = [
            cell_text(row[index], kinds[index], lang) for row in sheet.rows if index < len(row)
        ]
        longest_word = max((len(w) for t in [head, *texts] for w in t.split()), default=4)
        longest_text = max((len(t) for t in texts), default=0)
        widths.append(float(max(longest_word + 1, min(longest_text, cap), 4) + 1))
    return widths
