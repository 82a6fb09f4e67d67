"""The one aggregate style: a change returns the next version and its events, one version
per event."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pytest

from shared.aggregates import Aggregate, LifecycleAggregate, create, transition
from shared.contracts.base import EventData
from shared.errors import InvalidTransition, RuleViolation, StateMachine


class Noted(EventData):
    note_id: str
    status: str
    from_status: str | None = None
    reason: str | None = None


class Note(LifecycleAggregate):
    lifecycle: ClassVar[StateMachine] = StateMachine({"open": {"closed"}, "closed": set()})
    events: ClassVar[dict[str, type[EventData]]] = {"open": Noted, "closed": Noted}
    needs_reason: ClassVar[set[str]] = {"closed"}
    status: str = "open"
    text: str = ""

    def facts(self) -> dict[str, Any]:
        return {"note_id": self.id}

    def check(self) -> None:
        if not self.text:
            raise RuleViolation("a note has text")


def test_an_aggregate_is_frozen_and_changes_into_its_next_version():
    plain = Aggregate()
    with pytest.raises(ValueError, match="frozen"):
        plain.version = 9  # type: ignore[misc]
    changed, events = plain.changed([Noted(note_id="x", status="s")] * 3)
    assert (changed.version, changed.id, len(events)) == (4, plain.id, 3)
    assert plain.version == 1


def test_creation_checks_the_invariants_and_announces_the_aggregate():
    with pytest.raises(RuleViolation):
        create(Note())
    note, (event,) = create(Note(text="hello"))
    assert (event.note_id, event.status, event.from_status) == (note.id, "open", None)


def test_a_transition_follows_the_lifecycle_asks_for_reasons_and_says_where_from():
    note, _ = create(Note(text="hello"))
    with pytest.raises(RuleViolation, match="reason"):
        transition(note, "closed", None, date(2026, 1, 1))
    closed, (event,) = transition(note, "closed", "done", date(2026, 1, 1))
    assert (closed.status, closed.status_reason, closed.version) == ("closed", "done", 2)
    assert (event.from_status, event.reason) == ("open", "done")
    with pytest.raises(InvalidTransition):
        transition(closed, "open", None, date(2026, 1, 1))
