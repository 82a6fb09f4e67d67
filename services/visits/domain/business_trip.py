"""Business trips of central-office staff: requested, approved, completed, reported."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import Field

from services.visits.domain.activity import Activity
from shared import reminders
from shared.aggregates import Changed
from shared.contracts import visits as contracts
from shared.errors import RuleViolation, StateMachine
from shared.references import Reference, deprecated, unit
from shared.types import BilingualText, CountryCode, CurrencyCode, Day, Id, ShortText


class BusinessTrip(Activity):
    """An official's trip abroad on the ministry's business, from the order to the trip report."""

    lifecycle = StateMachine(
        {
            "requested": {"approved", "rejected", "cancelled"},
            "approved": {"completed", "cancelled"},
            "completed": {"report_submitted"},
            "report_submitted": set(),
            "rejected": set(),
            "cancelled": set(),
        }
    )
    events = {
        "requested": contracts.BusinessTripRequestedV1,
        "approved": contracts.BusinessTripApprovedV1,
        "rejected": contracts.BusinessTripRejectedV1,
        "cancelled": contracts.BusinessTripCancelledV1,
        "completed": contracts.BusinessTripCompletedV1,
        "report_submitted": contracts.BusinessTripReportSubmittedV1,
    }

    references: ClassVar[tuple[Reference, ...]] = (unit("unit_id", "unit"),)

    status: Literal[
        "requested", "approved", "completed", "report_submitted", "rejected", "cancelled"
    ] = Field(
        "requested",
        description="requested → approved → completed → report_submitted, or rejected or "
        "cancelled (with a reason)",
    )
    traveller: ShortText = Field(description="who travels")
    unit: ShortText | None = Field(None, description=deprecated("the traveller's unit"))
    unit_id: Id | None = Field(None, description="the traveller's unit: its id in the directory")
    destination_country: CountryCode = Field(description="ISO 3166-1 alpha-2")
    destination_city: ShortText | None = Field(None, description="the city")
    purpose: BilingualText = Field(description="why, in Georgian and/or English")
    start_date: Day = Field(description="the day of departure")
    end_date: Day = Field(description="the day of return, not before start_date")
    funding: Literal["ministry", "host", "donor"] = Field(
        description="who pays: ministry, host or donor"
    )
    funder: ShortText | None = Field(None, description="the host or donor, when not the ministry")
    estimated_cost: Decimal | None = Field(
        None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="the estimate, with at most 2 decimals",
    )
    currency: CurrencyCode | None = Field(None, description="ISO 4217, with estimated_cost")
    reminded: tuple[str, ...] = Field(
        (), description="the reminders published for it, each once (report:due, report:overdue)"
    )

    def official(self) -> str | None:
        return self.traveller

    def country(self) -> str | None:
        return self.destination_country

    def starts(self) -> date | None:
        return self.start_date

    def ends(self) -> date | None:
        return self.end_date

    def facts(self) -> dict[str, Any]:
        return {
            "business_trip_id": self.id,
            "unit": self.unit,
            "unit_id": self.unit_id,
            "funding": self.funding,
            "estimated_cost": self.estimated_cost,
            "currency": self.currency,
        }

    def check(self) -> None:
        super().check()
        if not self.unit:
            raise RuleViolation("name the traveller's unit: unit_id (or, deprecated, unit)")
        if (self.estimated_cost is None) != (self.currency is None):
            raise RuleViolation("give the estimated cost together with its currency")
        if self.funding != "ministry" and not self.funder:
            raise RuleViolation("name the host or donor that funds the trip")

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "completed" and today < self.end_date:
            raise RuleViolation(f"the trip ends on {self.end_date.isoformat()}; not before")


def remind_trip(trip: BusinessTrip, today: date, report_days: int) -> Changed[BusinessTrip]:
    """Once the trip is over, its report is due ``report_days`` after the return: reminded
    from the last day (``due``), then once ``overdue``; nothing once it is submitted."""
    if trip.status not in ("approved", "completed") or today < trip.end_date:
        return trip, []
    due_on = trip.end_date + timedelta(days=report_days)
    stage = reminders.due(today, due_on, report_days, False, trip.reminded, "report")
    if stage is None:
        return trip, []
    event = contracts.BusinessTripReportDueV1(**trip.stated(), stage=stage, due_on=due_on)
    return trip.changed([event], reminded=(*trip.reminded, f"report:{stage}"))
