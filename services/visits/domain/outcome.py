"""What a visit achieved: a summary and the follow-up commitments."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.references import Reference, deprecated, unit
from shared.types import BilingualText, Day, Id, ShortText

MAX_FOLLOW_UPS = 100


class FollowUp(BaseModel):
    """A commitment made during a visit; published so that it can become an obligation."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    references: ClassVar[tuple[Reference, ...]] = (unit("responsible_unit_id", "responsible_unit"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="the commitment's id")
    text: BilingualText = Field(description="what was committed to")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the unit that carries it out")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the unit that carries it out: its id in the directory"
    )
    deadline: Day = Field(description="by when")


class Outcome(BaseModel):
    """What a visit achieved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: BilingualText = Field(description="the results, in Georgian and/or English")
    follow_ups: tuple[FollowUp, ...] = Field(
        (), max_length=MAX_FOLLOW_UPS, description="the commitments made"
    )
