"""The agreement and its lifecycle: plain Python, no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from shared.contracts.agreements import AgreementRegisteredV1
from shared.contracts.base import LocalizedText
from shared.errors import RuleViolation, StateMachine

LIFECYCLE = StateMachine(
    {
        "proposal": {"drafting", "withdrawn"},
        "drafting": {"internal_review", "withdrawn"},
        "internal_review": {"negotiation", "drafting", "withdrawn"},
        "negotiation": {"agreed", "withdrawn"},
        "agreed": {"signed", "withdrawn"},
        "signed": {"in_force", "withdrawn"},
        "in_force": {"suspended", "expired", "terminated"},
        "suspended": {"in_force", "terminated"},
        "expired": set(),
        "terminated": set(),
        "withdrawn": set(),
    }
)


@dataclass(frozen=True)
class Agreement:
    id: str
    agreement_type: str
    title: LocalizedText
    party_countries: tuple[str, ...] = ()
    party_organisations: tuple[str, ...] = ()
    responsible_unit: str | None = None
    funding_amount: Decimal | None = None
    funding_currency: str | None = None
    status: str = "proposal"
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    pending_events: tuple[object, ...] = field(default=(), compare=False, repr=False)


def register_agreement(**fields: object) -> Agreement:
    """A new agreement at the ``proposal`` stage, with the event that announces it."""
    agreement = Agreement(id=str(uuid.uuid4()), **fields)  # type: ignore[arg-type]
    if not (agreement.party_countries or agreement.party_organisations):
        raise RuleViolation("an agreement needs at least one other party")
    if (agreement.funding_amount is None) != (agreement.funding_currency is None):
        raise RuleViolation("give the funding amount together with its currency")
    if agreement.funding_amount is not None and agreement.funding_amount <= 0:
        raise RuleViolation("the funding amount must be positive")
    event = AgreementRegisteredV1(
        agreement_id=agreement.id,
        agreement_type=agreement.agreement_type,
        title=agreement.title,
        party_countries=list(agreement.party_countries),
        party_organisations=list(agreement.party_organisations),
        responsible_unit=agreement.responsible_unit,
        funding_amount=agreement.funding_amount,
        funding_currency=agreement.funding_currency,
        status=agreement.status,
    )
    return replace(agreement, pending_events=(event,))
