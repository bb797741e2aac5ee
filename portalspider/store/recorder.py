"""One crawl run's writes: batched, idempotent, with findings opened, closed and gone.

The write path is split in two so that concurrent crawls sharing one database (and, on
SQLite, one write lock) never wait long for each other, and a crash loses little:

1. ``start()`` commits the site and a ``running`` CrawlRun at once.
2. ``add(item)`` buffers column items in memory, keyed by the column's URL key, so the
   same column added twice in a run is one row (the later item wins). Every
   ``batch_size`` items, ``flush()`` writes the batch in one short transaction of bulk
   upserts: the column's identity and descriptive fields (name, path, category, unit,
   threshold) and this run's observation (``ON CONFLICT (run_id, column_id) DO UPDATE``,
   so a re-add after a flush updates too). No status changes yet.
3. ``finish()`` flushes the rest, then in one transaction derives every column's current
   state from this run's observations: status, ``runs_in_status``, ``stale_since``,
   findings opened/closed, columns gone; and stores the run summary.

A bad day must not erase history (issue 13 item 1). A run is *complete* (outcome
``finished``) only when the site was up, the spider saw the whole site (no bound hit, no
error or off-site home page, no failed sitemap) and it found at least half the columns of
the last complete run; otherwise it is ``incomplete`` (the reason is stored in
``crawl_run.incomplete_reason`` and the summary) or ``stopped`` (Ctrl-C, scrapyd cancel).
Only complete runs call columns gone, and only a column missing from two complete runs in
a row. Incomplete runs still record what they did observe: a column read and found
fixed closes its finding (that is an observation), a new problem opens one; what was not
seen changes nothing.

A crash mid-crawl therefore leaves earlier runs untouched: the interrupted run stays
``running`` with the observations of its committed batches, and columns it created are
invisible to readers (they were never finalized: ``last_seen_run_id`` is null).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from itemadapter import ItemAdapter
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, sessionmaker

from portalspider.context import Baseline
from portalspider.dates import today_shanghai
from portalspider.items import field_names
from portalspider.store.db import StoreError
from portalspider.store.messages import record_messages
from portalspider.store.models import (
    Column,
    CrawlRun,
    Finding,
    Observation,
    RunOutcome,
    Site,
    Unit,
    utcnow,
)
from portalspider.store.policies import record_policies
from portalspider.store.queries import latest_run
from portalspider.urls import canonical_url as url_key
from portalspider.vocab import (
    CHECK_KINDS,
    FIXED_STATUSES,
    GONE,
    IGNORED,
    MESSAGE_FINDING_KINDS,
    PROBLEM_STATUSES,
    SPARSE_STATUSES,
    UNREACHABLE,
)

#: ``crawl_run.outcome`` words (their home: ``RunOutcome``), short for this module's use.
FINISHED, INCOMPLETE, STOPPED, SITE_DOWN, FAILED = (
    RunOutcome.FINISHED,
    RunOutcome.INCOMPLETE,
    RunOutcome.STOPPED,
    RunOutcome.SITE_DOWN,
    RunOutcome.FAILED,
)

logger = logging.getLogger(__name__)

#: ``is_ignored(url, name, path)``: whether the site config switches a column off.
IgnoreRule = Callable[[str, str, list[str]], bool]


@dataclass(frozen=True)
class Transition:
    """What one run does to one column: its new status and its open finding.

    ``status`` None keeps the column's current state; ``finding`` is ``"open"`` (a new
    episode), ``"keep"`` (the open one goes on), a resolution closing it (``"fixed"``,
    ``"gone"``, ``"ignored"``, ``"superseded"``) or None (no finding involved).
    ``opens`` adds a new episode after a resolution: a column moving between 更新较少 and
    not updated closes one finding and opens the other.
    """

    status: str | None
    finding: str | None = None
    opens: bool = False


def transition(
    previous: str | None,
    observed: str | None,
    *,
    has_finding: bool,
    gone_allowed: bool = True,
    ignored: bool = False,
) -> Transition:
    """The store's status transition, pure: see ``tests/test_store_transition.py``.

    ``previous`` is the column's finalized state (None before its first finished run),
    ``observed`` this run's status (None when the run did not see the column).
    ``gone_allowed`` says whether an unseen column may be called gone (site up, discovery
    complete, no failed page above it); ``ignored`` whether the config now switches it off
    (then it is ``ignored``, never ``gone``). ``unreachable`` is no evidence either way: the
    column keeps its last known state and its open finding.
    """
    if observed is None:
        if previous is None:
            return Transition(None)
        if ignored:
            return Transition(IGNORED, "ignored" if has_finding else None)
        if not gone_allowed:
            return Transition(None, "keep" if has_finding else None)
        return Transition(GONE, "gone" if has_finding else None)
    if observed == "unreachable":
        return Transition(
            "unreachable" if previous is None else None, "keep" if has_finding else None
        )
    if observed in PROBLEM_STATUSES:
        if not has_finding:
            return Transition(observed, "open")
        was_sparse = previous in SPARSE_STATUSES
        if previous in PROBLEM_STATUSES and was_sparse != (observed in SPARSE_STATUSES):
            # stale → sparse: updated within threshold (fixed), but too little (new episode);
            # sparse → stale: the same column got worse (superseded, not fixed).
            return Transition(observed, "superseded" if was_sparse else "fixed", opens=True)
        return Transition(observed, "keep")
    if observed in FIXED_STATUSES and has_finding:
        return Transition(observed, "fixed")
    return Transition(observed, "keep" if has_finding else None)


#: The update-volume fields a column item carries into its column and observation rows.
VOLUME_FIELDS = ("items_30d", "items_90d", "items_365d", "counts_complete", "min_items")


def _volume(item: Any) -> dict[str, Any]:
    """The item's update volume as row values (a store written before issue 10 has none)."""
    rule = item.get("min_items")
    complete = item.get("counts_complete")
    return {
        "items_30d": _int(item.get("items_30d")),
        "items_90d": _int(item.get("items_90d")),
        "items_365d": _int(item.get("items_365d")),
        "counts_complete": None if complete is None else bool(complete),
        "min_items": dict(rule) if isinstance(rule, dict) else None,
    }


def _baseline(last_complete: CrawlRun | None) -> Baseline | None:
    """The last complete run as the column count a whole crawl finds."""
    if last_complete is None:
        return None
    columns = int((last_complete.summary or {}).get("columns") or 0)
    return Baseline(run_id=last_complete.id, columns=columns)


def _last_complete(session: Session, site_id: int | None, before: int | None) -> CrawlRun | None:
    """The site's latest ``finished`` run before run ``before`` (any, when None)."""
    return latest_run(session, site_id, outcome=FINISHED, before=before)


def _missed_before(col: Column, last_complete: CrawlRun | None) -> bool:
    """The column was missing from the last complete run too (a second miss: gone)."""
    if last_complete is None:
        return False
    return col.last_seen_run_id is None or col.last_seen_run_id < last_complete.id


def _limit(value: str | None, size: int) -> str | None:
    """Cut a crawled string to its column size (PostgreSQL enforces VARCHAR lengths)."""
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= size else value[:size]


def _key(url: str, size: int) -> str:
    """The URL key, shortened with a hash suffix when too long, so it stays unique."""
    key = url_key(url)
    if len(key) <= size:
        return key
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{key[: size - 41]}#{digest}"


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def first_stale_day(last_update: dt.date | None, threshold_days: int | None) -> dt.date | None:
    """The first day a column with this last update is stale (age > threshold)."""
    if last_update is None or threshold_days is None:
        return None
    return last_update + dt.timedelta(days=threshold_days + 1)


def _directory(key: str) -> str:
    """``http://h/a/b/`` for ``http://h/a/b/`` and ``http://h/a/b/list.html``."""
    return key if key.endswith("/") else key.rsplit("/", 1)[0] + "/"


def _under_any(key: str, prefixes: list[str]) -> bool:
    return any(key.startswith(p) for p in prefixes)


def json_safe(value: Any) -> Any:
    """Scrapy stats to JSON: datetimes as ISO strings, unknown objects as text."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _dialect_insert(session: Session, table: Table) -> Any:
    """``INSERT`` with ``ON CONFLICT`` support for the session's database."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise StoreError(f"unsupported database dialect {name!r} (use SQLite or PostgreSQL)")


def upsert_site(session: Session, url: str, name: str | None) -> Site:
    """The site row of ``url`` (created when new; its name follows the config)."""
    site_table: Table = Site.__table__  # type: ignore[assignment]
    key = _key(url, 500)
    session.execute(
        _dialect_insert(session, site_table)
        .values(
            url_key=key,
            url=_limit(url, 1000),
            name=_limit(name or url, 200),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["url_key"])
    )
    site = session.scalars(select(Site).where(Site.url_key == key)).one()
    if name and site.name != name:
        site.name = _limit(name, 200) or site.name
    return site


#: Values ``ItemAdapter.asdict`` returns as they are: no item can be nested in them.
_PLAIN = frozenset({str, int, float, bool, type(None)})
_MISSING = object()


def item_dict(item: Any) -> dict[str, Any]:
    """``ItemAdapter(item).asdict()`` (a new dict, nested items and containers copied).

    For the spider's dataclass items without itemadapter's walk, which asks each of its
    adapters whether every value is itself an item: a column's ``recent_dates`` holds up to
    a year of dates. A list or dict of plain values is copied as it is; anything else
    (and any other kind of item) goes through itemadapter.
    """
    cls = type(item)
    if cls is type or not dataclasses.is_dataclass(cls):
        return ItemAdapter(item).asdict()
    out: dict[str, Any] = {}
    for name in field_names(cls):
        value: Any = getattr(item, name, _MISSING)
        kind = value.__class__
        if kind in _PLAIN:
            out[name] = value
        elif kind is list and all(v.__class__ in _PLAIN for v in value):
            out[name] = list(value)
        elif kind is dict and all(v.__class__ in _PLAIN for v in value.values()):
            out[name] = dict(value)
        elif value is not _MISSING:  # a field deleted from the item is left out, as there
            out[name] = ItemAdapter({name: value}).asdict()[name]
    return out


class RunRecorder:
    """Records one crawl of one site; see the module docstring for the write protocol."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        site_url: str,
        site_name: str | None = None,
        today: dt.date | None = None,
        job_id: str | None = None,
        batch_size: int = 500,
    ) -> None:
        self.sessions = sessions
        self.site_url = site_url
        self.site_name = site_name or site_url
        self.today = today or today_shanghai()
        self.job_id = job_id
        self.batch_size = batch_size
        self.site_id: int | None = None
        self.run_id: int | None = None
        self.site_status: str | None = None  # from the SiteItem: "up" | "down"
        self.site_item: dict[str, Any] | None = None
        self.verdict: list[dict[str, str]] | None = None
        self.baseline: Baseline | None = None  # the last complete run, read at start
        self.policies: list[dict[str, Any]] = []
        self.interpretations: dict[str, Any] | None = None
        self._buffer: dict[str, dict[str, Any]] = {}
        self._seen_keys: set[str] = set()
        # 互动回应差 (``store.messages``): this run's letters/征集 and column checks.
        self._messages: list[dict[str, Any]] = []
        self._message_checks: list[dict[str, Any]] = []
        self.channels = 0
        self.store_seconds = 0.0  # time spent writing (flushes and finish)
        self.finished = False

    # -- run lifecycle ---------------------------------------------------------------

    def start(self) -> int:
        """Create (or find) the site and commit a ``running`` CrawlRun; return its id."""
        with self.sessions() as session, session.begin():
            site = upsert_site(session, self.site_url, self.site_name)
            run = CrawlRun(
                site_id=site.id, job_id=_limit(self.job_id, 100), outcome=RunOutcome.RUNNING
            )
            self.baseline = _baseline(_last_complete(session, site.id, None))
            session.add(run)
            session.flush()
            self.site_id, self.run_id = site.id, run.id
        return self.run_id

    def add(self, item: Any) -> None:
        """Take one item (dataclass or dict) of type column, site or channel."""
        fields = item_dict(item)
        kind = fields.get("type", "column")
        if kind == "site":
            self.site_item = fields
            self.site_status = fields.get("status")
            return
        if kind == "verdict":  # kept with the run (summary["verdict"]) for the report
            self.verdict = list(fields.get("rows") or [])
            return
        if kind in ("message", "message_column"):
            target = self._messages if kind == "message" else self._message_checks
            target.append(fields)
            return
        if kind == "policy":  # 解读回应 (store/policies.py), written when the run finishes
            self.policies.append(fields)
            return
        if kind == "interpretations":
            self.interpretations = fields
            return
        if kind != "column":
            self.channels += kind == "channel"
            return
        url = fields.get("url")
        if not url:
            return
        key = _key(url, 700)
        self._buffer[key] = fields
        self._seen_keys.add(key)
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered column items in one short transaction of bulk upserts."""
        if not self._buffer or self.run_id is None:
            return
        started = time.perf_counter()
        batch, self._buffer = self._buffer, {}
        with self.sessions() as session, session.begin():
            self._write_batch(session, batch)
        self.store_seconds += time.perf_counter() - started

    def _write_batch(self, session: Session, batch: dict[str, dict[str, Any]]) -> None:
        col_table: Table = Column.__table__  # type: ignore[assignment]
        obs_table: Table = Observation.__table__  # type: ignore[assignment]
        col_rows = []
        for key, it in batch.items():
            col_rows.append(
                {
                    "site_id": self.site_id,
                    "url_key": key,
                    "url": _limit(it["url"], 1000),
                    "name": _limit(it.get("name") or it["url"], 300),
                    "path": [str(p) for p in (it.get("path") or [])],
                    "category": _limit(it.get("category") or "other", 20),
                    "unit": _limit(it.get("unit"), 200),
                    "threshold_days": _int(it.get("threshold_days")),
                    "exempt_until": _date(it.get("exempt_until")),
                    **_volume(it),
                    "status": "ok",
                    "runs_in_status": 0,
                    "first_seen_run_id": self.run_id,
                }
            )
        ins = _dialect_insert(session, col_table)
        descriptive = (
            "url",
            "name",
            "path",
            "category",
            "unit",
            "threshold_days",
            "exempt_until",
            *VOLUME_FIELDS,
        )
        session.execute(
            ins.on_conflict_do_update(
                index_elements=["site_id", "url_key"],
                set_={c: ins.excluded[c] for c in descriptive},
            ),
            col_rows,
        )
        ids: dict[str, int] = {}
        keys = list(batch)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = session.execute(
                select(Column.url_key, Column.id).where(
                    Column.site_id == self.site_id, Column.url_key.in_(chunk)
                )
            )
            ids.update((k, i) for k, i in rows)
        obs_rows = []
        for key, it in batch.items():
            obs_rows.append(
                {
                    "run_id": self.run_id,
                    "column_id": ids[key],
                    "status": _limit(it.get("status") or "ok", 20),
                    "category": _limit(it.get("category") or "other", 20),
                    "unit": _limit(it.get("unit"), 200),
                    "threshold_days": _int(it.get("threshold_days")),
                    "last_update": _date(it.get("last_update")),
                    "age_days": _int(it.get("age_days")),
                    "newest_title": it.get("newest_title"),
                    "newest_url": _limit(it.get("newest_url"), 1000),
                    "items_found": _int(it.get("items_found")) or 0,
                    "date_source": _limit(it.get("date_source"), 20),
                    "http_status": _int(it.get("http_status")),
                    "error": it.get("error"),
                    **_volume(it),
                }
            )
        ins = _dialect_insert(session, obs_table)
        refreshed = [c for c in obs_rows[0] if c not in ("run_id", "column_id")]
        session.execute(
            ins.on_conflict_do_update(
                index_elements=["run_id", "column_id"],
                set_={c: ins.excluded[c] for c in refreshed},
            ),
            obs_rows,
        )

    def fail(self, reason: str) -> None:
        """Mark the run failed (best effort) when the crawl could not be recorded."""
        if self.run_id is None:
            return
        try:
            with self.sessions() as session, session.begin():
                session.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id == self.run_id)
                    .values(outcome=FAILED, finished_at=utcnow(), summary={"error": reason})
                )
        except Exception as exc:  # the database itself is the problem; say so once
            logger.error("could not mark run %s failed: %s", self.run_id, exc)

    def finish(
        self,
        *,
        discovery_complete: bool = True,
        stats: dict[str, Any] | None = None,
        failed_urls: list[str] | tuple[str, ...] = (),
        is_ignored: IgnoreRule | None = None,
        incomplete_reason: str | None = None,
        stopped: bool = False,
    ) -> dict[str, Any]:
        """Flush, derive every column's current state and findings, close the run.

        Columns not seen are marked ``gone`` only when the site was up and discovery was
        complete (the spider says so), and never when they sit under a page that failed
        this run (a failed hub hides its sub-columns; that is no evidence they are gone).
        A column the config now ignores (``is_ignored``) becomes ``ignored``, never
        ``gone``, and its open finding closes as ``ignored``. A site-down run changes no
        other column state.
        Returns the run summary (also stored on the CrawlRun).
        """
        if self.run_id is None:
            raise RuntimeError("RunRecorder.finish() before start()")
        self.flush()
        started = time.perf_counter()
        with self.sessions() as session, session.begin():
            summary = self._finalize(
                session,
                discovery_complete=discovery_complete,
                stats=stats,
                failed_urls=failed_urls,
                is_ignored=is_ignored,
                incomplete_reason=incomplete_reason,
                stopped=stopped,
            )
        self.store_seconds += time.perf_counter() - started
        summary["store_seconds"] = round(self.store_seconds, 3)
        self.finished = True
        return summary

    # -- finalization ----------------------------------------------------------------

    def _site_was_up(self, observed: dict[int, Observation]) -> bool:
        """Up by the SiteItem; without one, only if some column page was fetched."""
        if self.site_status is not None:
            return self.site_status == "up"
        return any(o.status != "unreachable" for o in observed.values())

    def _finalize(
        self,
        session: Session,
        *,
        discovery_complete: bool,
        stats: dict[str, Any] | None,
        failed_urls: list[str] | tuple[str, ...] = (),
        is_ignored: IgnoreRule | None = None,
        incomplete_reason: str | None = None,
        stopped: bool = False,
    ) -> dict[str, Any]:
        run_id, today = self.run_id, self.today
        observed = {
            o.column_id: o
            for o in session.scalars(select(Observation).where(Observation.run_id == run_id))
        }
        columns = list(session.scalars(select(Column).where(Column.site_id == self.site_id)))
        open_findings = {
            f.column_id: f
            for f in session.scalars(
                select(Finding).where(
                    Finding.site_id == self.site_id,
                    Finding.is_open.is_(True),
                    Finding.kind.not_in(
                        MESSAGE_FINDING_KINDS | CHECK_KINDS
                    ),  # kept by their checks
                )
            )
        }
        # Findings of the column's own checks (互动回应差, 解读回应): their checks open and
        # close them, but a column gone (or ignored) takes them along, by the same rule.
        check_findings: dict[int, list[Finding]] = defaultdict(list)
        for f in session.scalars(
            select(Finding).where(
                Finding.site_id == self.site_id,
                Finding.is_open.is_(True),
                Finding.kind.in_(MESSAGE_FINDING_KINDS | CHECK_KINDS),
            )
        ):
            check_findings[f.column_id].append(f)
        site_up = self._site_was_up(observed)
        unreachable_before = self._unreachable_last_run(session)
        broken: list[str] = []  # columns unreachable in two consecutive crawls
        last_complete = _last_complete(session, self.site_id, run_id)
        if self.site_status == "down":
            outcome, reason = SITE_DOWN, None
        elif stopped:
            outcome, reason = STOPPED, incomplete_reason or "stopped before the end (shutdown)"
        else:
            reason = incomplete_reason or (
                None if discovery_complete else "discovery incomplete: a page above failed"
            )
            # The spider asked the same rule before its verdict (``Discovery.counted``).
            baseline = _baseline(last_complete)
            reason = reason or (baseline.shrunk(len(observed)) if baseline else None)
            outcome = INCOMPLETE if reason else FINISHED
        mark_gone = site_up and outcome == FINISHED
        hidden_under = [_directory(url_key(u)) for u in failed_urls]

        col_updates: list[dict[str, Any]] = []
        new_findings: list[dict[str, Any]] = []
        closed: list[dict[str, Any]] = []
        newly: Counter[str] = Counter()
        for col in columns:
            finalized = col.status_since_run_id is not None
            obs = observed.get(col.id)
            finding = open_findings.get(col.id)
            ignored = (
                obs is None
                and is_ignored is not None
                and is_ignored(col.url, col.name, list(col.path or []))
            )
            step = transition(
                col.status if finalized else None,
                obs.status if obs is not None else None,
                has_finding=finding is not None,
                gone_allowed=mark_gone
                and _missed_before(col, last_complete)
                and not _under_any(col.url_key, hidden_under),
                ignored=ignored,
            )
            if finding is not None and step.finding in ("fixed", "gone", "ignored", "superseded"):
                closed.append(self._close(finding, step.finding))
            if step.status in (GONE, IGNORED):
                closed.extend(self._close(f, step.status) for f in check_findings[col.id])
            change: dict[str, Any] = {"id": col.id}
            if obs is not None:
                change["last_seen_run_id"] = run_id
            if step.status is not None:
                same = finalized and col.status == step.status
                change.update(
                    status=step.status,
                    runs_in_status=col.runs_in_status + 1 if same else 1,
                    status_since_run_id=col.status_since_run_id if same else run_id,
                )
                if not same and step.status in (GONE, IGNORED):
                    newly[step.status] += 1
            if obs is None or obs.status == "unreachable":
                # Not seen, or seen failing: keep the last known dates.
                if obs is None and step.status is not None:
                    change["stale_since"] = None
                if obs is not None and (
                    finding.kind == UNREACHABLE
                    if finding is not None
                    else col.id in unreachable_before
                ):
                    # The second consecutive failure: a problem (链接不可用) of its own.
                    broken.append(col.url)
                    same = finalized and col.status == UNREACHABLE
                    change.update(
                        status=UNREACHABLE,
                        runs_in_status=col.runs_in_status + 1 if same else 1,
                        status_since_run_id=col.status_since_run_id if same else run_id,
                    )
                    if finding is None:
                        new_findings.append(self._opened(col.id, UNREACHABLE, obs.unit))
                if len(change) > 1:
                    col_updates.append(change)
                continue

            status = obs.status
            same = finalized and col.status == status
            change.update(
                last_update=obs.last_update,
                newest_title=obs.newest_title,
                newest_url=obs.newest_url,
            )
            if status == "stale":
                keep = same and col.stale_since is not None
                since = (
                    col.stale_since
                    if keep
                    else first_stale_day(obs.last_update, obs.threshold_days)
                )
                change["stale_since"] = min(since, today) if since else today
            else:
                change["stale_since"] = None
            col_updates.append(change)

            if step.finding == "open" or step.opens:
                new_findings.append(self._opened(col.id, status, obs.unit))
            elif (
                step.finding == "keep"
                and finding is not None
                and status in PROBLEM_STATUSES
                and (finding.kind != status or finding.unit != obs.unit)
            ):
                session.execute(
                    update(Finding)
                    .where(Finding.id == finding.id)
                    .values(kind=status, unit=obs.unit)
                )

        if col_updates:
            # Bulk UPDATE by primary key, grouped by the set of keys (one executemany each).
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for row in col_updates:
                groups[tuple(sorted(row))].append(row)
            for rows in groups.values():
                session.execute(update(Column), rows)
        if new_findings:
            session.execute(cast(Table, Finding.__table__).insert(), new_findings)
        if closed:
            session.execute(update(Finding), closed)

        units = sorted({o.unit for o in observed.values() if o.unit})
        if units:
            ins = _dialect_insert(session, Unit.__table__)  # type: ignore[arg-type]
            session.execute(
                ins.on_conflict_do_nothing(index_elements=["site_id", "name"]),
                [{"site_id": self.site_id, "name": _limit(u, 200)} for u in units],
            )

        messages = record_messages(
            session,
            site_id=cast(int, self.site_id),
            run_id=cast(int, run_id),
            today=today,
            messages=self._messages,
            checks=self._message_checks,
        )
        policies = None
        if self.policies or self.interpretations is not None:
            policies = record_policies(
                session,
                site_id=cast(int, self.site_id),
                run_id=cast(int, run_id),
                today=today,
                items=self.policies,
                key=_key,
            )
        summary = self._summary(observed, new_findings, closed, newly, site_up, mark_gone, stats)
        summary["messages"] = messages.as_dict()
        if policies is not None:  # 解读回应: the crawl's summary item and its findings
            summary["interpretations"] = {**(self.interpretations or {}), "findings": policies}
        summary["unreachable_problems"] = sorted(broken)
        summary["incomplete_reason"] = reason
        session.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(
                outcome=outcome,
                incomplete_reason=reason,
                finished_at=utcnow(),
                site_status=self.site_status or ("up" if site_up else None),
                stats=json_safe(stats) if stats is not None else None,
                summary=summary,
            )
        )
        summary["outcome"] = outcome
        return summary

    def _unreachable_last_run(self, session: Session) -> set[int]:
        """Columns unreachable in every crawl (that reached the site) since an earlier day.

        "Two consecutive crawls" spans days: a second crawl minutes later is no second
        look, and the same day's crawls decide nothing new (docs/alerts.md).
        """
        runs = session.execute(
            select(CrawlRun.id, CrawlRun.started_at, CrawlRun.summary)
            .where(
                CrawlRun.site_id == self.site_id,
                CrawlRun.id < self.run_id,
                # Incomplete runs reached the site too; a column they missed breaks the chain.
                CrawlRun.outcome.in_((FINISHED, INCOMPLETE)),
            )
            .order_by(CrawlRun.id.desc())
            .limit(50)
        ).all()
        since: list[int] = []
        for run_id, started, summary in runs:
            since.append(run_id)
            day = (summary or {}).get("today") or (started.date().isoformat() if started else "")
            if str(day) < self.today.isoformat():
                break
        else:
            return set()  # no crawl on an earlier day
        seen: dict[int, int] = Counter(
            session.scalars(
                select(Observation.column_id).where(
                    Observation.run_id.in_(since), Observation.status == UNREACHABLE
                )
            )
        )
        return {column for column, times in seen.items() if times == len(since)}

    def _opened(self, column_id: int, kind: str, unit: str | None) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "column_id": column_id,
            "kind": kind,
            "unit": unit,
            "opened_run_id": self.run_id,
            "opened_on": self.today,
            "is_open": True,
        }

    def _close(self, finding: Finding, resolution: str) -> dict[str, Any]:
        return {
            "id": finding.id,
            "is_open": False,
            "resolution": resolution,
            "closed_run_id": self.run_id,
            "closed_on": self.today,
        }

    def _summary(
        self,
        observed: dict[int, Observation],
        new_findings: list[dict[str, Any]],
        closed: list[dict[str, Any]],
        newly: Counter[str],
        site_up: bool,
        gone_checked: bool,
        stats: dict[str, Any] | None,
    ) -> dict[str, Any]:
        by_status = Counter(o.status for o in observed.values())
        by_status.update(newly)
        by_unit: dict[str, Counter[str]] = defaultdict(Counter)
        for o in observed.values():
            by_unit[o.unit or ""][o.status] += 1
        stats = stats or {}
        duration = stats.get("elapsed_time_seconds")
        if duration is None and isinstance(stats.get("start_time"), dt.datetime):
            start = stats["start_time"]
            now = dt.datetime.now(start.tzinfo) if start.tzinfo else dt.datetime.now()
            duration = (now - start).total_seconds()
        errors = stats.get("log_count/ERROR", 0) + stats.get("spider_exceptions", 0)
        return {
            "run_id": self.run_id,
            "site": self.site_url,
            "today": self.today.isoformat(),
            "site_status": self.site_status or ("up" if site_up else "unknown"),
            "home_last_update": (self.site_item or {}).get("home_last_update"),
            "home_age_days": (self.site_item or {}).get("home_age_days"),
            "site_error": (self.site_item or {}).get("error"),
            "home_date_source": (self.site_item or {}).get("home_date_source"),
            "verdict": self.verdict,
            "columns": len(observed),
            "channels": self.channels,
            "by_status": dict(sorted(by_status.items())),
            "by_unit": {u: dict(sorted(c.items())) for u, c in sorted(by_unit.items())},
            "new_findings": len(new_findings),
            "new_findings_by_kind": dict(Counter(f["kind"] for f in new_findings)),
            "resolved_findings": sum(c["resolution"] == "fixed" for c in closed),
            "gone_findings": sum(c["resolution"] == "gone" for c in closed),
            # Columns that left the site this run / were switched off by ``ignore: true``.
            "gone_columns": newly[GONE],
            "ignored_columns": newly[IGNORED],
            "gone_checked": gone_checked,
            "stats": {
                "requests": stats.get("downloader/request_count", 0),
                "responses": stats.get("downloader/response_count", 0),
                "errors": errors,
                "duration": round(float(duration), 3) if duration is not None else None,
            },
        }
