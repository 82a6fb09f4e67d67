"""Bulk import of measures and recommendations from the office's spreadsheets (CSV, XLSX).

Every row is validated; nothing is imported unless every row is valid. Rows are
matched to obligations by their ``ref`` (within the action plan, when there is one),
so importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from services.agreements.domain.obligation import UN_KINDS, Obligation
from shared.errors import RuleViolation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "ref", "title_ka", "title_en", "source_kind", "source_reference", "area", "lead_unit",
    "supporting_units", "deadline", "indicator", "target", "support_level",
)  # fmt: skip
# Further sources, as many as a row cites: source2_kind/source2_reference, source3_...
MORE_SOURCES = re.compile(r"^source([2-9]|1[0-9]|20)_(kind|reference)$")
MAX_ROWS = 20_000


@dataclass
class RowError:
    row: int
    field: str
    message: str


def read_table(content: bytes, content_type: str) -> list[dict[str, Any]]:
    """The sheet's rows as dicts keyed by the header's (normalised) column names."""
    if content_type.startswith(XLSX):
        grid = _xlsx(content)
    elif content_type.split(";")[0].strip() in ("text/csv", "application/csv"):
        try:
            text = content.decode("utf-8-sig")
            grid = [list(r) for r in csv.reader(io.StringIO(text))]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise RuleViolation("the CSV file is not valid UTF-8 text in CSV form") from exc
    else:
        raise RuleViolation(f"send text/csv or {XLSX}")
    if not grid:
        raise RuleViolation("the file is empty")
    header = [str(h or "").strip().lower().replace(" ", "_") for h in grid[0]]
    unknown = [h for h in header if h and h not in COLUMNS and not MORE_SOURCES.match(h)]
    if unknown:
        raise RuleViolation(f"unknown columns: {', '.join(unknown)}", expected=list(COLUMNS))
    rows = [
        {h: _cell(v) for h, v in zip(header, r, strict=False) if h}
        for r in grid[1:]
        if any(_cell(v) not in (None, "") for v in r)
    ]
    if len(rows) > MAX_ROWS:
        raise RuleViolation(f"at most {MAX_ROWS} rows per file")
    return rows


def _xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise RuleViolation("the file is not a readable XLSX workbook") from exc
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def _split(value: Any) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(value or "").split(";") if p.strip())


def to_obligations(
    rows: list[dict[str, Any]], action_plan_id: str | None, default_kind: str | None
) -> tuple[list[tuple[int, Obligation]], list[RowError]]:
    """Each row as an obligation, or the reasons it is not one (rows count from 2)."""
    valid: list[tuple[int, Obligation]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        ref = str(row.get("ref") or "")
        if ref in seen:
            errors.append(RowError(number, "ref", f"'{ref}' is already on row {seen[ref]}"))
            continue
        seen[ref] = number
        try:
            obligation = Obligation(**_fields(row, action_plan_id, default_kind))
            obligation.check()
        except ValidationError as exc:
            errors += [
                RowError(number, ".".join(str(p) for p in e["loc"]) or "row", e["msg"])
                for e in exc.errors()
            ]
            continue
        except RuleViolation as exc:
            errors.append(RowError(number, "row", exc.detail))
            continue
        valid.append((number, obligation))
    return valid, errors


def _fields(row: dict[str, Any], action_plan_id: str | None, kind: str | None) -> dict[str, Any]:
    sources = []
    numbered = sorted({int(m.group(1)) for h in row if (m := MORE_SOURCES.match(h))})
    for prefix in ("source", *(f"source{n}" for n in numbered)):
        reference = row.get(f"{prefix}_reference")
        source_kind = row.get(f"{prefix}_kind") or (kind if prefix == "source" else None)
        if reference or row.get(f"{prefix}_kind"):
            sources.append({"kind": source_kind, "reference": reference})
    level = row.get("support_level") or None
    recommendations = [s for s in sources if s["kind"] in UN_KINDS]
    for source in recommendations:  # Georgia's answer belongs to the recommendation
        source["support_level"] = level
    deadline = row.get("deadline")
    if isinstance(deadline, str) and deadline:
        deadline = _date(deadline)
    return {
        "external_ref": row.get("ref") or None,
        "title": {"ka": row.get("title_ka") or "", "en": row.get("title_en") or ""},
        "sources": sources,
        "area": row.get("area") or None,
        "lead_unit": row.get("lead_unit"),
        "supporting_units": _split(row.get("supporting_units")),
        "deadline": deadline or None,
        "indicator": row.get("indicator") or None,
        "target": row.get("target") or None,
        "support_level": None if recommendations else level,
        "action_plan_id": action_plan_id,
    }


def _date(text: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text  # left for validation to name the field
