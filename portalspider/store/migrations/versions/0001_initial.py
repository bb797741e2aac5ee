"""Initial schema: sites, units, runs, columns, observations, findings, alert outbox.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 (generated from models.py, reviewed)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("url_key", name=op.f("uq_site_url_key")),
    )
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("site_status", sa.String(length=10), nullable=True),
        sa.Column("job_id", sa.String(length=100), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_crawl_run_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run")),
    )
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_run_site_id"), ["site_id"], unique=False)

    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_unit_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("site_id", "name", name=op.f("uq_unit_site_id")),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_site_id"), ["site_id"], unique=False)

    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("parts_sent", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_run.id"], name=op.f("fk_alert_delivery_run_id_crawl_run")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_alert_delivery_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_delivery")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_alert_delivery_idempotency_key")),
    )
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_delivery_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_delivery_status"), ["status"], unique=False)

    op.create_table(
        "site_column",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=700), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("threshold_days", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("last_update", sa.Date(), nullable=True),
        sa.Column("newest_title", sa.Text(), nullable=True),
        sa.Column("newest_url", sa.String(length=1000), nullable=True),
        sa.Column("status_since_run_id", sa.Integer(), nullable=True),
        sa.Column("runs_in_status", sa.Integer(), nullable=False),
        sa.Column("stale_since", sa.Date(), nullable=True),
        sa.Column("first_seen_run_id", sa.Integer(), nullable=True),
        sa.Column("last_seen_run_id", sa.Integer(), nullable=True),
        sa.Column("exempt_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_seen_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_site_column_first_seen_run_id_crawl_run"),
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_site_column_last_seen_run_id_crawl_run"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_column_site_id_site"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["status_since_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_site_column_status_since_run_id_crawl_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_column")),
        sa.UniqueConstraint("site_id", "url_key", name=op.f("uq_site_column_site_id")),
    )
    with op.batch_alter_table("site_column", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_column_site_id"), ["site_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("opened_run_id", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_run_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_run_id"], ["crawl_run.id"], name=op.f("fk_finding_closed_run_id_crawl_run")
        ),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_finding_column_id_site_column"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_run_id"], ["crawl_run.id"], name=op.f("fk_finding_opened_run_id_crawl_run")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_finding_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_column_id"), ["column_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_is_open"), ["is_open"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_site_id"), ["site_id"], unique=False)

    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("threshold_days", sa.Integer(), nullable=True),
        sa.Column("last_update", sa.Date(), nullable=True),
        sa.Column("age_days", sa.Integer(), nullable=True),
        sa.Column("newest_title", sa.Text(), nullable=True),
        sa.Column("newest_url", sa.String(length=1000), nullable=True),
        sa.Column("items_found", sa.Integer(), nullable=False),
        sa.Column("date_source", sa.String(length=20), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_observation_column_id_site_column"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_run.id"],
            name=op.f("fk_observation_run_id_crawl_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint("run_id", "column_id", name=op.f("uq_observation_run_id")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_column_id"), ["column_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_run_id"), ["run_id"], unique=False)

    op.create_table(
        "alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("episode_key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["site_column.id"],
            name=op.f("fk_alert_event_column_id_site_column"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["alert_delivery.id"],
            name=op.f("fk_alert_event_delivery_id_alert_delivery"),
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_alert_event_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_run.id"], name=op.f("fk_alert_event_run_id_crawl_run")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_alert_event_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
        sa.UniqueConstraint(
            "column_id", "episode_key", "kind", "seq", name=op.f("uq_alert_event_column_id")
        ),
    )
    with op.batch_alter_table("alert_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_event_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_event_site_id"))

    op.drop_table("alert_event")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_run_id"))
        batch_op.drop_index(batch_op.f("ix_observation_column_id"))

    op.drop_table("observation")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_site_id"))
        batch_op.drop_index(batch_op.f("ix_finding_is_open"))
        batch_op.drop_index(batch_op.f("ix_finding_column_id"))

    op.drop_table("finding")
    with op.batch_alter_table("site_column", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_column_site_id"))

    op.drop_table("site_column")
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_alert_delivery_site_id"))

    op.drop_table("alert_delivery")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_site_id"))

    op.drop_table("unit")
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_run_site_id"))

    op.drop_table("crawl_run")
    op.drop_table("site")
