"""Reminders of talking points and trip reports: due as the day nears, overdue after it,
each published once; nothing once approved or submitted."""

from __future__ import annotations

from datetime import date

from services.visits.domain import visit as domain
from services.visits.domain.business_trip import BusinessTrip, remind_trip
from services.visits.domain.preparation import TalkingPoints
from shared.contracts.base import LocalizedText
from tests.unit.visits.builders import new_visit

DUE = date(2026, 11, 28)


def _planned_with_points() -> domain.Visit:
    visit = new_visit()
    points = TalkingPoints(subject="Teacher training", owner_unit="Policy Department",
                           owner_unit_id="unit-policy", due_date=DUE)  # fmt: skip
    return domain.request_talking_points(visit, points)[0]


def _stages(visit: domain.Visit, day: date) -> tuple[domain.Visit, list[str]]:
    changed, events = domain.remind_visit(visit, day, 3)
    return changed, [e.stage for e in events]  # type: ignore[attr-defined]


def test_talking_points_are_reminded_as_their_day_nears_then_once_overdue():
    visit = _planned_with_points()
    assert _stages(visit, date(2026, 11, 24))[1] == []
    visit, asked = _stages(visit, date(2026, 11, 25))
    assert asked == ["due"]
    assert _stages(visit, date(2026, 11, 28))[1] == []
    visit, late = _stages(visit, date(2026, 11, 29))
    assert late == ["overdue"]
    assert _stages(visit, date(2026, 11, 30))[1] == []


def test_approved_talking_points_are_reminded_of_nothing():
    visit = _planned_with_points()
    points_id = visit.talking_points[0].id
    for to in ("drafted", "approved"):
        visit = domain.move_talking_points(visit, points_id, to)[0]
    assert _stages(visit, date(2026, 11, 29))[1] == []


def test_the_event_names_the_unit_that_writes_them():
    _, events = domain.remind_visit(_planned_with_points(), date(2026, 11, 25), 3)
    assert events[0].owner_unit_id == "unit-policy"  # type: ignore[attr-defined]


def _trip(status: str) -> BusinessTrip:
    return BusinessTrip(
        traveller="N. Beridze", unit="EU Integration", unit_id="unit-eu",
        destination_country="BE", purpose=LocalizedText(en="Subcommittee"),
        start_date=date(2026, 12, 1), end_date=date(2026, 12, 4), funding="ministry",
        status=status,
    )  # fmt: skip


def test_a_trip_report_is_due_from_the_return_and_overdue_after_the_days_allowed():
    trip = _trip("completed")
    assert remind_trip(trip, date(2026, 12, 3), 10)[1] == []
    trip, events = remind_trip(trip, date(2026, 12, 4), 10)
    assert [(e.stage, e.due_on) for e in events] == [("due", date(2026, 12, 14))]  # type: ignore[attr-defined]
    assert remind_trip(trip, date(2026, 12, 14), 10)[1] == []
    trip, events = remind_trip(trip, date(2026, 12, 15), 10)
    assert [e.stage for e in events] == ["overdue"]  # type: ignore[attr-defined]
    assert remind_trip(trip, date(2026, 12, 16), 10)[1] == []


def test_a_submitted_or_rejected_trip_asks_for_no_report():
    for status in ("report_submitted", "rejected", "cancelled"):
        assert remind_trip(_trip(status), date(2026, 12, 20), 10)[1] == []
