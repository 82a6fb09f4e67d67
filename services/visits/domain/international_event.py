"""International events the ministry organises: conferences, workshops, seminars."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field

from services.visits.domain.activity import Activity
from shared.contracts import visits as contracts
from shared.errors import RuleViolation, StateMachine
from shared.references import Reference, counterpart, deprecated, unit
from shared.types import BilingualText, CountryCode, Day, Id, ShortText


class InternationalEvent(Activity):
    """A conference, workshop or seminar the ministry organises or takes part in."""

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

    references: ClassVar[tuple[Reference, ...]] = (
        unit("responsible_unit_id", "responsible_unit"),
        counterpart("partner_ids", "partners", many=True),
    )

    status: Literal["planned", "announced", "held", "reported", "cancelled"] = Field(
        "planned", description="planned → announced → held → reported, or cancelled (with a reason)"
    )
    event_kind: Literal["conference", "workshop", "seminar"] = Field(
        description="conference, workshop or seminar"
    )
    title: BilingualText = Field(description="its title, in Georgian and/or English")
    start_date: Day = Field(description="the first day")
    end_date: Day = Field(description="the last day, not before start_date")
    venue: ShortText | None = Field(None, description="where")
    city: ShortText | None = Field(None, description="the city")
    country_code: CountryCode = Field(
        "GE", description="ISO 3166-1 alpha-2; GE when held in Georgia"
    )
    partners: tuple[ShortText, ...] = Field(
        (), max_length=100, description=deprecated("co-organising partners")
    )
    partner_ids: tuple[Id, ...] = Field(
        (), max_length=100, description="co-organising partners: their ids in the directory"
    )
    donors: tuple[ShortText, ...] = Field((), max_length=100, description="who funds it")
    participants: int | None = Field(None, ge=0, le=100_000, description="expected or actual")
    responsible_unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit in charge")
    )
    responsible_unit_id: Id | None = Field(
        None, description="the ministry unit in charge: its id in the directory"
    )

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
            "partner_ids": list(self.partner_ids),
            "donors": list(self.donors),
            "participants": self.participants,
            "responsible_unit": self.responsible_unit,
            "responsible_unit_id": self.responsible_unit_id,
        }

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "held" and today < self.start_date:
            raise RuleViolation(f"the event starts on {self.start_date.isoformat()}; not before")
