"""An agreement's lifecycle, with the date of each step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.agreements.domain.agreement import (
    Agreement,
    Parties,
    change_dates,
    move_agreement,
)
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import InvalidTransition, RuleViolation

DAY = date(2026, 5, 4)


def _agreement(**overrides: Any) -> Agreement:
    fields: dict[str, Any] = {
        "agreement_type": "memorandum",
        "title": LocalizedText(en="MoU on protocol cooperation"),
        "parties": Parties(countries=("LT",)),
    }
    return Agreement(**{**fields, **overrides})


def _through(agreement: Agreement, *steps: str, on: date = DAY) -> Agreement:
    for to in steps:
        agreement, _ = move_agreement(agreement, to, "a reason", on)
    return agreement


def test_an_agreement_needs_another_party():
    with pytest.raises(RuleViolation, match="other party"):
        aggregates.create(_agreement(parties=Parties()))


def test_signature_and_entry_into_force_record_their_dates():
    signed = _through(
        _agreement(), "drafting", "internal_review", "negotiation", "agreed", "signed"
    )
    assert signed.signed_on == DAY and signed.step_dates["signed"] == DAY
    in_force, (event,) = move_agreement(signed, "in_force", None, DAY + timedelta(days=30))
    assert in_force.in_force_on == DAY + timedelta(days=30)
    assert event.event_type.endswith("AgreementEnteredIntoForce.v1")


def test_it_cannot_enter_into_force_before_it_is_signed():
    signed = _through(_agreement(in_force_on=DAY - timedelta(days=5)), "drafting",
                      "internal_review", "negotiation", "agreed")  # fmt: skip
    with pytest.raises(RuleViolation, match="before it is signed"):
        move_agreement(signed, "signed", None, DAY)


def test_ending_steps_need_a_reason_and_record_the_end():
    with pytest.raises(RuleViolation, match="reason"):
        move_agreement(_agreement(), "withdrawn", None, DAY)
    withdrawn, _ = move_agreement(_agreement(), "withdrawn", "no longer needed", DAY)
    assert withdrawn.ended_on == DAY
    with pytest.raises(InvalidTransition):
        move_agreement(withdrawn, "drafting", None, DAY)


def test_an_agreement_expires_no_earlier_than_its_expiry_date():
    in_force = _agreement(status="in_force", expires_on=DAY + timedelta(days=10))
    with pytest.raises(RuleViolation, match="runs until"):
        move_agreement(in_force, "expired", None, DAY)
    assert (
        move_agreement(in_force, "expired", None, DAY + timedelta(days=10))[0].status == "expired"
    )


@pytest.mark.parametrize(
    ("status", "expires", "renewal", "soon"),
    [("in_force", 30, None, True), ("in_force", 200, None, False),
     ("in_force", None, 60, True), ("suspended", 10, None, True),
     ("signed", 10, None, False), ("in_force", None, None, False)],
)  # fmt: skip
def test_expiring_soon_means_in_force_with_expiry_or_renewal_in_the_window(
    status, expires, renewal, soon
):
    agreement = _agreement(
        status=status,
        expires_on=DAY + timedelta(days=expires) if expires else None,
        renewal_due_on=DAY + timedelta(days=renewal) if renewal else None,
    )
    assert agreement.is_expiring_soon(DAY, window_days=90) is soon


def test_only_the_dates_of_the_term_change_here_and_stay_consistent():
    with pytest.raises(RuleViolation, match="only"):
        change_dates(_agreement(), {"signed_on": DAY})
    in_force = _agreement(status="in_force", in_force_on=DAY)
    with pytest.raises(RuleViolation, match="expires after"):
        change_dates(in_force, {"expires_on": DAY})
    changed, (event,) = change_dates(in_force, {"expires_on": DAY + timedelta(days=365)})
    assert changed.expires_on == event.expires_on == DAY + timedelta(days=365)


def test_the_searchable_countries_are_delimited_for_exact_matching():
    assert _agreement(parties=Parties(countries=("LT", "LV"))).index()["countries"] == "|LT|LV|"
