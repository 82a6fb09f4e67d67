"""A report in the formats the office works in: JSON, CSV, XLSX and DOCX.

Every report offers the same tabular view (``Sheet``s); CSV is its item list, XLSX a
sheet each, DOCX a document to send on: title, period, generation, a table each,
definitions. Georgian text is written as it is (never upper-cased).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from shared.clock import now
from shared.errors import RuleViolation

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    is_items: bool = False  # the report's item list: what CSV exports


class Tabular(Protocol):
    def heading(self) -> tuple[str, list[str]]: ...
    def sheets(self) -> list[Sheet]: ...
    def definitions_text(self) -> dict[str, str]: ...


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
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value if isinstance(value, int | float | str) else str(value)


def render(report: BaseModel, fmt: str, filename: str) -> Response:
    if fmt == "json":  # serialised by pydantic in one pass, not dumped to dicts first
        return Response(report.model_dump_json(), media_type=MEDIA["json"])
    body = {"csv": _csv, "xlsx": _xlsx, "docx": _docx}[fmt](report)  # type: ignore[arg-type]
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def _csv(report: Tabular) -> bytes:
    items = next(s for s in report.sheets() if s.is_items)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(items.header)
    writer.writerows([[cell(v) for v in row] for row in items.rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def _sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"
    while title in taken:
        title = f"{title[:28]}~{len(taken)}"
    taken.add(title)
    return title


def _xlsx(report: Tabular) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in report.sheets():
        ws = book.create_sheet(_sheet_title(sheet.name, taken))
        ws.append(list(sheet.header))
        for row in sheet.rows:
            ws.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The document's own words in Georgian, for reports asked for in ``ka``.
_KA = {"Generated": "შედგენილია", "None.": "არ არის.", "Definitions": "განმარტებები"}


def _docx(report: Tabular) -> bytes:
    from docx import Document

    def word(text: str) -> str:
        return _KA[text] if getattr(report, "language", "en") == "ka" else text

    doc = Document()
    title, lines = report.heading()
    doc.add_heading(title, level=0)
    for line in lines:
        doc.add_paragraph(line)
    doc.add_paragraph(f"{word('Generated')}: {now():%Y-%m-%d %H:%M} UTC")
    for sheet in report.sheets():
        doc.add_heading(sheet.name, level=1)
        if not sheet.rows:
            doc.add_paragraph(word("None."))
            continue
        table = doc.add_table(rows=len(sheet.rows) + 1, cols=len(sheet.header))
        table.style = "Table Grid"
        for j, name in enumerate(sheet.header):
            table.cell(0, j).text = str(name)
        for i, row in enumerate(sheet.rows, start=1):
            for j, value in enumerate(row):
                table.cell(i, j).text = str(cell(value))
    doc.add_heading(word("Definitions"), level=1)
    for term, meaning in report.definitions_text().items():
        doc.add_paragraph(f"{term}: {meaning}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
