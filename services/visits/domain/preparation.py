"""Preparing a visit's meetings: talking points and bilateral meeting proposals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared import reminders
from shared.deadlines import is_overdue
from shared.errors import StateMachine
from shared.references import Reference, deprecated, unit
from shared.types import CountryCode, Day, Id, ShortText

TALKING_POINTS = StateMachine(
    {"requested": {"drafted"}, "drafted": {"approved", "requested"}, "approved": set()}
)
PROPOSALS = StateMachine(
    {
        "proposed": {"requested", "declined"},
        "requested": {"accepted", "declined"},
        "accepted": {"held", "declined"},
        "declined": set(),
        "held": set(),
    }
)


class TalkingPoints(BaseModel):
    """Talking points asked of a unit for a visit or a meeting."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    references: ClassVar[tuple[Reference, ...]] = (unit("owner_unit_id", "owner_unit"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="the request's id")
    programme_item_id: str | None = Field(None, max_length=36, description="the meeting")
    subject: ShortText = Field(description="what they are to cover")
    owner_unit: ShortText = Field(
        "Policy Department", description=deprecated("the unit that writes them")
    )
    owner_unit_id: Id | None = Field(
        None, description="the unit that writes them: its id in the directory"
    )
    due_date: Day = Field(description="when they are needed")
    status: Literal["requested", "drafted", "approved"] = Field(
        "requested", description="requested → drafted → approved (or back to requested for rework)"
    )
    reminded: tuple[str, ...] = Field(
        (), description="the reminders published for them, each once (due, overdue)"
    )

    def overdue(self, today: date) -> bool:
        return is_overdue(self.due_date, today, done=self.status == "approved")


class BilateralProposal(BaseModel):
    """A bilateral meeting proposed during a visit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), description="the proposal's id within the visit"
    )
    counterpart: ShortText = Field(description="who would be met: name and title")
    counterpart_country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2")
    topics: tuple[ShortText, ...] = Field((), max_length=50, description="what would be discussed")
    proposed_by_units: tuple[ShortText, ...] = Field(
        (), max_length=50, description="the units that propose it"
    )
    status: Literal["proposed", "requested", "accepted", "declined", "held"] = Field(
        "proposed", description="proposed → requested → accepted or declined → held"
    )


def remind_points(
    points: TalkingPoints, today: date, notice_days: int
) -> tuple[TalkingPoints, str | None]:
    """The talking points with the reminder their day calls for today (``due`` or
    ``overdue``), once each; none once approved."""
    stage = reminders.due(
        today, points.due_date, notice_days, points.status == "approved", points.reminded, "points"
    )
    if stage is None:
        return points, None
    return points.model_copy(update={"reminded": (*points.reminded, f"points:{stage}")}), stage
