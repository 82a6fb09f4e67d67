"""HTTP routes of the reporting service."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query

from services.reporting import reports
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.errors import RuleViolation

router = APIRouter(prefix="/v1/reports", tags=["reports"])

MAX_PERIOD_DAYS = 3660


@router.get("/activity", response_model=reports.ActivityReport)
async def activity_report(
    period_from: date = Query(alias="from", description="first day, inclusive (UTC)"),
    period_to: date = Query(alias="to", description="last day, inclusive (UTC)"),
    _: Principal = require_scope("reports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> reports.ActivityReport:
    if period_to < period_from:
        raise RuleViolation("'to' is before 'from'")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise RuleViolation(f"a period is at most {MAX_PERIOD_DAYS} days")
    async with ctx.db.unit_of_work(write=False) as session:
        return await reports.activity(session, period_from, period_to)


@router.get("/freshness", response_model=reports.FreshnessReport)
async def freshness_report(
    _: Principal = require_scope("reports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> reports.FreshnessReport:
    async with ctx.db.unit_of_work(write=False) as session:
        return await reports.freshness(session)
