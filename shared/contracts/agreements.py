"""Events published by the agreements service on ``irp.agreements.events.v1``.

They carry what the EU, UN and commission reports need, so that reporting never
calls back to this service.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import EventData, LocalizedText

# --- agreements ---


class AgreementEvent(EventData):
    aggregate_type = "agreement"

    agreement_id: str
    agreement_type: str
    title: LocalizedText
    party_countries: list[str]
    party_organisations: list[str]
    party_organisation_ids: list[str] = Field(
        [], description="the organisations' ids in the directory, when they are named by id"
    )
    responsible_unit: str | None = None
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")
    funding_amount: Decimal | None = None
    funding_currency: str | None = None
    signed_on: date | None = None
    in_force_on: date | None = None
    expires_on: date | None = None
    status: str
    from_status: str | None = None
    reason: str | None = None


class AgreementRegisteredV1(AgreementEvent):
    event_type = "irp.agreements.AgreementRegistered.v1"


class AgreementAdvancedV1(AgreementEvent):
    """Moved between drafting, internal review, negotiation and agreed."""

    event_type = "irp.agreements.AgreementAdvanced.v1"


class AgreementSignedV1(AgreementEvent):
    event_type = "irp.agreements.AgreementSigned.v1"


class AgreementEnteredIntoForceV1(AgreementEvent):
    event_type = "irp.agreements.AgreementEnteredIntoForce.v1"


class AgreementSuspendedV1(AgreementEvent):
    event_type = "irp.agreements.AgreementSuspended.v1"


class AgreementExpiredV1(AgreementEvent):
    event_type = "irp.agreements.AgreementExpired.v1"


class AgreementTerminatedV1(AgreementEvent):
    event_type = "irp.agreements.AgreementTerminated.v1"


class AgreementDueV1(AgreementEvent):
    """A date of the agreement calls for a reminder, published once per date and stage: its
    expiry, or the decision on its renewal, due soon or overdue."""

    event_type = "irp.agreements.AgreementDue.v1"

    what: Literal["expiry", "renewal_decision"]
    stage: Literal["due", "overdue"] = Field(description="due soon, or past its day")
    due_on: date


class AgreementWithdrawnV1(AgreementEvent):
    event_type = "irp.agreements.AgreementWithdrawn.v1"


class AgreementDatesChangedV1(AgreementEvent):
    """Expiry or renewal dates were set or corrected."""

    event_type = "irp.agreements.AgreementDatesChanged.v1"


# --- obligations ---


class ObligationSource(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    reference: str
    support_level: str | None = Field(
        None, description="for a UN recommendation: Georgia's answer to it"
    )


class ObligationEvent(EventData):
    aggregate_type = "obligation"

    obligation_id: str


class ObligationFacts(ObligationEvent):
    sources: list[ObligationSource]
    title: LocalizedText
    area: str | None = None
    lead_unit: str
    lead_unit_id: str | None = Field(None, description="the lead unit's id in the directory")
    supporting_units: list[str] = []
    supporting_unit_ids: list[str] = Field(
        [], description="the supporting units' ids in the directory, when named by id"
    )
    deadline: date | None = None
    indicator: str | None = None
    target: str | None = None
    support_level: str | None = None
    action_plan_id: str | None = None
    external_ref: str | None = None
    origin_ref: str | None = None
    status: str


class ObligationRegisteredV1(ObligationFacts):
    event_type = "irp.agreements.ObligationRegistered.v1"


class ObligationUpdatedV1(ObligationFacts):
    event_type = "irp.agreements.ObligationUpdated.v1"

    changed: list[str]


class ObligationStatusChangedV1(ObligationEvent):
    event_type = "irp.agreements.ObligationStatusChanged.v1"

    status: str
    from_status: str
    reason: str | None = None


class ObligationDueV1(ObligationEvent):
    """A date of an open obligation calls for a reminder, published once per date and stage:
    its deadline, or the progress report for a reporting period, due soon or overdue."""

    event_type = "irp.agreements.ObligationDue.v1"

    what: Literal["deadline", "progress_report"]
    stage: Literal["due", "overdue"] = Field(description="due soon, or past its day")
    due_on: date
    period: str | None = Field(None, description="the reporting period, for a progress report")
    title: LocalizedText
    external_ref: str | None = None
    lead_unit: str
    lead_unit_id: str | None = None
    action_plan_id: str | None = None
    status: str


class ProgressEvent(ObligationEvent):
    progress_id: str
    period: str
    percent: int
    reporting_unit: str
    reporting_unit_id: str | None = Field(None, description="the unit's id in the directory")


class ProgressSubmittedV1(ProgressEvent):
    event_type = "irp.agreements.ProgressSubmitted.v1"


class ProgressApprovedV1(ProgressEvent):
    """Only approved progress counts in the reports."""

    event_type = "irp.agreements.ProgressApproved.v1"

    narrative: LocalizedText


class ProgressReturnedV1(ProgressEvent):
    event_type = "irp.agreements.ProgressReturned.v1"

    reason: str | None = None


# --- EU annual action plans ---


class ActionPlanEvent(EventData):
    aggregate_type = "action_plan"

    action_plan_id: str
    year: int
    title: LocalizedText
    status: str
    from_status: str | None = None
    reason: str | None = None


class ActionPlanDraftedV1(ActionPlanEvent):
    event_type = "irp.agreements.ActionPlanDrafted.v1"


class ActionPlanApprovedV1(ActionPlanEvent):
    event_type = "irp.agreements.ActionPlanApproved.v1"


class ActionPlanImplementationStartedV1(ActionPlanEvent):
    event_type = "irp.agreements.ActionPlanImplementationStarted.v1"


class ActionPlanReportedV1(ActionPlanEvent):
    event_type = "irp.agreements.ActionPlanReported.v1"


# --- intergovernmental commissions ---


class CommissionEvent(EventData):
    aggregate_type = "commission"

    commission_id: str
    partner_country: str


class CommissionEstablishedV1(CommissionEvent):
    event_type = "irp.agreements.CommissionEstablished.v1"

    name: LocalizedText
    status: str
    from_status: str | None = None
    reason: str | None = None
    # Added later, optional: events recorded before carry none.
    our_co_chair: str | None = Field(None, description="Georgia's co-chair (name and office)")
    partner_co_chair: str | None = Field(None, description="the partner country's co-chair")


class CommissionDissolvedV1(CommissionEvent):
    event_type = "irp.agreements.CommissionDissolved.v1"

    name: LocalizedText
    status: str
    from_status: str | None = None
    reason: str | None = None
    our_co_chair: str | None = Field(None, description="Georgia's co-chair (name and office)")
    partner_co_chair: str | None = Field(None, description="the partner country's co-chair")


class CommissionSessionHeldV1(CommissionEvent):
    event_type = "irp.agreements.CommissionSessionHeld.v1"

    session_number: int
    held_on: date
    place: str


class CommissionProtocolChangedV1(CommissionEvent):
    """The session protocol was agreed or signed."""

    event_type = "irp.agreements.CommissionProtocolChanged.v1"

    session_number: int
    protocol_status: str


class CommissionDecisionTakenV1(CommissionEvent):
    event_type = "irp.agreements.CommissionDecisionTaken.v1"

    session_number: int
    decision_id: str
    decision_number: int | None = Field(
        None, description="its number within the session (absent before numbering began)"
    )
    obligation_id: str
    responsible_unit: str
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")
    deadline: date
