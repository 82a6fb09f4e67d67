"""What the office page offers to choose from, read from the projections: the commissions
by name, the countries the office has records of (named by CLDR), the units it knows (the
directory's by their names today, and names written as text no unit has had). The
office picks a commission by its name, never by its identifier."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.language import Lang, country, text_in
from services.reporting.reports.units import Units
from shared.clock import today

MOST = 500  # a list longer than this is typed, not chosen


@dataclass(frozen=True)
class Choices:
    commissions: list[tuple[str, str]]  # (id, "name · partner country")
    countries: list[tuple[str, str]]  # (code, name)
    units: list[str]


async def choices(session: AsyncSession, lang: Lang) -> Choices:
    c = tables.commissions
    commissions = [
        (r.commission_id, f"{text_in(r.name, lang)} · {country(r.partner_country, lang)}")
        for r in await session.execute(select(c.c.commission_id, c.c.name, c.c.partner_country))
    ]
    v, a = tables.visits, tables.activities
    codes = union(
        select(v.c.country_code.label("code")).where(v.c.country_code.is_not(None)),
        select(a.c.country_code).where(a.c.country_code.is_not(None)),
        select(c.c.partner_country),
    )
    countries = [(code, country(code, lang)) for (code,) in await session.execute(codes)]
    o, g = tables.obligations, tables.agreements
    units = union(
        select(o.c.lead_unit.label("unit")),
        *[select(t.c.unit).where(t.c.unit.is_not(None)) for t in (v, a, g)],
    )
    found = await session.execute(select(units.subquery()).limit(MOST))
    return Choices(
        commissions=sorted(commissions, key=lambda kv: kv[1]),
        countries=sorted(countries, key=lambda kv: kv[1]),
        units=await _units(session, [unit for (unit,) in found if unit], lang),
    )


async def _units(session: AsyncSession, written: list[str], lang: Lang) -> list[str]:
    """The directory's units in force, by their names today, and the names written as text
    that no unit in the directory has had."""
    known = await Units.read(session)
    now = today()
    named = {
        known.name_on(unit_id, now, lang)
        for unit_id, unit in known.units.items()
        if unit.status == "active"
    }
    unknown = {name for name in written if known.known(name) is None}
    return sorted(n for n in named | unknown if n)[:MOST]
