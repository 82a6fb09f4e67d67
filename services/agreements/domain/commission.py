"""Intergovernmental commissions on economic cooperation: sessions, protocols, decisions.

Each decision with a responsible unit and a deadline becomes an obligation of kind
``commission_decision``.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.agreements.domain.obligation import Obligation, Source
from shared.aggregates import Changed, LifecycleAggregate
from shared.contracts import agreements as contracts
from shared.contracts.base import EventData, LocalizedText
from shared.errors import Conflict, NotFound, RuleViolation, StateMachine
from shared.references import Reference, deprecated, unit
from shared.types import BilingualText, CountryCode, Day, Id, ShortText

PROTOCOL = StateMachine({"draft": {"agreed"}, "agreed": {"signed"}, "signed": set()})


class ProtocolItem(BaseModel):
    """One item of a session's agenda and protocol."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int = Field(ge=1, description="its place on the agenda, from 1")
    kind: Literal["previous_decisions", "topic"] | None = Field(
        None,
        description="previous_decisions: the implementation of the previous session's "
        "decisions (item 1 of every session after the first); topic: any other item",
    )
    topic: ShortText = Field(description="what it is about")
    text: LocalizedText | None = Field(None, description="what the protocol records on it")


class Decision(BaseModel):
    """A decision taken at a session; it becomes an obligation of the responsible unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    references: ClassVar[tuple[Reference, ...]] = (unit("responsible_unit_id", "responsible_unit"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="the decision's id")
    number: int | None = Field(
        None, description="its number within the session, from 1, given by the service"
    )
    text: BilingualText = Field(description="what was decided")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit that carries it out")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the ministry unit that carries it out: its id in the directory"
    )
    deadline: Day = Field(description="by when")
    obligation_id: str | None = Field(None, description="the obligation made of it")


class Session(BaseModel):
    """One session of a commission."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int = Field(ge=1, description="the session's number, from 1 in order")
    held_on: Day = Field(description="the day it was held (its first day)")
    place: ShortText = Field(description="the city where it was held")
    attendees: tuple[ShortText, ...] = Field((), max_length=200, description="who attended")
    protocol_items: tuple[ProtocolItem, ...] = Field(
        (), max_length=200, description="the agenda and what the protocol records"
    )
    protocol_status: Literal["draft", "agreed", "signed"] = Field(
        "draft", description="draft → agreed → signed"
    )
    decisions: tuple[Decision, ...] = Field((), description="the decisions taken")


class Commission(LifecycleAggregate):
    """An intergovernmental commission with one partner country."""

    lifecycle: ClassVar[StateMachine] = StateMachine({"active": {"dissolved"}, "dissolved": set()})
    events: ClassVar[dict[str, type[EventData]]] = {
        "active": contracts.CommissionEstablishedV1,
        "dissolved": contracts.CommissionDissolvedV1,
    }
    needs_reason: ClassVar[set[str]] = {"dissolved"}

    status: str = Field("active", description="active, or dissolved (with a reason)")
    partner_country: CountryCode = Field(description="ISO 3166-1 alpha-2")
    name: BilingualText = Field(description="the commission's name, in Georgian and/or English")
    our_co_chair: ShortText = Field(description="Georgia's co-chair")
    partner_co_chair: ShortText = Field(description="the partner's co-chair")
    sessions: tuple[Session, ...] = Field((), description="its sessions, in order")

    def index(self) -> dict[str, Any]:
        return {"partner_country": self.partner_country}

    def facts(self) -> dict[str, Any]:
        return {
            "commission_id": self.id,
            "partner_country": self.partner_country,
            "name": self.name,
            "our_co_chair": self.our_co_chair,
            "partner_co_chair": self.partner_co_chair,
        }

    def session(self, number: int) -> Session:
        found = next((s for s in self.sessions if s.number == number), None)
        if found is None:
            raise NotFound(f"no session {number} of this commission")
        return found

    def _with_session(self, session: Session) -> Commission:
        others = tuple(s for s in self.sessions if s.number != session.number)
        return self.evolve(sessions=tuple(sorted((*others, session), key=lambda s: s.number)))


def hold_session(commission: Commission, session: Session) -> Changed[Commission]:
    if commission.status != "active":
        raise Conflict("a dissolved commission holds no sessions")
    if any(s.number == session.number for s in commission.sessions):
        raise Conflict(f"session {session.number} is already recorded")
    if commission.sessions and session.held_on <= max(s.held_on for s in commission.sessions):
        raise RuleViolation("a new session comes after the previous ones")
    if session.decisions or session.protocol_status != "draft":
        raise RuleViolation("record decisions and protocol steps after the session")
    if commission.sessions and not _reviews_previous_decisions(session):
        raise RuleViolation(
            "item 1 of the protocol is the implementation of the previous session's decisions "
            "(kind previous_decisions)"
        )
    event = contracts.CommissionSessionHeldV1(
        commission_id=commission.id,
        partner_country=commission.partner_country,
        session_number=session.number,
        held_on=session.held_on,
        place=session.place,
    )
    return commission._with_session(session), [event]


def _reviews_previous_decisions(session: Session) -> bool:
    """Item 1 is of kind previous_decisions. Deprecated until 2027-06-30: an item without a
    kind whose English topic names the previous session still counts."""
    if not session.protocol_items:
        return False
    first = session.protocol_items[0]
    if first.kind is not None:
        return first.kind == "previous_decisions"
    return "previous session" in first.topic.casefold()


def move_protocol(commission: Commission, number: int, to: str) -> Changed[Commission]:
    session = commission.session(number)
    PROTOCOL.check(session.protocol_status, to)
    event = contracts.CommissionProtocolChangedV1(
        commission_id=commission.id,
        partner_country=commission.partner_country,
        session_number=number,
        protocol_status=to,
    )
    return commission._with_session(session.model_copy(update={"protocol_status": to})), [event]


def take_decision(
    commission: Commission, number: int, decision: Decision
) -> tuple[Changed[Commission], Changed[Obligation]]:
    """The decision, and the obligation it becomes: two aggregates, one transaction."""
    session = commission.session(number)
    if session.protocol_status == "signed":
        raise Conflict("the protocol is signed: its decisions are final")
    decision = decision.model_copy(update={"number": len(session.decisions) + 1})
    reference = f"session {number}, decision {decision.number}"
    obligation = Obligation(
        sources=(Source(kind="commission_decision", reference=reference),),
        title=decision.text,
        area=f"Intergovernmental commission with {commission.partner_country}",
        lead_unit=decision.responsible_unit,
        lead_unit_id=decision.responsible_unit_id,
        deadline=decision.deadline,
        external_ref=f"{number}.{decision.number}",
        origin_ref=decision.id,
    )
    obligation.check()
    decision = decision.model_copy(update={"obligation_id": obligation.id})
    changed = commission._with_session(
        session.model_copy(update={"decisions": (*session.decisions, decision)})
    )
    event = contracts.CommissionDecisionTakenV1(
        commission_id=commission.id,
        partner_country=commission.partner_country,
        session_number=number,
        decision_id=decision.id,
        decision_number=decision.number,
        obligation_id=obligation.id,
        responsible_unit=decision.responsible_unit,
        responsible_unit_id=decision.responsible_unit_id,
        deadline=decision.deadline,
    )
    return (changed, [event]), (obligation, [obligation.event()])
