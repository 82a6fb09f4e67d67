"""What the agreements service takes from other services' streams: a visit's follow-up
commitments become obligations; the directory's records are kept, to check references and
to link the names kept as text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.agreements import tables, usecases
from shared import topics
from shared.app import ServiceContext
from shared.consumer import EventConsumer, ReceivedEvent
from shared.contracts.visits import FollowUpCommittedV1
from shared.directory_view import record_directory_events


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    writer = ctx.writer

    async def apply(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
        await record_directory_events(session, tables.directory, tables.LINKED_FIELDS, events)
        for event in events:
            if event.envelope.type == FollowUpCommittedV1.event_type:
                commitment = FollowUpCommittedV1.model_validate(event.envelope.data)
                await usecases.register_visit_commitment(writer.joining(session), commitment)

    streams = [topics.VISITS, topics.DIRECTORY]
    return [ctx.consumer(topics=streams, inbox=tables.inbox, apply=apply)]
