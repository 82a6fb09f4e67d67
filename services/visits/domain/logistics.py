"""Where the delegation stays and how it travels."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import RuleViolation
from shared.types import Day, Moment, ShortText


class Accommodation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    hotel: ShortText
    city: ShortText | None = None
    check_in: Day
    check_out: Day
    rooms: int = Field(ge=1, le=500)
    confirmed: bool = False


class TravelSegment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    mode: Literal["air", "rail", "road", "sea"]
    carrier: ShortText | None = None
    number: ShortText | None = None
    origin: ShortText
    destination: ShortText
    departs_at: Moment
    arrives_at: Moment


def check_accommodation(stay: Accommodation) -> None:
    if stay.check_out <= stay.check_in:
        raise RuleViolation("check-out must be after check-in")


def check_segment(segment: TravelSegment) -> None:
    if segment.arrives_at <= segment.departs_at:
        raise RuleViolation("a journey must arrive after it departs")
