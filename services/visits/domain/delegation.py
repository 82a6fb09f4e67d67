"""Delegation members: who travels or comes, in what order of precedence, and their visas."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import RuleViolation
from shared.types import Day, ShortText

Role = Literal["head", "member", "interpreter", "security", "press", "protocol"]
VisaStatus = Literal["not_required", "required", "requested", "issued", "refused"]


class Visa(BaseModel):
    """A delegation member's visa for an outgoing visit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: VisaStatus = Field(
        "not_required", description="not_required, required, requested, issued or refused"
    )
    requested_on: Day | None = Field(None, description="when it was applied for")
    issued_on: Day | None = Field(None, description="when it was issued")
    valid_until: Day | None = Field(None, description="its last valid day; must cover the visit")
    refused_on: Day | None = Field(None, description="when it was refused")


class DelegationMember(BaseModel):
    """A member of a visit's delegation, in order of precedence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), description="the member's id within the visit"
    )
    name_ka: ShortText | None = Field(None, description="name in Georgian script")
    name_latin: ShortText = Field(description="name in Latin script, as in the passport")
    position: ShortText | None = Field(None, description="title and position")
    organisation: ShortText | None = Field(None, description="the body the member represents")
    role: Role = Field(
        description="head (one per delegation), member, interpreter, security, press or protocol"
    )
    precedence: int = Field(ge=1, description="1 = first in the order of precedence")
    visa: Visa | None = Field(None, description="the visa, for outgoing visits")
    passport_holder_id: str | None = Field(
        None, max_length=36, description="the holder's id in the passports service"
    )
    passport_type: Literal["diplomatic", "service"] = Field(
        "diplomatic", description="the passport the trip needs"
    )
    passport_ready: bool | None = Field(
        None, description="set by the service: a fit passport is in hand (null: not assessed)"
    )
    passport_issue: str | None = Field(None, description="set by the service: why not ready")


def check_member(
    member: DelegationMember, others: tuple[DelegationMember, ...], direction: str
) -> None:
    """Refuse what a protocol officer would refuse in a delegation list."""
    if member.role == "head" and any(m.role == "head" for m in others if m.id != member.id):
        raise RuleViolation("the delegation already has a head")
    if any(m.precedence == member.precedence for m in others if m.id != member.id):
        raise RuleViolation(f"precedence {member.precedence} is already given to another member")
    if member.visa is not None:
        if direction != "outgoing":
            raise RuleViolation("visas are tracked for outgoing visits only")
        _check_visa(member.visa)
    if member.passport_holder_id is not None and direction != "outgoing":
        raise RuleViolation("passport holders are linked for outgoing visits only")


def _check_visa(visa: Visa) -> None:
    needs = {
        "requested": visa.requested_on,
        "issued": visa.issued_on,
        "refused": visa.refused_on,
    }
    if visa.status in needs and needs[visa.status] is None:
        raise RuleViolation(f"a visa that is {visa.status} needs its {visa.status}_on date")
    if visa.issued_on and visa.valid_until and visa.valid_until < visa.issued_on:
        raise RuleViolation("a visa cannot expire before it is issued")


def in_precedence_order(members: tuple[DelegationMember, ...]) -> tuple[DelegationMember, ...]:
    return tuple(sorted(members, key=lambda m: m.precedence))
