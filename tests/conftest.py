"""Shared fixtures: a fresh database on SQLite and, when available, PostgreSQL.

``db_url`` is parametrized over both back ends, so every store test runs twice. The
PostgreSQL leg reads ``PORTALSPIDER_TEST_POSTGRES_URL`` (``.ci/run`` sets it) and gives
each test its own schema (via ``search_path`` in the URL), dropped afterwards, so tests
can run in parallel without seeing each other's rows. Without a reachable server the leg
is skipped with the reason shown in the ``-ra`` summary.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

POSTGRES_ENV = "PORTALSPIDER_TEST_POSTGRES_URL"


def _postgres_base() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL leg skipped: {POSTGRES_ENV} is not set")
    return url


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database (not yet migrated) private to this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'store.db'}"
        return
    base = _postgres_base()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL leg skipped: {POSTGRES_ENV} unreachable: {reason}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated database: the session factory (its engine disposed after the test)."""
    from portalspider.store.db import make_engine, session_factory, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()
