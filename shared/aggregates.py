"""Aggregates kept as documents, with a lifecycle: the base every such domain model extends.

Plain Python (pydantic models, no I/O). Each change returns the next version and
the events that say what happened.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import EventData
from shared.errors import RuleViolation, StateMachine

A = TypeVar("A", bound="LifecycleAggregate")


class LifecycleAggregate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lifecycle: ClassVar[StateMachine]
    events: ClassVar[dict[str, type[EventData]]]
    needs_reason: ClassVar[set[str]] = set()

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    status: str
    status_reason: str | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

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

    def evolve(self: A, **changes: Any) -> A:
        """The next version with ``changes``; one version per event the caller publishes."""
        return self.model_copy(update={**changes, "version": self.version + 1})


def create(aggregate: A) -> tuple[A, list[EventData]]:
    aggregate.check()
    return aggregate, [aggregate.event()]


def transition(aggregate: A, to: str, reason: str | None, today: date) -> tuple[A, list[EventData]]:
    aggregate.lifecycle.check(aggregate.status, to)
    aggregate.guard(to, reason, today)
    moved = aggregate.evolve(status=to, status_reason=reason)
    return moved, [moved.event(from_status=aggregate.status, reason=reason)]
