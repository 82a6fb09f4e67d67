"""The reporting database: the events consumed, and the projections built from them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from shared.consumer import inbox_table
from shared.db import new_metadata
from shared.reminder_store import item_columns

metadata = new_metadata()

_ID = BigInteger().with_variant(Integer(), "sqlite")

# Every event applied, in the order applied: the history projections are rebuilt from.
events = Table(
    "events",
    metadata,
    Column("seq", _ID, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("stream", String(50), nullable=False),
    Column("type", String(200), nullable=False),
    Column("aggregate_type", String(50), nullable=False),
    Column("aggregate_id", String(100), nullable=False),
    Column("aggregate_version", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("correlation_id", String(100)),
    Column("data", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Index("ix_events_occurred", "occurred_at"),
    Index("ix_events_aggregate", "aggregate_type", "aggregate_id", "aggregate_version"),
)

# For each stream: how much was applied and the newest event.
stream_positions = Table(
    "stream_positions",
    metadata,
    Column("stream", String(50), primary_key=True),
    Column("events_applied", BigInteger, nullable=False),
    Column("last_event_id", String(36), nullable=False),
    Column("last_event_type", String(200), nullable=False),
    Column("last_event_time", DateTime(timezone=True), nullable=False),
    Column("last_applied_at", DateTime(timezone=True), nullable=False),
)

# For each table the events are applied to, a token drawn anew by every batch that wrote it:
# a kept report is still the report while each table it was made from holds its token.
table_versions = Table(
    "table_versions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("version", String(32), nullable=False),
)

# The newest version of each aggregate seen: an older event never overwrites a newer state.
aggregate_versions = Table(
    "aggregate_versions",
    metadata,
    Column("aggregate_type", String(50), primary_key=True),
    Column("aggregate_id", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("out_of_order", Integer, nullable=False, server_default="0"),
)

# Visits as reporting sees them, for the activity and protocol reports.
visits = Table(
    "visits",
    metadata,
    Column("visit_id", String(36), primary_key=True),
    Column("direction", String(20), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("country_code", String(2)),
    Column("lead_level", String(40)),
    Column("status", String(20), nullable=False),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("title_en", Text),
    Column("unit", String(200)),
    Column("unit_id", String(36)),  # the directory's unit, when the visit names it
    Column("counterpart_ids", JSON),  # the directory's organisations and posts it involves
    Column("version", Integer, nullable=False),
    Index("ix_reporting_visits_start", "start_date"),
)

inbox = inbox_table(metadata)

# Obligations from every source, with their latest approved progress.
obligations = Table(
    "obligations",
    metadata,
    Column("obligation_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("status", String(30), nullable=False),
    Column("kinds", String(500), nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_labels", Text),  # "kind reference", one a line: what reports print
    Column("title", JSON, nullable=False),
    Column("area", String(200)),
    Column("lead_unit", String(200), nullable=False),
    Column("lead_unit_id", String(36)),  # the directory's unit, when the obligation names it
    Column("supporting_units", JSON, nullable=False),
    Column("supporting_unit_ids", JSON),
    Column("deadline", Date),
    Column("support_level", String(30)),
    Column("action_plan_id", String(36)),
    Column("external_ref", String(200)),
    Column("origin_ref", String(200)),
    Column("latest_percent", Integer),
    Column("latest_period", String(10)),
    Column("latest_narrative", JSON),
    Column("latest_approved_at", DateTime(timezone=True)),
    Index("ix_reporting_obligations_plan", "action_plan_id"),
)

action_plans = Table(
    "action_plans",
    metadata,
    Column("action_plan_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(30), nullable=False),
    Column("title", JSON, nullable=False),
)

# Ministerial meetings, international events and business trips.
activities = Table(
    "activities",
    metadata,
    Column("activity_id", String(36), primary_key=True),
    Column("activity_type", String(30), nullable=False),
    Column("kind", String(40)),
    Column("status", String(30), nullable=False),
    Column("start_date", Date),
    Column("country_code", String(2)),
    Column("unit", String(200)),
    Column("unit_id", String(36)),
    Column("counterpart_ids", JSON),
    Column("version", Integer, nullable=False),
    Index("ix_reporting_activities_start", "activity_type", "start_date"),
)

agreements = Table(
    "agreements",
    metadata,
    Column("agreement_id", String(36), primary_key=True),
    Column("agreement_type", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("countries", JSON, nullable=False),
    Column("signed_on", Date),
    Column("in_force_on", Date),
    Column("unit", String(200)),
    Column("unit_id", String(36)),
    Column("counterpart_ids", JSON),
    Column("version", Integer, nullable=False),
)

commissions = Table(
    "commissions",
    metadata,
    Column("commission_id", String(36), primary_key=True),
    Column("partner_country", String(2), nullable=False),
    Column("name", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("our_co_chair", String(200)),
    Column("partner_co_chair", String(200)),
)

commission_sessions = Table(
    "commission_sessions",
    metadata,
    Column("commission_id", String(36), primary_key=True),
    Column("session_number", Integer, primary_key=True),
    Column("held_on", Date, nullable=False),
    Column("place", String(200), nullable=False),
    Column("protocol_status", String(20), nullable=False),
)

commission_decisions = Table(
    "commission_decisions",
    metadata,
    Column("decision_id", String(36), primary_key=True),
    Column("commission_id", String(36), nullable=False),
    Column("session_number", Integer, nullable=False),
    Column("decision_number", Integer),
    Column("obligation_id", String(36), nullable=False),
    Column("responsible_unit", String(200), nullable=False),
    Column("responsible_unit_id", String(36)),
    Column("deadline", Date, nullable=False),
    Index("ix_reporting_decisions_session", "commission_id", "session_number"),
)

# Visits' follow-up commitments: which country each obligation of kind visit_commitment concerns.
visit_commitments = Table(
    "visit_commitments",
    metadata,
    Column("commitment_id", String(36), primary_key=True),
    Column("visit_id", String(36), nullable=False),
    Column("country_code", String(2)),
)

# Events per day, stream and type: the activity report's counts without scanning the history.
daily_counts = Table(
    "daily_counts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("stream", String(50), primary_key=True),
    Column("type", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
)

# Passport holders: only the unit and category, never who they are.
holders = Table(
    "holders",
    metadata,
    Column("holder_id", String(36), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("unit", String(200)),
    Column("unit_id", String(36)),
)

# Passports with the day (UTC) each step happened: the activity report counts them by unit.
passports = Table(
    "passports",
    metadata,
    Column("passport_id", String(36), primary_key=True),
    Column("holder_id", String(36), nullable=False),
    Column("unit", String(200)),
    Column("unit_id", String(36)),
    Column("passport_type", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    Column("issued_day", Date),
    Column("handed_over_day", Date),
    Column("returned_day", Date),
    Column("cancelled_day", Date),
    Column("expiring_day", Date),
    Column("return_overdue_day", Date),
    Column("version", Integer, nullable=False),
)

# Where each passport was after each of its events: the status and the day it was due back
# (``return_due_by`` while a return is due, else ``safe_return_by``), so that a report can
# say where the passports were at the end of a past day from the projections alone (a
# snapshot keeps no event history).
passport_moves = Table(
    "passport_moves",
    metadata,
    Column("passport_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("status", String(30), nullable=False),
    Column("back_by", Date),
    Index("ix_reporting_passport_moves_occurred", "occurred_at"),
)

# What each unit is reminded of (``shared.reminder_items``), as the services announced it
# (``noticed_at``, the event's time) and until its record was settled; every message the
# notifications service sent (no addresses), and which reminders each carried.
reminders = Table(
    "reminders",
    metadata,
    *item_columns(),
    Index("ix_reporting_reminders_record", "record_type", "record_id"),
)
reminder_messages = Table(
    "reminder_messages",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("unit_id", String(36)),  # null: the office's mailbox
    Column("kind", String(20), nullable=False),  # digest or escalation
    Column("day", Date, nullable=False),
    Column("recipient_kind", String(20), nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Index("ix_reporting_reminder_messages_day", "day"),
)
reminder_deliveries = Table(
    "reminder_deliveries",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("key", String(300), primary_key=True),
    Index("ix_reporting_reminder_deliveries_key", "key"),
)

# The directory's units and counterpart organisations as they stand now, and every name each
# had from a day on (the first name from EARLIEST): reports name them as of their moment.
directory_units = Table(
    "directory_units",
    metadata,
    Column("unit_id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("parent_id", String(36)),
    Column("name", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("merged_into", String(36)),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
)

directory_counterparts = Table(
    "directory_counterparts",
    metadata,
    Column("counterpart_id", String(36), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("country_code", String(2)),
    Column("name", JSON, nullable=False),
    Column("acronym", String(200)),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_directory_counterparts_country", "country_code"),
)

# Posts: where they are and their titles, never who holds them (a counterpart dossier's person).
directory_posts = Table(
    "directory_posts",
    metadata,
    Column("post_id", String(36), primary_key=True),
    Column("organisation_id", String(36)),
    Column("unit_id", String(36)),
    Column("title", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_directory_posts_organisation", "organisation_id"),
)

directory_names = Table(
    "directory_names",
    metadata,
    Column("record_id", String(36), primary_key=True),  # a unit's or a counterpart's id
    Column("valid_from", Date, primary_key=True),
    Column("name", JSON, nullable=False),
)

# The reporting office's accounts for the office page: never projected, never in a snapshot.
office_accounts = Table(
    "office_accounts",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Signed-in sessions: the cookie's token is kept only as its SHA-256. A sign-in through the
# ministry's identity provider has no local account: its name, and the ID token that signs it
# out at the provider, are the session's.
office_sessions = Table(
    "office_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("display_name", String(200)),
    Column("id_token", Text),
    Index("ix_office_sessions_expires", "expires_at"),
)

# Sign-ins begun at the identity provider and not yet back: each state once, bound to the
# browser that began it (the SHA-256 of its cookie), for ten minutes.
office_sign_ins = Table(
    "office_sign_ins",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("browser_hash", String(64), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The trend's month-end points, kept once computed (each costs a rebuild from the history).
# A point stands for the history as it was counted then: ``events_counted`` kept events had
# occurred by its moment. The history only grows, so a different count now means an event
# that occurred by then arrived late, and the point is computed again. Not a projection.
trend_points = Table(
    "trend_points",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("unit", String(200), primary_key=True),  # "" for the whole office
    Column("month", String(7), primary_key=True),
    Column("moment", DateTime(timezone=True), nullable=False),
    Column("events_counted", Integer, nullable=False),
    Column("eu", JSON),
    Column("un", JSON, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)
