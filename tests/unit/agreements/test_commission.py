"""Intergovernmental commissions: sessions in order, protocols, and decisions that become
obligations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.agreements.domain import commission as cm
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import Conflict, InvalidTransition, NotFound, RuleViolation


def _commission(**overrides: Any) -> cm.Commission:
    fields: dict[str, Any] = {
        "partner_country": "LT", "name": LocalizedText(en="Georgia-Lithuania commission"),
        "our_co_chair": "Deputy Minister", "partner_co_chair": "Vice-Minister",
    }  # fmt: skip
    return cm.Commission(**{**fields, **overrides})


def _session(number: int, held_on: date, first_item: str = "Opening") -> cm.Session:
    items = (cm.ProtocolItem(number=1, topic=first_item),)
    return cm.Session(number=number, held_on=held_on, place="Vilnius", protocol_items=items)


def _decision() -> cm.Decision:
    return cm.Decision(text=LocalizedText(en="Exchange protocol staff"),
                       responsible_unit="Protocol", deadline=date(2027, 3, 1))  # fmt: skip


def _with_first_session() -> cm.Commission:
    return cm.hold_session(_commission(), _session(1, date(2026, 3, 1)))[0]


def test_a_commission_is_established_and_dissolved_with_a_reason():
    commission, (event,) = aggregates.create(_commission())
    assert event.partner_country == "LT"
    with pytest.raises(RuleViolation, match="reason"):
        aggregates.transition(commission, "dissolved", None, date(2026, 1, 1))


def test_later_sessions_start_with_the_previous_sessions_decisions():
    commission = _with_first_session()
    with pytest.raises(RuleViolation, match="item 1"):
        cm.hold_session(commission, _session(2, date(2027, 3, 1)))
    held, (event,) = cm.hold_session(
        commission,
        _session(2, date(2027, 3, 1), "Implementation of the previous session's decisions"),
    )  # the wording alone, without a kind: accepted until the deprecation ends
    assert [s.number for s in held.sessions] == [1, 2] and event.session_number == 2


def test_item_one_is_recognised_by_its_kind_in_any_language():
    commission = _with_first_session()
    item = cm.ProtocolItem(
        number=1, kind="previous_decisions", topic="წინა სხდომის გადაწყვეტილებები"
    )
    georgian = cm.Session(
        number=2, held_on=date(2027, 3, 1), place="Vilnius", protocol_items=(item,)
    )
    held, _ = cm.hold_session(commission, georgian)
    assert held.session(2).protocol_items[0].kind == "previous_decisions"
    titled = cm.ProtocolItem(number=1, kind="topic", topic="The previous session's decisions")
    with pytest.raises(RuleViolation, match="kind previous_decisions"):
        cm.hold_session(commission, georgian.model_copy(update={"protocol_items": (titled,)}))


def test_decisions_are_numbered_within_their_session_and_become_referenced_obligations():
    commission = _with_first_session()
    (first, _), (obligation, _) = cm.take_decision(commission, 1, _decision())
    (second, (event,)), (next_obligation, _) = cm.take_decision(first, 1, _decision())
    assert [d.number for d in second.session(1).decisions] == [1, 2]
    assert event.decision_number == 2
    assert (obligation.external_ref, next_obligation.external_ref) == ("1.1", "1.2")
    assert next_obligation.sources[0].reference == "session 1, decision 2"


@pytest.mark.parametrize(
    ("session", "error"),
    [(_session(1, date(2026, 6, 1)), Conflict), (_session(2, date(2026, 2, 1)), RuleViolation)],
)
def test_a_session_is_recorded_once_and_after_the_previous_ones(session, error):
    with pytest.raises(error):
        cm.hold_session(_with_first_session(), session)


def test_a_dissolved_commission_holds_no_sessions():
    with pytest.raises(Conflict, match="dissolved"):
        cm.hold_session(_commission(status="dissolved"), _session(1, date(2026, 3, 1)))


def test_the_protocol_goes_draft_agreed_signed():
    commission = _with_first_session()
    agreed, _ = cm.move_protocol(commission, 1, "agreed")
    signed, (event,) = cm.move_protocol(agreed, 1, "signed")
    assert signed.session(1).protocol_status == "signed" == event.protocol_status
    with pytest.raises(InvalidTransition):
        cm.move_protocol(commission, 1, "signed")
    with pytest.raises(NotFound):
        cm.move_protocol(commission, 9, "agreed")


def test_a_decision_is_recorded_on_its_session_and_becomes_an_obligation():
    commission = _with_first_session()
    (on_commission, events), (obligation, registered) = cm.take_decision(commission, 1, _decision())
    decision = on_commission.session(1).decisions[0]
    assert decision.obligation_id == obligation.id == events[0].obligation_id
    assert obligation.origin_ref == decision.id and obligation.lead_unit == "Protocol"
    assert obligation.sources[0].kind == "commission_decision"
    assert registered[0].obligation_id == obligation.id


def test_a_signed_protocols_decisions_are_final():
    signed, _ = cm.move_protocol(
        cm.move_protocol(_with_first_session(), 1, "agreed")[0], 1, "signed"
    )
    with pytest.raises(Conflict, match="signed"):
        cm.take_decision(signed, 1, _decision())
