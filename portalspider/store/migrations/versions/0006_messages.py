"""message_check, message: consultation columns' letters and 征集 (互动回应差, issue 11.4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("unknown", sa.Integer(), nullable=False),
        sa.Column("median_days", sa.Float(), nullable=True),
        sa.Column("reply_days", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_message_check_column_id_site_column"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_run.id"],
            name=op.f("fk_message_check_run_id_crawl_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_check")),
        sa.UniqueConstraint("run_id", "column_id", name=op.f("uq_message_check_run_id")),
    )
    op.create_index(
        op.f("ix_message_check_column_id"), "message_check", ["column_id"], unique=False
    )
    op.create_index(op.f("ix_message_check_run_id"), "message_check", ["run_id"], unique=False)
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url_key", sa.String(length=700), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("asked", sa.Date(), nullable=True),
        sa.Column("replied", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("feedback_url", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_message_column_id_site_column"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_run.id"],
            name=op.f("fk_message_run_id_crawl_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("run_id", "column_id", "url_key", name=op.f("uq_message_run_id")),
    )
    op.create_index(op.f("ix_message_column_id"), "message", ["column_id"], unique=False)
    op.create_index(op.f("ix_message_run_id"), "message", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_message_run_id"), table_name="message")
    op.drop_index(op.f("ix_message_column_id"), table_name="message")
    op.drop_table("message")
    op.drop_index(op.f("ix_message_check_run_id"), table_name="message_check")
    op.drop_index(op.f("ix_message_check_column_id"), table_name="message_check")
    op.drop_table("message_check")
