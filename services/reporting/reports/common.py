"""What every report shares: the language, the definitions, the figures and how measures
are counted into them, the document heading, and the unit and language filters."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.language import Lang, code, day, moment, word
from services.reporting.reports.units import UnitScope
from shared.db import as_dicts
from shared.deadlines import OBLIGATION_DONE, overdue_column

DEFINITIONS = {
    "implemented_percent": "completed ÷ (all − cancelled) × 100, one decimal",
    "average_progress_percent": (
        "mean of each measure's latest approved percent (0 when none), cancelled excluded"
    ),
    "overdue": "deadline before the report's date and status neither completed nor cancelled",
}
COMPLETED, CANCELLED = OBLIGATION_DONE


class About:
    """What the fields every report has mean (their descriptions in the OpenAPI document)."""

    LANGUAGE = "ka (Georgian) or en (English): the language of titles, statuses and headings"
    REPORT_DATE = "the day the report is as of: deadlines are judged against it"
    UNIT = "the unit the report is limited to (as lead or supporting unit); null for all"
    DEFINITIONS = "what each figure means, in the report's language"
    AS_OF = "the past moment the report was rebuilt as of; null when it is live"
    INCLUDES = "per event stream, the time of the newest event the report includes: how fresh it is"
    STATUS = "the status, in the report's language"
    TITLE = "the report's title, in its language"


class Figures(BaseModel):
    """How far a set of measures is implemented."""

    measures: int = Field(description="how many measures are counted")
    by_status: dict[str, int] = Field(
        description="measures per status (not_started, in_progress, completed, not_completed, "
        "cancelled)"
    )
    implemented_percent: float = Field(
        description="completed ÷ (all − cancelled) × 100, one decimal"
    )
    average_progress_percent: float = Field(
        description="the mean of each measure's latest approved percent (0 when none), cancelled "
        "excluded"
    )


class Group(Figures):
    """The figures of one group (a chapter or a unit)."""

    name: str = Field(description="the chapter's or the unit's name")
    overdue: int = Field(
        0, description="its measures past their deadline, neither completed nor cancelled"
    )


def heading_lines(
    on: date, unit: str | None, includes: dict[str, datetime], lang: Lang
) -> list[str]:
    """Report date, scope and how current the report is: the first lines of every document,
    in the report's language."""
    lines = [f"{word('report_date', lang)}: {day(on, lang)}"]
    if unit:
        lines.append(f"{word('unit_scope', lang)}: {unit}")
    current = ", ".join(f"{code(k, lang)} {moment(v)}" for k, v in includes.items())
    lines.append(f"{word('includes_events_until', lang)}: {current or word('nothing_yet', lang)}")
    return lines


class MeasureCounter:
    """Measures counted by status, with their latest approved percents: the figures' makings.
    A row is a measure (``status``, ``latest_percent``) or a count of measures of one status
    (``status``, ``n``, ``percent_sum``)."""

    def __init__(self) -> None:
        self.by_status: dict[str, int] = defaultdict(int)
        self.counted = self.done = self.percent = 0

    def add(self, r: dict[str, Any]) -> None:
        n = r.get("n", 1)
        self.by_status[r["status"]] += n
        if r["status"] == CANCELLED:
            return
        self.counted += n
        self.done += n if r["status"] == COMPLETED else 0
        self.percent += r["percent_sum"] if "n" in r else (r["latest_percent"] or 0)

    def figures(self) -> Figures:
        counted = self.counted
        return Figures(
            measures=sum(self.by_status.values()),
            by_status=dict(sorted(self.by_status.items())),
            implemented_percent=round(self.done / counted * 100, 1) if counted else 0.0,
            average_progress_percent=round(self.percent / counted, 1) if counted else 0.0,
        )


def figures(rows: Iterable[dict[str, Any]]) -> Figures:
    tally = MeasureCounter()
    for r in rows:
        tally.add(r)
    return tally.figures()


def groups(
    tallies: dict[str, MeasureCounter], overdue: dict[str, int] | None = None
) -> list[Group]:
    """In the order a reader looks for them: by name, "Chapter 3" before "Chapter 10"; with
    each group's overdue count when given."""
    ordered = sorted(tallies.items(), key=lambda item: natural(item[0]))
    late = overdue or {}
    return [
        Group(name=name, overdue=late.get(name, 0), **t.figures().model_dump())
        for name, t in ordered
    ]


def natural(name: str) -> list[Any]:
    """A sort key that reads the numbers in a name as numbers."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in _DIGITS.split(name)]


_DIGITS = re.compile(r"(\d+)")


def overdue_on(on: date) -> Any:
    """An obligation's *overdue* flag (``shared.deadlines``) on ``on``, for a query to select."""
    t = tables.obligations
    return overdue_column(t.c.deadline, t.c.status, OBLIGATION_DONE, on)


def in_language(column: Any, lang: Lang) -> Any:
    """The column's text in ``lang`` (else in the other language), read out by the database
    rather than decoding every JSON value."""
    other = "en" if lang == "ka" else "ka"
    return func.coalesce(
        func.nullif(column[lang].as_string(), ""), func.nullif(column[other].as_string(), "")
    )


def concerns_unit(row: Mapping[str, Any], unit: UnitScope) -> bool:
    """The obligation's lead or one of its supporting units is in ``unit``."""
    if unit.matches(row.get("lead_unit_id"), row["lead_unit"]):
        return True
    names = row["supporting_units"] or []
    ids = row.get("supporting_unit_ids") or []
    pairs = zip(ids, names, strict=False) if len(ids) == len(names) else ((None, n) for n in names)
    return any(unit.matches(i, n) for i, n in pairs)


def for_unit(query: Select[Any], table: Table, unit: UnitScope | None) -> Select[Any]:
    """Only the rows of ``unit`` (all of them without one)."""
    return query if unit is None else query.where(unit.where(table.c.unit_id, table.c.unit))


async def tallied(
    session: AsyncSession, which: ColumnElement[bool], unit: UnitScope | None
) -> list[dict[str, Any]]:
    """The obligations ``which`` selects, as ``MeasureCounter`` counts them: counts and
    percent sums by status, made by the database (for a unit, each obligation's status and
    percent, the unit matched here). For figures alone, without the items."""
    t = tables.obligations
    if unit:
        lean = select(
            t.c.status, t.c.latest_percent, t.c.lead_unit, t.c.lead_unit_id,
            t.c.supporting_units, t.c.supporting_unit_ids,
        )  # fmt: skip
        rows = as_dicts(await session.execute(lean.where(which)))
        return [r for r in rows if concerns_unit(r, unit)]
    percent = func.sum(func.coalesce(t.c.latest_percent, 0)).label("percent_sum")
    counts = select(t.c.status, func.count().label("n"), percent).where(which)
    return as_dicts(await session.execute(counts.group_by(t.c.status)))
