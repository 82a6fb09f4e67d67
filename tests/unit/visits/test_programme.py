"""A visit's programme: every item inside the visit's days, no person or venue twice at once."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.preparation import TalkingPoints
from services.visits.domain.programme import check_item, outside
from shared.errors import Conflict, RuleViolation
from tests.unit.visits.builders import END, START, item, new_visit


def test_items_are_kept_in_time_order():
    visit = new_visit()
    for hour in (15, 9, 12):
        visit, _ = domain.schedule_item(visit, item(start=hour, end=hour + 1))
    assert [i.starts_at.hour for i in visit.programme] == [9, 12, 15]


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [(item(start=11, end=10), "end after it starts"),
     (item(date(2026, 11, 30)), "outside the visit"),
     (item(date(2026, 12, 4)), "outside the visit")],
)  # fmt: skip
def test_an_item_ends_after_it_starts_and_falls_within_the_visit(candidate, reason):
    with pytest.raises(RuleViolation, match=reason):
        check_item(candidate, (), START, END)


def test_a_programme_needs_the_visits_dates():
    with pytest.raises(RuleViolation, match="dates"):
        check_item(item(), (), None, None)


def test_a_venue_is_not_booked_twice_at_once_whatever_its_spelling():
    booked = item(venue="Orbeliani Palace")
    with pytest.raises(RuleViolation, match="already booked"):
        check_item(item(start=10, end=12, venue="  orbeliani   PALACE"), (booked,), START, END)


def test_a_participant_does_not_attend_two_items_at_once():
    booked = item(participants=("The Minister",))
    with pytest.raises(RuleViolation, match="the minister"):
        check_item(item(start=10, end=12, participants=("the minister",)), (booked,), START, END)


def test_back_to_back_items_do_not_clash():
    booked = item(start=10, end=11, venue="Hall", participants=("A",))
    check_item(item(start=11, end=12, venue="Hall", participants=("A",)), (booked,), START, END)


def test_rescheduling_checks_against_the_others_but_not_itself():
    visit, _ = domain.schedule_item(new_visit(), item(venue="Hall"))
    own = visit.programme[0]
    later = own.model_copy(update={"starts_at": item(start=14).starts_at,
                                   "ends_at": item(end=15).ends_at})  # fmt: skip
    visit, (event,) = domain.reschedule_item(visit, later)
    assert visit.programme[0].starts_at.hour == 14 and event.item_id == own.id


def test_an_item_with_talking_points_attached_cannot_be_removed():
    visit, _ = domain.schedule_item(new_visit(), item())
    meeting = visit.programme[0]
    points = TalkingPoints(subject="Trade", due_date=START, programme_item_id=meeting.id)
    visit, _ = domain.request_talking_points(visit, points)
    with pytest.raises(Conflict, match="talking points"):
        domain.remove_item(visit, meeting.id)


def test_outside_names_the_items_beyond_new_dates():
    first, last = item(START), item(END)
    assert outside((first, last), START, date(2026, 12, 2)) == [last]
