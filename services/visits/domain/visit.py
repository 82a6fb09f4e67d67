"""The visit aggregate: the visit with its delegation, programme, logistics, preparation
and outcome. Plain Python, no I/O; every change returns the next version of the visit and
the events that say what happened (``shared.aggregates``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.visits.domain.delegation import (
    DelegationMember,
    check_member,
    in_precedence_order,
)
from services.visits.domain.logistics import (
    Accommodation,
    TravelSegment,
    check_accommodation,
    check_segment,
)
from services.visits.domain.outcome import MAX_FOLLOW_UPS, FollowUp, Outcome
from services.visits.domain.preparation import (
    PROPOSALS,
    TALKING_POINTS,
    BilateralProposal,
    TalkingPoints,
    remind_points,
)
from services.visits.domain.programme import ProgrammeItem, check_item, outside
from shared.aggregates import Aggregate, Changed
from shared.contracts import visits as contracts
from shared.contracts.base import EventData, LocalizedText
from shared.errors import Conflict, NotFound, RuleViolation, StateMachine
from shared.references import Reference, unit

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
# States in which the plan (delegation, programme, logistics, preparation) may change.
PLANNING = {"draft", "planned", "confirmed", "postponed", "in_progress"}
DATES_EDITABLE = {"draft", "planned", "postponed"}
EDITABLE_FIELDS = (
    "kind",
    "lead_level",
    "country_code",
    "organisation",
    "organisation_id",
    "counterpart_post_id",
    "our_lead_official",
    "counterpart_lead_official",
    "title",
    "purpose",
    "start_date",
    "end_date",
    "city",
    "responsible_unit",
    "responsible_unit_id",
    "responsible_officer",
)
# What a visit names from the directory: the lead official's post (its organisation follows),
# the organisation (its country follows, when the visit names none), the unit in charge.
REFERENCES = (
    Reference("post", "counterpart_post_id", fills=(("organisation_id", "organisation_id"),)),
    Reference(
        "counterpart", "organisation_id", "organisation", fills=(("country_code", "country_code"),)
    ),
    unit("responsible_unit_id", "responsible_unit"),
)


class Visit(Aggregate):
    direction: str
    kind: str
    title: LocalizedText
    lead_level: str | None = None
    country_code: str | None = None
    organisation: str | None = None
    organisation_id: str | None = None
    counterpart_post_id: str | None = None
    our_lead_official: str | None = None
    counterpart_lead_official: str | None = None
    purpose: LocalizedText | None = None
    start_date: date | None = None
    end_date: date | None = None
    city: str | None = None
    responsible_unit: str | None = None
    responsible_unit_id: str | None = None
    responsible_officer: str | None = None
    status: str = "draft"
    status_reason: str | None = None
    postponed_dates: tuple[date | None, date | None] | None = None
    delegation: tuple[DelegationMember, ...] = ()
    programme: tuple[ProgrammeItem, ...] = ()
    accommodations: tuple[Accommodation, ...] = ()
    travel: tuple[TravelSegment, ...] = ()
    talking_points: tuple[TalkingPoints, ...] = ()
    proposals: tuple[BilateralProposal, ...] = ()
    outcome: Outcome | None = None

    @property
    def head_of_delegation(self) -> DelegationMember | None:
        return next((m for m in self.delegation if m.role == "head"), None)


def _must_be_planning(visit: Visit, what: str) -> None:
    if visit.status not in PLANNING:
        raise Conflict(f"the {what} of a {visit.status} visit can no longer change")


def _find(items: tuple[Any, ...], item_id: str, what: str) -> Any:
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        raise NotFound(f"no {what} {item_id} in this visit")
    return found


def _without(items: tuple[Any, ...], item_id: str) -> tuple[Any, ...]:
    return tuple(i for i in items if i.id != item_id)


def _replaced(items: tuple[Any, ...], item: Any) -> tuple[Any, ...]:
    return tuple(item if i.id == item.id else i for i in items)


# --- the visit itself ---


def register_visit(**fields: Any) -> Changed[Visit]:
    """A new visit in ``draft``, with the event that announces it."""
    visit = Visit(**fields)
    _check_visit(visit)
    created = contracts.VisitCreatedV1(
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
        organisation_id=visit.organisation_id,
        counterpart_post_id=visit.counterpart_post_id,
        responsible_unit_id=visit.responsible_unit_id,
        status=visit.status,
    )
    return visit, [created]


def edit_visit(visit: Visit, changes: dict[str, Any]) -> Changed[Visit]:
    """Change the visit's own fields (not its status)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    changes = {k: v for k, v in changes.items() if getattr(visit, k) != v}
    if not changes:
        return visit, []
    if {"start_date", "end_date"} & set(changes) and visit.status not in DATES_EDITABLE:
        raise Conflict(f"the dates of a {visit.status} visit cannot change; postpone it first")
    if visit.status not in PLANNING:
        raise Conflict(f"a {visit.status} visit can no longer change")
    edited = visit.model_copy(update=changes)
    _check_visit(edited)
    if edited.start_date and edited.end_date:
        stray = outside(edited.programme, edited.start_date, edited.end_date)
        if stray:
            raise RuleViolation(
                f"{len(stray)} programme item(s) would fall outside the new dates",
                items=[i.id for i in stray],
            )
    event = contracts.VisitDetailsChangedV1(
        visit_id=visit.id,
        changed=sorted(changes),
        direction=edited.direction,
        kind=edited.kind,
        lead_level=edited.lead_level,
        country_code=edited.country_code,
        start_date=edited.start_date,
        end_date=edited.end_date,
        responsible_unit=edited.responsible_unit,
        organisation=edited.organisation,
        organisation_id=edited.organisation_id,
        counterpart_post_id=edited.counterpart_post_id,
        responsible_unit_id=edited.responsible_unit_id,
    )
    return visit.changed([event], **changes)


def change_status(visit: Visit, to: str, reason: str | None, today: date) -> Changed[Visit]:
    """Move the visit along its lifecycle, refusing what a protocol officer would refuse."""
    LIFECYCLE.check(visit.status, to)
    _guard(visit, to, reason, today)
    postponed = (visit.start_date, visit.end_date) if to == "postponed" else visit.postponed_dates
    event = contracts.STATUS_CHANGE_EVENTS[to](
        visit_id=visit.id,
        from_status=visit.status,
        to_status=to,
        reason=reason,
        direction=visit.direction,
        country_code=visit.country_code,
        start_date=visit.start_date,
        end_date=visit.end_date,
    )
    return visit.changed([event], status=to, status_reason=reason, postponed_dates=postponed)


def _guard(visit: Visit, to: str, reason: str | None, today: date) -> None:
    if to in ("planned", "confirmed") and not (visit.start_date and visit.end_date):
        raise RuleViolation(f"a visit needs its start and end dates before it is {to}")
    if to == "confirmed" and visit.head_of_delegation is None:
        raise RuleViolation("a visit is confirmed only once its head of delegation is known")
    same_dates = (visit.start_date, visit.end_date) == visit.postponed_dates
    if to == "planned" and visit.status == "postponed" and same_dates:
        raise RuleViolation("a postponed visit is planned again with new dates")
    if to in ("in_progress", "completed") and visit.start_date and today < visit.start_date:
        raise RuleViolation(f"the visit starts on {visit.start_date.isoformat()}; not before")
    if to in ("cancelled", "postponed") and not reason:
        raise RuleViolation(f"say why the visit is {to}: a reason is required")
    if to == "reported" and visit.outcome is None:
        raise RuleViolation("record the visit's outcome before reporting it")


def _check_visit(visit: Visit) -> None:
    if visit.start_date and visit.end_date and visit.end_date < visit.start_date:
        raise RuleViolation("the visit cannot end before it starts")
    if not (visit.country_code or visit.organisation):
        raise RuleViolation("name the counterpart: a country, an organisation or both")


# --- delegation ---


def _member_facts(visit: Visit, m: DelegationMember) -> dict[str, Any]:
    return {
        "visit_id": visit.id,
        "member_id": m.id,
        "role": m.role,
        "precedence": m.precedence,
        "organisation": m.organisation,
        "visa_status": m.visa.status if m.visa else None,
        "passport_holder_id": m.passport_holder_id,
    }


def add_member(visit: Visit, member: DelegationMember) -> Changed[Visit]:
    _must_be_planning(visit, "delegation")
    check_member(member, visit.delegation, visit.direction)
    event = contracts.DelegationMemberAddedV1(**_member_facts(visit, member))
    return visit.changed([event], delegation=in_precedence_order((*visit.delegation, member)))


def change_member(visit: Visit, member: DelegationMember) -> Changed[Visit]:
    _must_be_planning(visit, "delegation")
    _find(visit.delegation, member.id, "delegation member")
    check_member(member, visit.delegation, visit.direction)
    if member.role != "head" and visit.status == "confirmed" and _is_head(visit, member.id):
        raise Conflict("a confirmed visit keeps its head of delegation")
    event = contracts.DelegationMemberChangedV1(**_member_facts(visit, member))
    return visit.changed(
        [event], delegation=in_precedence_order(_replaced(visit.delegation, member))
    )


def remove_member(visit: Visit, member_id: str) -> Changed[Visit]:
    _must_be_planning(visit, "delegation")
    _find(visit.delegation, member_id, "delegation member")
    if visit.status == "confirmed" and _is_head(visit, member_id):
        raise Conflict("a confirmed visit keeps its head of delegation")
    event = contracts.DelegationMemberRemovedV1(visit_id=visit.id, member_id=member_id)
    return visit.changed([event], delegation=_without(visit.delegation, member_id))


def _is_head(visit: Visit, member_id: str) -> bool:
    head = visit.head_of_delegation
    return head is not None and head.id == member_id


# --- programme ---


def _item_facts(visit: Visit, item: ProgrammeItem) -> dict[str, Any]:
    return {
        "visit_id": visit.id,
        "item_id": item.id,
        "item_type": item.item_type,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "venue": item.venue,
        "interpreter_needed": item.interpreter_needed,
    }


def schedule_item(visit: Visit, item: ProgrammeItem) -> Changed[Visit]:
    _must_be_planning(visit, "programme")
    check_item(item, visit.programme, visit.start_date, visit.end_date)
    event = contracts.ProgrammeItemScheduledV1(**_item_facts(visit, item))
    programme = tuple(sorted((*visit.programme, item), key=lambda i: i.starts_at))
    return visit.changed([event], programme=programme)


def reschedule_item(visit: Visit, item: ProgrammeItem) -> Changed[Visit]:
    _must_be_planning(visit, "programme")
    _find(visit.programme, item.id, "programme item")
    check_item(item, visit.programme, visit.start_date, visit.end_date)
    event = contracts.ProgrammeItemRescheduledV1(**_item_facts(visit, item))
    programme = tuple(sorted(_replaced(visit.programme, item), key=lambda i: i.starts_at))
    return visit.changed([event], programme=programme)


def remove_item(visit: Visit, item_id: str) -> Changed[Visit]:
    _must_be_planning(visit, "programme")
    _find(visit.programme, item_id, "programme item")
    if any(t.programme_item_id == item_id for t in visit.talking_points):
        raise Conflict("talking points are attached to this item; remove them first")
    event = contracts.ProgrammeItemRemovedV1(visit_id=visit.id, item_id=item_id)
    return visit.changed([event], programme=_without(visit.programme, item_id))


# --- logistics ---


def book_accommodation(visit: Visit, stay: Accommodation) -> Changed[Visit]:
    _must_be_planning(visit, "logistics")
    check_accommodation(stay)
    event = contracts.AccommodationBookedV1(
        visit_id=visit.id,
        accommodation_id=stay.id,
        **stay.model_dump(include={"hotel", "city", "check_in", "check_out", "rooms"}),
    )
    return visit.changed([event], accommodations=(*visit.accommodations, stay))


def cancel_accommodation(visit: Visit, stay_id: str) -> Changed[Visit]:
    _must_be_planning(visit, "logistics")
    _find(visit.accommodations, stay_id, "accommodation")
    event = contracts.AccommodationCancelledV1(visit_id=visit.id, accommodation_id=stay_id)
    return visit.changed([event], accommodations=_without(visit.accommodations, stay_id))


def book_travel(visit: Visit, segment: TravelSegment) -> Changed[Visit]:
    _must_be_planning(visit, "logistics")
    check_segment(segment)
    event = contracts.TravelSegmentBookedV1(
        visit_id=visit.id, segment_id=segment.id, **segment.model_dump(exclude={"id"})
    )
    travel = tuple(sorted((*visit.travel, segment), key=lambda s: s.departs_at))
    return visit.changed([event], travel=travel)


def cancel_travel(visit: Visit, segment_id: str) -> Changed[Visit]:
    _must_be_planning(visit, "logistics")
    _find(visit.travel, segment_id, "travel segment")
    event = contracts.TravelSegmentCancelledV1(visit_id=visit.id, segment_id=segment_id)
    return visit.changed([event], travel=_without(visit.travel, segment_id))


# --- talking points ---


def _points_facts(visit: Visit, points: TalkingPoints) -> dict[str, Any]:
    return {
        "visit_id": visit.id,
        "talking_points_id": points.id,
        "programme_item_id": points.programme_item_id,
        "owner_unit": points.owner_unit,
        "owner_unit_id": points.owner_unit_id,
        "due_date": points.due_date,
    }


def request_talking_points(visit: Visit, points: TalkingPoints) -> Changed[Visit]:
    _must_be_planning(visit, "preparation")
    if points.programme_item_id is not None:
        item = _find(visit.programme, points.programme_item_id, "programme item")
        if item.item_type != "meeting":
            raise RuleViolation("talking points are prepared for meetings")
    event = contracts.TalkingPointsRequestedV1(**_points_facts(visit, points))
    return visit.changed([event], talking_points=(*visit.talking_points, points))


def move_talking_points(visit: Visit, points_id: str, to: str) -> Changed[Visit]:
    _must_be_planning(visit, "preparation")
    points: TalkingPoints = _find(visit.talking_points, points_id, "talking points")
    TALKING_POINTS.check(points.status, to)
    moved = points.model_copy(update={"status": to})
    event = contracts.TALKING_POINTS_EVENTS[to](**_points_facts(visit, moved))
    return visit.changed([event], talking_points=_replaced(visit.talking_points, moved))


# --- bilateral meeting proposals ---


def _proposal_facts(visit: Visit, p: BilateralProposal) -> dict[str, Any]:
    return {
        "visit_id": visit.id,
        "proposal_id": p.id,
        "counterpart": p.counterpart,
        "counterpart_country": p.counterpart_country,
        "topics": list(p.topics),
    }


def propose_meeting(visit: Visit, proposal: BilateralProposal) -> Changed[Visit]:
    _must_be_planning(visit, "meeting proposals")
    event = contracts.BilateralMeetingProposedV1(**_proposal_facts(visit, proposal))
    return visit.changed([event], proposals=(*visit.proposals, proposal))


def move_proposal(visit: Visit, proposal_id: str, to: str) -> Changed[Visit]:
    proposal: BilateralProposal = _find(visit.proposals, proposal_id, "meeting proposal")
    PROPOSALS.check(proposal.status, to)
    if to == "held" and visit.status not in ("in_progress", "completed"):
        raise RuleViolation("a meeting is held during the visit")
    moved = proposal.model_copy(update={"status": to})
    event = contracts.PROPOSAL_EVENTS[to](**_proposal_facts(visit, moved))
    return visit.changed([event], proposals=_replaced(visit.proposals, moved))


# --- outcome ---


def record_outcome(visit: Visit, outcome: Outcome) -> Changed[Visit]:
    """The summary and the follow-up commitments, each commitment its own event."""
    if visit.status not in ("in_progress", "completed"):
        raise Conflict("an outcome is recorded during or after the visit")
    if visit.outcome is not None:
        raise Conflict("the outcome is already recorded")
    events: list[EventData] = [
        contracts.VisitOutcomeRecordedV1(
            visit_id=visit.id, summary=outcome.summary, follow_up_count=len(outcome.follow_ups)
        )
    ]
    events += [_committed(visit, f) for f in outcome.follow_ups]
    return visit.changed(events, outcome=outcome)


def add_follow_up(visit: Visit, follow_up: FollowUp) -> Changed[Visit]:
    """A commitment that came after the outcome was recorded (a letter, a later call):
    announced like those recorded with it, so it becomes an obligation too."""
    if visit.outcome is None:
        raise Conflict("record the visit's outcome first; later commitments are added to it")
    if len(visit.outcome.follow_ups) >= MAX_FOLLOW_UPS:
        raise RuleViolation(f"a visit's outcome holds at most {MAX_FOLLOW_UPS} commitments")
    outcome = visit.outcome.model_copy(
        update={"follow_ups": (*visit.outcome.follow_ups, follow_up)}
    )
    return visit.changed([_committed(visit, follow_up)], outcome=outcome)


def _committed(visit: Visit, f: FollowUp) -> EventData:
    if not f.responsible_unit:
        raise RuleViolation(
            "name the unit of each commitment: responsible_unit_id (or, deprecated, its name)"
        )
    return contracts.FollowUpCommittedV1(
        visit_id=visit.id,
        commitment_id=f.id,
        text=f.text,
        responsible_unit=f.responsible_unit,
        responsible_unit_id=f.responsible_unit_id,
        deadline=f.deadline,
        direction=visit.direction,
        country_code=visit.country_code,
        organisation=visit.organisation,
        organisation_id=visit.organisation_id,
    )


def remind_visit(visit: Visit, today: date, notice_days: int) -> Changed[Visit]:
    """The reminders its talking points call for today, once each, while it is planned."""
    if visit.status not in PLANNING:
        return visit, []
    events: list[EventData] = []
    points = []
    for p in visit.talking_points:
        reminded, stage = remind_points(p, today, notice_days)
        points.append(reminded)
        if stage is not None:
            facts = _points_facts(visit, reminded)
            events.append(contracts.TalkingPointsDueV1(**facts, subject=p.subject, stage=stage))
    if not events:
        return visit, []
    return visit.changed(events, talking_points=tuple(points))
