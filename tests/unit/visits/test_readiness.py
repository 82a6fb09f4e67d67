"""Is an outgoing delegation ready to travel? A fit passport in hand, valid long enough."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import readiness
from services.visits.domain import visit as domain
from services.visits.domain.readiness import HolderPassport
from tests.unit.visits.builders import END, member, new_visit

MARGIN = 180


def _outgoing_with(holder: str = "h1", passport_type: str = "diplomatic") -> domain.Visit:
    visit = new_visit(direction="outgoing")
    linked = member(1, "head", passport_holder_id=holder, passport_type=passport_type)
    return domain.add_member(visit, linked)[0]


def _passport(
    status: str = "handed_over", expires: date = date(2030, 1, 1), kind: str = "diplomatic"
) -> HolderPassport:
    return HolderPassport("p1", "h1", kind, status, expires)


def test_a_fit_passport_in_hand_makes_the_member_ready():
    visit, (event,) = readiness.assess(_outgoing_with(), {"h1": [_passport()]}, MARGIN)
    assert visit.delegation[0].passport_ready is True and event.ready is True


@pytest.mark.parametrize(
    ("passports", "issue"),
    [([], "no diplomatic passport in hand"),
     ([_passport(kind="service")], "no diplomatic passport in hand"),
     ([_passport(status="requested")], "no diplomatic passport in hand"),
     ([_passport(expires=date(2027, 1, 1))], "expires on 2027-01-01")],
)  # fmt: skip
def test_why_a_member_is_not_ready_is_said(passports, issue):
    visit, (event,) = readiness.assess(_outgoing_with(), {"h1": passports}, MARGIN)
    member_ = visit.delegation[0]
    assert member_.passport_ready is False and issue in (member_.passport_issue or "")
    assert event.reason == member_.passport_issue


def test_the_passport_must_stay_valid_for_the_margin_after_the_last_day():
    last_valid_day = date.fromordinal(END.toordinal() + MARGIN)
    ready, _ = readiness.assess(
        _outgoing_with(), {"h1": [_passport(expires=last_valid_day)]}, MARGIN
    )
    assert ready.delegation[0].passport_ready is True


def test_nothing_changes_nothing_is_announced():
    assessed, _ = readiness.assess(_outgoing_with(), {"h1": [_passport()]}, MARGIN)
    again, events = readiness.assess(assessed, {"h1": [_passport()]}, MARGIN)
    assert (again, events) == (assessed, [])


def test_incoming_visits_are_not_assessed():
    visit = new_visit()
    assert readiness.assess(visit, {}, MARGIN) == (visit, [])
    assert readiness.linked_holders(_outgoing_with("h9")) == {"h9"}
