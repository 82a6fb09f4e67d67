"""The activity report (visits, meetings, events, trips, agreements, passports in a period)
and the projections' freshness: queries over the projections."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Table, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import About, Lang, for_unit, heading_lines
from services.reporting.reports.language import day, word
from services.reporting.reports.tabular import Sheet
from services.reporting.reports.units import UnitScope, unit_scope
from shared.envelope import as_utc, utcnow


class TypeCount(BaseModel):
    """How many events of one type the period saw."""

    stream: str = Field(description="the producing service")
    type: str = Field(description="the event type, e.g. irp.visits.VisitCompleted.v1")
    count: int = Field(description="how many")


class Breakdown(BaseModel):
    """Activities of one kind in the period."""

    total: int = Field(description="how many")
    by_status: dict[str, int] = Field(description="how many per status now")
    by_country: dict[str, int] = Field(description="how many per country (ISO 3166-1 alpha-2)")
    by_kind: dict[str, int] = Field(description="how many per kind or type")


class VisitFigures(BaseModel):
    """Visits that started in the period."""

    incoming: Breakdown = Field(description="foreign delegations to Georgia")
    outgoing: Breakdown = Field(description="the ministry's delegations abroad")
    by_level: dict[str, int] = Field(description="visits per lead official's rank")


class AgreementFigures(BaseModel):
    """Agreements in the period."""

    signed: int = Field(description="agreements signed")
    entered_into_force: int = Field(description="agreements that entered into force")
    by_type_signed: dict[str, int] = Field(description="agreements signed, per type")


class PassportFigures(BaseModel):
    """Passport movements in the period."""

    issued: int = Field(description="passports issued")
    handed_over: int = Field(description="passports handed over to their holders")
    returned: int = Field(description="passports returned to the office")
    cancelled: int = Field(description="passports cancelled")
    expiring_notices: int = Field(description="notices that a passport expires soon")
    return_overdue_notices: int = Field(description="notices that a passport's return is overdue")
    in_hand_at_end: int = Field(
        0, description="at the period's end: with their holders (handed over, or due back)"
    )
    in_safe_at_end: int = Field(
        0,
        description="at the period's end: kept by the office (in the safe, or issued and "
        "not yet handed over)",
    )
    overdue_at_end: int = Field(
        0,
        description="at the period's end: not back by their deadline (after a dismissal, "
        "or in the safe after a trip)",
    )


class MonthFigures(BaseModel):
    """The period's activity in one month."""

    month: str = Field(description="YYYY-MM")
    incoming_visits: int = Field(description="incoming visits that started in the month")
    outgoing_visits: int = Field(description="outgoing visits that started in the month")
    meetings: int = Field(description="meetings held (started) in the month")
    international_events: int = Field(description="international events that started in it")
    business_trips: int = Field(description="business trips that started in the month")
    agreements_signed: int = Field(description="agreements signed in the month")
    passports_issued: int = Field(description="passports issued in the month")


BY_MONTH = tuple(MonthFigures.model_fields)

ACTIVITY_DEFINITIONS = {
    "belongs_to_period": (
        "a visit, meeting, event or trip belongs to a period when its start date falls in it, "
        "with its status as of the report's moment"
    ),
    "agreements": "signed or entered into force on a date within the period",
    "passports": "issued, handed over, returned, cancelled or noticed within the period",
    "unit": (
        "visits and international events by their responsible unit, business trips by the "
        "travelling unit, agreements by their responsible unit, passports by the holder's unit; "
        "ministerial meetings have no unit and are left out when a unit is chosen"
    ),
    "by_type": "every event that occurred in the period, by stream and type; the whole office, "
    "so left out when a unit is chosen",
}


class ActivityReport(BaseModel):
    """The office's activity in a period: visits, meetings, events, trips, agreements and
    passports."""

    period_from: date = Field(description="the period's first day")
    period_to: date = Field(description="the period's last day")
    unit: str | None = Field(None, description=About.UNIT)
    language: Lang = Field("en", description=About.LANGUAGE)
    definitions: dict[str, str] = Field(ACTIVITY_DEFINITIONS, description=About.DEFINITIONS)
    visits: VisitFigures = Field(description="visits that started in the period")
    meetings: Breakdown = Field(description="meetings in the period")
    international_events: Breakdown = Field(description="international events in the period")
    business_trips: Breakdown = Field(description="business trips in the period")
    agreements: AgreementFigures = Field(
        description="agreements signed or entered into force in the period"
    )
    passports: PassportFigures = Field(description="passport movements in the period")
    total: int | None = Field(description="every event in the period; null with a unit")
    by_month: list[MonthFigures] = Field(
        default=[], description="each month of the period (or its part in the period)"
    )
    by_type: list[TypeCount] = Field(description="every event type the period saw, with its count")
    generated_at: datetime = Field(description="when the report was made (UTC)")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field({}, description=About.INCLUDES)

    def filename(self) -> str:
        return f"activity-{self.period_from}-{self.period_to}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        period = f"{day(self.period_from, lang)} – {day(self.period_to, lang)}"
        on = (self.as_of or self.generated_at).date()
        lines = heading_lines(on, self.unit, self.includes_events_until, lang)
        return word("report.activity", lang), [f"{word('period', lang)}: {period}", *lines]

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        def breakdown(name: str, b: Breakdown) -> list[list[Any]]:
            rows: list[list[Any]] = [[name, "total", None, b.total]]
            for dimension in ("by_status", "by_country", "by_kind"):
                rows += [[name, dimension, k, v] for k, v in getattr(b, dimension).items()]
            return rows

        figures = [
            *breakdown("incoming_visits", self.visits.incoming),
            *breakdown("outgoing_visits", self.visits.outgoing),
            *[["visits", "by_level", k, v] for k, v in self.visits.by_level.items()],
            *breakdown("meetings", self.meetings),
            *breakdown("international_events", self.international_events),
            *breakdown("business_trips", self.business_trips),
            ["agreements", "signed", None, self.agreements.signed],
            ["agreements", "entered_into_force", None, self.agreements.entered_into_force],
            *[["passports", k, None, v] for k, v in self.passports.model_dump().items()],
        ]
        months = [[getattr(m, key) for key in BY_MONTH] for m in self.by_month]
        return [
            Sheet("sheet.activity", ("what", "figure", "value", "count"), figures, True),
            Sheet("sheet.by_month", BY_MONTH, months),
            Sheet("sheet.events_by_type", ("stream", "type", "count"),
                  [[c.stream, c.type, c.count] for c in self.by_type], appendix=True),
        ]  # fmt: skip


class StreamFreshness(BaseModel):
    """How far the reports have read one event stream."""

    stream: str = Field(description="the producing service's stream")
    events_applied: int = Field(description="events applied to the reports so far")
    newest_event_id: str = Field(description="the id of the newest event applied")
    newest_event_type: str = Field(description="its type")
    newest_event_time: datetime = Field(description="when it occurred (UTC)")
    applied_at: datetime = Field(description="when it was applied (UTC)")
    seconds_since_applied: float = Field(
        description="seconds since anything was applied from the stream"
    )


class FreshnessReport(BaseModel):
    """How fresh the reports are: per event stream, the newest event applied."""

    streams: list[StreamFreshness] = Field(description="one entry per stream read so far")
    generated_at: datetime = Field(description="when this answer was made (UTC)")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _tally(rows: list[Any], key: str) -> dict[str, int]:
    """Sum the grouped counts (``n``) of ``rows`` by one column; no value shows as —."""
    counted: dict[str, int] = {}
    for r in rows:
        name = str(getattr(r, key) or "—")
        counted[name] = counted.get(name, 0) + r.n
    return dict(sorted(counted.items()))


def _count(values: list[Any]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for v in values:
        counted[str(v or "—")] = counted.get(str(v or "—"), 0) + 1
    return dict(sorted(counted.items()))


def _breakdown(rows: list[Any], kind: str = "kind") -> Breakdown:
    return Breakdown(
        total=sum(r.n for r in rows),
        by_status=_tally(rows, "status"),
        by_country=_tally(rows, "country_code"),
        by_kind=_tally(rows, kind),
    )


async def _grouped(
    session: AsyncSession, table: Table, columns: list[str], unit: UnitScope | None, *where: Any
) -> list[Any]:
    """Counts per combination of ``columns``: a few hundred rows, however many records."""
    keys = [table.c[c] for c in columns]
    query = select(*keys, func.count().label("n")).where(*where).group_by(*keys)
    return list((await session.execute(for_unit(query, table, unit))).all())


async def _visits(
    session: AsyncSession, first: date, last: date, unit: UnitScope | None
) -> VisitFigures:
    v = tables.visits
    columns = ["direction", "kind", "country_code", "lead_level", "status"]
    rows = await _grouped(session, v, columns, unit, v.c.start_date.between(first, last))
    return VisitFigures(
        incoming=_breakdown([r for r in rows if r.direction == "incoming"]),
        outgoing=_breakdown([r for r in rows if r.direction == "outgoing"]),
        by_level=_tally(rows, "lead_level"),
    )


ACTIVITY_TYPES = ("meeting", "international_event", "business_trip")


async def _activities(
    session: AsyncSession, first: date, last: date, unit: UnitScope | None
) -> dict[str, Breakdown]:
    """Each type's breakdown (meetings, international events, business trips): one query."""
    a = tables.activities
    columns = ["activity_type", "kind", "country_code", "status"]
    scope = (a.c.activity_type.in_(ACTIVITY_TYPES), a.c.start_date.between(first, last))
    rows = await _grouped(session, a, columns, unit, *scope)  # by the type-and-day index
    return {t: _breakdown([r for r in rows if r.activity_type == t]) for t in ACTIVITY_TYPES}


async def _agreements(
    session: AsyncSession, first: date, last: date, unit: UnitScope | None
) -> AgreementFigures:
    g = tables.agreements
    query = select(g).where(
        or_(g.c.signed_on.between(first, last), g.c.in_force_on.between(first, last))
    )
    rows = (await session.execute(for_unit(query, g, unit))).all()
    signed = [r for r in rows if r.signed_on and first <= r.signed_on <= last]
    in_force = [r for r in rows if r.in_force_on and first <= r.in_force_on <= last]
    return AgreementFigures(
        signed=len(signed),
        entered_into_force=len(in_force),
        by_type_signed=_count([r.agreement_type for r in signed]),
    )


async def _passports(
    session: AsyncSession, first: date, last: date, unit: UnitScope | None
) -> PassportFigures:
    t = tables.passports
    counts = {
        figure: func.count().filter(t.c[step].between(first, last))
        for figure, step in PASSPORT_FIGURES.items()
    }
    query = for_unit(select(*[c.label(f) for f, c in counts.items()]), t, unit)
    moved = (await session.execute(query)).one()._mapping
    return PassportFigures(**moved, **await _positions_at(session, last, unit))


WITH_HOLDER, WITH_OFFICE = {"handed_over", "return_due"}, {"in_safe", "issued"}


async def _positions_at(
    session: AsyncSession, last: date, unit: UnitScope | None
) -> dict[str, int]:
    """Where the passports were at the end of ``last``: each passport's newest move by then
    says its status and when it was due back."""
    m, p = tables.passport_moves, tables.passports
    end = datetime.combine(last + timedelta(days=1), time(), UTC)
    newest = (
        select(m.c.passport_id, func.max(m.c.version).label("version"))
        .where(m.c.occurred_at < end)
        .group_by(m.c.passport_id)
        .subquery()
    )
    query = select(m.c.status, m.c.back_by).join(
        newest, (m.c.passport_id == newest.c.passport_id) & (m.c.version == newest.c.version)
    )
    if unit is not None:
        query = query.join(p, p.c.passport_id == m.c.passport_id).where(
            unit.where(p.c.unit_id, p.c.unit)
        )
    found = {"in_hand_at_end": 0, "in_safe_at_end": 0, "overdue_at_end": 0}
    for status, back_by in await session.execute(query):
        found["in_hand_at_end"] += status in WITH_HOLDER
        found["in_safe_at_end"] += status in WITH_OFFICE
        late = status in WITH_HOLDER and back_by is not None and back_by < last
        found["overdue_at_end"] += late
    return found


PASSPORT_FIGURES = {
    "issued": "issued_day",
    "handed_over": "handed_over_day",
    "returned": "returned_day",
    "cancelled": "cancelled_day",
    "expiring_notices": "expiring_day",
    "return_overdue_notices": "return_overdue_day",
}


async def activity(
    session: AsyncSession,
    period_from: date,
    period_to: date,
    unit: str | None = None,
    lang: Lang = "en",
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the office (or one unit) did in the period (both days included, UTC)."""
    first, last = period_from, period_to
    by_type = [] if unit else await _by_type(session, first, last)
    scope = await unit_scope(session, unit, last, lang)
    activities = await _activities(session, first, last, scope)
    return dict(
        period_from=first,
        period_to=last,
        unit=scope.label if scope else None,
        language=lang,
        visits=await _visits(session, first, last, scope),
        meetings=activities["meeting"],
        international_events=activities["international_event"],
        business_trips=activities["business_trip"],
        agreements=await _agreements(session, first, last, scope),
        passports=await _passports(session, first, last, scope),
        total=None if scope else sum(c.count for c in by_type),
        by_month=await _by_month(session, first, last, scope),
        by_type=by_type,
        generated_at=now or utcnow(),
    )


async def _by_month(
    session: AsyncSession, first: date, last: date, unit: UnitScope | None
) -> list[MonthFigures]:
    """Each month's figures: counted per day by the database (a few hundred rows a year),
    summed into months here, so that one query serves SQLite and PostgreSQL alike."""
    v, a, g, p = tables.visits, tables.activities, tables.agreements, tables.passports
    sources = [  # table, the day that places a record in a month, what kind of record it is
        (v, v.c.start_date, v.c.direction),
        (a, a.c.start_date, a.c.activity_type),
        (g, g.c.signed_on, None),
        (p, p.c.issued_day, None),
    ]
    counted: dict[str, dict[str, int]] = {m: {} for m in months_between(first, last)}
    parts = []
    for table, on, kind in sources:
        keys = [on] if kind is None else [on, kind]
        what = literal(table.name) if kind is None else kind
        query = select(func.count(), on.label("day"), what.label("what"))
        parts.append(for_unit(query.where(on.between(first, last)).group_by(*keys), table, unit))
    for n, day_, what in await session.execute(union_all(*parts)):  # one statement
        figure = _MONTH_FIGURE.get(what)
        if figure is not None:
            month = counted[f"{day_:%Y-%m}"]
            month[figure] = month.get(figure, 0) + n
    return [
        MonthFigures(month=month, **{k: figures.get(k, 0) for k in BY_MONTH[1:]})
        for month, figures in counted.items()
    ]


# Which figure of a month a record counts in, by its kind (or its table's name).
_MONTH_FIGURE = {
    "incoming": "incoming_visits", "outgoing": "outgoing_visits", "meeting": "meetings",
    "international_event": "international_events", "business_trip": "business_trips",
    "agreements": "agreements_signed", "passports": "passports_issued",
}  # fmt: skip


def months_between(first: date, last: date) -> list[str]:
    """Every month (``YYYY-MM``) from ``first``'s to ``last``'s, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def _by_type(session: AsyncSession, first: date, last: date) -> list[TypeCount]:
    t = tables.daily_counts
    rows = await session.execute(
        select(t.c.stream, t.c.type, func.sum(t.c.count))
        .where(t.c.day.between(first, last))
        .group_by(t.c.stream, t.c.type)
        .order_by(t.c.stream, t.c.type)
    )
    return [TypeCount(stream=s, type=ty, count=c) for s, ty, c in rows]


async def freshness(session: AsyncSession) -> FreshnessReport:
    now = utcnow()
    t = tables.stream_positions
    rows = await session.execute(select(t).order_by(t.c.stream))
    return FreshnessReport(
        streams=[
            StreamFreshness(
                stream=r.stream,
                events_applied=r.events_applied,
                newest_event_id=r.last_event_id,
                newest_event_type=r.last_event_type,
                newest_event_time=as_utc(r.last_event_time),
                applied_at=as_utc(r.last_applied_at),
                seconds_since_applied=round((now - as_utc(r.last_applied_at)).total_seconds(), 3),
            )
            for r in rows
        ],
        generated_at=now,
    )
