"""Hotels and journeys for a visit."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.logistics import Accommodation, TravelSegment
from shared.errors import Conflict, NotFound, RuleViolation
from tests.unit.visits.builders import END, START, at, moved, new_visit


def _stay(check_in: date = START, check_out: date = END) -> Accommodation:
    return Accommodation(hotel="Radisson", check_in=check_in, check_out=check_out, rooms=4)


def _leg(departs: int = 8, arrives: int = 11) -> TravelSegment:
    return TravelSegment(mode="air", origin="CDG", destination="TBS",
                         departs_at=at(START, departs), arrives_at=at(START, arrives))  # fmt: skip


def test_a_stay_checks_out_after_it_checks_in():
    with pytest.raises(RuleViolation, match="check-out"):
        domain.book_accommodation(new_visit(), _stay(END, END))


def test_a_journey_arrives_after_it_departs():
    with pytest.raises(RuleViolation, match="arrive after"):
        domain.book_travel(new_visit(), _leg(11, 8))


def test_booking_and_cancelling_announce_each_step():
    visit, (booked,) = domain.book_accommodation(new_visit(), _stay())
    assert booked.hotel == "Radisson" and len(visit.accommodations) == 1
    visit, (cancelled,) = domain.cancel_accommodation(visit, visit.accommodations[0].id)
    assert visit.accommodations == () and cancelled.accommodation_id == booked.accommodation_id


def test_journeys_are_kept_in_departure_order():
    visit, _ = domain.book_travel(new_visit(), _leg(14, 16))
    visit, _ = domain.book_travel(visit, _leg(6, 9))
    assert [s.departs_at.hour for s in visit.travel] == [6, 14]
    visit, _ = domain.cancel_travel(visit, visit.travel[0].id)
    assert [s.departs_at.hour for s in visit.travel] == [14]


def test_cancelling_what_was_never_booked_is_not_found():
    with pytest.raises(NotFound):
        domain.cancel_travel(new_visit(), "nothing")


def test_logistics_of_a_cancelled_visit_are_closed():
    with pytest.raises(Conflict):
        domain.book_accommodation(moved(new_visit(), "cancelled"), _stay())
