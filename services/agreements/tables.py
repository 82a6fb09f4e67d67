"""The agreements database."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, Numeric, String, Table

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.http.idempotency import idempotency_table
from shared.outbox import outbox_table

metadata = new_metadata()

agreements = Table(
    "agreements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("agreement_type", String(40), nullable=False),
    Column("title", JSON, nullable=False),
    Column("party_countries", JSON, nullable=False),
    Column("party_organisations", JSON, nullable=False),
    Column("responsible_unit", String(200)),
    Column("funding_amount", Numeric(18, 2)),
    Column("funding_currency", String(3)),
    Column("status", String(30), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_agreements_created", "created_at", "id"),
    Index("ix_agreements_status", "status"),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
