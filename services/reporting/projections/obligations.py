"""Obligations, their latest approved progress, and the EU action plans, as reporting keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.projections.common import upsert_rows
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.db import upsert

_FACTS = (agreement_events.ObligationRegisteredV1, agreement_events.ObligationUpdatedV1)
_PLANS = (
    agreement_events.ActionPlanDraftedV1,
    agreement_events.ActionPlanApprovedV1,
    agreement_events.ActionPlanImplementationStartedV1,
    agreement_events.ActionPlanReportedV1,
)


async def project(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    await _obligations(session, dialect, changes)
    await _plans(session, dialect, changes)


async def _obligations(
    session: AsyncSession, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]
) -> None:
    """What the batch changed of each obligation, written without reading the rows back:
    the facts (registered or revised), the status, the latest approved progress, the version.
    A change to an obligation registered before reporting existed finds no row and is lost
    with nothing else."""
    facts: dict[str, dict[str, Any]] = {}
    state: dict[str, dict[str, Any]] = {}  # the newest status (if the batch moved it), version
    progress: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        if isinstance(p, _FACTS):
            facts[p.obligation_id] = _facts(p)
        elif isinstance(p, agreement_events.ProgressApprovedV1):
            progress[p.obligation_id] = {
                "id": p.obligation_id, "percent": p.percent, "period": p.period,
                "narrative": p.narrative.model_dump(), "approved_at": e.envelope.time,
            }  # fmt: skip
        elif not isinstance(p, agreement_events.ObligationStatusChangedV1):
            continue
        row = state.setdefault(p.obligation_id, {"id": p.obligation_id})
        row["version"] = e.envelope.aggregateversion
        if not isinstance(p, agreement_events.ProgressApprovedV1):
            row["status"] = p.status
    t = tables.obligations
    if facts:
        own = [c for c in next(iter(facts.values())) if c != "obligation_id"] + ["version"]
        await session.execute(
            upsert(dialect, t, ["obligation_id"], lambda new: {c: getattr(new, c) for c in own}),
            [{**_NO_PROGRESS, **f, "version": state[i]["version"]} for i, f in facts.items()],
        )
    # One UPDATE per row the batch changed: the version goes with the new status, or (the
    # status unmoved) with the newest progress.
    moved = [r for r in state.values() if "status" in r]
    progressed = [{**r, **state[i]} for i, r in progress.items() if "status" not in state[i]]
    rest = [r for i, r in progress.items() if "status" in state[i]]
    for rows, values in (
        (moved, {"status": bindparam("status_"), "version": bindparam("version_")}),
        (progressed, {**_PROGRESS_VALUES, "version": bindparam("version_")}),
        (rest, _PROGRESS_VALUES),
    ):
        if rows:
            statement = update(t).where(t.c.obligation_id == bindparam("id_")).values(values)
            await session.execute(statement, [{f"{k}_": v for k, v in r.items()} for r in rows])


_NO_PROGRESS = {"latest_percent": None, "latest_period": None, "latest_narrative": None,
                "latest_approved_at": None}  # fmt: skip
_PROGRESS_VALUES = {
    "latest_percent": bindparam("percent_"),
    "latest_period": bindparam("period_"),
    "latest_narrative": bindparam("narrative_"),
    "latest_approved_at": bindparam("approved_at_"),
}


def _facts(p: Any) -> dict[str, Any]:
    return {
        "obligation_id": p.obligation_id,
        "status": p.status,
        "kinds": "|" + "|".join(sorted({s.kind for s in p.sources})) + "|",
        "sources": [s.model_dump() for s in p.sources],
        "source_labels": source_labels(p.sources),
        "title": p.title.model_dump(),
        "area": p.area,
        "lead_unit": p.lead_unit,
        "lead_unit_id": p.lead_unit_id,
        "supporting_units": list(p.supporting_units),
        "supporting_unit_ids": list(p.supporting_unit_ids),
        "deadline": p.deadline,
        "support_level": p.support_level,
        "action_plan_id": p.action_plan_id,
        "external_ref": p.external_ref,
        "origin_ref": p.origin_ref,
    }


def source_labels(sources: Any) -> str:
    return "\n".join(f"{s.kind} {s.reference}".replace("\n", " ") for s in sources)


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
        await upsert_rows(session, dialect, t, ["action_plan_id"], latest.values())
