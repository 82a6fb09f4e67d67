"""Are the members of an outgoing delegation ready to travel? Plain Python, no I/O.

A member linked to a passport holder is ready when the holder has a passport of the
needed type in hand that stays valid until the margin after the visit's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.visits.domain.delegation import DelegationMember
from services.visits.domain.visit import Visit
from shared.aggregates import Changed
from shared.contracts.base import EventData
from shared.contracts.visits import DelegationMemberReadinessChangedV1

IN_HAND = {"issued", "handed_over", "in_safe"}  # usable: the holder's or in the safe
FINISHED = {"cancelled", "completed", "reported"}


@dataclass(frozen=True)
class HolderPassport:
    passport_id: str
    holder_id: str
    passport_type: str
    status: str
    expires_on: date | None


def _verdict(needed: str, passports: list[HolderPassport], until: date) -> tuple[bool, str | None]:
    usable = [p for p in passports if p.passport_type == needed and p.status in IN_HAND]
    if not usable:
        return False, f"no {needed} passport in hand"
    best = max((p.expires_on for p in usable if p.expires_on), default=None)
    if best is None or best < until:
        when = best.isoformat() if best else "an unknown date"
        return False, f"the {needed} passport expires on {when}, before {until.isoformat()}"
    return True, None


def linked_holders(visit: Visit) -> set[str]:
    return {m.passport_holder_id for m in visit.delegation if m.passport_holder_id}


def assess(
    visit: Visit, passports: dict[str, list[HolderPassport]], margin_days: int
) -> Changed[Visit]:
    """The visit with each linked member's readiness; one event per member that changed."""
    if visit.direction != "outgoing" or visit.status in FINISHED:
        return visit, []
    until = visit.end_date + timedelta(days=margin_days) if visit.end_date else None
    members: list[DelegationMember] = []
    events: list[EventData] = []
    for member in visit.delegation:
        if member.passport_holder_id is None:
            members.append(member)
            continue
        ready, issue = (
            _verdict(member.passport_type, passports.get(member.passport_holder_id, []), until)
            if until
            else (None, "the visit has no dates yet")
        )
        if (ready, issue) != (member.passport_ready, member.passport_issue):
            member = member.model_copy(update={"passport_ready": ready, "passport_issue": issue})
            events.append(
                DelegationMemberReadinessChangedV1(
                    visit_id=visit.id,
                    member_id=member.id,
                    ready=ready,
                    passport_type=member.passport_type,
                    reason=issue,
                )
            )
        members.append(member)
    if not events:
        return visit, []
    return visit.changed(events, delegation=tuple(members))
