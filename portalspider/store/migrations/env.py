"""Alembic environment: runs on the connection handed over by ``portalspider.store.db``.

There is no alembic.ini; ``db.alembic_config()`` builds the config in code and passes an
open connection (already inside the locking transaction) in ``config.attributes``.
Standalone use (``alembic -x url=...``) is supported for developers writing revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from portalspider.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates tables when needed.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=DATABASE_URL ...")
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) mode is not supported; run `scrapy db upgrade`")
run_migrations_online()
