"""The commission report (the first item of every protocol) and the country dossier."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.eu_report import (
    DEFINITIONS,
    Figures,
    Lang,
    figures,
    heading_lines,
    overdue_on,
    serves,
    text_in,
)
from services.reporting.formats import Sheet
from services.reporting.reports import of_unit
from shared.db import as_dicts
from shared.errors import NotFound

DECISION_COLUMNS = ("decision", "responsible_unit", "deadline", "status", "overdue",
                    "latest_percent", "latest_narrative")  # fmt: skip


class DecisionStatus(BaseModel):
    decision: str
    responsible_unit: str
    deadline: date
    status: str
    overdue: bool
    latest_percent: int | None
    latest_narrative: str | None


class CommissionReport(BaseModel):
    title: str
    partner_country: str
    session_number: int
    previous_session: int | None
    report_date: date
    language: Lang
    definitions: dict[str, str] = Field(default=DEFINITIONS)
    implementation: Figures = Field(description="the previous session's decisions")
    decisions: list[DecisionStatus]
    as_of: datetime | None = None
    includes_events_until: dict[str, datetime]

    def heading(self) -> tuple[str, list[str]]:
        what = f"Session {self.session_number}: implementation of session {self.previous_session}"
        return self.title, heading_lines(what, self.report_date, None, self.includes_events_until)

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        rows = [[getattr(d, c) for c in DECISION_COLUMNS] for d in self.decisions]
        return [Sheet("Previous session's decisions", DECISION_COLUMNS, rows, True)]


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
    query = select(s.c.session_number).where(s.c.commission_id == commission_id)
    numbers = sorted((await session.execute(query)).scalars())
    if not numbers:
        raise NotFound("the commission has held no session yet")
    number = number or numbers[-1]
    if number not in numbers:
        raise NotFound(f"no session {number} of this commission")
    previous = max((n for n in numbers if n < number), default=None)
    d, o = tables.commission_decisions, tables.obligations
    decided = (
        select(d, o, overdue_on(on)).join(o, o.c.obligation_id == d.c.obligation_id)
        .where(d.c.commission_id == commission_id, d.c.session_number == previous)
        .order_by(d.c.deadline, d.c.decision_id)
    )  # fmt: skip
    rows = [
        r
        for r in as_dicts(await session.execute(decided))
        if unit is None or r["responsible_unit"] == unit
    ]
    return {
        "title": text_in(c.name, lang),
        "partner_country": c.partner_country,
        "session_number": number,
        "previous_session": previous,
        "report_date": on,
        "language": lang,
        "implementation": figures(rows),
        "decisions": [
            DecisionStatus(
                decision=text_in(r["title"], lang),
                responsible_unit=r["responsible_unit"],
                deadline=r["deadline"],
                status=r["status"],
                overdue=bool(r["overdue"]),
                latest_percent=r["latest_percent"],
                latest_narrative=text_in(r["latest_narrative"], lang) or None,
            )
            for r in rows
        ],
    }


ENTRY_COLUMNS = ("what", "kind", "status", "date", "title")


class DossierEntry(BaseModel):
    what: str
    kind: str | None
    status: str
    date: date | None
    title: str | None = None


_ENTRIES = TypeAdapter(list[DossierEntry])


class CountryDossier(BaseModel):
    country_code: str
    report_date: date
    language: Lang
    unit: str | None = None
    visits: list[DossierEntry]
    meetings_events_trips: list[DossierEntry]
    agreements: list[DossierEntry]
    obligations: list[DossierEntry]
    as_of: datetime | None = None
    includes_events_until: dict[str, datetime]

    def heading(self) -> tuple[str, list[str]]:
        return f"Country dossier: {self.country_code}", heading_lines(
            "Everything involving the country", self.report_date, None, self.includes_events_until
        )

    def definitions_text(self) -> dict[str, str]:
        return {"obligations": "commission decisions and visit commitments concerning the country"}

    def sheets(self) -> list[Sheet]:
        everything = [
            *self.visits,
            *self.meetings_events_trips,
            *self.agreements,
            *self.obligations,
        ]
        rows = [[getattr(e, c) for c in ENTRY_COLUMNS] for e in everything]
        return [Sheet("Dossier", ENTRY_COLUMNS, rows, True)]


def _dated(query: Any, column: Any, first: date | None, last: date | None) -> Any:
    """Only what dates within the period (a bound left out is open)."""
    if first is not None:
        query = query.where(column >= first)
    return query if last is None else query.where(column <= last)


async def country(
    session: AsyncSession,
    code: str,
    lang: Lang,
    on: date,
    first: date | None = None,
    last: date | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """Everything involving the country; with a period, what dates within it; with a unit,
    what that unit is responsible for (obligations: as lead or supporting unit)."""
    v, a, g, o = tables.visits, tables.activities, tables.agreements, tables.obligations
    # Entries named as ``DossierEntry`` names them, made by the database: a country may have
    # thousands of visits, validated in one call.
    visits = _ENTRIES.validate_python(as_dicts(await session.execute(
        _dated(
            of_unit(select((v.c.direction + " visit").label("what"), v.c.kind, v.c.status,
                           v.c.start_date.label("date"), v.c.title_en.label("title"))
                    .where(v.c.country_code == code), v, unit),
            v.c.start_date, first, last,
        ).order_by(v.c.start_date)
    )))  # fmt: skip
    activities = _ENTRIES.validate_python(as_dicts(await session.execute(
        _dated(
            of_unit(select(func.replace(a.c.activity_type, "_", " ").label("what"), a.c.kind,
                           a.c.status, a.c.start_date.label("date"))
                    .where(a.c.country_code == code), a, unit),
            a.c.start_date, first, last,
        ).order_by(a.c.start_date)
    )))  # fmt: skip
    agreements = [
        DossierEntry(what="agreement", kind=r.agreement_type, status=r.status, date=r.signed_on)
        for r in await session.execute(
            _dated(of_unit(select(g), g, unit), g.c.signed_on, first, last).order_by(
                g.c.agreement_id
            )
        )
        if code in r.countries
    ]
    c, d, vc = tables.commissions, tables.commission_decisions, tables.visit_commitments
    decided = (
        select(d.c.obligation_id)
        .join(c, c.c.commission_id == d.c.commission_id)
        .where(c.c.partner_country == code)
    )
    committed = select(vc.c.commitment_id).where(vc.c.country_code == code)
    concerned = or_(o.c.obligation_id.in_(decided), o.c.origin_ref.in_(committed))
    obligations = [
        DossierEntry(
            what="obligation",
            kind=r.kinds.strip("|"),
            status=r.status,
            date=r.deadline,
            title=text_in(r.title, lang),
        )
        for r in await session.execute(
            _dated(select(o).where(concerned), o.c.deadline, first, last).order_by(o.c.deadline)
        )
        if unit is None or serves(r._mapping, unit)
    ]
    return {
        "country_code": code, "report_date": on, "language": lang, "unit": unit,
        "visits": visits, "meetings_events_trips": activities, "agreements": agreements,
        "obligations": obligations,
    }  # fmt: skip
