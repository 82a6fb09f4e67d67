"""Reports: queries over the projections, nothing computed at event time is lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from shared.envelope import as_utc, utcnow


class TypeCount(BaseModel):
    stream: str
    type: str
    count: int


class ActivityReport(BaseModel):
    period_from: date
    period_to: date
    total: int
    by_type: list[TypeCount]
    generated_at: datetime


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


async def activity(session: AsyncSession, period_from: date, period_to: date) -> ActivityReport:
    """What happened in the period (both days included, UTC), counted by event type."""
    t = tables.events
    rows = await session.execute(
        select(t.c.stream, t.c.type, func.count())
        .where(
            t.c.occurred_at >= _day_start(period_from),
            t.c.occurred_at < _day_start(period_to + timedelta(days=1)),
        )
        .group_by(t.c.stream, t.c.type)
        .order_by(t.c.stream, t.c.type)
    )
    by_type = [TypeCount(stream=s, type=ty, count=c) for s, ty, c in rows]
    return ActivityReport(
        period_from=period_from,
        period_to=period_to,
        total=sum(c.count for c in by_type),
        by_type=by_type,
        generated_at=utcnow(),
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
