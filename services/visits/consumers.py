"""What the visits service takes from other services' streams: passports, for trip readiness."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import passport_view, tables, usecases
from shared import topics
from shared.app import ServiceContext
from shared.consumer import EventConsumer, ReceivedEvent


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    async def apply(session: AsyncSession, events: Sequence[ReceivedEvent]) -> None:
        assert ctx.outbox is not None
        holders = await passport_view.record(session, events)
        if holders:
            await usecases.reassess_readiness(
                session, ctx.outbox, holders, ctx.settings.passport_validity_margin_days
            )

    return [ctx.consumer(topics=[topics.PASSPORTS], inbox=tables.inbox, apply=apply)]
