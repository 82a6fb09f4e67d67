"""Names that change while the record stays: the current name, since when, and the ones
before it with the days each was used."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.aggregates import LifecycleAggregate
from shared.contracts.base import LocalizedText
from shared.errors import RuleViolation
from shared.types import BilingualText, Day

N = TypeVar("N", bound="Named")


class FormerName(BaseModel):
    """A name used before, and the days it was used."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: LocalizedText = Field(description="the name then, in Georgian and/or English")
    valid_from: date | None = Field(description="its first day (null: since the record began)")
    valid_to: date = Field(description="its last day")


class Named(LifecycleAggregate):
    """An aggregate known by a name that may change on a date."""

    name: BilingualText = Field(description="the name now, in Georgian and/or English")
    name_since: Day | None = Field(
        None, description="the first day of the current name (null: since the record began)"
    )
    former_names: tuple[FormerName, ...] = Field(
        (), description="the names before, oldest first, with the days each was used"
    )

    def still_active(self, noun: str) -> None:
        """Refuse a change to a record that has ended (merged, closed): its record is final."""
        if self.status != "active":
            raise RuleViolation(f"the {noun} is {self.status}: its record is final")

    def name_on(self, day: date) -> LocalizedText:
        """The name it had on ``day`` (its first name before it existed)."""
        for former in self.former_names:
            if day <= former.valid_to:
                return former.name
        return self.name

    def renamed(self: N, name: LocalizedText, on: date) -> tuple[N, dict[str, Any]]:
        """The next version under ``name`` from ``on``, and the facts of the rename."""
        if self.name_since is not None and on <= self.name_since:
            raise RuleViolation(
                f"a new name takes effect after the current one's first day "
                f"({self.name_since.isoformat()})"
            )
        if name == self.name:
            raise RuleViolation("that is already its name")
        former = FormerName(name=self.name, valid_from=self.name_since, valid_to=on - timedelta(1))
        changes = {"name": name, "name_since": on, "former_names": (*self.former_names, former)}
        return self.model_copy(update=changes), {"previous_name": self.name, "effective_on": on}
