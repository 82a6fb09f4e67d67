"""Diplomatic and service passports: the application and the document, one lifecycle.

Plain Python, no I/O. The passport number is personal data: it never enters an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

from pydantic import Field

from services.passports.domain.mrz import valid_document_number
from shared.aggregates import Changed, LifecycleAggregate, transition
from shared.contracts import passports as contracts
from shared.contracts.base import EventData
from shared.deadlines import is_overdue
from shared.errors import Conflict, RuleViolation, StateMachine

PassportType = Literal["diplomatic", "service"]
IN_HAND = {"issued", "handed_over"}  # valid documents the holder has or will get
VALID = IN_HAND | {"in_safe"}  # valid documents, with the holder or in the office's safe
PENDING = {"requested", "approved", "submitted"}


@dataclass(frozen=True)
class Trip:
    """The trip a passport leaves the safe for, and how soon after it the office wants the
    passport back."""

    trip_id: str
    ends_on: date
    return_days: int


class Passport(LifecycleAggregate):
    lifecycle: ClassVar[StateMachine] = StateMachine(
        {
            "requested": {"approved", "rejected"},
            "approved": {"submitted", "rejected"},
            "submitted": {"issued", "rejected"},
            "issued": {"handed_over", "in_safe", "cancelled"},
            "handed_over": {"in_safe", "return_due", "lost", "stolen", "expired", "cancelled"},
            "in_safe": {"handed_over", "expired", "lost", "stolen", "cancelled"},
            "return_due": {"returned", "lost", "stolen"},
            "returned": {"cancelled"},
            "lost": {"cancelled"},
            "stolen": {"cancelled"},
            "expired": {"returned", "cancelled"},
            "rejected": set(),
            "cancelled": set(),
        }
    )
    events: ClassVar[dict[str, type[EventData]]] = {
        "requested": contracts.PassportRequestedV1,
        "approved": contracts.PassportApprovedV1,
        "submitted": contracts.PassportSubmittedV1,
        "rejected": contracts.PassportRejectedV1,
        "issued": contracts.PassportIssuedV1,
        "handed_over": contracts.PassportHandedOverV1,
        "in_safe": contracts.PassportPlacedInSafeV1,
        "return_due": contracts.PassportReturnDueV1,
        "returned": contracts.PassportReturnedV1,
        "cancelled": contracts.PassportCancelledV1,
        "lost": contracts.PassportLostV1,
        "stolen": contracts.PassportStolenV1,
        "expired": contracts.PassportExpiredV1,
    }
    needs_reason: ClassVar[set[str]] = {"rejected", "cancelled", "lost", "stolen"}

    status: str = "requested"
    holder_id: str = Field(max_length=36)
    passport_type: PassportType
    number: str | None = Field(None, description="personal data: masked without passports:pii")
    issued_on: date | None = None
    expires_on: date | None = None
    handed_over_on: date | None = None
    return_due_by: date | None = None
    returned_on: date | None = None
    in_safe_since: date | None = Field(None, description="kept in the office's safe since")
    trip_id: str | None = Field(None, description="the trip it was last handed over for")
    trip_ends_on: date | None = Field(None, description="the last day of that trip")
    safe_return_by: date | None = Field(
        None, description="when it must be back in the safe after the trip"
    )
    expiring_notified: bool = False
    return_overdue_notified: bool = False
    safe_return_overdue_notified: bool = False

    def index(self) -> dict[str, Any]:
        return {
            "holder_id": self.holder_id,
            "passport_type": self.passport_type,
            "number": self.number,
            "expires_on": self.expires_on,
            "return_due_by": self.return_due_by,
        }

    def facts(self) -> dict[str, Any]:
        return {
            "passport_id": self.id,
            "holder_id": self.holder_id,
            "passport_type": self.passport_type,
            "issued_on": self.issued_on,
            "expires_on": self.expires_on,
            "return_due_by": self.return_due_by,
            "trip_id": self.trip_id,
            "safe_return_by": self.safe_return_by,
        }

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "issued":
            raise RuleViolation("issue a passport through its issue endpoint, with its number")
        if to == "return_due":
            raise RuleViolation("a return falls due when the holder is dismissed")
        if to == "expired" and self.expires_on and today < self.expires_on:
            raise RuleViolation(f"the passport is valid until {self.expires_on.isoformat()}")

    def expiring(self, today: date, window_days: int) -> bool:
        return (
            self.status in VALID
            and self.expires_on is not None
            and today <= self.expires_on <= today + timedelta(days=window_days)
        )

    def return_overdue(self, today: date) -> bool:
        return is_overdue(self.return_due_by, today, done=self.status != "return_due")

    def safe_return_overdue(self, today: date) -> bool:
        """Handed over for a trip and not back in the safe by its deadline."""
        return is_overdue(self.safe_return_by, today, done=self.status != "handed_over")


def issue(
    passport: Passport,
    number: str,
    issued_on: date,
    expires_on: date,
    max_validity_years: int,
) -> Changed[Passport]:
    passport.lifecycle.check(passport.status, "issued")
    if not valid_document_number(number):
        raise RuleViolation("a passport number has 1 to 9 characters: A-Z and 0-9 (ICAO 9303)")
    if expires_on <= issued_on:
        raise RuleViolation("a passport expires after it is issued")
    if expires_on > issued_on.replace(year=issued_on.year + max_validity_years):
        raise RuleViolation(f"a passport is valid for at most {max_validity_years} years")
    issued = passport.evolve(
        status="issued", number=number, issued_on=issued_on, expires_on=expires_on
    )
    return issued, [issued.event(from_status=passport.status)]


def hand_over(passport: Passport, on: date, trip: Trip | None = None) -> Changed[Passport]:
    """To the holder; out of the safe only for a trip, due back ``trip.return_days`` after
    it ends."""
    passport.lifecycle.check(passport.status, "handed_over")
    if passport.status == "in_safe" and trip is None:
        raise RuleViolation("a passport leaves the safe for a trip: name the trip and its end")
    changes: dict[str, Any] = {"status": "handed_over", "handed_over_on": on}
    if trip is not None:
        if trip.ends_on < on:
            raise RuleViolation("the trip ends before the hand-over")
        changes |= {
            "trip_id": trip.trip_id,
            "trip_ends_on": trip.ends_on,
            "safe_return_by": trip.ends_on + timedelta(days=trip.return_days),
            "safe_return_overdue_notified": False,
        }
    moved = passport.evolve(**changes)
    return moved, [moved.event(from_status=passport.status)]


def place_in_safe(passport: Passport, on: date) -> Changed[Passport]:
    """Kept by the office: deposited after issue, or handed back after a trip."""
    passport.lifecycle.check(passport.status, "in_safe")
    moved = passport.evolve(status="in_safe", in_safe_since=on, safe_return_by=None)
    return moved, [moved.event(from_status=passport.status)]


def move(
    passport: Passport,
    to: str,
    reason: str | None,
    on: date,
    today: date,
    trip: Trip | None = None,
) -> Changed[Passport]:
    """A transition asked for by the office; hand-over and return carry their date."""
    if to == "handed_over":
        return hand_over(passport, on, trip)
    if to == "in_safe":
        return place_in_safe(passport, on)
    if to == "returned":
        return mark_returned(passport, on)
    return transition(passport, to, reason, today)


def make_return_due(passport: Passport, by: date) -> Changed[Passport]:
    moved = passport.evolve(status="return_due", return_due_by=by)
    return moved, [moved.event(from_status=passport.status, reason="holder dismissed")]


def mark_returned(passport: Passport, on: date) -> Changed[Passport]:
    passport.lifecycle.check(passport.status, "returned")
    moved = passport.evolve(status="returned", returned_on=on)
    return moved, [moved.event(from_status=passport.status)]


def supersede(old: Passport, new_id: str) -> Changed[Passport]:
    """A newly issued passport of the same type cancels the one in hand."""
    reason = f"replaced by passport {new_id}"
    moved = old.evolve(status="cancelled", status_reason=reason)
    return moved, [moved.event(from_status=old.status, reason=reason)]


def sweep(passport: Passport, today: date, window_days: int) -> Changed[Passport]:
    """What time alone changes: expiry, an approaching expiry, an overdue return."""
    if passport.status in VALID and passport.expires_on and passport.expires_on < today:
        if passport.status == "issued":  # never handed over: nothing to take back
            moved = passport.evolve(status="cancelled", status_reason="expired before hand-over")
        else:
            moved = passport.evolve(status="expired")
        return moved, [moved.event(from_status=passport.status)]
    if passport.expiring(today, window_days) and not passport.expiring_notified:
        moved = passport.evolve(expiring_notified=True)
        return moved, [contracts.PassportExpiringV1(**moved.facts(), status=moved.status)]
    if passport.return_overdue(today) and not passport.return_overdue_notified:
        moved = passport.evolve(return_overdue_notified=True)
        return moved, [contracts.PassportReturnOverdueV1(**moved.facts(), status=moved.status)]
    if passport.safe_return_overdue(today) and not passport.safe_return_overdue_notified:
        moved = passport.evolve(safe_return_overdue_notified=True)
        event = contracts.PassportSafeReturnOverdueV1(**moved.facts(), status=moved.status)
        return moved, [event]
    return passport, []


def check_request(
    passport: Passport, holder_category: str, dismissed: bool, others: list[Passport],
    entitlements: dict[str, list[str]],
) -> None:  # fmt: skip
    """The entitlement rules, and one application at a time per type."""
    if dismissed:
        raise Conflict("the holder is dismissed: no new passport")
    allowed = entitlements.get(passport.passport_type, [])
    if holder_category not in allowed:
        raise RuleViolation(
            f"a {holder_category} is not entitled to a {passport.passport_type} passport",
            entitled_categories=allowed,
        )
    if any(o.passport_type == passport.passport_type and o.status in PENDING for o in others):
        raise Conflict(f"a {passport.passport_type} passport application is already open")
