"""The annual report on the EU-Georgia Association Agreement Action Plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter
from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.formats import Sheet
from shared.db import as_dicts
from shared.errors import NotFound

Lang = Literal["ka", "en"]
DEFINITIONS = {
    "implemented_percent": "completed ÷ (all − cancelled) × 100, one decimal",
    "average_progress_percent": (
        "mean of each measure's latest approved percent (0 when none), cancelled excluded"
    ),
    "overdue": "deadline before the report's date and status neither completed nor cancelled",
}
DONE, CANCELLED = "completed", "cancelled"


class Figures(BaseModel):
    measures: int
    by_status: dict[str, int]
    implemented_percent: float
    average_progress_percent: float


class Group(Figures):
    name: str


def _lines(value: Any) -> Any:
    return (value.split("\n") if value else []) if isinstance(value, str | None) else value


class Measure(BaseModel):
    ref: str | None
    title: str
    area: str | None
    lead_unit: str
    sources: Annotated[list[str], BeforeValidator(_lines)] = Field(
        description="each source as kind and reference"
    )
    deadline: date | None
    status: str
    overdue: bool
    latest_percent: int | None
    latest_period: str | None
    latest_narrative: str | None


MEASURE_COLUMNS = (
    "ref", "title", "area", "lead_unit", "sources", "deadline", "status", "overdue",
    "latest_percent", "latest_period", "latest_narrative",
)  # fmt: skip


def heading_lines(
    what: str, on: date, unit: str | None, includes: dict[str, datetime]
) -> list[str]:
    """Period, scope and how current the report is: the first lines of every document."""
    scope = f" · unit: {unit}" if unit else ""
    current = ", ".join(f"{k} {v:%Y-%m-%d %H:%M} UTC" for k, v in includes.items()) or "none"
    return [f"{what} · report date {on.isoformat()}{scope}", f"Includes events until: {current}"]


class EuReport(BaseModel):
    title: str
    year: int
    plan_status: str
    language: Lang
    report_date: date
    unit: str | None
    definitions: dict[str, str] = Field(default=DEFINITIONS)
    overall: Figures
    cumulative: Figures = Field(description="every plan up to and including the year")
    by_chapter: list[Group]
    by_unit: list[Group]
    overdue: list[Measure]
    measures: list[Measure]
    as_of: datetime | None = None
    includes_events_until: dict[str, datetime] = Field(
        description="for each stream, the newest event the report includes"
    )

    def heading(self) -> tuple[str, list[str]]:
        return self.title, heading_lines(
            f"Implementation report {self.year}", self.report_date, self.unit,
            self.includes_events_until,
        )  # fmt: skip

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        groups = ("name", "measures", "implemented_percent", "average_progress_percent")
        summary = [
            ["year", self.overall.measures, self.overall.implemented_percent,
             self.overall.average_progress_percent],
            ["cumulative", self.cumulative.measures, self.cumulative.implemented_percent,
             self.cumulative.average_progress_percent],
        ]  # fmt: skip
        chapters = [
            Sheet(
                f"{chapter.name}: measures",
                ("ref", "measure", "unit", "status", "%"),
                [
                    [m.ref, m.title, m.lead_unit, m.status, m.latest_percent]
                    for m in self.measures
                    if (m.area or "—") == chapter.name
                ],
            )
            for chapter in self.by_chapter
        ]
        return [
            Sheet("Summary", ("", *groups[1:]), summary),
            Sheet("Chapters", groups, [[getattr(g, c) for c in groups] for g in self.by_chapter]),
            Sheet("Units", groups, [[getattr(g, c) for c in groups] for g in self.by_unit]),
            *chapters,
            Sheet("Overdue measures", ("ref", "measure", "unit", "deadline"),
                  [[m.ref, m.title, m.lead_unit, m.deadline] for m in self.overdue]),
            Sheet("Measures", MEASURE_COLUMNS,
                  [[getattr(m, c) for c in MEASURE_COLUMNS] for m in self.measures], True),
        ]  # fmt: skip


def text_in(value: dict[str, str] | None, lang: Lang) -> str:
    if not value:
        return ""
    return value.get(lang) or value.get("en" if lang == "ka" else "ka") or ""


class Tally:
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
        self.done += n if r["status"] == DONE else 0
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
    tally = Tally()
    for r in rows:
        tally.add(r)
    return tally.figures()


def _groups(tallies: dict[str, Tally]) -> list[Group]:
    return [Group(name=name, **t.figures().model_dump()) for name, t in sorted(tallies.items())]


def overdue_on(on: date) -> Any:
    """An obligation's *overdue* flag, as the definitions state it, for the query to select."""
    t = tables.obligations
    late = and_(t.c.deadline < on, t.c.status.not_in([DONE, CANCELLED]))
    return case((late, True), else_=False).label("overdue")


_MEASURES = TypeAdapter(list[Measure])


def in_language(column: Any, lang: Lang) -> Any:
    """The column's text in ``lang`` (else in the other language), read out by the database
    rather than decoding every JSON value."""
    other = "en" if lang == "ka" else "ka"
    return func.coalesce(
        func.nullif(column[lang].as_string(), ""), func.nullif(column[other].as_string(), "")
    )


def _measure_columns(lang: Lang, on: date, unit: str | None) -> list[Any]:
    """A measure as the report shows it, named as ``Measure`` names it, made by the database:
    thousands of rows become ``Measure``s in one validation."""
    t = tables.obligations
    columns = [t.c.obligation_id, t.c.external_ref.label("ref"), t.c.area, t.c.lead_unit,
               t.c.source_labels.label("sources"), t.c.deadline, t.c.status,
               overdue_on(on),
               t.c.latest_percent, t.c.latest_period,
               func.coalesce(in_language(t.c.title, lang), "").label("title"),
               in_language(t.c.latest_narrative, lang).label("latest_narrative")]  # fmt: skip
    return columns + ([t.c.supporting_units] if unit else [])


def serves(row: dict[str, Any], unit: str) -> bool:
    return unit == row["lead_unit"] or unit in row["supporting_units"]


async def _earlier_plans(
    session: AsyncSession, plan_ids: list[str], unit: str | None
) -> list[dict[str, Any]]:
    """Earlier years count in the cumulative figures only: counts by status suffice (for a
    unit, its measures' status and percent, the unit being matched here)."""
    t = tables.obligations
    of_plans = t.c.action_plan_id.in_(plan_ids)
    if unit:
        lean = select(t.c.status, t.c.latest_percent, t.c.lead_unit, t.c.supporting_units)
        return [r for r in as_dicts(await session.execute(lean.where(of_plans))) if serves(r, unit)]
    percent = func.sum(func.coalesce(t.c.latest_percent, 0)).label("percent_sum")
    counts = (
        select(t.c.status, func.count().label("n"), percent).where(of_plans).group_by(t.c.status)
    )
    return as_dicts(await session.execute(counts))


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
    current = select(*_measure_columns(lang, on, unit)).where(
        t.c.action_plan_id == plan.action_plan_id
    )
    this_year = as_dicts(await session.execute(current))
    before = await _earlier_plans(session, earlier, unit)
    if unit:
        this_year = [r for r in this_year if serves(r, unit)]
    this_year.sort(key=lambda r: (r["area"] or "", r["ref"] or "", r["obligation_id"]))
    measures = _MEASURES.validate_python(this_year)
    overall, cumulative = Tally(), Tally()
    chapters: dict[str, Tally] = defaultdict(Tally)
    units: dict[str, Tally] = defaultdict(Tally)
    for r in this_year:  # one pass for every figure of the year
        for tally in (overall, cumulative, chapters[r["area"] or "—"], units[r["lead_unit"]]):
            tally.add(r)
    for r in before:
        cumulative.add(r)
    return {
        "title": text_in(plan.title, lang),
        "year": year,
        "plan_status": plan.status,
        "language": lang,
        "report_date": on,
        "unit": unit,
        "overall": overall.figures(),
        "cumulative": cumulative.figures(),
        "by_chapter": _groups(chapters),
        "by_unit": _groups(units),
        "overdue": [m for m in measures if m.overdue],
        "measures": measures,
    }
