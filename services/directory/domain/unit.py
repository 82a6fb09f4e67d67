"""The ministry's units and its legal entities of public law (LEPLs): their names over
time, their place in the hierarchy, the address notices go to, and how they end (closed,
or merged into another unit that takes over their work)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar, Literal

from pydantic import EmailStr, Field

from services.directory.domain.names import Named
from shared.aggregates import Changed
from shared.contracts import directory as contracts
from shared.contracts.base import EventData, LocalizedText
from shared.errors import RuleViolation, StateMachine
from shared.types import Day

UnitKind = Literal["ministry", "department", "division", "service", "office", "lepl"]
LIFECYCLE = StateMachine({"active": {"merged", "closed"}, "merged": set(), "closed": set()})


class Unit(Named):
    """A unit of the ministry or one of its LEPLs."""

    lifecycle: ClassVar[StateMachine] = LIFECYCLE
    events: ClassVar[dict[str, type[EventData]]] = {
        "active": contracts.UnitRegisteredV1,
        "merged": contracts.UnitMergedV1,
        "closed": contracts.UnitClosedV1,
    }
    needs_reason: ClassVar[set[str]] = {"closed"}

    status: str = Field("active", description="active, then merged (into another) or closed")
    kind: UnitKind = Field(
        description="ministry, department, division, service, office, or lepl (a legal "
        "entity of public law under the ministry)"
    )
    parent_id: str | None = Field(None, max_length=36, description="the unit it belongs to")
    notice_email: EmailStr | None = Field(
        None, description="the unit's functional mailbox, where reminders and notices go"
    )
    valid_from: Day = Field(description="the day the unit was established")
    valid_to: Day | None = Field(None, description="its last day, once merged or closed")
    merged_into: str | None = Field(None, description="the unit that took over its work")

    def facts(self) -> dict[str, Any]:
        return {
            "unit_id": self.id,
            "kind": self.kind,
            "name": self.name,
            "parent_id": self.parent_id,
            "notice_email": self.notice_email,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "merged_into": self.merged_into,
            "effective_on": self.valid_from,
        }

    def index(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "parent_id": self.parent_id,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }

    def check(self) -> None:
        if self.parent_id is not None and self.parent_id == self.id:
            raise RuleViolation("a unit cannot be its own parent")


def rename_unit(unit: Unit, name: LocalizedText, on: date) -> Changed[Unit]:
    unit.still_active("unit")
    renamed, facts = unit.renamed(name, on)
    return renamed.changed([contracts.UnitRenamedV1(**{**renamed.facts(), **facts},
                                                    status=renamed.status)])  # fmt: skip


def change_unit(unit: Unit, changes: dict[str, Any], on: date) -> Changed[Unit]:
    """Its kind, parent or notice address; only the fields given."""
    unit.still_active("unit")
    changed = Unit.model_validate({**unit.model_dump(), **changes})
    changed.check()
    event = contracts.UnitChangedV1(**{**changed.facts(), "effective_on": on}, status="active")
    return changed.changed([event])


def merge_unit(unit: Unit, into: Unit, on: date) -> Changed[Unit]:
    """``unit`` ends the day before ``on``; from ``on`` its work is ``into``'s."""
    unit.still_active("unit")
    if into.id == unit.id:
        raise RuleViolation("a unit cannot be merged into itself")
    if into.status != "active":
        raise RuleViolation("a unit is merged into an active unit")
    if on <= unit.valid_from or on < into.valid_from:
        raise RuleViolation("a merger takes effect after both units are established")
    merged = unit.evolve(
        status="merged", valid_to=on - timedelta(1), merged_into=into.id, status_reason=None
    )
    event = contracts.UnitMergedV1(
        **{**merged.facts(), "effective_on": on}, status="merged", from_status="active"
    )
    return merged, [event]


def close_unit(unit: Unit, reason: str, on: date) -> Changed[Unit]:
    """The unit is abolished from ``on`` (its last day the day before), for ``reason``."""
    unit.still_active("unit")
    if on <= unit.valid_from:
        raise RuleViolation("a unit is closed after the day it was established")
    closed = unit.evolve(status="closed", valid_to=on - timedelta(1), status_reason=reason)
    event = contracts.UnitClosedV1(
        **{**closed.facts(), "effective_on": on},
        status="closed", from_status="active", reason=reason,
    )  # fmt: skip
    return closed, [event]
