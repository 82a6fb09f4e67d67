"""Business trips of central-office staff: requested, approved, completed, reported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from services.visits.domain.activity import Activity
from shared.contracts import visits as contracts
from shared.errors import RuleViolation, StateMachine
from shared.types import BilingualText, CountryCode, CurrencyCode, Day, ShortText


class BusinessTrip(Activity):
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

    status: Literal[
        "requested", "approved", "completed", "report_submitted", "rejected", "cancelled"
    ] = "requested"
    traveller: ShortText
    unit: ShortText
    destination_country: CountryCode
    destination_city: ShortText | None = None
    purpose: BilingualText
    start_date: Day
    end_date: Day
    funding: Literal["ministry", "host", "donor"]
    funder: ShortText | None = Field(None, description="the host or donor, when not the ministry")
    estimated_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: CurrencyCode | None = None

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
            "funding": self.funding,
            "estimated_cost": self.estimated_cost,
            "currency": self.currency,
        }

    def check(self) -> None:
        super().check()
        if (self.estimated_cost is None) != (self.currency is None):
            raise RuleViolation("give the estimated cost together with its currency")
        if self.funding != "ministry" and not self.funder:
            raise RuleViolation("name the host or donor that funds the trip")

    def guard(self, to: str, reason: str | None, today: date) -> None:
        super().guard(to, reason, today)
        if to == "completed" and today < self.end_date:
            raise RuleViolation(f"the trip ends on {self.end_date.isoformat()}; not before")
