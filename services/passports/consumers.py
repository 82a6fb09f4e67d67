"""What the passports service takes from other services' streams: the directory's records,
to check the unit a holder works in and to link the units kept as text. It is the source of
passport facts; visits and reporting consume its events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import tables
from shared import topics
from shared.app import ServiceContext
from shared.consumer import EventConsumer, ReceivedEvent
from shared.directory_view import record_directory_events


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    async def apply(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
        await record_directory_events(session, tables.directory, tables.LINKED_FIELDS, events)

    return [ctx.consumer(topics=[topics.DIRECTORY], inbox=tables.inbox, apply=apply)]
