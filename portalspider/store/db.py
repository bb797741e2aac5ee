"""Engines, sessions and schema migrations for the store.

Several scrapyd jobs (one per portal) may write to one database at the same time, so:

* SQLite runs in WAL mode (readers never block the writer) with a 30 s busy timeout, and
  every transaction starts with ``BEGIN IMMEDIATE``: a transaction that read under a
  deferred ``BEGIN`` and then tries to write can fail at once with "database is locked"
  (SQLITE_BUSY_SNAPSHOT ignores the busy timeout), whereas ``BEGIN IMMEDIATE`` takes the
  write lock up front and simply waits its turn. Writers keep their transactions short
  (see ``recorder.py``) so waiting is brief.
* PostgreSQL (``postgresql+psycopg://``) serializes concurrent migrations with an
  advisory lock held for the migration transaction.

Every failure to open or migrate is raised as ``StoreError`` whose ``str()`` is one line,
so the crawl and the commands can print it without a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.resources
import logging
import re
import shutil
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 30
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed 64-bit key works; derive it from a name so it is greppable and stable.
_PG_LOCK_KEY = zlib.crc32(b"portalspider.store.migrations")


class StoreError(Exception):
    """The database cannot be opened or migrated; ``str()`` is one readable line."""


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's message, without SQLAlchemy's background links."""
    orig = getattr(exc, "orig", None) or exc
    msg = str(orig).strip().splitlines()
    return msg[0].strip() if msg else type(orig).__name__


def safe_url(url: str | URL) -> str:
    """The URL for messages: the password masked, never logged in clear."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def _sqlite_path(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook (below) emit BEGIN itself instead of the driver.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA foreign_keys = ON")
        # Switching to WAL needs a brief exclusive lock; a concurrent opener may hold it.
        for attempt in range(20):
            try:
                cur.execute("PRAGMA journal_mode = WAL")
                break
            except Exception as exc:
                # Only a lock is worth waiting for; "file is not a database" fails at once.
                if attempt == 19 or "locked" not in str(exc).lower():
                    raise
                time.sleep(0.05 * (attempt + 1))
        # WAL + NORMAL is durable against application crashes (a crash mid-crawl loses only
        # the uncommitted batch) and much cheaper than FULL.
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()


def _on_sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` and check that the database can be opened.

    SQLite: the parent directory is created (the default URL points into ``var/``).
    Raises ``StoreError`` (one line, password masked) when the URL is invalid, the driver
    is missing or the server/file cannot be reached.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: {_one_line(exc)}") from None
    shown = safe_url(parsed)
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        path = _sqlite_path(parsed)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory of {shown}: {exc}") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database {shown}: {_one_line(exc)}") from None
    if is_sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {_one_line(exc)}") from None
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (the pipeline reports from them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@functools.cache
def migrations_dir() -> Path:
    """The migration scripts as a real directory, which Alembic needs.

    Under scrapyd the package runs from a zipped egg, where ``MIGRATIONS_DIR`` is not on
    disk: the scripts are then copied once per process into a temporary directory.
    """
    if MIGRATIONS_DIR.is_dir():
        return MIGRATIONS_DIR
    target = Path(tempfile.mkdtemp(prefix="portalspider-migrations-"))
    atexit.register(shutil.rmtree, target, True)
    _copy_tree(importlib.resources.files("portalspider.store") / "migrations", target)
    return target


def _copy_tree(source: Any, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                _copy_tree(entry, target / entry.name)
        elif entry.name.endswith((".py", ".mako")):
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config(connection: Any = None) -> Any:
    """An in-code Alembic config: the scripts ship inside the package, no alembic.ini."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade_on(conn: Any) -> None:
    from alembic import command

    # Alembic's INFO lines ("Context impl SQLiteImpl", "Will assume non-transactional DDL")
    # would open every crawl log; the upgrade runs in one transaction anyway (see upgrade).
    logging.getLogger("alembic").setLevel(logging.WARNING)
    command.upgrade(alembic_config(conn), "head")


# A migration script's ``revision = "0007"`` and ``down_revision = "0006"`` lines (with or
# without a type annotation), and a quoted revision id.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.*?)\s*$", re.M)
_QUOTED_ID = re.compile(r"""^(["'])([\w-]+)\1$""")


@functools.cache
def script_head() -> str | None:
    """The newest migration, read from the scripts' revision lines without Alembic (whose
    import and script loading cost a crawl's start some 0.3 s of CPU); None unless the
    scripts are one plain chain, which :func:`upgrade` then leaves to Alembic."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        lines = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if not lines:
            continue  # __init__.py
        revision = _QUOTED_ID.match(lines.get("revision", ""))
        down = lines.get("down_revision", "")
        down_id = _QUOTED_ID.match(down)
        if revision is None or (down != "None" and down_id is None):
            return None
        revisions.add(revision[2])
        if down_id is not None:
            revised.add(down_id[2])
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 and revised <= revisions else None


def at_head(engine: Engine) -> bool:
    """Whether the database records the scripts' newest migration (nothing to migrate),
    the check Alembic's upgrade would make first."""
    head = script_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return False  # a new database (no version table yet): Alembic creates it
    return found == [head]


def upgrade(engine: Engine) -> None:
    """Apply every migration up to head; safe when several processes start at once.

    The whole upgrade runs in one transaction that first takes a database-wide lock
    (SQLite: ``BEGIN IMMEDIATE``, which the engine emits for every transaction;
    PostgreSQL: ``pg_advisory_xact_lock``), so a second process waits, then finds the
    schema already at head and does nothing. Both databases have transactional DDL, so
    a failed migration leaves the previous schema intact. A database already at head
    (:func:`at_head`, most starts) is left as it is without Alembic.
    """
    if at_head(engine):  # the usual start: Alembic is not even imported
        return
    shown = safe_url(engine.url)
    backend = engine.url.get_backend_name()
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                if backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                _upgrade_on(conn)
            return
        except OperationalError as exc:
            # Only "locked/busy" is worth another try; anything else is a real failure.
            if "locked" in str(exc.orig).lower() and attempt < 4:
                logger.info("database %s busy during migration, retrying", shown)
                time.sleep(1 + attempt)
                continue
            raise StoreError(f"cannot migrate database {shown}: {_one_line(exc)}") from None
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot migrate database {shown}: {_one_line(exc)}") from None


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this code."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextlib.contextmanager
def open_store(url: str, *, migrate: bool = True) -> Any:
    """Engine + session factory for commands: opened (and migrated), disposed on exit."""
    engine = make_engine(url)
    try:
        if migrate:
            upgrade(engine)
        yield session_factory(engine)
    finally:
        engine.dispose()
