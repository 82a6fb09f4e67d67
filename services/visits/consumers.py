"""What the visits service takes from other services' streams: passports, for trip readiness;
the directory's records, to check references and to link the names kept as text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import tables, usecases
from services.visits.repository import record_passport_events
from shared import topics
from shared.app import ServiceContext
from shared.consumer import EventConsumer, ReceivedEvent
from shared.directory_view import record_directory_events


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    writer = ctx.writer

    async def apply(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
        await record_directory_events(session, tables.directory, tables.LINKED_FIELDS, events)
        holders = await record_passport_events(session, events)
        if holders:
            await usecases.reassess_readiness(
                writer.joining(session), holders, ctx.settings.passport_validity_margin_days
            )

    streams = [topics.PASSPORTS, topics.DIRECTORY]
    return [ctx.consumer(topics=streams, inbox=tables.inbox, apply=apply)]
