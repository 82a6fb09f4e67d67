"""The directory's units and counterpart organisations, as reporting keeps them: their state
now and every name they had from a day on; posts, where they are and their titles (never who
holds them: reports need no one's name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.reporting import tables
from services.reporting.projections.common import upsert_rows
from shared.consumer import ReceivedEvent
from shared.contracts import directory as events
from shared.types import EARLIEST


async def project(session: Any, dialect: str, changes: Sequence[tuple[ReceivedEvent, Any]]) -> None:
    rows: dict[Any, dict[Any, dict[str, Any]]] = {
        tables.directory_units: {},
        tables.directory_counterparts: {},
        tables.directory_posts: {},
        tables.directory_names: {},
    }
    for e, p in changes:
        version = e.envelope.aggregateversion
        if isinstance(p, events.UnitEvent):
            rows[tables.directory_units][p.unit_id] = {
                "unit_id": p.unit_id, "kind": p.kind, "parent_id": p.parent_id,
                "name": p.name.model_dump(), "valid_from": p.valid_from, "valid_to": p.valid_to,
                "merged_into": p.merged_into, "status": p.status, "version": version,
            }  # fmt: skip
            _named(rows, p.unit_id, p, isinstance(p, events.UnitRegisteredV1))
        elif isinstance(p, events.CounterpartEvent):
            rows[tables.directory_counterparts][p.counterpart_id] = {
                "counterpart_id": p.counterpart_id, "kind": p.kind,
                "country_code": p.country_code, "name": p.name.model_dump(),
                "acronym": p.acronym, "status": p.status, "version": version,
            }  # fmt: skip
            _named(rows, p.counterpart_id, p, isinstance(p, events.CounterpartRegisteredV1))
        elif isinstance(p, events.PostEvent):
            rows[tables.directory_posts][p.post_id] = {
                "post_id": p.post_id, "organisation_id": p.organisation_id, "unit_id": p.unit_id,
                "title": p.title.model_dump(), "valid_from": p.valid_from, "valid_to": p.valid_to,
                "status": p.status, "version": version,
            }  # fmt: skip
    for table, found in rows.items():
        if found:
            keys = [c.name for c in table.primary_key.columns]
            await upsert_rows(session, dialect, table, keys, found.values())


def _named(rows: dict[Any, dict[Any, dict[str, Any]]], record_id: str, p: Any, first: bool) -> None:
    """A registration names the record from its beginning; a renaming from its day on."""
    renamed = isinstance(p, (events.UnitRenamedV1, events.CounterpartRenamedV1))
    if first or renamed:
        since = p.effective_on if renamed else EARLIEST
        rows[tables.directory_names][(record_id, since)] = {
            "record_id": record_id, "valid_from": since, "name": p.name.model_dump(),
        }  # fmt: skip
