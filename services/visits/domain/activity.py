"""What ministerial meetings, international events and business trips share: dates, a
country, an official to filter on, and a reason to cancel or reject."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from shared.aggregates import LifecycleAggregate
from shared.contracts.base import EventData
from shared.errors import RuleViolation


class Activity(LifecycleAggregate):
    """What the three have in common: dates, a country, an official to filter on."""

    needs_reason: ClassVar[set[str]] = {"cancelled", "rejected"}

    def official(self) -> str | None:
        return None

    def country(self) -> str | None:
        return None

    def starts(self) -> date | None:
        raise NotImplementedError

    def ends(self) -> date | None:
        raise NotImplementedError

    def index(self) -> dict[str, Any]:
        return {
            "official": self.official(),
            "country_code": self.country(),
            "start_date": self.starts(),
            "end_date": self.ends(),
        }

    def check(self) -> None:
        if self.starts() and self.ends() and self.ends() < self.starts():  # type: ignore[operator]
            raise RuleViolation("it cannot end before it starts")

    def event(self, from_status: str | None = None, reason: str | None = None) -> EventData:
        return self.events[self.status](**self.stated(), from_status=from_status, reason=reason)

    def stated(self) -> dict[str, Any]:
        """What every event of it carries: its facts, status, dates and country."""
        return {
            **self.facts(),
            "status": self.status,
            "start_date": self.starts(),
            "end_date": self.ends(),
            "country_code": self.country(),
        }
