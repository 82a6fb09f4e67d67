"""The year month by month: the EU action plan's and the UN obligations' implementation as
they stood at the end of each month, each point rebuilt from the kept event history (the
projection snapshots make each rebuild start near its moment). No comparable system shows
how the year went; they show where it ended."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.history import replay
from services.reporting.projections.common import upsert_rows
from services.reporting.reports import eu, un
from services.reporting.reports.common import DEFINITIONS, About, Figures, Lang, heading_lines
from services.reporting.reports.language import word
from services.reporting.reports.tabular import Sheet
from services.reporting.reports.units import unit_scope
from shared.clock import now
from shared.db import Database
from shared.envelope import as_utc

COLUMNS = ("month", "eu_implemented_percent", "eu_average_progress_percent",
           "un_implemented_percent", "un_average_progress_percent")  # fmt: skip


class TrendPoint(BaseModel):
    """The implementation as it stood at one month's end."""

    month: str = Field(description="YYYY-MM")
    as_of: datetime = Field(description="the moment the figures stood at: the month's end")
    eu: Figures | None = Field(description="the year's action plan (null before it existed)")
    un: Figures = Field(description="the UN obligations")


class TrendReport(BaseModel):
    """The EU action plan's and the UN obligations' implementation at the end of each month of the
    year so far."""

    year: int = Field(description="the year")
    language: Lang = Field(description=About.LANGUAGE)
    unit: str | None = Field(description=About.UNIT)
    report_date: date = Field(description=About.REPORT_DATE)
    definitions: dict[str, str] = Field(
        default={**DEFINITIONS, "month": "each month as it stood at its end (the current "
                 "month: as it stands now)"},
        description=About.DEFINITIONS,
    )  # fmt: skip
    points: list[TrendPoint] = Field(description="one per month, January first")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"trend-{self.year}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        lines = heading_lines(self.report_date, self.unit, self.includes_events_until, lang)
        return word("report.trend", lang, year=self.year), lines

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        rows = [
            [p.month,
             p.eu.implemented_percent if p.eu else None,
             p.eu.average_progress_percent if p.eu else None,
             p.un.implemented_percent, p.un.average_progress_percent]
            for p in self.points
        ]  # fmt: skip
        return [Sheet("sheet.trend", COLUMNS, rows, True)]


def month_ends(year: int, until: datetime) -> list[tuple[str, datetime]]:
    """Each month of ``year`` that has begun by ``until``, with the moment it is read at:
    its last second, or ``until`` for the month still running."""
    points = []
    for month in range(1, 13):
        start = datetime(year, month, 1, tzinfo=UTC)
        if start > until:
            break
        name = f"{year}-{month:02d}"
        points.append((name, min(_last_second(name), until)))
    return points


async def trend(
    live: Database, snapshot_dir: Path | None, year: int, lang: Lang, unit: str | None,
    until: datetime, *, until_is_now: bool = False,
) -> dict[str, object]:  # fmt: skip
    """The report's body: the points of ``year`` up to ``until``."""
    points, _ = await month_points(live, snapshot_dir, year, unit, until, until_is_now)
    return {"year": year, "language": lang, "unit": unit, "report_date": until.date(),
            "points": points}  # fmt: skip


async def month_points(
    live: Database, snapshot_dir: Path | None, year: int, unit: str | None, until: datetime,
    until_is_now: bool,
) -> tuple[list[TrendPoint], int]:  # fmt: skip
    """Each month's point, and how many completed months had to be computed. A completed
    month's point is kept once computed (``tables.trend_points``) and computed again only
    when an event that occurred by its end has arrived since; the running month is read
    from the live projections when ``until`` is now, else rebuilt as of ``until``."""
    ends = month_ends(year, until)
    async with live.unit_of_work(write=False, consistent=True) as session:
        counted = await _events_counted(session, [moment for _, moment in ends])
        kept = await _kept(session, year, unit)
    points, computed = [], 0
    for (month, moment), count in zip(ends, counted, strict=True):
        point = kept.get((month, moment, count))
        if point is None:
            running = live if until_is_now and moment == until else None
            point = await _point(running, live, snapshot_dir, year, unit, month, moment)
            if moment == _last_second(month):
                await _keep(live, year, unit, point, count)
                computed += 1
        points.append(point)
    return points, computed


async def refresh(live: Database, snapshot_dir: Path | None, moment: datetime) -> int:
    """Compute the whole office's completed months that are missing or out of date (in
    January: the year just ended), so that the office's look at the trend does not wait for
    the rebuilds (a periodic task). The running month is left to the request, which reads
    it live. The number computed."""
    until = datetime(moment.year, moment.month, 1, tzinfo=UTC) - timedelta(seconds=1)
    _, computed = await month_points(live, snapshot_dir, until.year, None, until, False)
    return computed


def _last_second(month: str) -> datetime:
    year, number = map(int, month.split("-"))
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return following - timedelta(seconds=1)


async def _point(
    running: Database | None, live: Database, snapshot_dir: Path | None, year: int,
    unit: str | None, month: str, moment: datetime,
) -> TrendPoint:  # fmt: skip
    """The month's figures as they stood at ``moment``: read from ``running`` (the live
    projections, for the month still running), else rebuilt from the kept history."""
    async with contextlib.AsyncExitStack() as stack:
        source = running or await stack.enter_async_context(
            replay.as_of(live, moment, snapshot_dir)
        )
        session = await stack.enter_async_context(source.unit_of_work(write=False))
        scope = await unit_scope(session, unit, moment.date(), "en")
        plan = await eu.overall(session, year, scope)
        obligations = await un.overall(session, scope)
    return TrendPoint(month=month, as_of=moment, eu=plan, un=obligations)


async def _events_counted(session: AsyncSession, moments: list[datetime]) -> list[int]:
    """How many kept events had occurred by each moment (in order): the events between one
    moment and the next counted on the index of their time, each event once, and summed."""
    if not moments:
        return []
    e = tables.events
    between = [
        select(func.count())
        .where(e.c.occurred_at <= moment, *([e.c.occurred_at > earlier] if earlier else []))
        .scalar_subquery()
        for earlier, moment in zip([None, *moments], moments, strict=False)
    ]
    row = (await session.execute(select(*between))).one()
    return list(itertools.accumulate(int(n or 0) for n in row))


async def _kept(
    session: AsyncSession, year: int, unit: str | None
) -> dict[tuple[str, datetime, int], TrendPoint]:
    """The kept points of the year, by what they stand for: month, moment, events counted."""
    t = tables.trend_points
    rows = await session.execute(select(t).where(t.c.year == year, t.c.unit == (unit or "")))
    return {
        (r.month, as_utc(r.moment), r.events_counted): TrendPoint(
            month=r.month, as_of=as_utc(r.moment), eu=r.eu, un=r.un
        )
        for r in rows
    }


async def _keep(
    live: Database, year: int, unit: str | None, point: TrendPoint, counted: int
) -> None:
    row = {
        "year": year, "unit": unit or "", "month": point.month, "moment": point.as_of,
        "events_counted": counted, "eu": point.eu.model_dump() if point.eu else None,
        "un": point.un.model_dump(), "computed_at": now(),
    }  # fmt: skip
    async with live.unit_of_work() as session:
        await upsert_rows(session, live.dialect, tables.trend_points,
                          ["year", "unit", "month"], [row])  # fmt: skip
