"""Ministerial meetings outside any visit: the Minister or a Deputy meets a counterpart."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.visits.domain.activity import Activity
from services.visits.domain.preparation import TALKING_POINTS, TalkingPoints, remind_points
from shared.aggregates import Changed
from shared.contracts import visits as contracts
from shared.contracts.base import LocalizedText
from shared.errors import Conflict, RuleViolation, StateMachine
from shared.references import Reference, deprecated
from shared.types import BilingualText, CountryCode, Id, Moment, ShortText


class MeetingOutcome(BaseModel):
    """What a meeting achieved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: BilingualText = Field(description="the results, in Georgian and/or English")
    agreed_actions: tuple[ShortText, ...] = Field(
        (), max_length=50, description="what was agreed to be done"
    )


class Meeting(Activity):
    """A meeting of the Minister or a Deputy Minister outside a visit."""

    lifecycle = StateMachine(
        {
            "planned": {"confirmed", "cancelled"},
            "confirmed": {"held", "cancelled"},
            "held": set(),
            "cancelled": set(),
        }
    )
    events = {
        "planned": contracts.MeetingScheduledV1,
        "confirmed": contracts.MeetingConfirmedV1,
        "held": contracts.MeetingHeldV1,
        "cancelled": contracts.MeetingCancelledV1,
    }

    references: ClassVar[tuple[Reference, ...]] = (
        Reference("post", "counterpart_post_id", fills=(("organisation_id", "organisation_id"),)),
        Reference(
            "counterpart",
            "organisation_id",
            "organisation",
            fills=(("counterpart_country", "country_code"),),
        ),
    )

    status: Literal["planned", "confirmed", "held", "cancelled"] = Field(
        "planned", description="planned → confirmed → held, or cancelled (with a reason)"
    )
    official_level: Literal["minister", "deputy_minister"] = Field(
        description="minister or deputy_minister"
    )
    official_name: ShortText = Field(description="the Minister or Deputy Minister who meets")
    counterpart_type: Literal[
        "ambassador", "international_organisation", "head_of_agency", "foreign_delegation", "other"
    ] = Field(description="who the counterpart is")
    counterpart: ShortText = Field(description="who is met: name and title")
    counterpart_country: CountryCode | None = Field(
        None, description="the counterpart's country, ISO 3166-1 alpha-2"
    )
    counterpart_post_id: Id | None = Field(
        None, description="the counterpart's post in the directory (its organisation follows)"
    )
    organisation: ShortText | None = Field(
        None, description=deprecated("the counterpart's organisation")
    )
    organisation_id: Id | None = Field(
        None, description="the counterpart's organisation: its id in the directory"
    )
    starts_at: Moment = Field(
        description="when it starts, ISO 8601 (local time when no offset is given)"
    )
    ends_at: Moment = Field(description="when it ends, after starts_at")
    venue: ShortText | None = Field(None, description="where")
    topics: tuple[ShortText, ...] = Field((), max_length=50, description="what is discussed")
    talking_points: TalkingPoints | None = Field(
        None, description="the talking points asked for it"
    )
    outcome: MeetingOutcome | None = Field(None, description="what it achieved, once held")

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
            "organisation_id": self.organisation_id,
            "counterpart_post_id": self.counterpart_post_id,
        }

    def check(self) -> None:
        if self.ends_at <= self.starts_at:
            raise RuleViolation("a meeting must end after it starts")

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "held" and today < self.starts_at.date():
            raise RuleViolation("a meeting is held on or after its day, not before")


def record_meeting_outcome(meeting: Meeting, outcome: MeetingOutcome) -> Changed[Meeting]:
    if meeting.status != "held":
        raise Conflict("record the outcome of a meeting once it is held")
    if meeting.outcome is not None:
        raise Conflict("the outcome is already recorded")
    done = meeting.evolve(outcome=outcome)
    event = contracts.MeetingOutcomeRecordedV1(
        **done.facts(),
        status=done.status,
        start_date=done.starts(),
        end_date=done.ends(),
        country_code=done.country(),
        summary=LocalizedText(**outcome.summary.model_dump()),
    )
    return done, [event]


def request_meeting_talking_points(meeting: Meeting, points: TalkingPoints) -> Changed[Meeting]:
    if meeting.status not in ("planned", "confirmed"):
        raise Conflict(f"talking points are prepared before the meeting, not when {meeting.status}")
    if meeting.talking_points is not None:
        raise Conflict("talking points are already requested for this meeting")
    return _with_points(meeting, points.model_copy(update={"status": "requested"}))


def move_meeting_talking_points(meeting: Meeting, to: str) -> Changed[Meeting]:
    if meeting.talking_points is None:
        raise Conflict("no talking points were requested for this meeting")
    TALKING_POINTS.check(meeting.talking_points.status, to)
    return _with_points(meeting, meeting.talking_points.model_copy(update={"status": to}))


def _with_points(meeting: Meeting, points: TalkingPoints) -> Changed[Meeting]:
    changed = meeting.evolve(talking_points=points)
    event = contracts.MeetingTalkingPointsChangedV1(
        **changed.stated(),
        talking_points_status=points.status,
        owner_unit=points.owner_unit,
        owner_unit_id=points.owner_unit_id,
        due_date=points.due_date,
    )
    return changed, [event]


def remind_meeting(meeting: Meeting, today: date, notice_days: int) -> Changed[Meeting]:
    """The reminder its talking points call for today, once each, before the meeting."""
    points = meeting.talking_points
    if points is None or meeting.status not in ("planned", "confirmed"):
        return meeting, []
    points, stage = remind_points(points, today, notice_days)
    if stage is None:
        return meeting, []
    event = contracts.MeetingTalkingPointsDueV1(
        **meeting.stated(), subject=points.subject, owner_unit=points.owner_unit,
        owner_unit_id=points.owner_unit_id, due_date=points.due_date, stage=stage,
    )  # fmt: skip
    return meeting.changed([event], talking_points=points)
