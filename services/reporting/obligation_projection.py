"""Obligations, their latest approved progress, and the EU action plans, as reporting keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as ev
from shared.db import upsert

_FACTS = (ev.ObligationRegisteredV1, ev.ObligationUpdatedV1)
_PLANS = (
    ev.ActionPlanDraftedV1,
    ev.ActionPlanApprovedV1,
    ev.ActionPlanImplementationStartedV1,
    ev.ActionPlanReportedV1,
)


async def project(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    await _obligations(session, dialect, changes)
    await _plans(session, dialect, changes)


async def _obligations(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    relevant = [
        (e, p)
        for e, p in changes
        if isinstance(p, (*_FACTS, ev.ObligationStatusChangedV1, ev.ProgressApprovedV1))
    ]
    if not relevant:
        return
    t = tables.obligations
    ids = list({p.obligation_id for _, p in relevant})
    state = {
        r.obligation_id: dict(r._mapping)
        for r in await session.execute(select(t).where(t.c.obligation_id.in_(ids)))
    }
    for e, p in relevant:
        row = state.get(p.obligation_id)
        if isinstance(p, _FACTS):
            row = {**(row or {}), **_facts(p)}
        elif row is None:
            continue  # a change to an obligation registered before reporting existed
        elif isinstance(p, ev.ObligationStatusChangedV1):
            row["status"] = p.status
        elif isinstance(p, ev.ProgressApprovedV1):
            row.update(
                latest_percent=p.percent,
                latest_period=p.period,
                latest_narrative=p.narrative.model_dump(),
                latest_approved_at=e.envelope.time,
            )
        row["version"] = e.envelope.aggregateversion
        state[p.obligation_id] = row
    rows = [_complete(r) for r in state.values()]
    await session.execute(
        upsert(dialect, t, ["obligation_id"], lambda new: _all_but(t, new, "obligation_id")),
        rows,
    )


def _facts(p: Any) -> dict[str, Any]:
    return {
        "obligation_id": p.obligation_id,
        "status": p.status,
        "kinds": "|" + "|".join(sorted({s.kind for s in p.sources})) + "|",
        "sources": [s.model_dump() for s in p.sources],
        "title": p.title.model_dump(),
        "area": p.area,
        "lead_unit": p.lead_unit,
        "supporting_units": list(p.supporting_units),
        "deadline": p.deadline,
        "support_level": p.support_level,
        "action_plan_id": p.action_plan_id,
        "external_ref": p.external_ref,
        "origin_ref": p.origin_ref,
    }


def _complete(row: dict[str, Any]) -> dict[str, Any]:
    blank = {"latest_percent": None, "latest_period": None, "latest_narrative": None,
             "latest_approved_at": None}  # fmt: skip
    return {**blank, **row}


def _all_but(table, new, *keys: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The upsert's update: every column but the keys, from the incoming row."""
    return {c.name: getattr(new, c.name) for c in table.columns if c.name not in keys}


async def _plans(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    latest: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        if isinstance(p, _PLANS):
            latest[p.action_plan_id] = {
                "action_plan_id": p.action_plan_id,
                "year": p.year,
                "status": p.status,
                "title": p.title.model_dump(),
                "version": e.envelope.aggregateversion,
            }
    if latest:
        t = tables.action_plans
        await session.execute(
            upsert(dialect, t, ["action_plan_id"], lambda new: _all_but(t, new, "action_plan_id")),
            list(latest.values()),
        )
