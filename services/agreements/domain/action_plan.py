"""The EU-Georgia annual Action Plan: a year and its measures (obligations of kind
``eu_action_plan``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from shared.aggregates import LifecycleAggregate
from shared.contracts import agreements as contracts
from shared.contracts.base import EventData
from shared.errors import StateMachine
from shared.reminders import PeriodLength
from shared.types import BilingualText


class ActionPlan(LifecycleAggregate):
    """A yearly action plan of the EU Association Agenda; its measures are obligations."""

    lifecycle: ClassVar[StateMachine] = StateMachine(
        {
            "draft": {"approved"},
            "approved": {"in_implementation"},
            "in_implementation": {"reported"},
            "reported": set(),
        }
    )
    events: ClassVar[dict[str, type[EventData]]] = {
        "draft": contracts.ActionPlanDraftedV1,
        "approved": contracts.ActionPlanApprovedV1,
        "in_implementation": contracts.ActionPlanImplementationStartedV1,
        "reported": contracts.ActionPlanReportedV1,
    }

    status: str = Field("draft", description="draft → approved → in_implementation → reported")
    year: int = Field(ge=2014, le=2100, description="the year it covers")
    title: BilingualText = Field(description="its title, in Georgian and/or English")
    reporting_period: PeriodLength = Field(
        "quarter",
        description="how often its measures report progress: month, quarter, half or year",
    )

    def index(self) -> dict[str, Any]:
        return {"year": self.year}

    def facts(self) -> dict[str, Any]:
        return {"action_plan_id": self.id, "year": self.year, "title": self.title}
