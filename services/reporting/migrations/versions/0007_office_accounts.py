"""the reporting office's accounts and sessions, for the office page

Revision ID: 51d149f52431
Revises: 3c1d2e7a9b40
Create Date: 2026-11-25 13:02:28.095599

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "51d149f52431"
down_revision: str | None = "3c1d2e7a9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_accounts",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_office_accounts")),
    )
    op.create_table(
        "office_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_office_sessions")),
    )
    with op.batch_alter_table("office_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_office_sessions_expires", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("office_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_office_sessions_expires")
    op.drop_table("office_sessions")
    op.drop_table("office_accounts")
