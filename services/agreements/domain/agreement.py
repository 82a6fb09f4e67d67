"""Agreements and their lifecycle: plain Python, no I/O."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared import references as refs
from shared import reminders
from shared.aggregates import Changed, LifecycleAggregate
from shared.contracts import agreements as contracts
from shared.contracts.base import EventData
from shared.errors import RuleViolation, StateMachine
from shared.references import Reference, deprecated
from shared.types import BilingualText, CountryCode, CurrencyCode, Day, Id, ShortText

AgreementType = Literal[
    "treaty",
    "intergovernmental",
    "interagency",
    "memorandum",
    "donor_agreement",
    "grant_agreement",
]
_ADVANCED = contracts.AgreementAdvancedV1


class Parties(BaseModel):
    """Who else is bound: states and organisations (at least one of either)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    countries: tuple[CountryCode, ...] = Field(
        (), max_length=200, description="the states party to it, ISO 3166-1 alpha-2"
    )
    organisations: tuple[ShortText, ...] = Field(
        (), max_length=200, description=deprecated("the organisations party to it")
    )
    organisation_ids: tuple[Id, ...] = Field(
        (), max_length=200, description="the organisations party to it: their ids in the directory"
    )


class Funding(BaseModel):
    """The money an agreement provides (donor and grant agreements)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal = Field(
        gt=0, max_digits=16, decimal_places=2, description="the total, with at most 2 decimals"
    )
    currency: CurrencyCode = Field(description="ISO 4217 code, e.g. EUR")


class Agreement(LifecycleAggregate):
    """An international agreement the ministry negotiates, signs or implements."""

    lifecycle: ClassVar[StateMachine] = StateMachine(
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
    events: ClassVar[dict[str, type[EventData]]] = {
        "proposal": contracts.AgreementRegisteredV1,
        "drafting": _ADVANCED,
        "internal_review": _ADVANCED,
        "negotiation": _ADVANCED,
        "agreed": _ADVANCED,
        "signed": contracts.AgreementSignedV1,
        "in_force": contracts.AgreementEnteredIntoForceV1,
        "suspended": contracts.AgreementSuspendedV1,
        "expired": contracts.AgreementExpiredV1,
        "terminated": contracts.AgreementTerminatedV1,
        "withdrawn": contracts.AgreementWithdrawnV1,
    }
    needs_reason: ClassVar[set[str]] = {"suspended", "terminated", "withdrawn"}
    references: ClassVar[tuple[Reference, ...]] = (
        refs.unit("responsible_unit_id", "responsible_unit"),
        refs.counterpart("parties.organisation_ids", "parties.organisations", many=True),
    )

    status: str = Field(
        "proposal",
        description="proposal → drafting → internal_review → negotiation → agreed → signed → "
        "in_force (→ suspended, expired, terminated), or withdrawn before entry into "
        "force",
    )
    agreement_type: AgreementType = Field(
        description="treaty, intergovernmental, interagency, memorandum (of understanding), "
        "donor_agreement or grant_agreement"
    )
    title: BilingualText = Field(description="the agreement's title, in Georgian and/or English")
    parties: Parties = Field(description="the other parties")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit that implements it")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the ministry unit that implements it: its id in the directory"
    )
    funding: Funding | None = Field(
        None, description="what it provides, for donor and grant agreements"
    )
    depositary: ShortText | None = Field(
        None, description="who keeps the original of a multilateral agreement"
    )
    registration_number: ShortText | None = Field(
        None, description="the number in the state register of international agreements"
    )
    signed_on: Day | None = Field(None, description="set when it moves to signed")
    in_force_on: Day | None = Field(
        None, description="set when it moves to in_force, or given beforehand"
    )
    expires_on: Day | None = Field(None, description="its last day in force, when it has a term")
    renewal_due_on: Day | None = Field(None, description="when renewal must be decided")
    ended_on: Day | None = Field(None, description="terminated, withdrawn or expired on")
    step_dates: dict[str, date] = Field(
        default_factory=dict, description="the date of each lifecycle step"
    )
    reminded: tuple[str, ...] = Field(
        (),
        description="the reminders published for it, each once (expiry:due, "
        "renewal_decision:overdue...)",
    )

    def index(self) -> dict[str, Any]:
        return {
            "agreement_type": self.agreement_type,
            "countries": "|" + "|".join(self.parties.countries) + "|",
            "expires_on": self.expires_on,
        }

    def facts(self) -> dict[str, Any]:
        return {
            "agreement_id": self.id,
            "agreement_type": self.agreement_type,
            "title": self.title,
            "party_countries": list(self.parties.countries),
            "party_organisations": list(self.parties.organisations),
            "party_organisation_ids": list(self.parties.organisation_ids),
            "responsible_unit": self.responsible_unit,
            "responsible_unit_id": self.responsible_unit_id,
            "funding_amount": self.funding.amount if self.funding else None,
            "funding_currency": self.funding.currency if self.funding else None,
            "signed_on": self.signed_on,
            "in_force_on": self.in_force_on,
            "expires_on": self.expires_on,
        }

    def check(self) -> None:
        if not (self.parties.countries or self.parties.organisations):
            raise RuleViolation("an agreement needs at least one other party")
        if self.in_force_on and self.signed_on and self.in_force_on < self.signed_on:
            raise RuleViolation("an agreement cannot enter into force before it is signed")
        if self.expires_on and self.in_force_on and self.expires_on <= self.in_force_on:
            raise RuleViolation("an agreement expires after it enters into force")

    def is_expiring_soon(self, today: date, window_days: int) -> bool:
        """In force and its expiry or renewal date falls within the window."""
        if self.status not in ("in_force", "suspended"):
            return False
        horizon = today + timedelta(days=window_days)
        return any(d is not None and d <= horizon for d in (self.expires_on, self.renewal_due_on))


def remind(agreement: Agreement, today: date, notice_days: int) -> Changed[Agreement]:
    """The reminders its expiry and renewal decision call for today, each published once,
    while it is in force (or suspended)."""
    if agreement.status not in ("in_force", "suspended"):
        return agreement, []
    events: list[EventData] = []
    keys: list[str] = []
    dates = (("expiry", agreement.expires_on), ("renewal_decision", agreement.renewal_due_on))
    for what, due_on in dates:
        stage = due_on and reminders.due(
            today, due_on, notice_days, False, agreement.reminded, what
        )
        if due_on is None or not stage:
            continue
        keys.append(f"{what}:{stage}")
        events.append(contracts.AgreementDueV1(
            **agreement.facts(), status=agreement.status, what=what, stage=stage, due_on=due_on
        ))  # fmt: skip
    if not events:
        return agreement, []
    return agreement.changed(events, reminded=(*agreement.reminded, *keys))


def move_agreement(
    agreement: Agreement, to: str, reason: str | None, on: date
) -> Changed[Agreement]:
    """A lifecycle step on a date (default today), recording the dates it implies."""
    agreement.lifecycle.check(agreement.status, to)
    agreement.guard(to, reason, on)
    dates: dict[str, Any] = {"step_dates": {**agreement.step_dates, to: on}}
    if to == "signed":
        dates["signed_on"] = on
    elif to == "in_force" and agreement.in_force_on is None:
        dates["in_force_on"] = on
    elif to in ("expired", "terminated", "withdrawn"):
        dates["ended_on"] = on
    if to == "expired" and agreement.expires_on and on < agreement.expires_on:
        raise RuleViolation(f"the agreement runs until {agreement.expires_on.isoformat()}")
    moved = agreement.evolve(status=to, status_reason=reason, **dates)
    moved.check()
    return moved, [moved.event(from_status=agreement.status, reason=reason)]


def change_dates(agreement: Agreement, changes: dict[str, date | None]) -> Changed[Agreement]:
    allowed = {"expires_on", "renewal_due_on", "in_force_on"}
    if set(changes) - allowed:
        raise RuleViolation(f"only {', '.join(sorted(allowed))} can be changed here")
    changed = agreement.evolve(**changes)
    changed.check()
    event = contracts.AgreementDatesChangedV1(**changed.facts(), status=changed.status)
    return changed, [event]
