"""The programme, hour by hour: items and the clashes between them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import RuleViolation
from shared.types import Moment, ShortText

ItemType = Literal[
    "meeting",
    "reception",
    "meet_and_greet",
    "see_off",
    "site_visit",
    "signing_ceremony",
    "press",
    "transfer",
    "meal",
]


class ProgrammeItem(BaseModel):
    """One item of a visit's programme."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), description="the item's id within the visit"
    )
    item_type: ItemType = Field(
        description="meeting, reception, meet_and_greet, see_off, site_visit, signing_ceremony, "
        "press, transfer or meal"
    )
    title: ShortText = Field(description="what takes place")
    starts_at: Moment = Field(description="local time at the venue, ISO 8601")
    ends_at: Moment = Field(description="local time at the venue, after starts_at")
    venue: ShortText | None = Field(
        None, description="where; two items may not share a venue at once"
    )
    participants: tuple[ShortText, ...] = Field(
        (), max_length=200, description="who takes part; nobody may be in two items at once"
    )
    interpreter_needed: bool = Field(False, description="an interpreter must be booked")
    notes: str | None = Field(
        None, max_length=4000, description="protocol notes (seating, gifts, dress code...)"
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def check_item(
    item: ProgrammeItem,
    others: tuple[ProgrammeItem, ...],
    starts: date | None,
    ends: date | None,
) -> None:
    """An item ends after it starts, falls within the visit, and clashes with nothing."""
    if item.ends_at <= item.starts_at:
        raise RuleViolation("a programme item must end after it starts")
    if starts is None or ends is None:
        raise RuleViolation("set the visit's dates before its programme")
    if item.starts_at.date() < starts or item.ends_at.date() > ends:
        raise RuleViolation(
            f"the item falls outside the visit ({starts.isoformat()} to {ends.isoformat()})"
        )
    for other in others:
        if other.id == item.id or not _overlap(item, other):
            continue
        if item.venue and other.venue and _key(item.venue) == _key(other.venue):
            raise RuleViolation(
                f"clash: {item.venue} is already booked for '{other.title}'",
                clash_with=other.id,
            )
        shared = {_key(p) for p in item.participants} & {_key(p) for p in other.participants}
        if shared:
            raise RuleViolation(
                f"clash: {', '.join(sorted(shared))} already attend '{other.title}' then",
                clash_with=other.id,
            )


def _overlap(a: ProgrammeItem, b: ProgrammeItem) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def outside(items: tuple[ProgrammeItem, ...], starts: date, ends: date) -> list[ProgrammeItem]:
    return [i for i in items if i.starts_at.date() < starts or i.ends_at.date() > ends]
