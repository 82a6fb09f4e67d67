"""A year of the office's obligations as the reporting service receives it, each event dated
as it happened: for the tests of reports as of past moments (the trend, the office page)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts import visits as visit_events
from shared.contracts.base import EventData, LocalizedText
from shared.envelope import EventEnvelope

TITLE = LocalizedText(en="Action Plan 2026")


def _event(payload: EventData, aggregate_id: str, version: int, when: datetime) -> ReceivedEvent:
    service = "visits" if isinstance(payload, visit_events.VisitEvent) else "agreements"
    envelope = EventEnvelope.wrap(
        payload, service=service, aggregate_id=aggregate_id, aggregate_version=version,
        correlation_id=None, time=when,
    )  # fmt: skip
    return ReceivedEvent(envelope, service, 0, 0)


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


def a_commission_with_germany() -> list[ReceivedEvent]:
    """The Georgian-German commission: session 1 with two decisions (one completed), session
    2 held in Tbilisi; and a visit from Germany. For the commission report and the dossier."""
    cid, at = "commission-de", datetime(2026, 3, 1, tzinfo=UTC)
    name = LocalizedText(en="Georgian-German Commission", ka="ქართულ-გერმანული კომისია")
    facts = {"commission_id": cid, "partner_country": "DE"}
    established = agreement_events.CommissionEstablishedV1(
        **facts, name=name, status="active", our_co_chair="Minister of Economy",
        partner_co_chair="State Secretary",
    )  # fmt: skip
    events, version = [_event(established, cid, 1, at)], 1
    for number, held_on, place in ((1, date(2025, 5, 20), "Berlin"),
                                   (2, date(2026, 5, 20), "Tbilisi")):  # fmt: skip
        held = agreement_events.CommissionSessionHeldV1(
            **facts, session_number=number, held_on=held_on, place=place
        )
        version += 1
        events.append(_event(held, cid, version, at))
        if number == 1:
            for d, title in enumerate(("Open a checkpoint", "Harmonise tariffs")):
                oid = f"decision-{d}"
                registered = agreement_events.ObligationRegisteredV1(
                    obligation_id=oid, status="not_started", lead_unit="Customs",
                    title=LocalizedText(en=title),
                    sources=[agreement_events.ObligationSource(kind="commission_decision",
                                                              reference="session 1")],
                    deadline=date(2026, 12, 31), origin_ref=f"d{d}",
                )  # fmt: skip
                taken = agreement_events.CommissionDecisionTakenV1(
                    **facts, session_number=1, decision_id=f"d{d}", obligation_id=oid,
                    responsible_unit="Customs", deadline=date(2026, 12, 31),
                )  # fmt: skip
                version += 1
                events += [_event(registered, oid, 1, at), _event(taken, cid, version, at)]
    events.append(_completed("decision-0", at))
    visit = visit_events.VisitCreatedV1(
        visit_id="visit-de", direction="incoming", kind="official", country_code="DE",
        title=LocalizedText(en="Visit of the German minister"), start_date=date(2026, 4, 2),
        end_date=date(2026, 4, 3), status="planned",
    )  # fmt: skip
    events.append(_event(visit, "visit-de", 1, at))
    return events
