"""Information on fulfilment of UN obligations: HRC resolutions, UPR recommendations,
treaty-body observations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import (
    DEFINITIONS,
    About,
    Figures,
    Lang,
    concerns_unit,
    figures,
    heading_lines,
    overdue_on,
    tallied,
)
from services.reporting.reports.language import text_in, word
from services.reporting.reports.tabular import Sheet
from services.reporting.reports.units import Units, UnitScope
from shared.db import as_dicts

MECHANISMS = ("un_hrc_resolution", "upr_recommendation", "un_treaty_body")
ITEM_COLUMNS = (
    "mechanism", "ref", "reference", "title", "support_level", "lead_unit", "deadline", "status",
    "overdue", "latest_percent", "latest_narrative",
)  # fmt: skip


class MechanismFigures(Figures):
    """The figures of one UN mechanism."""

    mechanism: str = Field(
        description="un_hrc_resolution, upr_recommendation or un_treaty_body, in the report's "
        "language"
    )
    recommendations: int = Field(
        description="distinct recommendations (resolutions...) of the mechanism the "
        "obligations cite; several measures may implement one"
    )
    by_support_level: dict[str, int] = Field(
        description="recommendations per Georgia's answer (supported, supported_in_part, "
        "noted; — when none is stated), each counted once however many measures cite it"
    )


class UnItem(BaseModel):
    """One UN obligation with its latest approved progress."""

    mechanism: str = Field(description="the UN mechanism, in the report's language")
    ref: str | None = Field(
        description="the obligation's own ref (its number in the office's plan or sheet)"
    )
    reference: str = Field(
        description="the source's reference (resolution symbol, recommendation number...)"
    )
    title: str = Field(description="the obligation, in the report's language")
    support_level: str | None = Field(description="Georgia's answer to the recommendation")
    lead_unit: str = Field(description="the unit answerable for it")
    deadline: date | None = Field(description="when it is due")
    status: str = Field(description=About.STATUS)
    overdue: bool = Field(description="past its deadline and neither completed nor cancelled")
    latest_percent: int | None = Field(description="the latest approved progress, in percent")
    latest_narrative: str | None = Field(
        description="what the latest approved progress report says"
    )


class UnReport(BaseModel):
    """The fulfilment of Georgia's UN and Human Rights Council obligations."""

    title: str = Field(
        "Fulfilment of UN and Human Rights Council obligations", description=About.TITLE
    )
    language: Lang = Field(description=About.LANGUAGE)
    report_date: date = Field(description=About.REPORT_DATE)
    unit: str | None = Field(description=About.UNIT)
    mechanism: str | None = Field(
        description="the mechanism the report is limited to; null for all"
    )
    support_level: str | None = Field(
        description="the support level the report is limited to; null for all"
    )
    period_from: date | None = Field(None, description="deadlines on or after (when asked)")
    period_to: date | None = Field(None, description="deadlines on or before (when asked)")
    definitions: dict[str, str] = Field(
        default={**DEFINITIONS, "period": "items whose deadline falls within from–to, inclusive"},
        description=About.DEFINITIONS,
    )
    overall: Figures = Field(description="every obligation counted")
    by_mechanism: list[MechanismFigures] = Field(description="per mechanism")
    overdue: list[UnItem] = Field(description="the overdue obligations")
    items: list[UnItem] = Field(description="every obligation counted")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return "un-obligations"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        lines = heading_lines(self.report_date, self.unit, self.includes_events_until, lang)
        return word("report.un", lang), lines

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        header = ("mechanism", "recommendations", "measures", "implemented_percent",
                  "average_progress_percent")  # fmt: skip
        return [
            Sheet("sheet.by_mechanism", header, [
                [m.mechanism, m.recommendations, m.measures, m.implemented_percent,
                 m.average_progress_percent]
                for m in self.by_mechanism
            ]),
            Sheet("sheet.overdue", ("mechanism", "ref", "reference", "title", "deadline"),
                  [[i.mechanism, i.ref, i.reference, i.title, i.deadline]
                   for i in self.overdue]),
            Sheet("sheet.items", ITEM_COLUMNS,
                  [[getattr(i, c) for c in ITEM_COLUMNS] for i in self.items], True),
        ]  # fmt: skip


def _answers(rows: list[dict[str, Any]], wanted: list[str]) -> dict[str, dict[str, str]]:
    """Georgia's answer to each recommendation, as any obligation citing it states it (on
    the source, or deprecated, on the obligation): the recommendation's, not each measure's."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        for source in r["sources"]:
            level = source.get("support_level") or r["support_level"]
            if source["kind"] in wanted and level:
                found[source["kind"]].setdefault(source["reference"], level)
    return found


def _due_within(deadline: date | None, first: date | None, last: date | None) -> bool:
    return (
        deadline is not None and (not first or deadline >= first) and (not last or deadline <= last)
    )


def _of_mechanisms(wanted: list[str]) -> ColumnElement[bool]:
    t = tables.obligations
    return or_(*(t.c.kinds.contains(f"|{m}|") for m in wanted))


async def overall(session: AsyncSession, unit: UnitScope | None) -> Figures:
    """The figures of every UN mechanism's obligations alone (a trend's point), counted by
    the database."""
    return figures(await tallied(session, _of_mechanisms(list(MECHANISMS)), unit))


async def un_obligations(
    session: AsyncSession,
    lang: Lang,
    on: date,
    unit: str | None,
    mechanism: str | None,
    support_level: str | None,
    first: date | None = None,
    last: date | None = None,
) -> dict[str, Any]:
    t = tables.obligations
    wanted = [mechanism] if mechanism else list(MECHANISMS)
    query = select(t, overdue_on(on)).where(_of_mechanisms(wanted))
    rows = as_dicts(await session.execute(query))
    units = await Units.read(session)
    scope = units.scope(unit, on, lang) if unit else None
    if scope:
        rows = [r for r in rows if concerns_unit(r, scope)]
    named = units.namer(on, lang)
    if first or last:
        rows = [r for r in rows if _due_within(r["deadline"], first, last)]
    answers = _answers(rows, wanted)  # mechanism → recommendation → Georgia's answer
    per_mechanism: dict[str, list[dict[str, Any]]] = defaultdict(list)
    items: list[UnItem] = []
    for r in sorted(rows, key=lambda r: (r["external_ref"] or "", r["obligation_id"])):
        for source in r["sources"]:
            answer = answers.get(source["kind"], {}).get(source["reference"])
            if source["kind"] not in wanted or (support_level and answer != support_level):
                continue
            per_mechanism[source["kind"]].append(r)
            items.append(
                UnItem(
                    mechanism=source["kind"],
                    ref=r["external_ref"],
                    reference=source["reference"],
                    title=text_in(r["title"], lang),
                    support_level=answer,
                    lead_unit=named(r["lead_unit_id"], r["lead_unit"]),
                    deadline=r["deadline"],
                    status=r["status"],
                    overdue=bool(r["overdue"]),
                    latest_percent=r["latest_percent"],
                    latest_narrative=text_in(r["latest_narrative"], lang) or None,
                )
            )
    by_mechanism = []
    for name in wanted:
        group = per_mechanism.get(name, [])
        levels: dict[str, int] = defaultdict(int)
        cited = {source["reference"] for r in group for source in r["sources"]
                 if source["kind"] == name}  # fmt: skip
        for reference in cited:
            levels[answers[name].get(reference) or "—"] += 1
        by_mechanism.append(
            MechanismFigures(
                mechanism=name,
                recommendations=len(cited),
                by_support_level=dict(sorted(levels.items())),
                **figures(group).model_dump(),
            )
        )
    return {
        "language": lang,
        "report_date": on,
        "unit": scope.label if scope else None,
        "mechanism": mechanism,
        "support_level": support_level,
        "period_from": first,
        "period_to": last,
        "overall": figures(
            {r["obligation_id"]: r for g in per_mechanism.values() for r in g}.values()
        ),
        "by_mechanism": by_mechanism,
        "overdue": [i for i in items if i.overdue],
        "items": items,
    }
