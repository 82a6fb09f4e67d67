"""The annual report on the EU-Georgia Association Agreement Action Plan."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import (
    DEFINITIONS,
    About,
    Figures,
    Group,
    Lang,
    MeasureCounter,
    concerns_unit,
    figures,
    groups,
    heading_lines,
    in_language,
    natural,
    overdue_on,
    tallied,
)
from services.reporting.reports.language import text_in, word
from services.reporting.reports.tabular import Rows, Sheet
from services.reporting.reports.units import Units, UnitScope
from shared.db import as_dicts
from shared.errors import NotFound


def _lines(value: Any) -> Any:
    return (value.split("\n") if value else []) if isinstance(value, str | None) else value


class Measure(BaseModel):
    """One measure of the action plan, with its latest approved progress."""

    ref: str | None = Field(description="the measure's number in the plan")
    title: str = Field(description="the measure, in the report's language")
    area: str | None = Field(description="the chapter or area")
    lead_unit: str = Field(description="the unit answerable for it")
    sources: Annotated[list[str], BeforeValidator(_lines)] = Field(
        description="each source as kind and reference"
    )
    deadline: date | None = Field(description="when it is due")
    status: str = Field(description=About.STATUS)
    overdue: bool = Field(description="past its deadline and neither completed nor cancelled")
    latest_percent: int | None = Field(description="the latest approved progress, in percent")
    latest_period: str | None = Field(
        description="the period of the latest approved progress report"
    )
    latest_narrative: str | None = Field(
        description="what the latest approved progress report says"
    )


MEASURE_COLUMNS = (
    "ref", "title", "area", "lead_unit", "sources", "deadline", "status", "overdue",
    "latest_percent", "latest_period", "latest_narrative",
)  # fmt: skip


class EuReport(BaseModel):
    """The implementation of the year's EU Association Agenda action plan."""

    title: str = Field(description=About.TITLE)
    year: int = Field(description="the action plan's year")
    plan_status: str = Field(description="the plan's status, in the report's language")
    language: Lang = Field(description=About.LANGUAGE)
    report_date: date = Field(description=About.REPORT_DATE)
    unit: str | None = Field(description=About.UNIT)
    definitions: dict[str, str] = Field(default=DEFINITIONS, description=About.DEFINITIONS)
    overall: Figures = Field(description="the year's plan as a whole")
    cumulative: Figures = Field(description="every plan up to and including the year")
    by_chapter: list[Group] = Field(description="per chapter, in natural order")
    by_unit: list[Group] = Field(description="per lead unit")
    overdue: list[Measure] = Field(description="the overdue measures")
    measures: list[Measure] = Field(description="every measure of the plan")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"eu-association-{self.year}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        lines = heading_lines(self.report_date, self.unit, self.includes_events_until, lang)
        return word("report.eu", lang, year=self.year), [self.title, *lines]

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        groups = ("name", "measures", "implemented_percent", "average_progress_percent", "overdue")
        summary = [
            ["row.year", self.overall.measures, self.overall.implemented_percent,
             self.overall.average_progress_percent],
            ["row.cumulative", self.cumulative.measures, self.cumulative.implemented_percent,
             self.cumulative.average_progress_percent],
        ]  # fmt: skip
        by_status = [[status, n] for status, n in self.overall.by_status.items()]
        in_chapter: dict[str, list[Measure]] = defaultdict(list)
        for m in self.measures:
            in_chapter[m.area or "—"].append(m)
        shown = ("ref", "title", "lead_unit", "status", "latest_percent")
        chapters = [
            Sheet(
                "sheet.chapter_measures",
                ("ref", "measure", "unit", "status", "%"),
                Rows.of(in_chapter[chapter.name], shown),
                subject=chapter.name,
                on_page=False,  # the page lists every measure once, with its chapter
            )
            for chapter in self.by_chapter
        ]
        return [
            Sheet("sheet.summary", ("scope", *groups[1:4]), summary, summary=True),
            Sheet("sheet.by_status", ("status", "measures"), by_status, summary=True),
            Sheet("sheet.chapters", groups,
                  [[getattr(g, c) for c in groups] for g in self.by_chapter], summary=True),
            Sheet("sheet.units", groups, [[getattr(g, c) for c in groups] for g in self.by_unit]),
            *chapters,
            Sheet("sheet.overdue_measures", ("area", "unit", "ref", "measure", "deadline"),
                  [[m.area, m.lead_unit, m.ref, m.title, m.deadline] for m in self.overdue]),
            Sheet("sheet.measures", MEASURE_COLUMNS, Rows.of(self.measures, MEASURE_COLUMNS),
                  True),
        ]  # fmt: skip


_MEASURES = TypeAdapter(list[Measure])


def _measure_columns(lang: Lang, on: date, unit: UnitScope | None) -> list[Any]:
    """A measure as the report shows it, named as ``Measure`` names it, made by the database:
    thousands of rows become ``Measure``s in one validation."""
    t = tables.obligations
    columns = [t.c.obligation_id, t.c.external_ref.label("ref"), t.c.area, t.c.lead_unit,
               t.c.lead_unit_id,
               t.c.source_labels.label("sources"), t.c.deadline, t.c.status,
               overdue_on(on),
               t.c.latest_percent, t.c.latest_period,
               func.coalesce(in_language(t.c.title, lang), "").label("title"),
               in_language(t.c.latest_narrative, lang).label("latest_narrative")]  # fmt: skip
    return columns + ([t.c.supporting_units, t.c.supporting_unit_ids] if unit else [])


async def overall(session: AsyncSession, year: int, unit: UnitScope | None) -> Figures | None:
    """The year's figures alone (a trend's point), counted by the database; None without
    a plan for the year."""
    plans = tables.action_plans
    plan_id = (
        await session.execute(select(plans.c.action_plan_id).where(plans.c.year == year))
    ).scalar()
    if plan_id is None:
        return None
    return figures(await tallied(session, tables.obligations.c.action_plan_id == plan_id, unit))


async def eu_association(
    session: AsyncSession, year: int, lang: Lang, on: date, unit: str | None
) -> dict[str, Any]:
    """Everything of the report but its freshness, from the projections."""
    plans = tables.action_plans
    plan_rows = (await session.execute(select(plans).where(plans.c.year <= year))).all()
    plan = next((p for p in plan_rows if p.year == year), None)
    if plan is None:
        raise NotFound(f"no action plan for {year}")
    t = tables.obligations
    earlier = [p.action_plan_id for p in plan_rows if p.year < year]
    units = await Units.read(session)
    scope = units.scope(unit, on, lang) if unit else None
    current = select(*_measure_columns(lang, on, scope)).where(
        t.c.action_plan_id == plan.action_plan_id
    )
    this_year = as_dicts(await session.execute(current))
    # earlier years count in the cumulative figures only: their counts suffice
    before = await tallied(session, t.c.action_plan_id.in_(earlier), scope)
    if scope:
        this_year = [r for r in this_year if concerns_unit(r, scope)]
    # each unit is shown by its name on the report's day, its work after a merger under the
    # unit it joined
    named = units.namer(on, lang)
    for r in this_year:
        r["lead_unit"] = named(r["lead_unit_id"], r["lead_unit"])
    this_year.sort(key=lambda r: (r["area"] or "", r["ref"] or "", r["obligation_id"]))
    measures = _MEASURES.validate_python(this_year)
    overall, cumulative = MeasureCounter(), MeasureCounter()
    chapters: dict[str, MeasureCounter] = defaultdict(MeasureCounter)
    units: dict[str, MeasureCounter] = defaultdict(MeasureCounter)
    for (area, lead_unit), r in _counted(this_year):  # every figure of the year, once
        for tally in (overall, cumulative, chapters[area], units[lead_unit]):
            tally.add(r)
    for r in before:
        cumulative.add(r)
    # overdue, by chapter then unit: each chapter's and unit's list reads as one block
    late = sorted(
        (m for m in measures if m.overdue),
        key=lambda m: (natural(m.area or "—"), m.lead_unit, natural(m.ref or "")),
    )
    return {
        "title": text_in(plan.title, lang),
        "year": year,
        "plan_status": plan.status,
        "language": lang,
        "report_date": on,
        "unit": scope.label if scope else None,
        "overall": overall.figures(),
        "cumulative": cumulative.figures(),
        "by_chapter": groups(chapters, Counter(m.area or "—" for m in late)),
        "by_unit": groups(units, Counter(m.lead_unit for m in late)),
        "overdue": late,
        "measures": measures,
    }


def _counted(measures: list[dict[str, Any]]) -> list[tuple[tuple[str, str], dict[str, Any]]]:
    """The measures as counts per chapter, lead unit and status (with their percents'
    sum): thousands of measures fall in a few hundred such groups, each tallied once."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in measures:
        tally = counts[(r["area"] or "—", r["lead_unit"], r["status"])]
        tally[0] += 1
        tally[1] += r["latest_percent"] or 0
    return [
        ((area, unit), {"status": status, "n": n, "percent_sum": percent_sum})
        for (area, unit, status), (n, percent_sum) in counts.items()
    ]
