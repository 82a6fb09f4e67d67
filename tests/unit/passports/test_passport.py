"""What time alone does to a passport, and what an issue checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.passports.domain import passport as pp
from shared.errors import RuleViolation

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
