"""What the passports service takes from other services' streams: nothing. It is the source
of passport facts; visits and reporting consume its events, it consumes none."""

from __future__ import annotations

from shared.app import ServiceContext
from shared.consumer import EventConsumer


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    return []
