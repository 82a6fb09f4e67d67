"""The directory's database: units, counterparts and posts as documents, with the columns
lists filter on."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, String, Table

from shared.db import new_metadata
from shared.documents import document_table
from shared.http.idempotency import idempotency_table
from shared.outbox import outbox_table

metadata = new_metadata()

units = document_table(
    metadata,
    "units",
    Column("kind", String(20), nullable=False),
    Column("parent_id", String(36)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Index("ix_units_parent", "parent_id"),
)

counterparts = document_table(
    metadata,
    "counterparts",
    Column("kind", String(40), nullable=False),
    Column("country_code", String(2)),
    Index("ix_counterparts_country", "country_code"),
)

posts = document_table(
    metadata,
    "posts",
    Column("organisation_id", String(36)),
    Column("unit_id", String(36)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Index("ix_posts_organisation", "organisation_id"),
    Index("ix_posts_unit", "unit_id"),
)

# Who listed which posts (names and work contacts), and when: the audit of bulk reads.
post_reads = Table(
    "post_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(200), nullable=False),
    Column("post_id", String(36), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=False),
    Index("ix_post_reads_post", "post_id"),
)

outbox = outbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
