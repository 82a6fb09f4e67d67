"""The one way to write an aggregate, and why.

An aggregate is a frozen pydantic model (:class:`Aggregate`): validated where it is
made, serialisable as it is, never changed in place. Every change is a plain function
that returns :data:`Changed` — the next version of the aggregate *and* the events that
say what happened — and raises a :mod:`shared.errors` exception when a rule forbids it.

Why a pair and not events left on the aggregate: the events are the result of the
change, not part of the state; a pair cannot be saved without them by accident, and a
test reads ``visit, events = add_member(visit, member)`` without knowing any plumbing.
The version counts events: a change with *n* events moves the version up by *n*, so
consumers see 1, 2, 3... per aggregate without gaps. The use case saves the aggregate
and hands the pair to ``UnitOfWork.record`` (:mod:`shared.writes`), in one transaction.

:class:`LifecycleAggregate` adds a status with a state machine and one event per status,
for the aggregates whose changes are mostly transitions (agreements, obligations,
passports, meetings...); :func:`create` and :func:`transition` are their two changes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import EventData
from shared.errors import RuleViolation, StateMachine

A = TypeVar("A", bound="Aggregate")
L = TypeVar("L", bound="LifecycleAggregate")

# The next version of an aggregate and the events of the change, oldest first.
Changed = tuple[A, list[EventData]]


class Aggregate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        default_factory=lambda: str(uuid.uuid4()),
        description="the identifier the service gave it (a UUID)",
    )
    version: int = Field(
        1, description="how many changes it has had; its ETag, sent back in If-Match"
    )
    created_at: datetime | None = Field(None, description="when it was registered (UTC)")
    updated_at: datetime | None = Field(None, description="when it last changed (UTC)")

    def evolve(self: A, events: int = 1, **changes: Any) -> A:
        """The next version with ``changes``: one version up per event of the change."""
        return self.model_copy(update={**changes, "version": self.version + events})

    def changed(self: A, events: list[EventData], **changes: Any) -> Changed[A]:
        """``changes`` applied, with the ``events`` that announce them."""
        return self.evolve(len(events), **changes), events


class LifecycleAggregate(Aggregate):
    lifecycle: ClassVar[StateMachine]
    events: ClassVar[dict[str, type[EventData]]]
    needs_reason: ClassVar[set[str]] = set()

    status: str = Field(description="where it is in its lifecycle")
    status_reason: str | None = Field(
        None, description="why it was last moved, when the move needed or was given a reason"
    )

    def index(self) -> dict[str, Any]:
        """Values of the searchable columns kept beside the document."""
        return {}

    def facts(self) -> dict[str, Any]:
        """What every event of this aggregate carries."""
        raise NotImplementedError

    def check(self) -> None:
        """Invariants of a valid aggregate."""

    def guard(self, to: str, reason: str | None, today: date) -> None:
        if to in self.needs_reason and not reason:
            raise RuleViolation(f"a reason is required to mark it {to}")

    def event(self, from_status: str | None = None, reason: str | None = None) -> EventData:
        return self.events[self.status](
            **self.facts(), status=self.status, from_status=from_status, reason=reason
        )


def create(aggregate: L) -> Changed[L]:
    aggregate.check()
    return aggregate, [aggregate.event()]


def transition(aggregate: L, to: str, reason: str | None, today: date) -> Changed[L]:
    aggregate.lifecycle.check(aggregate.status, to)
    aggregate.guard(to, reason, today)
    moved = aggregate.evolve(status=to, status_reason=reason)
    return moved, [moved.event(from_status=aggregate.status, reason=reason)]
