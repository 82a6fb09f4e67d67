"""``/v1/action-plans``: the EU-Georgia annual action plans (their measures are obligations)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query

from services.agreements import tables
from services.agreements.domain.action_plan import ActionPlan
from services.agreements.repository import list_where
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource

action_plans = LifecycleResource(
    "action-plans", "action plan", ActionPlan, tables.action_plans, scope="agreements",
    example={
        "year": 2026,
        "title": {
            "ka": "ასოცირების დღის წესრიგის განხორციელების 2026 წლის სამოქმედო გეგმა",
            "en": "Action Plan for the implementation of the Association Agenda, 2026",
        },
    },
)  # fmt: skip
router = action_plans.router


@router.get("", response_model=Page[action_plans.output], summary="List action plans")  # type: ignore[name-defined]
async def list_action_plans(
    year: int | None = Query(None, ge=2014, le=2100, description="only the plan of this year"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("agreements:read"),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """The action plans in registration order."""
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await list_where(action_plans.repo(session), page, year=year)
    return {"items": [action_plans.out(a) for a in items], "next_cursor": cursor}
