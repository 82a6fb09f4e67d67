"""Meetings, international events, business trips and agreements, as reporting keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.reporting import tables
from services.reporting.obligation_projection import _all_but
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as ag
from shared.contracts import visits as vi
from shared.db import upsert

# activity type, id field, kind field, unit field (meetings are the Minister's: no unit)
_ACTIVITY = {
    vi._MeetingEvent: ("meeting", "meeting_id", "counterpart_type", None),
    vi._InternationalEventEvent: (
        "international_event", "international_event_id", "event_kind", "responsible_unit"
    ),
    vi._BusinessTripEvent: ("business_trip", "business_trip_id", "funding", "unit"),
}  # fmt: skip


async def project(session: Any, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]) -> None:
    activities: dict[str, dict[str, Any]] = {}
    agreements: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        version = e.envelope.aggregateversion
        for base, (kind, key, sub, unit) in _ACTIVITY.items():
            if isinstance(p, base):
                activities[getattr(p, key)] = {
                    "activity_id": getattr(p, key), "activity_type": kind,
                    "kind": getattr(p, sub), "status": p.status, "start_date": p.start_date,
                    "country_code": p.country_code, "version": version,
                    "unit": getattr(p, unit) if unit else None,
                }  # fmt: skip
        if isinstance(p, ag._AgreementEvent):
            agreements[p.agreement_id] = {
                "agreement_id": p.agreement_id, "agreement_type": p.agreement_type,
                "status": p.status, "countries": list(p.party_countries),
                "signed_on": p.signed_on, "in_force_on": p.in_force_on, "version": version,
                "unit": p.responsible_unit,
            }  # fmt: skip
    for table, key, rows in (
        (tables.activities, "activity_id", activities),
        (tables.agreements, "agreement_id", agreements),
    ):
        if rows:
            await session.execute(
                upsert(dialect, table, [key], lambda new, t=table, k=key: _all_but(t, new, k)),
                list(rows.values()),
            )
