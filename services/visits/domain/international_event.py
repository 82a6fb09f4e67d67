"""International events the ministry organises: conferences, workshops, seminars."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from services.visits.domain.activity import Activity
from shared.contracts import visits as contracts
from shared.errors import RuleViolation, StateMachine
from shared.types import BilingualText, CountryCode, Day, ShortText


class InternationalEvent(Activity):
    lifecycle = StateMachine(
        {
            "planned": {"announced", "cancelled"},
            "announced": {"held", "cancelled"},
            "held": {"reported"},
            "reported": set(),
            "cancelled": set(),
        }
    )
    events = {
        "planned": contracts.InternationalEventPlannedV1,
        "announced": contracts.InternationalEventAnnouncedV1,
        "held": contracts.InternationalEventHeldV1,
        "reported": contracts.InternationalEventReportedV1,
        "cancelled": contracts.InternationalEventCancelledV1,
    }

    status: Literal["planned", "announced", "held", "reported", "cancelled"] = "planned"
    event_kind: Literal["conference", "workshop", "seminar"]
    title: BilingualText
    start_date: Day
    end_date: Day
    venue: ShortText | None = None
    city: ShortText | None = None
    country_code: CountryCode = "GE"
    partners: tuple[ShortText, ...] = Field((), max_length=100)
    donors: tuple[ShortText, ...] = Field((), max_length=100)
    participants: int | None = Field(None, ge=0, le=100_000, description="expected or actual")
    responsible_unit: ShortText | None = None

    def country(self) -> str | None:
        return self.country_code

    def starts(self) -> date | None:
        return self.start_date

    def ends(self) -> date | None:
        return self.end_date

    def facts(self) -> dict[str, Any]:
        return {
            "international_event_id": self.id,
            "event_kind": self.event_kind,
            "partners": list(self.partners),
            "donors": list(self.donors),
            "participants": self.participants,
            "responsible_unit": self.responsible_unit,
        }

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "held" and today < self.start_date:
            raise RuleViolation(f"the event starts on {self.start_date.isoformat()}; not before")
