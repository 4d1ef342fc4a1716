"""fatigue views: when an agent saw their own wellbeing signals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fatigue_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.Column("fired", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fatigue_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fatigue_views_agent"), ["agent"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fatigue_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fatigue_views_agent"))
    op.drop_table("fatigue_views")
