"""What time alone does to a passport, and what an issue checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.passports.domain import passport as pp
from shared import aggregates
from shared.errors import Conflict, RuleViolation

TODAY = date(2026, 11, 24)


def _in_hand(expires_on: date) -> pp.Passport:
    return pp.Passport(
        holder_id="h", passport_type="diplomatic", status="handed_over",
        number="GD1", issued_on=date(2020, 1, 1), expires_on=expires_on,
    )  # fmt: skip


def test_an_approaching_expiry_is_published_once():
    passport = _in_hand(TODAY + timedelta(days=100))
    noticed, events = pp.sweep(passport, TODAY, window_days=180)
    assert [e.event_type for e in events] == ["irp.passports.PassportExpiring.v1"]
    assert pp.sweep(noticed, TODAY, window_days=180)[1] == []
    assert pp.sweep(_in_hand(TODAY + timedelta(days=200)), TODAY, window_days=180)[1] == []


def test_a_passport_past_its_expiry_expires_and_an_overdue_return_is_published_once():
    expired, events = pp.sweep(_in_hand(TODAY - timedelta(days=1)), TODAY, window_days=180)
    assert expired.status == "expired"
    assert [e.event_type for e in events] == ["irp.passports.PassportExpired.v1"]
    due, _ = pp.make_return_due(_in_hand(TODAY + timedelta(days=900)), TODAY - timedelta(days=1))
    overdue, events = pp.sweep(due, TODAY, window_days=180)
    assert [e.event_type for e in events] == ["irp.passports.PassportReturnOverdue.v1"]
    assert pp.sweep(overdue, TODAY, window_days=180)[1] == []


def test_no_event_carries_the_passport_number():
    _, events = pp.sweep(_in_hand(TODAY + timedelta(days=10)), TODAY, window_days=180)
    assert "GD1" not in events[0].model_dump_json()


def test_issuing_checks_validity_limits():
    submitted = pp.Passport(holder_id="h", passport_type="service", status="submitted")
    with pytest.raises(RuleViolation):
        pp.issue(submitted, "GS1", TODAY, TODAY + timedelta(days=3700), max_validity_years=10)
    issued, _ = pp.issue(submitted, "GS1", TODAY, TODAY + timedelta(days=1800), 10)
    assert (issued.status, issued.number) == ("issued", "GS1")


def _submitted() -> pp.Passport:
    return pp.Passport(holder_id="h", passport_type="diplomatic", status="submitted")


@pytest.mark.parametrize(
    ("number", "issued", "expires", "reason"),
    [("gd-1", TODAY, TODAY + timedelta(days=10), "ICAO"),
     ("GD1234567890", TODAY, TODAY + timedelta(days=10), "ICAO"),
     ("GD1", TODAY, TODAY, "expires after")],
)  # fmt: skip
def test_an_issue_needs_an_icao_number_and_a_later_expiry(number, issued, expires, reason):
    with pytest.raises(RuleViolation, match=reason):
        pp.issue(_submitted(), number, issued, expires, max_validity_years=10)


def test_the_issue_event_never_carries_the_number():
    issued, (event,) = pp.issue(_submitted(), "GD7", TODAY, TODAY + timedelta(days=900), 10)
    assert issued.number == "GD7" and "GD7" not in event.model_dump_json()


def test_a_passport_is_issued_only_through_its_issue_step():
    with pytest.raises(RuleViolation, match="issue endpoint"):
        aggregates.transition(_submitted(), "issued", None, TODAY)


def test_hand_over_and_return_record_their_dates():
    handed, _ = pp.hand_over(_in_hand(TODAY + timedelta(days=900)).model_copy(
        update={"status": "issued"}), TODAY)  # fmt: skip
    assert handed.handed_over_on == TODAY
    due, (event,) = pp.make_return_due(handed, TODAY + timedelta(days=30))
    assert event.reason == "holder dismissed" and due.return_due_by == TODAY + timedelta(days=30)
    returned, _ = pp.mark_returned(due, TODAY + timedelta(days=3))
    assert (returned.status, returned.returned_on) == ("returned", TODAY + timedelta(days=3))


@pytest.mark.parametrize(
    ("status", "due_by", "overdue"),
    [("return_due", TODAY - timedelta(days=1), True), ("return_due", TODAY, False),
     ("returned", TODAY - timedelta(days=9), False), ("return_due", None, False)],
)  # fmt: skip
def test_a_return_is_overdue_past_its_date_until_the_passport_is_back(status, due_by, overdue):
    passport = _in_hand(TODAY + timedelta(days=900)).model_copy(
        update={"status": status, "return_due_by": due_by}
    )
    assert passport.return_overdue(TODAY) is overdue


def test_a_new_passport_of_the_same_type_cancels_the_one_in_hand():
    old = _in_hand(TODAY + timedelta(days=30))
    cancelled, (event,) = pp.supersede(old, "new-id")
    assert cancelled.status == "cancelled" and "new-id" in (event.reason or "")


def test_an_issued_passport_never_handed_over_is_cancelled_when_it_expires():
    unused = _in_hand(TODAY - timedelta(days=1)).model_copy(update={"status": "issued"})
    cancelled, _ = pp.sweep(unused, TODAY, window_days=180)
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "expired before hand-over")


ENTITLED = {"diplomatic": ["minister"], "service": ["head_of_department"]}


@pytest.mark.parametrize(
    ("category", "dismissed", "others", "error"),
    [("head_of_department", False, [], RuleViolation), ("minister", True, [], Conflict),
     ("minister", False, [pp.Passport(holder_id="h", passport_type="diplomatic")], Conflict)],
)  # fmt: skip
def test_a_request_needs_an_entitled_serving_holder_and_no_open_application(
    category, dismissed, others, error
):
    request = pp.Passport(holder_id="h", passport_type="diplomatic")
    with pytest.raises(error):
        pp.check_request(request, category, dismissed, others, ENTITLED)
    pp.check_request(request, "minister", False, [], ENTITLED)


def test_the_offices_transitions_carry_their_dates_where_they_have_one():
    issued = _in_hand(TODAY + timedelta(days=900)).model_copy(update={"status": "issued"})
    handed, _ = pp.move(issued, "handed_over", None, TODAY - timedelta(days=2), TODAY)
    assert (handed.status, handed.handed_over_on) == ("handed_over", TODAY - timedelta(days=2))
    lost, (event,) = pp.move(handed, "lost", "left in a taxi", TODAY, TODAY)
    assert (lost.status, event.reason) == ("lost", "left in a taxi")
    with pytest.raises(RuleViolation, match="reason"):
        pp.move(handed, "stolen", None, TODAY, TODAY)
