"""The country dossier: everything the office did with one country in a period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import (
    About,
    Lang,
    concerns_unit,
    for_unit,
    heading_lines,
    in_language,
    names_on,
    natural,
    text_in,
)
from services.reporting.reports.language import country as country_name
from services.reporting.reports.language import day, word
from services.reporting.reports.tabular import Rows, Sheet
from shared.db import as_dicts
from shared.types import Day

ENTRY_COLUMNS = ("what", "kind", "status", "date", "title")


class DossierEntry(BaseModel):
    """One record involving the country."""

    what: str = Field(
        description="visit, meeting, international event, business trip, agreement or obligation,"
        " in the report's language"
    )
    kind: str | None = Field(description="its kind or type")
    status: str = Field(description=About.STATUS)
    date: Day | None = Field(description="its date (start, signature or deadline)")
    title: str | None = Field(None, description="its title, in the report's language")


_ENTRIES = TypeAdapter(list[DossierEntry])
COUNTERPART_COLUMNS = ("name", "kind", "acronym", "status")


class Counterpart(BaseModel):
    """An organisation of the country the ministry deals with (from the directory)."""

    counterpart_id: str = Field(description="its id in the directory")
    name: str = Field(description="its name on the report's day, in the report's language")
    kind: str = Field(description="embassy, foreign_ministry, donor... (see the directory)")
    acronym: str | None = Field(description="its usual short name")
    status: str = Field(description="active or closed")


class CountryDossier(BaseModel):
    """Everything involving one country: visits, meetings, events, trips, agreements and
    obligations."""

    country_code: str = Field(description="ISO 3166-1 alpha-2")
    period_from: date | None = Field(None, description="dated on or after (when asked)")
    period_to: date | None = Field(None, description="dated on or before (when asked)")
    report_date: date = Field(description=About.REPORT_DATE)
    language: Lang = Field(description=About.LANGUAGE)
    unit: str | None = Field(None, description=About.UNIT)
    visits: list[DossierEntry] = Field(description="visits to or from the country")
    meetings_events_trips: list[DossierEntry] = Field(
        description="meetings with, events in and trips to the country"
    )
    agreements: list[DossierEntry] = Field(description="agreements the country is party to")
    obligations: list[DossierEntry] = Field(
        description="obligations towards the country (commission decisions, agreements' "
        "commitments)"
    )
    counterparts: list[Counterpart] = Field(
        [], description="the country's organisations the ministry deals with (the directory)"
    )
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"country-{self.country_code}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        name = country_name(self.country_code, lang)
        lines = heading_lines(self.report_date, self.unit, self.includes_events_until, lang)
        if self.period_from or self.period_to:
            first = day(self.period_from, lang) if self.period_from else "…"
            last = day(self.period_to, lang) if self.period_to else "…"
            lines.insert(0, f"{word('period', lang)}: {first} – {last}")
        return word("report.dossier", lang, country=name), lines

    def definitions_text(self) -> dict[str, str]:
        return {"obligations": "commission decisions and visit commitments concerning the country"}

    def sheets(self) -> list[Sheet]:
        everything = [
            *self.visits,
            *self.meetings_events_trips,
            *self.agreements,
            *self.obligations,
        ]
        return [
            Sheet("sheet.dossier", ENTRY_COLUMNS, Rows.of(everything, ENTRY_COLUMNS), True),
            Sheet("sheet.counterparts", COUNTERPART_COLUMNS,
                  Rows.of(self.counterparts, COUNTERPART_COLUMNS)),
        ]  # fmt: skip


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
            for_unit(select((v.c.direction + " visit").label("what"), v.c.kind, v.c.status,
                           v.c.start_date.label("date"), v.c.title_en.label("title"))
                    .where(v.c.country_code == code), v, unit),
            v.c.start_date, first, last,
        ).order_by(v.c.start_date)
    )))  # fmt: skip
    activities = _ENTRIES.validate_python(as_dicts(await session.execute(
        _dated(
            for_unit(select(func.replace(a.c.activity_type, "_", " ").label("what"), a.c.kind,
                           a.c.status, a.c.start_date.label("date"))
                    .where(a.c.country_code == code), a, unit),
            a.c.start_date, first, last,
        ).order_by(a.c.start_date)
    )))  # fmt: skip
    agreements = [
        DossierEntry(what="agreement", kind=r.agreement_type, status=r.status, date=r.signed_on)
        for r in await session.execute(
            _dated(for_unit(select(g), g, unit), g.c.signed_on, first, last).order_by(
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
    # only the columns shown (the title in the language, read out by the database); the
    # units only when the dossier is a unit's
    shown = [o.c.kinds, o.c.status, o.c.deadline, in_language(o.c.title, lang).label("title")]
    if unit is not None:
        shown += [o.c.lead_unit, o.c.supporting_units]
    obligations = [
        DossierEntry(
            what="obligation", kind=r.kinds.strip("|"), status=r.status, date=r.deadline,
            title=r.title or "",
        )
        for r in await session.execute(
            _dated(select(*shown).where(concerned), o.c.deadline, first, last)
            .order_by(o.c.deadline)
        )
        if unit is None or concerns_unit(r._mapping, unit)
    ]  # fmt: skip
    return {
        "country_code": code, "report_date": on, "language": lang, "unit": unit,
        "period_from": first, "period_to": last,
        "visits": visits, "meetings_events_trips": activities, "agreements": agreements,
        "obligations": obligations, "counterparts": await _counterparts(session, code, on, lang),
    }  # fmt: skip


async def _counterparts(
    session: AsyncSession, code: str, on: date, lang: Lang
) -> list[Counterpart]:
    """The country's organisations in the directory, named as on ``on``, by name."""
    t = tables.directory_counterparts
    rows = (await session.execute(select(t).where(t.c.country_code == code))).all()
    names = await names_on(session, [r.counterpart_id for r in rows], on, lang)
    found = [
        Counterpart(
            counterpart_id=r.counterpart_id,
            name=names.get(r.counterpart_id) or text_in(r.name, lang),
            kind=r.kind,
            acronym=r.acronym,
            status=r.status,
        )
        for r in rows
    ]
    return sorted(found, key=lambda c: natural(c.name))
