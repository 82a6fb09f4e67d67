"""the trend's month-end points, kept once computed

Revision ID: 8f2a6c4d1e07
Revises: 51d149f52431
Create Date: 2026-11-28 05:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8f2a6c4d1e07"
down_revision: str | None = "51d149f52431"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trend_points",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("moment", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events_counted", sa.Integer(), nullable=False),
        sa.Column("eu", sa.JSON(), nullable=True),
        sa.Column("un", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", "unit", "month", name=op.f("pk_trend_points")),
    )


def downgrade() -> None:
    op.drop_table("trend_points")
