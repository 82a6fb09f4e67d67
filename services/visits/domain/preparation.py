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
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    programme_item_id: str | None = Field(None, max_length=36, description="the meeting")
    subject: ShortText
    owner_unit: ShortText = "Policy Department"
    due_date: Day
    status: Literal["requested", "drafted", "approved"] = "requested"

    def overdue(self, today: date) -> bool:
        return is_overdue(self.due_date, today, done=self.status == "approved")


class BilateralProposal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    counterpart: ShortText
    counterpart_country: CountryCode | None = None
    topics: tuple[ShortText, ...] = Field((), max_length=50)
    proposed_by_units: tuple[ShortText, ...] = Field((), max_length=50)
    status: Literal["proposed", "requested", "accepted", "declined", "held"] = "proposed"
