"""Intergovernmental commissions and visits' commitments, as reporting keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import update

from services.reporting import tables
from services.reporting.projections.common import upsert_rows
from shared.consumer import ReceivedEvent
from shared.contracts import agreements as agreement_events
from shared.contracts import visits as visit_events


async def project(session: Any, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]) -> None:
    rows: dict[Any, dict[Any, dict[str, Any]]] = {
        tables.commissions: {},
        tables.commission_sessions: {},
        tables.commission_decisions: {},
        tables.visit_commitments: {},
    }
    for e, p in changes:
        if isinstance(p, agreement_events.CommissionEstablishedV1):
            rows[tables.commissions][p.commission_id] = {
                "commission_id": p.commission_id, "partner_country": p.partner_country,
                "name": p.name.model_dump(), "version": e.envelope.aggregateversion,
                "our_co_chair": p.our_co_chair, "partner_co_chair": p.partner_co_chair,
            }  # fmt: skip
        elif isinstance(p, agreement_events.CommissionSessionHeldV1):
            rows[tables.commission_sessions][(p.commission_id, p.session_number)] = {
                "commission_id": p.commission_id, "session_number": p.session_number,
                "held_on": p.held_on, "place": p.place, "protocol_status": "draft",
            }  # fmt: skip
        elif isinstance(p, agreement_events.CommissionProtocolChangedV1):
            key = (p.commission_id, p.session_number)
            known = rows[tables.commission_sessions].get(key)
            if known is None:
                await _protocol(session, p)
            else:
                known["protocol_status"] = p.protocol_status
        elif isinstance(p, agreement_events.CommissionDecisionTakenV1):
            rows[tables.commission_decisions][p.decision_id] = {
                "decision_id": p.decision_id, "commission_id": p.commission_id,
                "session_number": p.session_number, "decision_number": p.decision_number,
                "obligation_id": p.obligation_id,
                "responsible_unit": p.responsible_unit,
                "responsible_unit_id": p.responsible_unit_id, "deadline": p.deadline,
            }  # fmt: skip
        elif isinstance(p, visit_events.FollowUpCommittedV1):
            rows[tables.visit_commitments][p.commitment_id] = {
                "commitment_id": p.commitment_id, "visit_id": p.visit_id,
                "country_code": p.country_code,
            }  # fmt: skip
    for table, found in rows.items():
        if found:
            keys = [c.name for c in table.primary_key.columns]
            await upsert_rows(session, dialect, table, keys, found.values())


async def _protocol(session: Any, p: agreement_events.CommissionProtocolChangedV1) -> None:
    t = tables.commission_sessions
    await session.execute(
        update(t)
        .where(t.c.commission_id == p.commission_id, t.c.session_number == p.session_number)
        .values(protocol_status=p.protocol_status)
    )
