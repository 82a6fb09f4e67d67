"""units on visits, activities and agreements; holders and passports; visits by start;
obligations' source labels

Revision ID: 3c1d2e7a9b40
Revises: 9e0fdf611546
Create Date: 2026-11-24 09:10:00.000000

"""

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3c1d2e7a9b40"
down_revision: str | Sequence[str] | None = "9e0fdf611546"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNIT_TABLES = ("visits", "activities", "agreements")
_STEP_DAYS = {
    "PassportIssued": "issued_day",
    "PassportHandedOver": "handed_over_day",
    "PassportReturned": "returned_day",
    "PassportCancelled": "cancelled_day",
    "PassportExpiring": "expiring_day",
    "PassportReturnOverdue": "return_overdue_day",
}


def upgrade() -> None:
    """Upgrade schema."""
    for table in _UNIT_TABLES:
        op.add_column(table, sa.Column("unit", sa.String(length=200), nullable=True))
    op.create_index("ix_reporting_visits_start", "visits", ["start_date"])
    op.add_column("obligations", sa.Column("source_labels", sa.Text(), nullable=True))
    op.create_table(
        "holders",
        sa.Column("holder_id", sa.String(length=36), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("holder_id", name=op.f("pk_holders")),
    )
    op.create_table(
        "passports",
        sa.Column("passport_id", sa.String(length=36), nullable=False),
        sa.Column("holder_id", sa.String(length=36), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("passport_type", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        *[sa.Column(day, sa.Date(), nullable=True) for day in _STEP_DAYS.values()],
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("passport_id", name=op.f("pk_passports")),
    )
    _fill_from_the_history()


def _fill_from_the_history() -> None:
    """Units and passports for the events applied before this revision.

    International events published before then did not carry their unit: they stay without.
    """
    bind = op.get_bind()
    units: dict[str, dict[str, Any]] = {t: {} for t in _UNIT_TABLES}
    holders: dict[str, dict[str, Any]] = {}
    passports: dict[str, dict[str, Any]] = {}
    rows = bind.execute(
        sa.text(
            "SELECT type, aggregate_version, occurred_at, data FROM events "
            "WHERE stream IN ('visits', 'agreements', 'passports') ORDER BY seq"
        )
    )
    for type_, version, occurred_at, raw in rows:
        name, data = type_.split(".")[2], json.loads(raw)["data"]
        if name == "VisitCreated" or (
            name == "VisitDetailsChanged" and "responsible_unit" in data.get("changed", [])
        ):
            units["visits"][data["visit_id"]] = data.get("responsible_unit")
        elif name.startswith("BusinessTrip"):
            units["activities"][data["business_trip_id"]] = data.get("unit")
        elif name.startswith("Agreement") and "agreement_id" in data:
            units["agreements"][data["agreement_id"]] = data.get("responsible_unit")
        elif name == "HolderRegistered":
            holders[data["holder_id"]] = {
                "holder_id": data["holder_id"],
                "category": data["category"],
                "unit": data.get("unit"),
            }
        elif name.startswith("Passport"):
            _step(passports, holders, name, version, _day(occurred_at), data)
    for table, by_id in units.items():
        key = {"visits": "visit_id", "activities": "activity_id"}.get(table, "agreement_id")
        for id_, unit in by_id.items():
            bind.execute(
                sa.text(f"UPDATE {table} SET unit = :unit WHERE {key} = :id"),
                {"unit": unit, "id": id_},
            )
    _label_sources(bind)
    for table, found in (("holders", holders), ("passports", passports)):
        if found:
            meta = sa.Table(table, sa.MetaData(), autoload_with=bind)
            bind.execute(meta.insert(), list(found.values()))


def _label_sources(bind: Any) -> None:
    rows = bind.execute(sa.text("SELECT obligation_id, sources FROM obligations")).all()
    for obligation_id, sources in rows:
        listed = json.loads(sources) if isinstance(sources, str) else sources
        labels = "\n".join(f"{s['kind']} {s['reference']}".replace("\n", " ") for s in listed)
        bind.execute(
            sa.text("UPDATE obligations SET source_labels = :labels WHERE obligation_id = :id"),
            {"labels": labels, "id": obligation_id},
        )


def _day(occurred_at: Any) -> date:
    if isinstance(occurred_at, str):  # SQLite keeps UTC as text
        return date.fromisoformat(occurred_at[:10])
    moment: datetime = occurred_at
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()


def _step(
    passports: dict[str, dict[str, Any]],
    holders: dict[str, dict[str, Any]],
    name: str,
    version: int,
    day: date,
    data: dict[str, Any],
) -> None:
    row = passports.setdefault(
        data["passport_id"],
        {
            "passport_id": data["passport_id"],
            "holder_id": data["holder_id"],
            "unit": holders.get(data["holder_id"], {}).get("unit"),
            **dict.fromkeys(_STEP_DAYS.values()),
        },
    )
    row.update(passport_type=data["passport_type"], status=data["status"], version=version)
    if name in _STEP_DAYS:
        row[_STEP_DAYS[name]] = day


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("passports")
    op.drop_table("holders")
    op.drop_index("ix_reporting_visits_start", table_name="visits")
    with op.batch_alter_table("obligations") as batch:
        batch.drop_column("source_labels")
    for table in _UNIT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("unit")
