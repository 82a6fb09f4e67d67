"""The country dossier: everything the office did with one country in a period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import String, cast, func, literal, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import (
    About,
    Lang,
    concerns_unit,
    for_unit,
    heading_lines,
    in_language,
    natural,
)
from services.reporting.reports.language import country as country_name
from services.reporting.reports.language import day, text_in, word
from services.reporting.reports.tabular import Rows, Sheet
from services.reporting.reports.units import names_on, unit_scope
from shared.db import as_dicts
from shared.errors import NotFound
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


CONTACT_COLUMNS = ("counterpart", "what", "kind", "status", "date", "title")


class Contact(DossierEntry):
    """One visit, meeting, event or agreement involving a counterpart (or its post)."""

    counterpart: str = Field(description="who: the organisation's name or the post's title")


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
    contacts: list[Contact] = Field(
        [], description="the contact history with each of them, by organisation then date"
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
            Sheet("sheet.contacts", CONTACT_COLUMNS, Rows.of(self.contacts, CONTACT_COLUMNS), True),
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
    scope = await unit_scope(session, unit, on, lang)
    # Entries named as ``DossierEntry`` names them, made by the database: a country may have
    # thousands of visits, validated in one call.
    visits = _ENTRIES.validate_python(as_dicts(await session.execute(
        _dated(
            for_unit(select((v.c.direction + " visit").label("what"), v.c.kind, v.c.status,
                           v.c.start_date.label("date"), v.c.title_en.label("title"))
                    .where(v.c.country_code == code), v, scope),
            v.c.start_date, first, last,
        ).order_by(v.c.start_date)
    )))  # fmt: skip
    activities = _ENTRIES.validate_python(as_dicts(await session.execute(
        _dated(
            for_unit(select(func.replace(a.c.activity_type, "_", " ").label("what"), a.c.kind,
                           a.c.status, a.c.start_date.label("date"))
                    .where(a.c.country_code == code), a, scope),
            a.c.start_date, first, last,
        ).order_by(a.c.start_date)
    )))  # fmt: skip
    agreements = [
        DossierEntry(what="agreement", kind=r.agreement_type, status=r.status, date=r.signed_on)
        for r in await session.execute(
            _dated(for_unit(select(g), g, scope), g.c.signed_on, first, last).order_by(
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
    if scope is not None:
        shown += [o.c.lead_unit, o.c.lead_unit_id, o.c.supporting_units, o.c.supporting_unit_ids]
    obligations = [
        DossierEntry(
            what="obligation", kind=r.kinds.strip("|"), status=r.status, date=r.deadline,
            title=r.title or "",
        )
        for r in await session.execute(
            _dated(select(*shown).where(concerned), o.c.deadline, first, last)
            .order_by(o.c.deadline)
        )
        if scope is None or concerns_unit(r._mapping, scope)
    ]  # fmt: skip
    counterparts = await _counterparts(session, code, on, lang)
    contacted = {c.counterpart_id: (c.counterpart_id, c.name) for c in counterparts}
    return {
        "country_code": code, "report_date": on, "language": lang,
        "unit": scope.label if scope else None,
        "period_from": first, "period_to": last,
        "visits": visits, "meetings_events_trips": activities, "agreements": agreements,
        "obligations": obligations, "counterparts": counterparts,
        "contacts": await _contacts(session, contacted, lang, first, last),
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


async def _contacts(
    session: AsyncSession,
    named: dict[str, tuple[str, str]],
    lang: Lang,
    first: date | None,
    last: date | None,
) -> list[Contact]:
    """Every visit, meeting, event and agreement that names these organisations or posts
    (``named``: id → its organisation's id and how the dossier names it), by counterpart
    then date."""
    if not named:
        return []
    v, a, g = tables.visits, tables.activities, tables.agreements
    sources = (  # table, what, kind, date, title
        (v, v.c.direction + " visit", v.c.kind, v.c.start_date, v.c.title_en),
        (a, func.replace(a.c.activity_type, "_", " "), a.c.kind, a.c.start_date, None),
        (g, literal("agreement"), g.c.agreement_type, g.c.signed_on, None),
    )
    found = []
    for table, what, kind, on, title in sources:
        ids = cast(table.c.counterpart_ids, String)
        names = or_(*(ids.like(f'%"{i}"%') for i in named))
        query = select(
            table.c.counterpart_ids, what.label("what"), kind.label("kind"), table.c.status,
            on.label("date"), (title if title is not None else null()).label("title"),
        ).where(names)  # fmt: skip
        for r in await session.execute(_dated(query, on, first, last)):
            # one entry per organisation a record names, by its post when it names one too
            labels: dict[str, str] = {}
            for i in r.counterpart_ids or []:
                if i in named:
                    group, label = named[i]
                    labels[group] = label if group != i or group not in labels else labels[group]
            found += [Contact(counterpart=label, **_entry(r._mapping)) for label in labels.values()]
    return sorted(found, key=lambda c: (natural(c.counterpart), c.date or date.max, c.what))


def _entry(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in ENTRY_COLUMNS}


POST_COLUMNS = ("title", "valid_from", "valid_to", "status")


class PostHeld(BaseModel):
    """A post of the organisation: its title and dates, never who holds it."""

    post_id: str = Field(description="its id in the directory")
    title: str = Field(description="its title, in the report's language")
    valid_from: date = Field(description="the first day it was held")
    valid_to: date | None = Field(description="the last day, once it ended")
    status: str = Field(description="held or ended")


class CounterpartDossier(BaseModel):
    """Everything the office did with one organisation (and the people in its posts), or
    with one person in a post: the contact history."""

    counterpart_id: str = Field(description="the organisation's or the post's id")
    name: str = Field(
        description="the organisation's name on the report's day, or the post's title"
    )
    kind: str = Field(description="the organisation's kind, or post")
    country_code: str | None = Field(description="its country, ISO 3166-1 alpha-2")
    organisation: str | None = Field(description="for a post: the organisation it is in")
    period_from: date | None = Field(None, description="dated on or after (when asked)")
    period_to: date | None = Field(None, description="dated on or before (when asked)")
    report_date: date = Field(description=About.REPORT_DATE)
    language: Lang = Field(description=About.LANGUAGE)
    posts: list[PostHeld] = Field(description="for an organisation: its posts, oldest first")
    contacts: list[Contact] = Field(description="every contact, by date")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"counterpart-{self.counterpart_id}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        lines = heading_lines(self.report_date, None, self.includes_events_until, lang)
        if self.organisation:
            lines.insert(0, f"{word('organisation', lang)}: {self.organisation}")
        if self.country_code:
            lines.insert(0, f"{word('country', lang)}: {country_name(self.country_code, lang)}")
        return word("report.counterpart", lang, name=self.name), lines

    def definitions_text(self) -> dict[str, str]:
        return {"contacts": "visits, meetings, events and agreements naming it or its posts"}

    def sheets(self) -> list[Sheet]:
        return [
            Sheet("sheet.contacts", CONTACT_COLUMNS, Rows.of(self.contacts, CONTACT_COLUMNS), True),
            Sheet("sheet.posts", POST_COLUMNS, Rows.of(self.posts, POST_COLUMNS)),
        ]


async def counterpart(
    session: AsyncSession,
    counterpart_id: str,
    lang: Lang,
    on: date,
    first: date | None = None,
    last: date | None = None,
) -> dict[str, Any]:
    """The contact history with an organisation (its posts included) or a post."""
    c, p = tables.directory_counterparts, tables.directory_posts
    found = (await session.execute(select(c).where(c.c.counterpart_id == counterpart_id))).first()
    post = (await session.execute(select(p).where(p.c.post_id == counterpart_id))).first()
    if found is None and post is None:
        raise NotFound(f"no counterpart or post {counterpart_id} in the directory")
    if post is not None:
        organisation = None
        if post.organisation_id:
            named = await names_on(session, [post.organisation_id], on, lang)
            organisation = named.get(post.organisation_id)
        title = text_in(post.title, lang)
        head = {"name": title, "kind": "post", "country_code": None, "organisation": organisation}
        posts, contacted = [], {counterpart_id: (counterpart_id, title)}
    else:
        name = (await names_on(session, [counterpart_id], on, lang)).get(counterpart_id)
        name = name or text_in(found.name, lang)
        head = {"name": name, "kind": found.kind, "country_code": found.country_code,
                "organisation": None}  # fmt: skip
        query = select(p).where(p.c.organisation_id == counterpart_id).order_by(p.c.valid_from)
        posts = [
            PostHeld(post_id=r.post_id, title=text_in(r.title, lang), valid_from=r.valid_from,
                     valid_to=r.valid_to, status=r.status)
            for r in await session.execute(query)
        ]  # fmt: skip
        contacted = {
            counterpart_id: (counterpart_id, name),
            **{x.post_id: (counterpart_id, f"{name}: {x.title}") for x in posts},
        }
    contacts = await _contacts(session, contacted, lang, first, last)
    return {
        "counterpart_id": counterpart_id, **head, "period_from": first, "period_to": last,
        "report_date": on, "language": lang, "posts": posts,
        "contacts": sorted(contacts, key=lambda x: (x.date or date.max, x.what)),
    }  # fmt: skip
