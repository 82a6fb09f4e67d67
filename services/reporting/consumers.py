"""What reporting takes from the other services' streams: everything, into its projections."""

from __future__ import annotations

from services.reporting import tables
from services.reporting.projections import apply
from shared import topics
from shared.app import ServiceContext
from shared.consumer import EventConsumer

STREAMS = (
    topics.VISITS, topics.AGREEMENTS, topics.PASSPORTS, topics.DIRECTORY, topics.NOTIFICATIONS,
)  # fmt: skip


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    return [ctx.consumer(topics=STREAMS, inbox=tables.inbox, apply=apply.apply_events)]
