"""Where each passport was after each of its events, kept as a projection: a report as of a
past moment, started from a snapshot (which keeps no event history), says where the
passports were at the period's end. Filled from the kept history.

Revision ID: 3f1b9c2d7a64
Revises: 57a3c70d878c
Create Date: 2026-11-29 07:00:00.000000

"""

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3f1b9c2d7a64"
down_revision: str | Sequence[str] | None = "57a3c70d878c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "passport_moves",
        sa.Column("passport_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("back_by", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("passport_id", "version", name=op.f("pk_passport_moves")),
    )
    with op.batch_alter_table("passport_moves", schema=None) as batch_op:
        batch_op.create_index("ix_reporting_passport_moves_occurred", ["occurred_at"], unique=False)
    _fill_from_history()


def _fill_from_history() -> None:
    """Each kept passport event's move, as the projection of this revision makes it (the
    first event of a version, should the history hold two)."""
    connection = op.get_bind()
    events = sa.table("events", sa.column("seq", sa.Integer),
                      sa.column("aggregate_type", sa.String),
                      sa.column("aggregate_version", sa.Integer),
                      sa.column("occurred_at", sa.DateTime(timezone=True)),
                      sa.column("data", sa.Text))  # fmt: skip
    kept = connection.execute(
        sa.select(events).where(events.c.aggregate_type == "passport").order_by(events.c.seq)
    ).yield_per(1000)
    moves: dict[tuple[str, int], dict[str, Any]] = {}
    for row in kept:
        data = json.loads(row.data)["data"]
        key = (data["passport_id"], row.aggregate_version)
        returning = data["status"] == "return_due"
        back_by = data.get("return_due_by") if returning else data.get("safe_return_by")
        moves.setdefault(key, {
            "passport_id": key[0], "version": key[1], "occurred_at": row.occurred_at,
            "status": data["status"], "back_by": date.fromisoformat(back_by) if back_by else None,
        })  # fmt: skip
    if moves:
        table = sa.table("passport_moves", sa.column("passport_id"), sa.column("version"),
                         sa.column("occurred_at", sa.DateTime(timezone=True)),
                         sa.column("status"), sa.column("back_by", sa.Date))  # fmt: skip
        connection.execute(table.insert(), list(moves.values()))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("passport_moves", schema=None) as batch_op:
        batch_op.drop_index("ix_reporting_passport_moves_occurred")
    op.drop_table("passport_moves")
