"""The agreements database: each aggregate a document with the columns lists filter on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Index, Integer, String, UniqueConstraint

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.directory_view import DirectoryView, LinkedField
from shared.documents import document_table
from shared.http.idempotency import idempotency_table
from shared.outbox import outbox_table

metadata = new_metadata()

agreements = document_table(
    metadata,
    "agreements",
    Column("agreement_type", String(40), nullable=False),
    Column("countries", String(1000), nullable=False),
    Column("expires_on", Date),
)

obligations = document_table(
    metadata,
    "obligations",
    Column("kinds", String(500), nullable=False),
    Column("area", String(200)),
    Column("lead_unit", String(200), nullable=False),
    Column("deadline", Date),
    Column("action_plan_id", String(36)),
    Column("external_ref", String(200)),
    Column("origin_ref", String(200)),
    Index("ix_obligations_plan_ref", "action_plan_id", "external_ref"),
    UniqueConstraint("origin_ref", name="uq_obligations_origin_ref"),
)

action_plans = document_table(
    metadata,
    "action_plans",
    Column("year", Integer, nullable=False),
    UniqueConstraint("year", name="uq_action_plans_year"),
)

commissions = document_table(
    metadata,
    "commissions",
    Column("partner_country", String(2), nullable=False),
)

# The directory's units, counterparts and posts as far as references need them (from its
# events), and the names kept from before the directory that wait to be linked to them.
directory = DirectoryView(metadata)


def linked_fields(agreements: Any, obligations: Any) -> tuple[LinkedField, ...]:
    """The names these tables kept as text, and the ids that replace them (for the tables
    as they are, and as a migration sees them)."""
    return (
        LinkedField(agreements, "unit", "body.responsible_unit", "body.responsible_unit_id"),
        LinkedField(
            agreements, "counterpart", "body.parties.organisations",
            "body.parties.organisation_ids", many=True,
        ),
        LinkedField(obligations, "unit", "body.lead_unit", "body.lead_unit_id"),
        LinkedField(
            obligations, "unit", "body.supporting_units", "body.supporting_unit_ids", many=True
        ),
    )  # fmt: skip


LINKED_FIELDS = linked_fields(agreements, obligations)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
