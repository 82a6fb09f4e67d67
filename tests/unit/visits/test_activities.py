"""Ministerial meetings, international events and business trips: what each refuses, and
what each step announces."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from services.visits.domain import meeting as meetings
from services.visits.domain.business_trip import BusinessTrip
from services.visits.domain.international_event import InternationalEvent
from services.visits.domain.meeting import Meeting, MeetingOutcome
from services.visits.domain.preparation import TalkingPoints
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import Conflict, InvalidTransition, RuleViolation
from tests.unit.visits.builders import START, TODAY, at


def _meeting(**overrides: Any) -> Meeting:
    fields: dict[str, Any] = {
        "official_level": "minister", "official_name": "The Minister",
        "counterpart_type": "ambassador", "counterpart": "H.E. the Ambassador of France",
        "counterpart_country": "FR", "starts_at": at(START, 10), "ends_at": at(START, 11),
    }  # fmt: skip
    return Meeting(**{**fields, **overrides})


def _trip(**overrides: Any) -> BusinessTrip:
    fields: dict[str, Any] = {
        "traveller": "N. Beridze", "unit": "EU Integration", "destination_country": "BE",
        "purpose": LocalizedText(en="Subcommittee"), "start_date": START,
        "end_date": date(2026, 12, 4), "funding": "ministry",
    }  # fmt: skip
    return BusinessTrip(**{**fields, **overrides})


def _event(**overrides: Any) -> InternationalEvent:
    fields: dict[str, Any] = {
        "event_kind": "conference", "title": LocalizedText(en="Regional conference"),
        "start_date": START, "end_date": date(2026, 12, 2),
    }  # fmt: skip
    return InternationalEvent(**{**fields, **overrides})


def test_a_new_meeting_is_planned_and_announced_with_its_dates_and_country():
    meeting, (event,) = aggregates.create(_meeting())
    assert meeting.status == "planned"
    assert (event.start_date, event.country_code, event.official_level) == (START, "FR", "minister")
    assert meeting.index()["official"] == "The Minister"


def test_a_meeting_ends_after_it_starts():
    with pytest.raises(RuleViolation):
        aggregates.create(_meeting(ends_at=at(START, 10)))


def test_a_meeting_is_held_on_or_after_its_day():
    confirmed, _ = aggregates.transition(_meeting(), "confirmed", None, TODAY)
    with pytest.raises(RuleViolation, match="on or after its day"):
        aggregates.transition(confirmed, "held", None, TODAY)
    held, (event,) = aggregates.transition(confirmed, "held", None, START)
    assert (held.status, event.from_status) == ("held", "confirmed")


def test_cancelling_needs_a_reason():
    with pytest.raises(RuleViolation, match="reason"):
        aggregates.transition(_meeting(), "cancelled", None, TODAY)
    cancelled, _ = aggregates.transition(_meeting(), "cancelled", "postponed by the host", TODAY)
    with pytest.raises(InvalidTransition):
        aggregates.transition(cancelled, "confirmed", None, TODAY)


def test_a_meetings_outcome_is_recorded_once_it_is_held():
    outcome = MeetingOutcome(summary=LocalizedText(en="Agreed on a visit"))
    with pytest.raises(Conflict, match="once it is held"):
        meetings.record_meeting_outcome(_meeting(), outcome)
    held = _meeting(status="held")
    recorded, (event,) = meetings.record_meeting_outcome(held, outcome)
    assert recorded.outcome == outcome and event.summary.en == "Agreed on a visit"
    with pytest.raises(Conflict, match="already recorded"):
        meetings.record_meeting_outcome(recorded, outcome)


def test_a_meetings_talking_points_are_requested_once_before_it_and_then_move_on():
    points = TalkingPoints(subject="Trade", due_date=TODAY, status="approved")
    requested, (event,) = meetings.request_meeting_talking_points(_meeting(), points)
    assert requested.talking_points and requested.talking_points.status == "requested"
    assert event.talking_points_status == "requested"
    with pytest.raises(Conflict, match="already requested"):
        meetings.request_meeting_talking_points(requested, points)
    drafted, _ = meetings.move_meeting_talking_points(requested, "drafted")
    assert drafted.talking_points and drafted.talking_points.status == "drafted"
    with pytest.raises(Conflict, match="before the meeting"):
        meetings.request_meeting_talking_points(_meeting(status="held"), points)
    with pytest.raises(Conflict, match="no talking points"):
        meetings.move_meeting_talking_points(_meeting(), "drafted")


def test_an_international_event_is_held_from_its_first_day():
    announced, _ = aggregates.transition(_event(), "announced", None, TODAY)
    with pytest.raises(RuleViolation, match="starts on"):
        aggregates.transition(announced, "held", None, TODAY)
    held, (event,) = aggregates.transition(announced, "held", None, START)
    assert held.status == "held" and event.event_kind == "conference"


def test_an_international_event_cannot_end_before_it_starts():
    with pytest.raises(RuleViolation, match="end before"):
        aggregates.create(_event(end_date=date(2026, 11, 30)))


@pytest.mark.parametrize(
    "overrides",
    [{"estimated_cost": Decimal("1200.00")}, {"currency": "EUR"},
     {"funding": "donor"}, {"end_date": date(2026, 11, 30)}],
)  # fmt: skip
def test_a_trip_gives_cost_with_currency_names_its_funder_and_ends_after_it_starts(overrides):
    with pytest.raises(RuleViolation):
        aggregates.create(_trip(**overrides))


def test_a_funded_trip_with_its_cost_is_requested():
    trip, (event,) = aggregates.create(
        _trip(funding="donor", funder="UNDP", estimated_cost=Decimal("900"), currency="EUR")
    )
    assert trip.status == "requested" and event.currency == "EUR"


def test_a_trip_is_completed_once_it_has_ended_and_rejected_with_a_reason():
    approved, _ = aggregates.transition(_trip(), "approved", None, TODAY)
    with pytest.raises(RuleViolation, match="ends on"):
        aggregates.transition(approved, "completed", None, START)
    done, _ = aggregates.transition(approved, "completed", None, date(2026, 12, 4))
    assert done.status == "completed"
    with pytest.raises(RuleViolation, match="reason"):
        aggregates.transition(_trip(), "rejected", None, TODAY)
