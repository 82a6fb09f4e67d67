"""The notifications database: what each unit is reminded of, the messages that carry the
reminders (each made once, sent once), and what it keeps of the directory and of passport
holders to know where each reminder goes."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.outbox import outbox_table
from shared.reminder_store import item_columns

metadata = new_metadata()

# One row a reminder: the key says which record, what and stage, so each is kept once.
items = Table(
    "items",
    metadata,
    *item_columns(),
    Column("digest_id", String(36)),  # the digest that carried it
    Column("escalation_id", String(36)),  # the message to the unit's head, when escalated
    Index("ix_items_record", "record_type", "record_id"),
    Index("ix_items_waiting", "digest_id", "settled_at"),
)

# A digest or an escalation: made once per unit, kind and day, then sent (retried).
messages = Table(
    "messages",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("unit_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),  # digest or escalation
    Column("day", Date, nullable=False),
    Column("recipient", String(320)),  # none: the unit has no address (nothing is sent)
    Column("recipient_kind", String(20), nullable=False),  # unit_mailbox or unit_head
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("items", JSON, nullable=False),  # the items' keys
    Column("status", String(20), nullable=False),  # pending, sent, unaddressed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("unit_id", "kind", "day", name="uq_messages_unit_kind_day"),
    Index("ix_messages_pending", "status", "next_attempt_at"),
)

# The directory's units: names and notice mailboxes; their heads' posts (never who holds them).
units = Table(
    "units",
    metadata,
    Column("unit_id", String(36), primary_key=True),
    Column("name", JSON, nullable=False),
    Column("notice_email", String(320)),
    Column("status", String(20), nullable=False),
    Column("merged_into", String(36)),
    Column("version", Integer, nullable=False),
)
head_posts = Table(
    "head_posts",
    metadata,
    Column("post_id", String(36), primary_key=True),
    Column("unit_id", String(36)),
    Column("held", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

# Passport holders' units, as the passports service announced them (never who they are).
holders = Table(
    "holders",
    metadata,
    Column("holder_id", String(36), primary_key=True),
    Column("unit_id", String(36)),
    Column("unit", String(200)),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
