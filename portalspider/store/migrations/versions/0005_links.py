"""link_run, broken_link, link_finding: the broken links of ``scrapy crawl links`` (issue 11).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "link_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("incomplete_reason", sa.Text(), nullable=True),
        sa.Column("job_id", sa.String(length=100), nullable=True),
        sa.Column("home_checked", sa.Boolean(), nullable=False),
        sa.Column("pages_checked", sa.Integer(), nullable=False),
        sa.Column("links_checked", sa.Integer(), nullable=False),
        sa.Column("broken_home", sa.Integer(), nullable=False),
        sa.Column("broken_other", sa.Integer(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=True),
        _fk("link_run", "site_id", "site", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_run")),
    )
    op.create_index(op.f("ix_link_run_site_id"), "link_run", ["site_id"])
    op.create_table(
        "broken_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("page_url", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("on_home", sa.Boolean(), nullable=False),
        sa.Column("column_url", sa.String(length=1000), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        _fk("broken_link", "run_id", "link_run", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broken_link")),
    )
    op.create_index(op.f("ix_broken_link_run_id"), "broken_link", ["run_id"])
    op.create_table(
        "link_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=700), nullable=False),
        sa.Column("page_key", sa.String(length=700), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("page_url", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("on_home", sa.Boolean(), nullable=False),
        sa.Column("column_url", sa.String(length=1000), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("opened_run_id", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("last_seen_run_id", sa.Integer(), nullable=False),
        sa.Column("closed_run_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        _fk("link_finding", "site_id", "site", ondelete="CASCADE"),
        _fk("link_finding", "opened_run_id", "link_run"),
        _fk("link_finding", "last_seen_run_id", "link_run"),
        _fk("link_finding", "closed_run_id", "link_run"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_finding")),
    )
    op.create_index(op.f("ix_link_finding_site_id"), "link_finding", ["site_id"])
    op.create_index(op.f("ix_link_finding_is_open"), "link_finding", ["is_open"])


def downgrade() -> None:
    op.drop_table("link_finding")
    op.drop_table("broken_link")
    op.drop_table("link_run")
