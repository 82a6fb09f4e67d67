"""Visits, as reporting keeps them: direction, kind, country, dates, status, the unit."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.projections.common import Changes, contacted
from shared.contracts.visits import VisitCreatedV1, VisitDetailsChangedV1, VisitStatusChanged
from shared.db import upsert

log = logging.getLogger(__name__)


async def project(session: AsyncSession, dialect: str, changes: Changes) -> None:
    state: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        if isinstance(p, VisitCreatedV1):
            state[p.visit_id] = {
                "visit_id": p.visit_id,
                "direction": p.direction,
                "kind": p.kind,
                "country_code": p.country_code,
                "lead_level": p.lead_level,
                "status": p.status,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "title_en": p.title.en,
                "unit": p.responsible_unit,
                "unit_id": p.responsible_unit_id,
                "counterpart_ids": contacted(p.organisation_id, p.counterpart_post_id),
                "version": e.envelope.aggregateversion,
            }
        elif isinstance(p, VisitDetailsChangedV1):
            row = state.setdefault(p.visit_id, {"visit_id": p.visit_id})
            row.update(
                kind=p.kind,
                lead_level=p.lead_level,
                country_code=p.country_code,
                start_date=p.start_date,
                end_date=p.end_date,
                version=e.envelope.aggregateversion,
            )
            if {"responsible_unit", "responsible_unit_id"} & set(p.changed):
                row.update(unit=p.responsible_unit, unit_id=p.responsible_unit_id)
            if {"organisation", "organisation_id", "counterpart_post_id"} & set(p.changed):
                row["counterpart_ids"] = contacted(p.organisation_id, p.counterpart_post_id)
        elif isinstance(p, VisitStatusChanged):
            row = state.setdefault(p.visit_id, {"visit_id": p.visit_id})
            row.update(
                status=p.to_status,
                start_date=p.start_date,
                end_date=p.end_date,
                version=e.envelope.aggregateversion,
            )
    # The created event of a visit may have come in an earlier batch: update what exists.
    t = tables.visits
    existing = {
        r.visit_id: r._asdict()
        for r in await session.execute(select(t).where(t.c.visit_id.in_(list(state))))
    }
    rows = []
    for visit_id, change in state.items():
        base = existing.get(visit_id)
        if base is None and "direction" not in change:
            log.warning("status change of a visit never created", extra={"visit_id": visit_id})
            continue
        rows.append({**(base or {}), **change})
    if rows:
        await session.execute(
            upsert(
                dialect,
                t,
                ["visit_id"],
                lambda new: {
                    c.name: getattr(new, c.name) for c in t.columns if c.name != "visit_id"
                },
            ),
            rows,
        )
