"""What a visit achieved: recorded once, during or after it, each commitment its own event."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.outcome import FollowUp, Outcome
from shared.contracts.base import LocalizedText
from shared.contracts.visits import FollowUpCommittedV1, VisitOutcomeRecordedV1
from shared.errors import Conflict
from tests.unit.visits.builders import START, moved, new_visit, with_head

OUTCOME = Outcome(
    summary=LocalizedText(en="Agreed to deepen trade ties"),
    follow_ups=(
        FollowUp(text=LocalizedText(en="Draft an MoU"), responsible_unit="Legal",
                 deadline=date(2027, 3, 1)),
        FollowUp(text=LocalizedText(en="Invite a trade mission"), responsible_unit="Economy",
                 deadline=date(2027, 6, 1)),
    ),
)  # fmt: skip


def _under_way() -> domain.Visit:
    return moved(with_head(new_visit()), "planned", "confirmed", "in_progress", today=START)


def test_the_outcome_announces_the_summary_and_each_commitment():
    visit = _under_way()
    recorded, events = domain.record_outcome(visit, OUTCOME)
    assert [type(e) for e in events] == [VisitOutcomeRecordedV1, FollowUpCommittedV1,
                                         FollowUpCommittedV1]  # fmt: skip
    assert events[0].follow_up_count == 2
    assert {e.responsible_unit for e in events[1:]} == {"Legal", "Economy"}
    assert recorded.version == visit.version + 3


def test_an_outcome_waits_for_the_visit_to_start():
    with pytest.raises(Conflict, match="during or after"):
        domain.record_outcome(moved(new_visit(), "planned"), OUTCOME)


def test_an_outcome_is_recorded_once():
    recorded, _ = domain.record_outcome(_under_way(), OUTCOME)
    with pytest.raises(Conflict, match="already recorded"):
        domain.record_outcome(recorded, OUTCOME)
