"""the commissions' co-chairs, for the commission report's heading

Revision ID: 2b7e9d3a5c18
Revises: 8f2a6c4d1e07
Create Date: 2026-11-28 05:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2b7e9d3a5c18"
down_revision: str | None = "8f2a6c4d1e07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("our_co_chair", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("partner_co_chair", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commissions", schema=None) as batch_op:
        batch_op.drop_column("partner_co_chair")
        batch_op.drop_column("our_co_chair")
