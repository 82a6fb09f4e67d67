"""The visits database.

A visit is saved whole: its own columns (what lists filter on) and ``details``,
the delegation, programme, logistics, preparation and outcome as one document.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, String, Table, Text

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.directory_view import DirectoryView, LinkedField
from shared.documents import document_table
from shared.http.idempotency import idempotency_table
from shared.outbox import outbox_table

metadata = new_metadata()

visits = Table(
    "visits",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("direction", String(20), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("lead_level", String(40)),
    Column("country_code", String(2)),
    Column("organisation", String(200)),
    Column("organisation_id", String(36)),
    Column("counterpart_post_id", String(36)),
    Column("our_lead_official", String(200)),
    Column("counterpart_lead_official", String(200)),
    Column("title", JSON, nullable=False),
    Column("purpose", JSON),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("city", String(200)),
    Column("responsible_unit", String(200)),
    Column("responsible_unit_id", String(36)),
    Column("responsible_officer", String(200)),
    Column("status", String(20), nullable=False),
    Column("status_reason", Text),
    Column("details", JSON, nullable=False, server_default="{}"),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_visits_created", "created_at", "id"),
    Index("ix_visits_status", "status"),
    Index("ix_visits_country", "country_code"),
    Index("ix_visits_start", "start_date"),
)

# The passports service's events, as far as trip readiness needs them (no numbers).
holder_passports = Table(
    "holder_passports",
    metadata,
    Column("passport_id", String(36), primary_key=True),
    Column("holder_id", String(36), nullable=False),
    Column("passport_type", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("expires_on", Date),
    Column("version", Integer, nullable=False),
    Index("ix_holder_passports_holder", "holder_id"),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)


def _activity_table(name: str) -> Table:
    """Meetings, international events and business trips: searchable columns plus the document."""
    return document_table(
        metadata,
        name,
        Column("official", String(200)),
        Column("country_code", String(2)),
        Column("start_date", Date),
        Column("end_date", Date),
        Index(f"ix_{name}_start", "start_date"),
    )


meetings = _activity_table("meetings")
international_events = _activity_table("international_events")
business_trips = _activity_table("business_trips")

# The directory's units, counterparts and posts as far as references need them (from its
# events), and the names kept from before the directory that wait to be linked to them.
directory = DirectoryView(metadata)


def linked_fields(visits: Any, meetings: Any, events: Any, trips: Any) -> tuple[LinkedField, ...]:
    """The names these tables kept as text, and the ids that replace them (for the tables
    as they are, and as a migration sees them)."""
    return (
        LinkedField(visits, "unit", "responsible_unit", "responsible_unit_id"),
        LinkedField(visits, "counterpart", "organisation", "organisation_id"),
        LinkedField(meetings, "counterpart", "body.organisation", "body.organisation_id"),
        LinkedField(events, "unit", "body.responsible_unit", "body.responsible_unit_id"),
        LinkedField(events, "counterpart", "body.partners", "body.partner_ids", many=True),
        LinkedField(trips, "unit", "body.unit", "body.unit_id"),
    )


LINKED_FIELDS = linked_fields(visits, meetings, international_events, business_trips)

# Personal calendar keys: a subscription address (/calendar/<key>.ics) that reads the
# calendar and nothing else, lives until revoked, and is kept only as its SHA-256.
calendar_keys = Table(
    "calendar_keys",
    metadata,
    Column("key_id", String(36), primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False),
    Column("official", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)
