"""The EU-Georgia annual Action Plan: a year and its measures (obligations of kind
``eu_action_plan``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from shared.aggregates import LifecycleAggregate
from shared.contracts import agreements as ev
from shared.contracts.base import EventData
from shared.errors import StateMachine
from shared.types import BilingualText


class ActionPlan(LifecycleAggregate):
    lifecycle: ClassVar[StateMachine] = StateMachine(
        {
            "draft": {"approved"},
            "approved": {"in_implementation"},
            "in_implementation": {"reported"},
            "reported": set(),
        }
    )
    events: ClassVar[dict[str, type[EventData]]] = {
        "draft": ev.ActionPlanDraftedV1,
        "approved": ev.ActionPlanApprovedV1,
        "in_implementation": ev.ActionPlanImplementationStartedV1,
        "reported": ev.ActionPlanReportedV1,
    }

    status: str = "draft"
    year: int = Field(ge=2014, le=2100)
    title: BilingualText

    def index(self) -> dict[str, Any]:
        return {"year": self.year}

    def facts(self) -> dict[str, Any]:
        return {"action_plan_id": self.id, "year": self.year, "title": self.title}
