"""Agreements, as reporting keeps them: type, status, parties, dates, the responsible unit."""

from __future__ import annotations

from typing import Any

from services.reporting import tables
from services.reporting.projections.common import Changes, contacted, upsert_rows
from shared.contracts import agreements as agreement_events


async def project(session: Any, dialect: str, changes: Changes) -> None:
    agreements: dict[str, dict[str, Any]] = {}
    for e, p in changes:
        version = e.envelope.aggregateversion
        if isinstance(p, agreement_events.AgreementEvent):
            agreements[p.agreement_id] = {
                "agreement_id": p.agreement_id, "agreement_type": p.agreement_type,
                "status": p.status, "countries": list(p.party_countries),
                "signed_on": p.signed_on, "in_force_on": p.in_force_on, "version": version,
                "unit": p.responsible_unit, "unit_id": p.responsible_unit_id,
                "counterpart_ids": contacted(*p.party_organisation_ids),
            }  # fmt: skip
    if agreements:
        t = tables.agreements
        await upsert_rows(session, dialect, t, ["agreement_id"], agreements.values())
