"""Update volume and 更新较少: per-window item counts and the min_items rule, per column and run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("site_column", "observation")


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("items_30d", sa.Integer(), nullable=True),
        sa.Column("items_90d", sa.Integer(), nullable=True),
        sa.Column("items_365d", sa.Integer(), nullable=True),
        sa.Column("counts_complete", sa.Boolean(), nullable=True),
        sa.Column("min_items", sa.JSON(), nullable=True),
    ]


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _columns():
                batch.add_column(column)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in reversed(_columns()):
                batch.drop_column(column.name)
