"""Where the delegation stays and how it travels."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import RuleViolation
from shared.types import Day, Moment, ShortText


class Accommodation(BaseModel):
    """A hotel booking for the delegation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), description="the booking's id within the visit"
    )
    hotel: ShortText = Field(description="the hotel's name")
    city: ShortText | None = Field(None, description="the hotel's city")
    check_in: Day = Field(description="the first night")
    check_out: Day = Field(description="the day of departure, after check_in")
    rooms: int = Field(ge=1, le=500, description="rooms booked")
    confirmed: bool = Field(False, description="the hotel confirmed the booking")


class TravelSegment(BaseModel):
    """One journey of the delegation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), description="the segment's id within the visit"
    )
    mode: Literal["air", "rail", "road", "sea"] = Field(description="air, rail, road or sea")
    carrier: ShortText | None = Field(None, description="the airline or operator")
    number: ShortText | None = Field(None, description="the flight or train number")
    origin: ShortText = Field(description="where it departs (city or airport)")
    destination: ShortText = Field(description="where it arrives")
    departs_at: Moment = Field(description="local time of departure, ISO 8601")
    arrives_at: Moment = Field(description="local time of arrival, after departs_at")


def check_accommodation(stay: Accommodation) -> None:
    if stay.check_out <= stay.check_in:
        raise RuleViolation("check-out must be after check-in")


def check_segment(segment: TravelSegment) -> None:
    if segment.arrives_at <= segment.departs_at:
        raise RuleViolation("a journey must arrive after it departs")
