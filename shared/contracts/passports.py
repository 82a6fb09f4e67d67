"""Events published by the passports service on ``irp.passports.events.v1``.

Holder events carry the holder id and non-identifying facts only: no names,
personal numbers, dates of birth or passport numbers.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.base import EventData


class HolderRegisteredV1(EventData):
    event_type = "irp.passports.HolderRegistered.v1"
    aggregate_type = "holder"

    holder_id: str
    category: str
    unit: str | None = None
    unit_id: str | None = Field(None, description="the unit's id in the directory")
    appointed_on: date | None = None


class HolderDismissedV1(EventData):
    event_type = "irp.passports.HolderDismissed.v1"
    aggregate_type = "holder"

    holder_id: str
    category: str
    dismissed_on: date


class PassportEvent(EventData):
    """The passport's facts, never its number."""

    aggregate_type = "passport"

    passport_id: str
    holder_id: str
    passport_type: str
    status: str
    from_status: str | None = None
    reason: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    return_due_by: date | None = None
    trip_id: str | None = Field(None, description="the trip it was last handed over for")
    safe_return_by: date | None = Field(
        None, description="when it must be back in the office's safe after that trip"
    )


class PassportRequestedV1(PassportEvent):
    event_type = "irp.passports.PassportRequested.v1"


class PassportApprovedV1(PassportEvent):
    event_type = "irp.passports.PassportApproved.v1"


class PassportSubmittedV1(PassportEvent):
    """The application went to the issuing authority."""

    event_type = "irp.passports.PassportSubmitted.v1"


class PassportRejectedV1(PassportEvent):
    event_type = "irp.passports.PassportRejected.v1"


class PassportIssuedV1(PassportEvent):
    event_type = "irp.passports.PassportIssued.v1"


class PassportHandedOverV1(PassportEvent):
    event_type = "irp.passports.PassportHandedOver.v1"


class PassportPlacedInSafeV1(PassportEvent):
    """Kept in the office's safe: deposited after issue, or handed back after a trip."""

    event_type = "irp.passports.PassportPlacedInSafe.v1"


class PassportReturnDueV1(PassportEvent):
    event_type = "irp.passports.PassportReturnDue.v1"


class PassportReturnedV1(PassportEvent):
    event_type = "irp.passports.PassportReturned.v1"


class PassportCancelledV1(PassportEvent):
    event_type = "irp.passports.PassportCancelled.v1"


class PassportLostV1(PassportEvent):
    event_type = "irp.passports.PassportLost.v1"


class PassportStolenV1(PassportEvent):
    event_type = "irp.passports.PassportStolen.v1"


class PassportExpiredV1(PassportEvent):
    event_type = "irp.passports.PassportExpired.v1"


class PassportExpiringV1(PassportEvent):
    """Expires within the configured window (once per passport)."""

    event_type = "irp.passports.PassportExpiring.v1"


class PassportSafeReturnOverdueV1(PassportEvent):
    """Handed over for a trip and not back in the safe by ``safe_return_by`` (once per trip)."""

    event_type = "irp.passports.PassportSafeReturnOverdue.v1"


class PassportReturnOverdueV1(PassportEvent):
    """Its return deadline passed and it is not back (once per passport)."""

    event_type = "irp.passports.PassportReturnOverdue.v1"
