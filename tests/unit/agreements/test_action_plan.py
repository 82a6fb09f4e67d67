"""The EU-Georgia annual action plan: a year, a title, draft → approved → in implementation →
reported."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.agreements.domain.action_plan import ActionPlan
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import InvalidTransition

TODAY = date(2026, 1, 15)


def _plan(year: int = 2026) -> ActionPlan:
    return ActionPlan(year=year, title=LocalizedText(en=f"Action Plan {year}"))


def test_a_plan_is_drafted_for_its_year():
    plan, (event,) = aggregates.create(_plan())
    assert (plan.status, event.year, plan.index()) == ("draft", 2026, {"year": 2026})


@pytest.mark.parametrize("year", [2013, 2101])
def test_a_plan_year_is_within_the_association(year):
    with pytest.raises(ValidationError):
        _plan(year)


def test_a_plan_moves_forward_only():
    plan = _plan()
    for to in ("approved", "in_implementation", "reported"):
        plan, (event,) = aggregates.transition(plan, to, None, TODAY)
        assert event.status == to
    with pytest.raises(InvalidTransition):
        aggregates.transition(plan, "draft", None, TODAY)
