"""A year of the office's obligations as the reporting service receives it, each event dated
as it happened: for the tests of reports as of past moments (the trend, the office page)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts.base import EventData, LocalizedText
from shared.envelope import EventEnvelope

TITLE = LocalizedText(en="Action Plan 2026")


def _event(payload: EventData, aggregate_id: str, version: int, when: datetime) -> ReceivedEvent:
    envelope = EventEnvelope.wrap(
        payload, service="agreements", aggregate_id=aggregate_id, aggregate_version=version,
        correlation_id=None, time=when,
    )  # fmt: skip
    return ReceivedEvent(envelope, "agreements", 0, 0)


def _registered(oid: str, kind: str, when: datetime, **extra: object) -> ReceivedEvent:
    payload = agreement_events.ObligationRegisteredV1(
        obligation_id=oid, status="not_started", lead_unit="Legal", title=LocalizedText(en=oid),
        sources=[agreement_events.ObligationSource(kind=kind, reference=oid)], **extra,
    )  # fmt: skip
    return _event(payload, oid, 1, when)


def _completed(oid: str, when: datetime) -> ReceivedEvent:
    payload = agreement_events.ObligationStatusChangedV1(
        obligation_id=oid, status="completed", from_status="not_started"
    )
    return _event(payload, oid, 2, when)


def a_year_of_obligations() -> list[ReceivedEvent]:
    plan = agreement_events.ActionPlanDraftedV1(
        action_plan_id="ap", year=2026, title=TITLE, status="draft"
    )
    return [
        _event(plan, "ap", 1, datetime(2026, 1, 10, tzinfo=UTC)),
        _registered("m1", "eu_action_plan", datetime(2026, 1, 15, tzinfo=UTC), action_plan_id="ap"),
        _registered("m2", "eu_action_plan", datetime(2026, 1, 15, tzinfo=UTC), action_plan_id="ap"),
        _registered("u1", "upr_recommendation", datetime(2026, 2, 1, tzinfo=UTC),
                    support_level="supported"),
        _completed("m1", datetime(2026, 3, 5, tzinfo=UTC)),
        _completed("u1", datetime(2026, 4, 10, tzinfo=UTC)),
        _completed("m2", datetime(2026, 5, 31, 23, 59, 58, tzinfo=UTC)),
    ]  # fmt: skip


def a_measure_registered_late() -> ReceivedEvent:
    """A third measure of the plan, registered on 20 February: for a history that learns of
    it only after the trend's points were kept."""
    return _registered(
        "m3", "eu_action_plan", datetime(2026, 2, 20, tzinfo=UTC), action_plan_id="ap"
    )
