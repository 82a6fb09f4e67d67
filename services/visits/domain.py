"""The visit and its lifecycle: plain Python, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from shared.contracts.base import LocalizedText
from shared.contracts.visits import STATUS_CHANGE_EVENTS, VisitCreatedV1
from shared.errors import RuleViolation, StateMachine

Direction = Literal["incoming", "outgoing"]

LIFECYCLE = StateMachine(
    {
        "draft": {"planned", "cancelled"},
        "planned": {"confirmed", "postponed", "cancelled"},
        "confirmed": {"in_progress", "postponed", "cancelled"},
        "in_progress": {"completed"},
        "completed": {"reported"},
        "postponed": {"planned", "cancelled"},
        "reported": set(),
        "cancelled": set(),
    }
)


@dataclass(frozen=True)
class Visit:
    id: str
    direction: str
    kind: str
    title: LocalizedText
    lead_level: str | None = None
    country_code: str | None = None
    organisation: str | None = None
    purpose: LocalizedText | None = None
    start_date: date | None = None
    end_date: date | None = None
    city: str | None = None
    responsible_unit: str | None = None
    responsible_officer: str | None = None
    status: str = "draft"
    status_reason: str | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    pending_events: tuple[object, ...] = field(default=(), compare=False, repr=False)


def register_visit(**fields: object) -> Visit:
    """A new visit in ``draft``, with the event that announces it."""
    visit = Visit(id=str(uuid.uuid4()), **fields)  # type: ignore[arg-type]
    _check_dates(visit)
    if not (visit.country_code or visit.organisation):
        raise RuleViolation("name the counterpart: a country, an organisation or both")
    created = VisitCreatedV1(
        visit_id=visit.id,
        direction=visit.direction,
        kind=visit.kind,
        lead_level=visit.lead_level,
        country_code=visit.country_code,
        organisation=visit.organisation,
        title=visit.title,
        start_date=visit.start_date,
        end_date=visit.end_date,
        city=visit.city,
        responsible_unit=visit.responsible_unit,
        status=visit.status,
    )
    return replace(visit, pending_events=(created,))


def change_status(visit: Visit, to: str, reason: str | None, today: date) -> Visit:
    """Move the visit along its lifecycle, refusing what a protocol officer would refuse."""
    LIFECYCLE.check(visit.status, to)
    _guard(visit, to, reason, today)
    changed = replace(visit, status=to, status_reason=reason, version=visit.version + 1)
    event = STATUS_CHANGE_EVENTS[to](
        visit_id=visit.id,
        from_status=visit.status,
        to_status=to,
        reason=reason,
        direction=visit.direction,
        country_code=visit.country_code,
        start_date=visit.start_date,
        end_date=visit.end_date,
    )
    return replace(changed, pending_events=(event,))


def _guard(visit: Visit, to: str, reason: str | None, today: date) -> None:
    if to in ("planned", "confirmed") and not (visit.start_date and visit.end_date):
        raise RuleViolation(f"a visit needs its start and end dates before it is {to}")
    if to in ("in_progress", "completed") and visit.start_date and today < visit.start_date:
        raise RuleViolation(f"the visit starts on {visit.start_date.isoformat()}; not before")
    if to in ("cancelled", "postponed") and not reason:
        raise RuleViolation(f"say why the visit is {to}: a reason is required")


def _check_dates(visit: Visit) -> None:
    if visit.start_date and visit.end_date and visit.end_date < visit.start_date:
        raise RuleViolation("the visit cannot end before it starts")
