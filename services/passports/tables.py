"""The passports database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, DateTime, Index, Integer, String, Table, UniqueConstraint

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.directory_view import DirectoryView, LinkedField
from shared.documents import document_table
from shared.http.idempotency import idempotency_table
from shared.outbox import outbox_table

metadata = new_metadata()

holders = Table(
    "holders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name_ka", String(200), nullable=False),
    Column("name_latin", String(200), nullable=False),
    Column("personal_number", String(11), nullable=False, unique=True),
    Column("date_of_birth", Date, nullable=False),
    Column("category", String(40), nullable=False),
    Column("position", String(200)),
    Column("unit", String(200)),
    Column("unit_id", String(36)),
    Column("appointed_on", Date),
    Column("dismissed_on", Date),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_holders_created", "created_at", "id"),
)

# Who read which holder's personal data, and when.
pii_reads = Table(
    "pii_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(200), nullable=False),
    Column("holder_id", String(36), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=False),
    Index("ix_pii_reads_holder", "holder_id"),
)

passports = document_table(
    metadata,
    "passports",
    Column("holder_id", String(36), nullable=False),
    Column("passport_type", String(20), nullable=False),
    Column("number", String(9)),
    Column("expires_on", Date),
    Column("return_due_by", Date),
    Index("ix_passports_holder", "holder_id"),
    UniqueConstraint("passport_type", "number", name="uq_passports_type_number"),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)

# The directory's units as far as holders name them (from its events), and the units kept as
# text from before the directory that wait to be linked to them.
directory = DirectoryView(metadata)


def linked_fields(holders: Any) -> tuple[LinkedField, ...]:
    """The names these tables kept as text, and the ids that replace them."""
    return (LinkedField(holders, "unit", "unit", "unit_id"),)


LINKED_FIELDS = linked_fields(holders)
