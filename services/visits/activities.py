"""Ministerial meetings, international events and staff business trips: plain Python, no I/O.

Each is an aggregate with a lifecycle; every change returns the next version and the
events that say what happened.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.visits.preparation import TALKING_POINTS, TalkingPoints
from shared.aggregates import LifecycleAggregate
from shared.contracts import visits as ev
from shared.contracts.base import EventData, LocalizedText
from shared.errors import Conflict, RuleViolation, StateMachine
from shared.types import BilingualText, CountryCode, CurrencyCode, Day, Moment, ShortText


class Activity(LifecycleAggregate):
    """What the three have in common: dates, a country, an official to filter on."""

    needs_reason: ClassVar[set[str]] = {"cancelled", "rejected"}

    def official(self) -> str | None:
        return None

    def country(self) -> str | None:
        return None

    def starts(self) -> date | None:
        raise NotImplementedError

    def ends(self) -> date | None:
        raise NotImplementedError

    def index(self) -> dict[str, Any]:
        return {
            "official": self.official(),
            "country_code": self.country(),
            "start_date": self.starts(),
            "end_date": self.ends(),
        }

    def check(self) -> None:
        if self.starts() and self.ends() and self.ends() < self.starts():  # type: ignore[operator]
            raise RuleViolation("it cannot end before it starts")

    def event(self, from_status: str | None = None, reason: str | None = None) -> EventData:
        return self.events[self.status](
            **self.facts(),
            status=self.status,
            from_status=from_status,
            reason=reason,
            start_date=self.starts(),
            end_date=self.ends(),
            country_code=self.country(),
        )


# --- ministerial meetings (outside any visit) ---


class MeetingOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: BilingualText
    agreed_actions: tuple[ShortText, ...] = Field((), max_length=50)


class Meeting(Activity):
    lifecycle = StateMachine(
        {
            "planned": {"confirmed", "cancelled"},
            "confirmed": {"held", "cancelled"},
            "held": set(),
            "cancelled": set(),
        }
    )
    events = {
        "planned": ev.MeetingScheduledV1,
        "confirmed": ev.MeetingConfirmedV1,
        "held": ev.MeetingHeldV1,
        "cancelled": ev.MeetingCancelledV1,
    }

    status: Literal["planned", "confirmed", "held", "cancelled"] = "planned"
    official_level: Literal["minister", "deputy_minister"]
    official_name: ShortText = Field(description="the Minister or Deputy Minister who meets")
    counterpart_type: Literal[
        "ambassador", "international_organisation", "head_of_agency", "foreign_delegation", "other"
    ]
    counterpart: ShortText = Field(description="who is met: name and title")
    counterpart_country: CountryCode | None = None
    organisation: ShortText | None = None
    starts_at: Moment
    ends_at: Moment
    venue: ShortText | None = None
    topics: tuple[ShortText, ...] = Field((), max_length=50)
    talking_points: TalkingPoints | None = None
    outcome: MeetingOutcome | None = None

    def official(self) -> str | None:
        return self.official_name

    def country(self) -> str | None:
        return self.counterpart_country

    def starts(self) -> date | None:
        return self.starts_at.date()

    def ends(self) -> date | None:
        return self.ends_at.date()

    def facts(self) -> dict[str, Any]:
        return {
            "meeting_id": self.id,
            "official_level": self.official_level,
            "counterpart_type": self.counterpart_type,
            "organisation": self.organisation,
        }

    def check(self) -> None:
        if self.ends_at <= self.starts_at:
            raise RuleViolation("a meeting must end after it starts")

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "held" and today < self.starts_at.date():
            raise RuleViolation("a meeting is held on or after its day, not before")


def record_meeting_outcome(
    meeting: Meeting, outcome: MeetingOutcome
) -> tuple[Meeting, list[EventData]]:
    if meeting.status != "held":
        raise Conflict("record the outcome of a meeting once it is held")
    if meeting.outcome is not None:
        raise Conflict("the outcome is already recorded")
    done = meeting.evolve(outcome=outcome)
    event = ev.MeetingOutcomeRecordedV1(
        **done.facts(),
        status=done.status,
        start_date=done.starts(),
        end_date=done.ends(),
        country_code=done.country(),
        summary=LocalizedText(**outcome.summary.model_dump()),
    )
    return done, [event]


def request_meeting_talking_points(
    meeting: Meeting, points: TalkingPoints
) -> tuple[Meeting, list[EventData]]:
    if meeting.status not in ("planned", "confirmed"):
        raise Conflict(f"talking points are prepared before the meeting, not when {meeting.status}")
    if meeting.talking_points is not None:
        raise Conflict("talking points are already requested for this meeting")
    return _with_points(meeting, points.model_copy(update={"status": "requested"}))


def move_meeting_talking_points(meeting: Meeting, to: str) -> tuple[Meeting, list[EventData]]:
    if meeting.talking_points is None:
        raise Conflict("no talking points were requested for this meeting")
    TALKING_POINTS.check(meeting.talking_points.status, to)
    return _with_points(meeting, meeting.talking_points.model_copy(update={"status": to}))


def _with_points(meeting: Meeting, points: TalkingPoints) -> tuple[Meeting, list[EventData]]:
    changed = meeting.evolve(talking_points=points)
    event = ev.MeetingTalkingPointsChangedV1(
        **changed.facts(),
        status=changed.status,
        start_date=changed.starts(),
        end_date=changed.ends(),
        country_code=changed.country(),
        talking_points_status=points.status,
        owner_unit=points.owner_unit,
        due_date=points.due_date,
    )
    return changed, [event]


# --- international events organised by the ministry ---


class InternationalEvent(Activity):
    lifecycle = StateMachine(
        {
            "planned": {"announced", "cancelled"},
            "announced": {"held", "cancelled"},
            "held": {"reported"},
            "reported": set(),
            "cancelled": set(),
        }
    )
    events = {
        "planned": ev.InternationalEventPlannedV1,
        "announced": ev.InternationalEventAnnouncedV1,
        "held": ev.InternationalEventHeldV1,
        "reported": ev.InternationalEventReportedV1,
        "cancelled": ev.InternationalEventCancelledV1,
    }

    status: Literal["planned", "announced", "held", "reported", "cancelled"] = "planned"
    event_kind: Literal["conference", "workshop", "seminar"]
    title: BilingualText
    start_date: Day
    end_date: Day
    venue: ShortText | None = None
    city: ShortText | None = None
    country_code: CountryCode = "GE"
    partners: tuple[ShortText, ...] = Field((), max_length=100)
    donors: tuple[ShortText, ...] = Field((), max_length=100)
    participants: int | None = Field(None, ge=0, le=100_000, description="expected or actual")
    responsible_unit: ShortText | None = None

    def country(self) -> str | None:
        return self.country_code

    def starts(self) -> date | None:
        return self.start_date

    def ends(self) -> date | None:
        return self.end_date

    def facts(self) -> dict[str, Any]:
        return {
            "international_event_id": self.id,
            "event_kind": self.event_kind,
            "partners": list(self.partners),
            "donors": list(self.donors),
            "participants": self.participants,
            "responsible_unit": self.responsible_unit,
        }

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "held" and today < self.start_date:
            raise RuleViolation(f"the event starts on {self.start_date.isoformat()}; not before")


# --- business trips of central-office staff ---


class BusinessTrip(Activity):
    lifecycle = StateMachine(
        {
            "requested": {"approved", "rejected", "cancelled"},
            "approved": {"completed", "cancelled"},
            "completed": {"report_submitted"},
            "report_submitted": set(),
            "rejected": set(),
            "cancelled": set(),
        }
    )
    events = {
        "requested": ev.BusinessTripRequestedV1,
        "approved": ev.BusinessTripApprovedV1,
        "rejected": ev.BusinessTripRejectedV1,
        "cancelled": ev.BusinessTripCancelledV1,
        "completed": ev.BusinessTripCompletedV1,
        "report_submitted": ev.BusinessTripReportSubmittedV1,
    }

    status: Literal[
        "requested", "approved", "completed", "report_submitted", "rejected", "cancelled"
    ] = "requested"
    traveller: ShortText
    unit: ShortText
    destination_country: CountryCode
    destination_city: ShortText | None = None
    purpose: BilingualText
    start_date: Day
    end_date: Day
    funding: Literal["ministry", "host", "donor"]
    funder: ShortText | None = Field(None, description="the host or donor, when not the ministry")
    estimated_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: CurrencyCode | None = None

    def official(self) -> str | None:
        return self.traveller

    def country(self) -> str | None:
        return self.destination_country

    def starts(self) -> date | None:
        return self.start_date

    def ends(self) -> date | None:
        return self.end_date

    def facts(self) -> dict[str, Any]:
        return {
            "business_trip_id": self.id,
            "unit": self.unit,
            "funding": self.funding,
            "estimated_cost": self.estimated_cost,
            "currency": self.currency,
        }

    def check(self) -> None:
        super().check()
        if (self.estimated_cost is None) != (self.currency is None):
            raise RuleViolation("give the estimated cost together with its currency")
        if self.funding != "ministry" and not self.funder:
            raise RuleViolation("name the host or donor that funds the trip")

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "completed" and today < self.end_date:
            raise RuleViolation(f"the trip ends on {self.end_date.isoformat()}; not before")
