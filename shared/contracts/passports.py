"""Events published by the passports service on ``irp.passports.events.v1``.

Holder events carry the holder id and non-identifying facts only: no names,
personal numbers, dates of birth or passport numbers.
"""

from __future__ import annotations

from datetime import date

from shared.contracts.base import EventData


class HolderRegisteredV1(EventData):
    event_type = "irp.passports.HolderRegistered.v1"
    aggregate_type = "holder"

    holder_id: str
    category: str
    unit: str | None = None
    appointed_on: date | None = None
