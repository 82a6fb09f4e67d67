"""Events published by the visits service on ``irp.visits.events.v1``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from shared.contracts.base import EventData, LocalizedText


class VisitEvent(EventData):
    aggregate_type = "visit"
    visit_id: str


class VisitCreatedV1(VisitEvent):
    event_type = "irp.visits.VisitCreated.v1"

    direction: str
    kind: str
    lead_level: str | None = None
    country_code: str | None = None
    organisation: str | None = None
    title: LocalizedText
    start_date: date | None = None
    end_date: date | None = None
    city: str | None = None
    responsible_unit: str | None = None
    organisation_id: str | None = Field(None, description="the organisation's id in the directory")
    counterpart_post_id: str | None = Field(
        None, description="the post of the counterpart's lead official, in the directory"
    )
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")
    status: str


class VisitStatusChanged(VisitEvent):
    from_status: str
    to_status: str
    reason: str | None = None
    direction: str
    country_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class VisitPlannedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitPlanned.v1"


class VisitConfirmedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitConfirmed.v1"


class VisitStartedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitStarted.v1"


class VisitCompletedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitCompleted.v1"


class VisitReportedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitReported.v1"


class VisitPostponedV1(VisitStatusChanged):
    event_type = "irp.visits.VisitPostponed.v1"


class VisitCancelledV1(VisitStatusChanged):
    event_type = "irp.visits.VisitCancelled.v1"


STATUS_CHANGE_EVENTS: dict[str, type[VisitStatusChanged]] = {
    "planned": VisitPlannedV1,
    "confirmed": VisitConfirmedV1,
    "in_progress": VisitStartedV1,
    "completed": VisitCompletedV1,
    "reported": VisitReportedV1,
    "postponed": VisitPostponedV1,
    "cancelled": VisitCancelledV1,
}


class VisitDetailsChangedV1(VisitEvent):
    event_type = "irp.visits.VisitDetailsChanged.v1"

    changed: list[str]
    direction: str
    kind: str
    lead_level: str | None = None
    country_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    responsible_unit: str | None = Field(None, description="meaningful when in `changed`")
    organisation: str | None = Field(None, description="meaningful when in `changed`")
    organisation_id: str | None = Field(None, description="the organisation's id in the directory")
    counterpart_post_id: str | None = Field(
        None, description="the post of the counterpart's lead official, in the directory"
    )
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")


# --- delegation (names stay in the visits service) ---


class MemberEvent(VisitEvent):
    member_id: str


class MemberFacts(MemberEvent):
    role: str
    precedence: int
    organisation: str | None = None
    visa_status: str | None = None
    passport_holder_id: str | None = None


class DelegationMemberAddedV1(MemberFacts):
    event_type = "irp.visits.DelegationMemberAdded.v1"


class DelegationMemberChangedV1(MemberFacts):
    event_type = "irp.visits.DelegationMemberChanged.v1"


class DelegationMemberRemovedV1(MemberEvent):
    event_type = "irp.visits.DelegationMemberRemoved.v1"


# --- programme ---


class ProgrammeEvent(VisitEvent):
    item_id: str


class ProgrammeFacts(ProgrammeEvent):
    item_type: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None
    interpreter_needed: bool = False


class ProgrammeItemScheduledV1(ProgrammeFacts):
    event_type = "irp.visits.ProgrammeItemScheduled.v1"


class ProgrammeItemRescheduledV1(ProgrammeFacts):
    event_type = "irp.visits.ProgrammeItemRescheduled.v1"


class ProgrammeItemRemovedV1(ProgrammeEvent):
    event_type = "irp.visits.ProgrammeItemRemoved.v1"


# --- logistics ---


class AccommodationBookedV1(VisitEvent):
    event_type = "irp.visits.AccommodationBooked.v1"

    accommodation_id: str
    hotel: str
    city: str | None = None
    check_in: date
    check_out: date
    rooms: int


class AccommodationCancelledV1(VisitEvent):
    event_type = "irp.visits.AccommodationCancelled.v1"

    accommodation_id: str


class TravelSegmentBookedV1(VisitEvent):
    event_type = "irp.visits.TravelSegmentBooked.v1"

    segment_id: str
    mode: str
    carrier: str | None = None
    number: str | None = None
    origin: str
    destination: str
    departs_at: datetime
    arrives_at: datetime


class TravelSegmentCancelledV1(VisitEvent):
    event_type = "irp.visits.TravelSegmentCancelled.v1"

    segment_id: str


# --- talking points and bilateral meetings ---


class TalkingPointsEvent(VisitEvent):
    talking_points_id: str
    programme_item_id: str | None = None
    owner_unit: str
    owner_unit_id: str | None = Field(None, description="the unit's id in the directory")
    due_date: date


class TalkingPointsRequestedV1(TalkingPointsEvent):
    event_type = "irp.visits.TalkingPointsRequested.v1"


class TalkingPointsDraftedV1(TalkingPointsEvent):
    event_type = "irp.visits.TalkingPointsDrafted.v1"


class TalkingPointsApprovedV1(TalkingPointsEvent):
    event_type = "irp.visits.TalkingPointsApproved.v1"


class TalkingPointsReturnedV1(TalkingPointsEvent):
    """Sent back from drafted to requested for rework."""

    event_type = "irp.visits.TalkingPointsReturned.v1"


class TalkingPointsDueV1(TalkingPointsEvent):
    """Talking points not yet approved as their day nears (``due``) or after it (``overdue``),
    published once each."""

    event_type = "irp.visits.TalkingPointsDue.v1"

    subject: str
    stage: Literal["due", "overdue"]


TALKING_POINTS_EVENTS: dict[str, type[TalkingPointsEvent]] = {
    "requested": TalkingPointsReturnedV1,
    "drafted": TalkingPointsDraftedV1,
    "approved": TalkingPointsApprovedV1,
}


class ProposalEvent(VisitEvent):
    proposal_id: str
    counterpart: str
    counterpart_country: str | None = None
    topics: list[str] = []


class BilateralMeetingProposedV1(ProposalEvent):
    event_type = "irp.visits.BilateralMeetingProposed.v1"


class BilateralMeetingRequestedV1(ProposalEvent):
    event_type = "irp.visits.BilateralMeetingRequested.v1"


class BilateralMeetingAcceptedV1(ProposalEvent):
    event_type = "irp.visits.BilateralMeetingAccepted.v1"


class BilateralMeetingDeclinedV1(ProposalEvent):
    event_type = "irp.visits.BilateralMeetingDeclined.v1"


class BilateralMeetingHeldV1(ProposalEvent):
    event_type = "irp.visits.BilateralMeetingHeld.v1"


PROPOSAL_EVENTS: dict[str, type[ProposalEvent]] = {
    "requested": BilateralMeetingRequestedV1,
    "accepted": BilateralMeetingAcceptedV1,
    "declined": BilateralMeetingDeclinedV1,
    "held": BilateralMeetingHeldV1,
}


# --- outcome ---


class VisitOutcomeRecordedV1(VisitEvent):
    event_type = "irp.visits.VisitOutcomeRecorded.v1"

    summary: LocalizedText
    follow_up_count: int


class FollowUpCommittedV1(VisitEvent):
    """One commitment made during a visit: the agreements service tracks it as an obligation."""

    event_type = "irp.visits.FollowUpCommitted.v1"

    commitment_id: str
    text: LocalizedText
    responsible_unit: str
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")
    deadline: date
    direction: str
    country_code: str | None = None
    organisation: str | None = None
    organisation_id: str | None = Field(None, description="the organisation's id in the directory")


# --- ministerial meetings, international events, business trips ---


class ActivityEvent(EventData):
    """Facts every activity event carries: enough for the reports, no personal data."""

    status: str
    from_status: str | None = None
    reason: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    country_code: str | None = None


class MeetingEvent(ActivityEvent):
    aggregate_type = "meeting"
    meeting_id: str
    official_level: str
    counterpart_type: str
    organisation: str | None = None
    organisation_id: str | None = Field(None, description="the organisation's id in the directory")
    counterpart_post_id: str | None = Field(
        None, description="the post of the counterpart met, in the directory"
    )


class MeetingScheduledV1(MeetingEvent):
    event_type = "irp.visits.MeetingScheduled.v1"


class MeetingConfirmedV1(MeetingEvent):
    event_type = "irp.visits.MeetingConfirmed.v1"


class MeetingHeldV1(MeetingEvent):
    event_type = "irp.visits.MeetingHeld.v1"


class MeetingCancelledV1(MeetingEvent):
    event_type = "irp.visits.MeetingCancelled.v1"


class MeetingOutcomeRecordedV1(MeetingEvent):
    event_type = "irp.visits.MeetingOutcomeRecorded.v1"

    summary: LocalizedText


class InternationalEventEvent(ActivityEvent):
    aggregate_type = "international_event"
    international_event_id: str
    event_kind: str
    responsible_unit: str | None = None
    responsible_unit_id: str | None = Field(None, description="the unit's id in the directory")
    partners: list[str] = []
    partner_ids: list[str] = Field([], description="the partners' ids in the directory")
    donors: list[str] = []
    participants: int | None = None


class InternationalEventPlannedV1(InternationalEventEvent):
    event_type = "irp.visits.InternationalEventPlanned.v1"


class InternationalEventAnnouncedV1(InternationalEventEvent):
    event_type = "irp.visits.InternationalEventAnnounced.v1"


class InternationalEventHeldV1(InternationalEventEvent):
    event_type = "irp.visits.InternationalEventHeld.v1"


class InternationalEventReportedV1(InternationalEventEvent):
    event_type = "irp.visits.InternationalEventReported.v1"


class InternationalEventCancelledV1(InternationalEventEvent):
    event_type = "irp.visits.InternationalEventCancelled.v1"


class BusinessTripEvent(ActivityEvent):
    aggregate_type = "business_trip"
    business_trip_id: str
    unit: str
    unit_id: str | None = Field(None, description="the unit's id in the directory")
    funding: str
    estimated_cost: Decimal | None = None
    currency: str | None = None


class BusinessTripReportDueV1(BusinessTripEvent):
    """The trip is over and its report not submitted: due until ``due_on`` (``due``), then
    ``overdue``; published once each."""

    event_type = "irp.visits.BusinessTripReportDue.v1"

    stage: Literal["due", "overdue"]
    due_on: date


class BusinessTripRequestedV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripRequested.v1"


class BusinessTripApprovedV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripApproved.v1"


class BusinessTripRejectedV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripRejected.v1"


class BusinessTripCancelledV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripCancelled.v1"


class BusinessTripCompletedV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripCompleted.v1"


class BusinessTripReportSubmittedV1(BusinessTripEvent):
    event_type = "irp.visits.BusinessTripReportSubmitted.v1"


class MeetingTalkingPointsChangedV1(MeetingEvent):
    """Talking points for a meeting were requested, drafted or approved."""

    event_type = "irp.visits.MeetingTalkingPointsChanged.v1"

    talking_points_status: str
    owner_unit: str
    owner_unit_id: str | None = Field(None, description="the unit's id in the directory")
    due_date: date


class MeetingTalkingPointsDueV1(MeetingEvent):
    """A meeting's talking points not yet approved as their day nears (``due``) or after it
    (``overdue``), published once each."""

    event_type = "irp.visits.MeetingTalkingPointsDue.v1"

    subject: str
    owner_unit: str
    owner_unit_id: str | None = None
    due_date: date
    stage: Literal["due", "overdue"]


class DelegationMemberReadinessChangedV1(MemberEvent):
    """Whether a member linked to a passport holder has a passport fit for the trip."""

    event_type = "irp.visits.DelegationMemberReadinessChanged.v1"

    ready: bool | None
    passport_type: str
    reason: str | None = None
