"""Preparing a visit's meetings: talking points on time, bilateral meetings requested and held."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.preparation import BilateralProposal, TalkingPoints
from shared.errors import InvalidTransition, RuleViolation
from tests.unit.visits.builders import START, item, moved, new_visit, with_head


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [("requested", date(2026, 11, 30), True), ("drafted", date(2026, 11, 30), True),
     ("approved", date(2026, 11, 30), False), ("requested", date(2026, 12, 1), False)],
)  # fmt: skip
def test_talking_points_are_overdue_past_their_due_date_until_approved(status, due, overdue):
    points = TalkingPoints(subject="Trade", due_date=due, status=status)
    assert points.overdue(date(2026, 12, 1)) is overdue


def test_talking_points_are_prepared_for_meetings_only():
    visit, _ = domain.schedule_item(new_visit(), item(item_type="meal"))
    points = TalkingPoints(subject="Menu", due_date=START, programme_item_id=visit.programme[0].id)
    with pytest.raises(RuleViolation, match="meetings"):
        domain.request_talking_points(visit, points)


def test_talking_points_move_requested_drafted_approved_or_back_for_rework():
    visit, (requested,) = domain.request_talking_points(
        new_visit(), TalkingPoints(subject="Trade", due_date=START)
    )
    points_id = visit.talking_points[0].id
    assert requested.owner_unit == "Policy Department"
    visit, _ = domain.move_talking_points(visit, points_id, "drafted")
    visit, _ = domain.move_talking_points(visit, points_id, "requested")
    visit, _ = domain.move_talking_points(visit, points_id, "drafted")
    visit, (approved,) = domain.move_talking_points(visit, points_id, "approved")
    assert visit.talking_points[0].status == "approved"
    assert approved.event_type.endswith("TalkingPointsApproved.v1")
    with pytest.raises(InvalidTransition):
        domain.move_talking_points(visit, points_id, "drafted")


def test_a_bilateral_meeting_is_held_only_during_the_visit():
    visit, _ = domain.propose_meeting(with_head(new_visit()), BilateralProposal(counterpart="X"))
    proposal_id = visit.proposals[0].id
    for to in ("requested", "accepted"):
        visit, _ = domain.move_proposal(visit, proposal_id, to)
    with pytest.raises(RuleViolation, match="during the visit"):
        domain.move_proposal(visit, proposal_id, "held")
    under_way = moved(visit, "planned", "confirmed", "in_progress", today=START)
    held, _ = domain.move_proposal(under_way, proposal_id, "held")
    assert held.proposals[0].status == "held"


def test_a_declined_proposal_is_final():
    visit, _ = domain.propose_meeting(new_visit(), BilateralProposal(counterpart="X"))
    visit, _ = domain.move_proposal(visit, visit.proposals[0].id, "declined")
    with pytest.raises(InvalidTransition):
        domain.move_proposal(visit, visit.proposals[0].id, "requested")
