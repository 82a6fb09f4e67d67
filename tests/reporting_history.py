"""A year of the office's obligations as the reporting service receives it, each event dated
as it happened: for the tests of reports as of past moments (the trend, the office page)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts import directory as directory_events
from shared.contracts import passports as passport_events
from shared.contracts import visits as visit_events
from shared.contracts.base import EventData, LocalizedText
from shared.contracts.notifications import MessageSentV1
from shared.envelope import EventEnvelope

TITLE = LocalizedText(en="Action Plan 2026")


def _event(payload: EventData, aggregate_id: str, version: int, when: datetime) -> ReceivedEvent:
    service = type(payload).__module__.rsplit(".", 1)[-1]  # shared.contracts.<service>
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


POLICY = LocalizedText(en="Policy Department", ka="პოლიტიკის დეპარტამენტი")
PROTOCOL = LocalizedText(en="Protocol Department", ka="პროტოკოლის დეპარტამენტი")
DRAFT_THE_LAW = LocalizedText(en="Draft the law", ka="კანონპროექტის მომზადება")
DEADLINE_DUE, DEADLINE_OVERDUE = (
    "obligation:o-law:deadline:due",
    "obligation:o-law:deadline:overdue",
)
RETURN_OVERDUE, TRIP_REPORT_DUE = (
    "passport:p1:passport_return:overdue",
    "business_trip:t1:trip_report:due",
)


def reminders_of_two_units(today: date) -> list[ReceivedEvent]:
    """What the policy and protocol departments were reminded of in the weeks before
    ``today``, and the messages that told them (the office's too), as reporting receives
    them: the law's deadline passed and escalated; its next progress report due; a second
    measure's report submitted (settled); a passport not returned; a trip report due, its
    digest arriving before the trip's own event."""

    def at(offset: int, hour: int = 8) -> datetime:
        return datetime.combine(today + timedelta(days=offset), time(hour), UTC)

    def unit(unit_id: str, name: LocalizedText) -> ReceivedEvent:
        registered = directory_events.UnitRegisteredV1(
            unit_id=unit_id, kind="department", name=name, valid_from=date(2019, 7, 1),
            status="active", effective_on=date(2019, 7, 1),
        )  # fmt: skip
        return _event(registered, unit_id, 1, at(-60))

    def due(oid: str, version: int, offset: int, what: str, stage: str, due_on: date,
            period: str | None = None) -> ReceivedEvent:  # fmt: skip
        fact = agreement_events.ObligationDueV1(
            obligation_id=oid, what=what, stage=stage, due_on=due_on, period=period,
            title=DRAFT_THE_LAW if oid == "o-law" else LocalizedText(en="Train the judges"),
            external_ref="12.1" if oid == "o-law" else None, lead_unit="Policy Department",
            lead_unit_id="u-policy", status="in_progress",
        )  # fmt: skip
        return _event(fact, oid, version, at(offset))

    def sent(message_id: str, unit_id: str | None, kind: str, offset: int,
             items: list[str]) -> ReceivedEvent:  # fmt: skip
        recipient = "unit_head" if kind == "escalation" else "unit_mailbox" if unit_id else (
            "office_mailbox")  # fmt: skip
        message = MessageSentV1(
            message_id=message_id, unit_id=unit_id, kind=kind, day=today + timedelta(days=offset),
            recipient_kind=recipient, items=items,
        )  # fmt: skip
        return _event(message, message_id, 1, at(offset, 9))

    law = agreement_events.ObligationRegisteredV1(
        obligation_id="o-law", status="in_progress", lead_unit="Policy Department",
        lead_unit_id="u-policy", title=DRAFT_THE_LAW, external_ref="12.1",
        deadline=today - timedelta(days=5),
        sources=[agreement_events.ObligationSource(kind="agreement_clause", reference="Art. 12")],
    )  # fmt: skip
    passport = {"passport_id": "p1", "holder_id": "h1", "passport_type": "service",
                "return_due_by": today - timedelta(days=3)}  # fmt: skip
    trip = {"business_trip_id": "t1", "unit": "Protocol Department", "unit_id": "u-protocol",
            "funding": "ministry", "status": "completed", "country_code": "BE",
            "start_date": today - timedelta(days=6),
            "end_date": today - timedelta(days=4)}  # fmt: skip
    holder = passport_events.HolderRegisteredV1(
        holder_id="h1", category="deputy_minister", unit="Protocol Department", unit_id="u-protocol"
    )
    other = agreement_events.ObligationRegisteredV1(
        obligation_id="o-judges", status="in_progress", lead_unit="Policy Department",
        lead_unit_id="u-policy", title=LocalizedText(en="Train the judges"),
        sources=[agreement_events.ObligationSource(kind="agreement_clause", reference="Art. 13")],
    )  # fmt: skip
    submitted = agreement_events.ProgressSubmittedV1(
        obligation_id="o-judges", progress_id="pr1", period="2026-Q3", percent=40,
        reporting_unit="Policy Department", reporting_unit_id="u-policy",
    )  # fmt: skip
    return [
        unit("u-policy", POLICY),
        unit("u-protocol", PROTOCOL),
        _event(law, "o-law", 1, at(-60)),
        _event(holder, "h1", 1, at(-60)),
        _event(other, "o-judges", 1, at(-60)),
        due("o-law", 2, -19, "deadline", "due", today - timedelta(days=5)),
        sent("m1", "u-policy", "digest", -19, [DEADLINE_DUE]),
        due("o-judges", 2, -12, "progress_report", "due", today - timedelta(days=2), "2026-Q3"),
        _event(submitted, "o-judges", 3, at(-11)),
        sent("m2", "u-policy", "digest", -12, ["obligation:o-judges:progress_report:2026-Q3:due"]),
        due("o-law", 3, -4, "deadline", "overdue", today - timedelta(days=5)),
        sent("m3", "u-policy", "digest", -4, [DEADLINE_OVERDUE]),
        _event(passport_events.PassportIssuedV1(**passport, status="issued"), "p1", 1, at(-30)),
        _event(passport_events.PassportReturnOverdueV1(**passport, status="handed_over"), "p1", 2,
               at(-2)),
        sent("m4", "u-protocol", "digest", -1, [RETURN_OVERDUE, TRIP_REPORT_DUE]),
        _event(visit_events.BusinessTripReportDueV1(**trip, stage="due",
                                                    due_on=today + timedelta(days=2)),
               "t1", 1, at(-1)),
        sent("m5", None, "digest", -1, ["visit:v9:talking_points:tp9:due"]),
        sent("m6", "u-policy", "escalation", -2, [DEADLINE_OVERDUE]),
        due("o-law", 4, -1, "progress_report", "due", today + timedelta(days=10), "2026-Q4"),
    ]  # fmt: skip
