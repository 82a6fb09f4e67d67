"""For each table the events are applied to, a token drawn anew by every batch of events
that wrote it: a kept report is answered again while the tables it was made from hold the
tokens they held when it was made. Empty at first: no report is kept across the upgrade.

Revision ID: 8d41e6f0b2a9
Revises: 3f1b9c2d7a64
Create Date: 2026-11-29 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8d41e6f0b2a9"
down_revision: str | Sequence[str] | None = "3f1b9c2d7a64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "table_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_table_versions")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("table_versions")
