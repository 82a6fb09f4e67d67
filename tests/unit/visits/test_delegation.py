"""A delegation list as a protocol officer keeps it: one head, distinct precedence, visas
and passport links for outgoing visits only."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.delegation import Visa, check_member, in_precedence_order
from shared.errors import Conflict, NotFound, RuleViolation
from tests.unit.visits.builders import member, moved, new_visit, with_head


def test_members_are_kept_in_order_of_precedence():
    visit = new_visit()
    for precedence in (3, 1, 2):
        visit, _ = domain.add_member(visit, member(precedence))
    assert [m.precedence for m in visit.delegation] == [1, 2, 3]
    assert in_precedence_order(tuple(reversed(visit.delegation))) == visit.delegation


def test_a_delegation_has_one_head():
    visit = with_head(new_visit())
    with pytest.raises(RuleViolation, match="already has a head"):
        domain.add_member(visit, member(2, "head"))


def test_two_members_cannot_share_a_precedence():
    visit, _ = domain.add_member(new_visit(), member(1))
    with pytest.raises(RuleViolation, match="precedence 1"):
        domain.add_member(visit, member(1))


@pytest.mark.parametrize(
    "visa",
    [Visa(status="requested"), Visa(status="issued"), Visa(status="refused"),
     Visa(status="issued", issued_on=date(2026, 11, 1), valid_until=date(2026, 10, 1))],
)  # fmt: skip
def test_a_visa_needs_the_date_of_its_status_and_a_sane_validity(visa):
    with pytest.raises(RuleViolation):
        check_member(member(1, visa=visa), (), "outgoing")


def test_a_visa_with_its_dates_is_accepted_for_an_outgoing_visit():
    visa = Visa(status="issued", issued_on=date(2026, 11, 1), valid_until=date(2027, 11, 1))
    check_member(member(1, visa=visa), (), "outgoing")


@pytest.mark.parametrize(
    "extra", [{"visa": Visa(status="not_required")}, {"passport_holder_id": "h-1"}]
)
def test_visas_and_passport_links_are_for_outgoing_visits_only(extra):
    with pytest.raises(RuleViolation, match="outgoing visits only"):
        check_member(member(1, **extra), (), "incoming")


def test_a_member_can_be_changed_and_removed_with_an_event_each():
    visit, _ = domain.add_member(new_visit(), member(1))
    someone = visit.delegation[0]
    renamed = someone.model_copy(update={"position": "Adviser"})
    visit, (changed,) = domain.change_member(visit, renamed)
    assert visit.delegation[0].position == "Adviser" and changed.member_id == someone.id
    visit, (removed,) = domain.remove_member(visit, someone.id)
    assert visit.delegation == () and removed.member_id == someone.id


def test_an_unknown_member_is_not_found():
    with pytest.raises(NotFound):
        domain.remove_member(new_visit(), "nobody")


def test_a_confirmed_visit_keeps_its_head():
    confirmed = moved(with_head(new_visit()), "planned", "confirmed")
    head = confirmed.head_of_delegation
    assert head is not None
    with pytest.raises(Conflict):
        domain.remove_member(confirmed, head.id)
    with pytest.raises(Conflict):
        domain.change_member(confirmed, head.model_copy(update={"role": "member"}))


def test_the_delegation_of_a_finished_visit_is_closed():
    cancelled = moved(new_visit(), "cancelled")
    with pytest.raises(Conflict):
        domain.add_member(cancelled, member(1))
