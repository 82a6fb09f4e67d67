"""Preparing a visit's meetings: talking points and bilateral meeting proposals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.deadlines import is_overdue
from shared.errors import StateMachine
from shared.types import CountryCode, Day, ShortText

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

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="the request's id")
    programme_item_id: str | None = Field(None, max_length=36, description="the meeting")
    subject: ShortText = Field(description="what they are to cover")
    owner_unit: ShortText = Field("Policy Department", description="the unit that writes them")
    due_date: Day = Field(description="when they are needed")
    status: Literal["requested", "drafted", "approved"] = Field(
        "requested", description="requested → drafted → approved (or back to requested for rework)"
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
