"""The 解读回应 side of the store: policy documents with history, and their findings.

``record_policies`` runs inside the run's finalizing transaction (``RunRecorder._finalize``):
each ``policy`` item updates its document's current state (``PolicyDoc``) and adds this
run's ``PolicyCheck`` row. Findings are per policy column (kind ``POLICY_LINKS``, owned by
the column's unit), through the same lifecycle as a column's other problems (alert once,
reminders, resolved when fixed):

- opened when the column's documents of the last 365 days, as last checked, include a
  one-way or missing link;
- closed as fixed only by a run that checked documents of that column and found none left;
  a run that checked none of them (site down, over the cap, the check off) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portalspider.projectsettings import database_url
from portalspider.store.db import open_store
from portalspider.store.models import Column, Finding, PolicyCheck, PolicyDoc
from portalspider.store.queries import get_site
from portalspider.vocab import POLICY_LINKS, POLICY_PROBLEM_STATES, POLICY_WINDOW_DAYS


def last_checked(session: Session, site_url: str) -> dict[str, int]:
    """Document URL key → the run that last checked it (the cap's rotation order)."""
    site = get_site(session, site_url)
    if site is None:
        return {}
    rows = session.execute(
        select(PolicyDoc.url_key, PolicyDoc.last_checked_run_id).where(PolicyDoc.site_id == site.id)
    )
    return {key: run or 0 for key, run in rows}


def read_last_checked(settings: Any, site_url: str) -> dict[str, int]:
    """``last_checked`` from the configured database; {} when it cannot be read."""
    try:
        with open_store(database_url(settings), migrate=False) as sessions, sessions() as session:
            return last_checked(session, site_url)
    except Exception:  # unreadable, or a database never migrated: every document is new
        return {}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def record_policies(
    session: Session,
    *,
    site_id: int,
    run_id: int,
    today: dt.date,
    items: list[dict[str, Any]],
    key: Any,
) -> dict[str, int]:
    """Store this run's policy items; open and close ``POLICY_LINKS`` findings.

    ``key(url, size)`` is the recorder's URL key. Returns {"opened": n, "closed": n}.
    """
    columns = {
        c.url_key: c for c in session.scalars(select(Column).where(Column.site_id == site_id))
    }
    docs = {
        d.url_key: d for d in session.scalars(select(PolicyDoc).where(PolicyDoc.site_id == site_id))
    }
    checked_columns: set[int] = set()
    for it in items:
        doc_key = key(it["url"], 700)
        column = columns.get(key(it.get("column_url") or "", 700))
        values = {
            "url": str(it["url"])[:1000],
            "title": str(it.get("title") or ""),
            "date": _date(it.get("date")),
            "column_id": column.id if column else None,
            "unit": (it.get("unit") or (column.unit if column else None) or None),
            "interpretation_url": (it.get("interpretation_url") or None),
            "linked_back": it.get("linked_back"),
            "linked_forward": bool(it.get("linked_forward")),
            "last_checked_run_id": run_id,
        }
        state = str(it.get("state") or "missing")
        doc = docs.get(doc_key)
        if doc is None:
            doc = PolicyDoc(
                site_id=site_id,
                url_key=doc_key,
                state=state,
                first_seen_run_id=run_id,
                state_since_run_id=run_id,
                **values,
            )
            session.add(doc)
            docs[doc_key] = doc
        else:
            if doc.state != state:
                doc.state_since_run_id = run_id
            doc.state = state
            for name, value in values.items():
                setattr(doc, name, value)
        session.flush()
        session.add(
            PolicyCheck(
                run_id=run_id,
                doc_id=doc.id,
                state=state,
                interpretation_url=values["interpretation_url"],
                linked_back=values["linked_back"],
                linked_forward=values["linked_forward"],
            )
        )
        if column is not None:
            checked_columns.add(column.id)
    session.flush()
    return _findings(session, site_id, run_id, today, docs.values(), checked_columns, columns)


def _findings(
    session: Session,
    site_id: int,
    run_id: int,
    today: dt.date,
    docs: Any,
    checked_columns: set[int],
    columns: dict[str, Column],
) -> dict[str, int]:
    problems: dict[int, int] = {}
    for doc in docs:
        recent = doc.date is not None and (today - doc.date).days < POLICY_WINDOW_DAYS
        if doc.column_id is not None and recent and doc.state in POLICY_PROBLEM_STATES:
            problems[doc.column_id] = problems.get(doc.column_id, 0) + 1
    open_findings = {
        f.column_id: f
        for f in session.scalars(
            select(Finding).where(
                Finding.site_id == site_id,
                Finding.is_open.is_(True),
                Finding.kind == POLICY_LINKS,
            )
        )
    }
    units = {c.id: c.unit for c in columns.values()}
    opened = closed = 0
    for column_id in problems:
        if column_id not in open_findings:
            session.add(
                Finding(
                    site_id=site_id,
                    column_id=column_id,
                    kind=POLICY_LINKS,
                    unit=units.get(column_id),
                    opened_run_id=run_id,
                    opened_on=today,
                    is_open=True,
                )
            )
            opened += 1
    for column_id, finding in open_findings.items():
        if column_id in checked_columns and column_id not in problems:
            session.execute(
                update(Finding)
                .where(Finding.id == finding.id)
                .values(is_open=False, resolution="fixed", closed_run_id=run_id, closed_on=today)
            )
            closed += 1
    return {"opened": opened, "closed": closed}
