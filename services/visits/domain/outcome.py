"""What a visit achieved: a summary and the follow-up commitments."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from shared.types import BilingualText, Day, ShortText


class FollowUp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    text: BilingualText
    responsible_unit: ShortText
    deadline: Day


class Outcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: BilingualText
    follow_ups: tuple[FollowUp, ...] = Field((), max_length=100)
