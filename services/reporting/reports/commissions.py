"""The commission report: the decisions of a session and their fulfilment (the first item
of every protocol of the next session)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import (
    DEFINITIONS,
    About,
    Figures,
    Lang,
    figures,
    heading_lines,
    overdue_on,
)
from services.reporting.reports.language import country as country_name
from services.reporting.reports.language import day, text_in, word
from services.reporting.reports.tabular import Sheet
from services.reporting.reports.units import Units, UnitScope
from shared.db import as_dicts
from shared.errors import NotFound

DECISION_COLUMNS = ("ref", "decision", "responsible_unit", "deadline", "status", "overdue",
                    "latest_percent", "latest_narrative")  # fmt: skip


class DecisionStatus(BaseModel):
    """How far one decision is carried out."""

    ref: str | None = Field(
        description="the decision's number, session.decision (e.g. 4.2); null for one taken "
        "before decisions were numbered"
    )
    decision: str = Field(description="what was decided, in the report's language")
    responsible_unit: str = Field(description="the unit that carries it out")
    deadline: date = Field(description="by when")
    status: str = Field(description=About.STATUS)
    overdue: bool = Field(description="past its deadline and neither completed nor cancelled")
    latest_percent: int | None = Field(description="the latest approved progress, in percent")
    latest_narrative: str | None = Field(
        description="what the latest approved progress report says"
    )


class CommissionReport(BaseModel):
    """A commission session: how the previous session's decisions are carried out (item 1 of
    its protocol), and the decisions it took."""

    title: str = Field(description="the commission's name, in the report's language")
    partner_country: str = Field(description="ISO 3166-1 alpha-2")
    session_number: int = Field(description="the session the report is for")
    held_on: date | None = Field(None, description="when the session was held")
    place: str | None = Field(None, description="where the session was held")
    our_co_chair: str | None = Field(None, description="Georgia's co-chair of the commission")
    partner_co_chair: str | None = Field(None, description="the partner country's co-chair")
    previous_session: int | None = Field(
        description="the session whose decisions are reported; null for the first"
    )
    report_date: date = Field(description=About.REPORT_DATE)
    language: Lang = Field(description=About.LANGUAGE)
    definitions: dict[str, str] = Field(default=DEFINITIONS, description=About.DEFINITIONS)
    implementation: Figures = Field(description="the previous session's decisions")
    decisions: list[DecisionStatus] = Field(description="each decision of the previous session")
    taken: list[DecisionStatus] = Field(
        description="the decisions taken at this session, and how far each is carried out"
    )
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"commission-session-{self.session_number}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        what = word(
            "report.commission", lang, session=self.session_number,
            previous=self.previous_session or "—",
        )  # fmt: skip
        held = [f"{word('session_held', lang)}: {day(self.held_on, lang)}"] if self.held_on else []
        place = [f"{word('session_place', lang)}: {self.place}"] if self.place else []
        partner = f"{word('partner_country', lang)}: {country_name(self.partner_country, lang)}"
        chairs = [
            f"{word(key, lang)}: {name}"
            for key, name in (("our_co_chair", self.our_co_chair),
                              ("partner_co_chair", self.partner_co_chair))
            if name
        ]  # fmt: skip
        return what, [self.title, partner, *chairs, *held, *place, *heading_lines(
            self.report_date, None, self.includes_events_until, lang
        )]  # fmt: skip

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        rows = [[getattr(d, c) for c in DECISION_COLUMNS] for d in self.decisions]
        taken = [[getattr(d, c) for c in DECISION_COLUMNS] for d in self.taken]
        return [
            Sheet("sheet.decisions", DECISION_COLUMNS, rows, True),
            Sheet("sheet.decisions_taken", DECISION_COLUMNS, taken, True),
        ]


async def commission(
    session: AsyncSession,
    commission_id: str,
    number: int | None,
    lang: Lang,
    on: date,
    unit: str | None = None,
) -> dict[str, Any]:
    c = (await session.execute(
        select(tables.commissions).where(tables.commissions.c.commission_id == commission_id)
    )).first()  # fmt: skip
    if c is None:
        raise NotFound(f"no commission {commission_id}")
    s = tables.commission_sessions
    query = select(s.c.session_number, s.c.held_on, s.c.place).where(
        s.c.commission_id == commission_id
    )
    sessions = {r.session_number: r for r in await session.execute(query)}
    numbers = sorted(sessions)
    if not numbers:
        raise NotFound("the commission has held no session yet")
    number = number or numbers[-1]
    if number not in numbers:
        raise NotFound(f"no session {number} of this commission")
    previous = max((n for n in numbers if n < number), default=None)
    units = await Units.read(session)
    scope = units.scope(unit, on, lang) if unit else None
    rows = await _decisions(session, commission_id, previous, on, scope)
    taken = await _decisions(session, commission_id, number, on, scope)
    named = units.namer(on, lang)
    for r in (*rows, *taken):  # each unit by its name on the report's day
        r["responsible_unit"] = named(r["responsible_unit_id"], r["responsible_unit"])
    return {
        "title": text_in(c.name, lang),
        "partner_country": c.partner_country,
        "session_number": number,
        "held_on": sessions[number].held_on,
        "place": sessions[number].place,
        "our_co_chair": c.our_co_chair,
        "partner_co_chair": c.partner_co_chair,
        "previous_session": previous,
        "report_date": on,
        "language": lang,
        "implementation": figures(rows),
        "decisions": [_status(r, lang) for r in rows],
        "taken": [_status(r, lang) for r in taken],
    }


async def _decisions(
    session: AsyncSession,
    commission_id: str,
    number: int | None,
    on: date,
    unit: UnitScope | None,
) -> list[dict[str, Any]]:
    """The decisions of session ``number`` (none without one), in their order, with their
    obligations' status on ``on``."""
    if number is None:
        return []
    d, o = tables.commission_decisions, tables.obligations
    decided = (
        select(d, o, overdue_on(on)).join(o, o.c.obligation_id == d.c.obligation_id)
        .where(d.c.commission_id == commission_id, d.c.session_number == number)
        .order_by(d.c.decision_number, d.c.deadline, d.c.decision_id)
    )  # fmt: skip
    return [
        r
        for r in as_dicts(await session.execute(decided))
        if unit is None or unit.matches(r["responsible_unit_id"], r["responsible_unit"])
    ]


def _status(r: dict[str, Any], lang: Lang) -> DecisionStatus:
    number = r["decision_number"]
    return DecisionStatus(
        ref=f"{r['session_number']}.{number}" if number else None,
        decision=text_in(r["title"], lang),
        responsible_unit=r["responsible_unit"],
        deadline=r["deadline"],
        status=r["status"],
        overdue=bool(r["overdue"]),
        latest_percent=r["latest_percent"],
        latest_narrative=text_in(r["latest_narrative"], lang) or None,
    )
