"""Meetings, international events and business trips, as reporting keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.reporting import tables
from services.reporting.projections.common import contacted, upsert_rows
from shared.consumer import ReceivedEvent
from shared.contracts import visits as visit_events

# activity type, id field, kind field, unit field (meetings are the Minister's: no unit),
# the fields naming the directory's organisations and posts it involves
_ACTIVITY = {
    visit_events.MeetingEvent: (
        "meeting", "meeting_id", "counterpart_type", None,
        ("organisation_id", "counterpart_post_id"),
    ),
    visit_events.InternationalEventEvent: (
        "international_event", "international_event_id", "event_kind", "responsible_unit",
        ("partner_ids",),
    ),
    visit_events.BusinessTripEvent: (
        "business_trip", "business_trip_id", "funding", "unit", (),
    ),
}  # fmt: skip


async def project(session: Any, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]) -> None:
    activities: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        version = e.envelope.aggregateversion
        for base, (kind, key, sub, unit, involved) in _ACTIVITY.items():
            if isinstance(p, base):
                named = [getattr(p, f) for f in involved]
                ids = [i for n in named for i in (n if isinstance(n, list) else [n])]
                activities[getattr(p, key)] = {
                    "activity_id": getattr(p, key), "activity_type": kind,
                    "kind": getattr(p, sub), "status": p.status, "start_date": p.start_date,
                    "country_code": p.country_code, "version": version,
                    "unit": getattr(p, unit) if unit else None,
                    "unit_id": getattr(p, f"{unit}_id") if unit else None,
                    "counterpart_ids": contacted(*ids),
                }  # fmt: skip
    if activities:
        t = tables.activities
        await upsert_rows(session, dialect, t, ["activity_id"], activities.values())
