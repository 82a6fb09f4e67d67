"""Events published by the visits service on ``irp.visits.events.v1``."""

from __future__ import annotations

from datetime import date

from shared.contracts.base import EventData, LocalizedText


class _VisitEvent(EventData):
    aggregate_type = "visit"
    visit_id: str


class VisitCreatedV1(_VisitEvent):
    event_type = "irp.visits.VisitCreated.v1"

    direction: str
    kind: str
    lead_level: str | None = None
    country_code: str | None = None
    organisation: str | None = None
    title: LocalizedText
    start_date: date | None = None
    end_date: date | None = None
    city: str | None = None
    responsible_unit: str | None = None
    status: str


class VisitStatusChanged(_VisitEvent):
    from_status: str
    to_status: str
    reason: str | None = None
    direction: str
    country_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class VisitPlannedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitPlanned.v1"


class VisitConfirmedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitConfirmed.v1"


class VisitStartedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitStarted.v1"


class VisitCompletedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitCompleted.v1"


class VisitReportedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitReported.v1"


class VisitPostponedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitPostponed.v1"


class VisitCancelledV1(VisitStatusChanged):
    event_type = "irp.visits.VisitCancelled.v1"


STATUS_CHANGE_EVENTS: dict[str, type[VisitStatusChanged]] = {
    "planned": VisitPlannedV1,
    "confirmed": VisitConfirmedV1,
    "in_progress": VisitStartedV1,
    "completed": VisitCompletedV1,
    "reported": VisitReportedV1,
    "postponed": VisitPostponedV1,
    "cancelled": VisitCancelledV1,
}
