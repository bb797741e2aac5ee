"""Store one run's letters and 征集 (互动回应差) and keep their findings.

The spider yields a ``message`` item per letter (or 征集) of the last year and a
``message_column`` item per consultation (or 征集调查) column it read; both are kept per run
(``message``, ``message_check``: the history). A column whose check this run read its list
(``read``) decides its finding: overdue letters (``REPLY_OVERDUE``) or 征集 ended without
结果反馈 (``NO_FEEDBACK``) open one (alerted to the column's unit by the lifecycle like any
finding); none closes it as fixed. A column not checked this run (not reached, list not a
letter list, crawl down) changes nothing: a run that judged nothing closes nothing. A
column that left the site closes them as ``gone`` by the column's own rule (two complete
crawls without it: ``store.recorder.transition``), never here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from portalspider.store.models import Column, Finding, Message, MessageCheck, Observation
from portalspider.urls import canonical_url
from portalspider.vocab import MESSAGE_FINDING_KINDS, MESSAGE_FINDING_OF


@dataclass(frozen=True)
class MessageOutcome:
    """What one run's message checks did (the run summary's ``messages``)."""

    checked: int
    overdue: int
    opened: int
    closed: int

    def as_dict(self) -> dict[str, int]:
        return {
            "columns_checked": self.checked,
            "overdue": self.overdue,
            "findings_opened": self.opened,
            "findings_closed": self.closed,
        }


def _key(url: str, size: int = 700) -> str:
    key = canonical_url(url)
    if len(key) <= size:
        return key
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{key[: size - 41]}#{digest}"


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _cut(value: Any, size: int) -> str | None:
    return None if value is None else str(value)[:size]


def record_messages(
    session: Session,
    *,
    site_id: int,
    run_id: int,
    today: dt.date,
    messages: Iterable[dict[str, Any]],
    checks: Iterable[dict[str, Any]],
) -> MessageOutcome:
    """Write this run's messages and checks; open and close their findings."""
    checks = list(checks)
    if not checks:
        return MessageOutcome(0, 0, 0, 0)
    columns = {
        c.url_key: c for c in session.scalars(select(Column).where(Column.site_id == site_id))
    }
    units = dict(
        session.execute(
            select(Observation.column_id, Observation.unit).where(Observation.run_id == run_id)
        ).all()
    )
    by_column: dict[str, Column] = {}
    check_rows: list[dict[str, Any]] = []
    for check in checks:
        col = columns.get(_key(str(check.get("column_url") or "")))
        if col is None or col.id in {r["column_id"] for r in check_rows}:
            continue
        by_column[_key(str(check["column_url"]))] = col
        check_rows.append(
            {
                "run_id": run_id,
                "column_id": col.id,
                "kind": _cut(check.get("kind"), 20) or "letters",
                "read": bool(check.get("read")),
                "messages": int(check.get("messages") or 0),
                "overdue": int(check.get("overdue") or 0),
                "unknown": int(check.get("unknown") or 0),
                "median_days": check.get("median_days"),
                "reply_days": int(check.get("reply_days") or 90),
                "complete": bool(check.get("complete", True)),
            }
        )
    message_rows: dict[tuple[int, str], dict[str, Any]] = {}
    for item in messages:
        col = by_column.get(_key(str(item.get("column_url") or "")))
        url = str(item.get("url") or "")
        if col is None or not url:
            continue
        message_rows[(col.id, _key(url))] = {
            "run_id": run_id,
            "column_id": col.id,
            "kind": _cut(item.get("kind"), 20) or "letter",
            "url_key": _key(url),
            "url": url[:1000],
            "title": str(item.get("title") or url),
            "asked": _date(item.get("asked")),
            "replied": _date(item.get("replied")),
            "days": item.get("days"),
            "status": _cut(item.get("status"), 20) or "unknown",
            "overdue": bool(item.get("overdue")),
            "ends": _date(item.get("ends")),
            "feedback_url": _cut(item.get("feedback_url"), 1000),
        }
    if check_rows:
        session.execute(cast(Table, MessageCheck.__table__).insert(), check_rows)
    if message_rows:
        session.execute(cast(Table, Message.__table__).insert(), list(message_rows.values()))

    open_findings = {
        (f.column_id, f.kind): f
        for f in session.scalars(
            select(Finding).where(
                Finding.site_id == site_id,
                Finding.is_open.is_(True),
                Finding.kind.in_(MESSAGE_FINDING_KINDS),
            )
        )
    }
    opened: list[dict[str, Any]] = []
    closed: list[dict[str, Any]] = []
    for row in check_rows:
        kind = MESSAGE_FINDING_OF.get(row["kind"])
        if kind is None or not row["read"]:
            continue  # nothing judged: the open finding (if any) stays open
        finding = open_findings.get((row["column_id"], kind))
        if row["overdue"] and finding is None:
            col_id = row["column_id"]
            unit = units.get(col_id) or next(
                (c.unit for c in by_column.values() if c.id == col_id), None
            )
            opened.append(
                {
                    "site_id": site_id,
                    "column_id": col_id,
                    "kind": kind,
                    "unit": unit,
                    "opened_run_id": run_id,
                    "opened_on": today,
                    "is_open": True,
                }
            )
        elif not row["overdue"] and finding is not None:
            closed.append(
                {
                    "id": finding.id,
                    "is_open": False,
                    "resolution": "fixed",
                    "closed_run_id": run_id,
                    "closed_on": today,
                }
            )
    if opened:
        session.execute(cast(Table, Finding.__table__).insert(), opened)
    if closed:
        session.execute(update(Finding), closed)
    return MessageOutcome(
        checked=sum(r["read"] for r in check_rows),
        overdue=sum(r["overdue"] for r in check_rows if r["read"]),
        opened=len(opened),
        closed=len(closed),
    )
