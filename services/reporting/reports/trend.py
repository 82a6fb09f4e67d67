"""The year month by month: the EU action plan's and the UN obligations' implementation as
they stood at the end of each month, each point rebuilt from the kept event history (the
projection snapshots make each rebuild start near its moment). No comparable system shows
how the year went; they show where it ended."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, Field

from services.reporting.history import replay
from services.reporting.reports import eu, un
from services.reporting.reports.common import DEFINITIONS, Figures, Lang, heading_lines
from services.reporting.reports.formats import Sheet
from services.reporting.reports.language import word
from shared.db import Database
from shared.errors import NotFound

COLUMNS = ("month", "eu_implemented_percent", "eu_average_progress_percent",
           "un_implemented_percent", "un_average_progress_percent")  # fmt: skip


class TrendPoint(BaseModel):
    month: str = Field(description="YYYY-MM")
    as_of: datetime = Field(description="the moment the figures stood at: the month's end")
    eu: Figures | None = Field(description="the year's action plan (null before it existed)")
    un: Figures


class TrendReport(BaseModel):
    year: int
    language: Lang
    unit: str | None
    report_date: date
    definitions: dict[str, str] = Field(
        default={**DEFINITIONS, "month": "each month as it stood at its end (the current "
                 "month: as it stands now)"}
    )  # fmt: skip
    points: list[TrendPoint]
    as_of: datetime | None = None
    includes_events_until: dict[str, datetime]

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
        following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        points.append((f"{year}-{month:02d}", min(following - timedelta(seconds=1), until)))
    return points


async def trend(
    source: Database, snapshot_dir: Path | None, year: int, lang: Lang, unit: str | None,
    until: datetime,
) -> dict[str, object]:  # fmt: skip
    points = []
    for month, moment in month_ends(year, until):
        async with (
            replay.as_of(source, moment, snapshot_dir) as scratch,
            scratch.unit_of_work(write=False) as session,
        ):
            day = moment.date()
            try:
                plan = (await eu.eu_association(session, year, lang, day, unit))["overall"]
            except NotFound:
                plan = None
            obligations = await un.un_obligations(session, lang, day, unit, None, None)
        points.append(TrendPoint(month=month, as_of=moment, eu=plan, un=obligations["overall"]))
    return {"year": year, "language": lang, "unit": unit, "report_date": until.date(),
            "points": points}  # fmt: skip
