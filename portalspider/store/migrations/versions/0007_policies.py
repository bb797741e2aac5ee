"""policy_doc, policy_check: policy documents and their interpretation links (issue 11 item 5).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_doc",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=700), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("column_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("interpretation_url", sa.String(length=1000), nullable=True),
        sa.Column("linked_back", sa.Boolean(), nullable=True),
        sa.Column("linked_forward", sa.Boolean(), nullable=False),
        sa.Column("first_seen_run_id", sa.Integer(), nullable=True),
        sa.Column("last_checked_run_id", sa.Integer(), nullable=True),
        sa.Column("state_since_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_policy_doc_site_id_site"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_policy_doc_column_id_site_column"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_seen_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_policy_doc_first_seen_run_id_crawl_run"),
        ),
        sa.ForeignKeyConstraint(
            ["last_checked_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_policy_doc_last_checked_run_id_crawl_run"),
        ),
        sa.ForeignKeyConstraint(
            ["state_since_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_policy_doc_state_since_run_id_crawl_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_doc")),
        sa.UniqueConstraint("site_id", "url_key", name=op.f("uq_policy_doc_site_id")),
    )
    op.create_index(op.f("ix_policy_doc_site_id"), "policy_doc", ["site_id"])
    op.create_index(op.f("ix_policy_doc_column_id"), "policy_doc", ["column_id"])
    op.create_table(
        "policy_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("interpretation_url", sa.String(length=1000), nullable=True),
        sa.Column("linked_back", sa.Boolean(), nullable=True),
        sa.Column("linked_forward", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_run.id"],
            name=op.f("fk_policy_check_run_id_crawl_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["policy_doc.id"],
            name=op.f("fk_policy_check_doc_id_policy_doc"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_check")),
        sa.UniqueConstraint("run_id", "doc_id", name=op.f("uq_policy_check_run_id")),
    )
    op.create_index(op.f("ix_policy_check_run_id"), "policy_check", ["run_id"])
    op.create_index(op.f("ix_policy_check_doc_id"), "policy_check", ["doc_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_policy_check_doc_id"), table_name="policy_check")
    op.drop_index(op.f("ix_policy_check_run_id"), table_name="policy_check")
    op.drop_table("policy_check")
    op.drop_index(op.f("ix_policy_doc_column_id"), table_name="policy_doc")
    op.drop_index(op.f("ix_policy_doc_site_id"), table_name="policy_doc")
    op.drop_table("policy_doc")
