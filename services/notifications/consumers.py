"""What the notifications service takes from the other services' streams: every due or
overdue fact, the events that settle them, the directory's units and heads' posts, and
passport holders' units."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications import tables, usecases
from shared import topics
from shared.app import ServiceContext
from shared.clock import now
from shared.consumer import EventConsumer, ReceivedEvent

STREAMS = [topics.AGREEMENTS, topics.VISITS, topics.PASSPORTS, topics.DIRECTORY]


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    async def apply(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
        await usecases.record_events(session, events, now())

    return [ctx.consumer(topics=STREAMS, inbox=tables.inbox, apply=apply)]
