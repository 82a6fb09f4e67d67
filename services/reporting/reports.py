"""Reports: queries over the projections, nothing computed at event time is lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.formats import Sheet
from shared.envelope import as_utc, utcnow


class TypeCount(BaseModel):
    stream: str
    type: str
    count: int


class Breakdown(BaseModel):
    total: int
    by_status: dict[str, int]
    by_country: dict[str, int]
    by_kind: dict[str, int]


class VisitFigures(BaseModel):
    incoming: Breakdown
    outgoing: Breakdown
    by_level: dict[str, int]


class AgreementFigures(BaseModel):
    signed: int
    entered_into_force: int
    by_type_signed: dict[str, int]


class PassportFigures(BaseModel):
    issued: int
    handed_over: int
    returned: int
    cancelled: int
    expiring_notices: int
    return_overdue_notices: int


ACTIVITY_DEFINITIONS = {
    "belongs_to_period": (
        "a visit, meeting, event or trip belongs to a period when its start date falls in it, "
        "with its status as of the report's moment"
    ),
    "agreements": "signed or entered into force on a date within the period",
    "passports": "issued, handed over, returned, cancelled or noticed within the period",
    "by_type": "every event that occurred in the period, by stream and type",
}


class ActivityReport(BaseModel):
    period_from: date
    period_to: date
    definitions: dict[str, str] = ACTIVITY_DEFINITIONS
    visits: VisitFigures
    meetings: Breakdown
    international_events: Breakdown
    business_trips: Breakdown
    agreements: AgreementFigures
    passports: PassportFigures
    total: int
    by_type: list[TypeCount]
    generated_at: datetime
    as_of: datetime | None = None
    includes_events_until: dict[str, datetime] = {}

    def heading(self) -> tuple[str, list[str]]:
        current = ", ".join(
            f"{k} {v:%Y-%m-%d %H:%M} UTC" for k, v in self.includes_events_until.items()
        )
        period = f"{self.period_from.isoformat()} to {self.period_to.isoformat()}"
        return "Activity report", [
            f"Period {period}",
            f"Includes events until: {current or 'none'}",
        ]

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        def breakdown(name: str, b: Breakdown) -> list[list[Any]]:
            rows: list[list[Any]] = [[name, "total", "", b.total]]
            for dimension in ("by_status", "by_country", "by_kind"):
                rows += [[name, dimension, k, v] for k, v in getattr(b, dimension).items()]
            return rows

        figures = [
            *breakdown("incoming visits", self.visits.incoming),
            *breakdown("outgoing visits", self.visits.outgoing),
            *[["visits", "by_level", k, v] for k, v in self.visits.by_level.items()],
            *breakdown("meetings", self.meetings),
            *breakdown("international events", self.international_events),
            *breakdown("business trips", self.business_trips),
            ["agreements", "signed", "", self.agreements.signed],
            ["agreements", "entered into force", "", self.agreements.entered_into_force],
            *[["passports", k, "", v] for k, v in self.passports.model_dump().items()],
        ]
        return [
            Sheet("Activity", ("what", "measure", "value", "count"), figures),
            Sheet("Events by type", ("stream", "type", "count"),
                  [[c.stream, c.type, c.count] for c in self.by_type], True),
        ]  # fmt: skip


class StreamFreshness(BaseModel):
    stream: str
    events_applied: int
    newest_event_id: str
    newest_event_type: str
    newest_event_time: datetime
    applied_at: datetime
    seconds_since_applied: float


class FreshnessReport(BaseModel):
    streams: list[StreamFreshness]
    generated_at: datetime


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _count(values: list[Any]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for v in values:
        counted[str(v or "—")] = counted.get(str(v or "—"), 0) + 1
    return dict(sorted(counted.items()))


def _breakdown(rows: list[Any], kind: str = "kind") -> Breakdown:
    return Breakdown(
        total=len(rows),
        by_status=_count([r.status for r in rows]),
        by_country=_count([r.country_code for r in rows]),
        by_kind=_count([getattr(r, kind) for r in rows]),
    )


async def _visits(session: AsyncSession, first: date, last: date) -> VisitFigures:
    v = tables.visits
    columns = (v.c.direction, v.c.kind, v.c.country_code, v.c.lead_level, v.c.status)
    rows = (
        await session.execute(select(*columns).where(v.c.start_date.between(first, last)))
    ).all()
    return VisitFigures(
        incoming=_breakdown([r for r in rows if r.direction == "incoming"]),
        outgoing=_breakdown([r for r in rows if r.direction == "outgoing"]),
        by_level=_count([r.lead_level for r in rows]),
    )


async def _activities(session: AsyncSession, kind: str, first: date, last: date) -> Breakdown:
    a = tables.activities
    rows = (
        await session.execute(
            select(a).where(a.c.activity_type == kind, a.c.start_date.between(first, last))
        )
    ).all()
    return _breakdown(rows)


async def _agreements(session: AsyncSession, first: date, last: date) -> AgreementFigures:
    g = tables.agreements
    rows = (await session.execute(select(g))).all()
    signed = [r for r in rows if r.signed_on and first <= r.signed_on <= last]
    in_force = [r for r in rows if r.in_force_on and first <= r.in_force_on <= last]
    return AgreementFigures(
        signed=len(signed),
        entered_into_force=len(in_force),
        by_type_signed=_count([r.agreement_type for r in signed]),
    )


def _passports(by_type: dict[str, int]) -> PassportFigures:
    def n(name: str) -> int:
        return by_type.get(f"irp.passports.{name}.v1", 0)

    return PassportFigures(
        issued=n("PassportIssued"),
        handed_over=n("PassportHandedOver"),
        returned=n("PassportReturned"),
        cancelled=n("PassportCancelled"),
        expiring_notices=n("PassportExpiring"),
        return_overdue_notices=n("PassportReturnOverdue"),
    )


async def activity(
    session: AsyncSession, period_from: date, period_to: date, now: datetime | None = None
) -> dict[str, Any]:
    """What the office did in the period (both days included, UTC)."""
    t = tables.daily_counts
    rows = await session.execute(
        select(t.c.stream, t.c.type, func.sum(t.c.count))
        .where(t.c.day.between(period_from, period_to))
        .group_by(t.c.stream, t.c.type)
        .order_by(t.c.stream, t.c.type)
    )
    by_type = [TypeCount(stream=s, type=ty, count=c) for s, ty, c in rows]
    counts = {c.type: c.count for c in by_type}
    return dict(
        period_from=period_from,
        period_to=period_to,
        visits=await _visits(session, period_from, period_to),
        meetings=await _activities(session, "meeting", period_from, period_to),
        international_events=await _activities(
            session, "international_event", period_from, period_to
        ),
        business_trips=await _activities(session, "business_trip", period_from, period_to),
        agreements=await _agreements(session, period_from, period_to),
        passports=_passports(counts),
        total=sum(c.count for c in by_type),
        by_type=by_type,
        generated_at=now or utcnow(),
    )


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
