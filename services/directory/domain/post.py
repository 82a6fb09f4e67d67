"""People in posts: an official of the ministry or a foreign counterpart holding a post in a
unit or an organisation from a date to a date. Ambassadors and ministers rotate; the posts
held stay. Names and work contacts are personal data: they never leave in an event."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import EmailStr, Field

from shared.aggregates import Changed, LifecycleAggregate
from shared.contracts import directory as contracts
from shared.contracts.base import EventData
from shared.errors import RuleViolation, StateMachine
from shared.types import BilingualText, Day, ShortText


class Post(LifecycleAggregate):
    """A person holding a post in a unit of the ministry or in a counterpart organisation."""

    lifecycle: ClassVar[StateMachine] = StateMachine({"held": {"ended"}, "ended": set()})
    events: ClassVar[dict[str, type[EventData]]] = {
        "held": contracts.PostTakenV1,
        "ended": contracts.PostEndedV1,
    }

    status: str = Field("held", description="held, then ended")
    person_name_latin: ShortText = Field(description="the holder's name in Latin script")
    person_name_ka: ShortText | None = Field(None, description="the name in Georgian script")
    title: BilingualText = Field(
        description="the post, e.g. Ambassador Extraordinary and Plenipotentiary"
    )
    organisation_id: str | None = Field(
        None, max_length=36, description="the counterpart organisation (or unit_id)"
    )
    unit_id: str | None = Field(
        None,
        max_length=36,
        description="the ministry unit (or organisation_id)",
    )
    heads_unit: bool = Field(False, description="the post heads its unit")
    valid_from: Day = Field(description="the first day in the post")
    valid_to: Day | None = Field(None, description="the last day in the post, once it ended")
    work_email: EmailStr | None = Field(None, description="work e-mail (personal data)")
    work_phone: ShortText | None = Field(None, description="work telephone (personal data)")

    def facts(self) -> dict[str, Any]:
        return {
            "post_id": self.id,
            "organisation_id": self.organisation_id,
            "unit_id": self.unit_id,
            "title": self.title,
            "heads_unit": self.heads_unit,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }

    def index(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "unit_id": self.unit_id,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }

    def check(self) -> None:
        if (self.organisation_id is None) == (self.unit_id is None):
            raise RuleViolation("a post is in a unit or in an organisation: give one of them")
        if self.heads_unit and self.unit_id is None:
            raise RuleViolation("only a post in a unit heads it")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise RuleViolation("a post ends on or after its first day")

    def held_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def end_post(post: Post, on: date, reason: str | None) -> Changed[Post]:
    """``on`` is the last day in the post."""
    if post.status != "held":
        raise RuleViolation("the post has already ended")
    ended = post.evolve(status="ended", valid_to=on, status_reason=reason)
    ended.check()
    return ended, [ended.event(from_status="held", reason=reason)]
