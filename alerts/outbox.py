"""The outbox (table ``alert_delivery``): nothing lost, nothing doubled.

States of a row::

    pending ──claim──► claimed ──before_part──► sending ──after_part──► claimed … ──► sent
       ▲                  │ transient error                │ permanent error ──► failed
       └──── backoff ─────┘                                 │ crash / lost connection
                                                            ▼
                                               resolved by the channel's policy

* ``claimed``: a process owns the row and nothing is in flight. ``next_attempt_at`` is the
  lease expiry; a claim left by a dead process simply returns to ``pending``.
* ``sending``: part ``parts_sent`` has left or is leaving; whether the server got it is
  unknown until it confirms. Every transition is committed on its own, outside any network
  call, so the database is never locked while we wait on SMTP or WeCom (SQLite writers use
  ``BEGIN IMMEDIATE``).

A row found in ``sending`` after its lease (the process was killed between sending and
marking) is ambiguous. We cannot ask an SMTP server or a group robot whether it already
has the message, so:

* email: **at most once**. The SMTP dialogue only reaches ``sending`` after connect, TLS,
  login and RCPT succeeded, so the window is the DATA transfer itself. The row becomes
  ``failed`` with an ``uncertain:`` reason naming its Message-ID, and an ERROR log line
  asks the operator to check; ``scrapy alerts --send --resend ID`` re-queues it. (Resending
  with the same Message-ID would be at-least-once: most mailbox servers do not deduplicate
  by Message-ID, so the unit would see the digest twice.)
* WeCom robot: **at most once per part**. The ambiguous part is counted as delivered
  (WARNING log), the remaining parts follow, so one lost part never blocks the rest.
* WeCom app: **resend**. The body is byte-identical and carries ``enable_duplicate_check``,
  so WeCom drops the copy if the first one arrived (within ``duplicate_check_interval``,
  4 h at most; an older ambiguous part is resent with a WARNING that it may repeat).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from alerts.channels import (
    AmbiguousError,
    Channel,
    ConfigError,
    DeliveryError,
    Job,
    PermanentError,
)
from alerts.options import AlertOptions
from alerts.recipients import contact
from alerts.redact import scrub
from portalspider.siteconfig import SiteConfig
from portalspider.store.models import AlertDelivery, utcnow

logger = logging.getLogger(__name__)

ACTIVE = ("pending", "claimed", "sending")
UNCERTAIN = "uncertain:"


@dataclass
class DeliveryReport:
    """What one ``deliver_pending`` pass did, by delivery id."""

    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)  # transient failure, back to pending
    failed: list[int] = field(default_factory=list)  # permanent (or uncertain email)
    waiting: list[int] = field(default_factory=list)  # backoff not over, or owned elsewhere
    blocked: list[int] = field(default_factory=list)  # kept pending: a configuration error
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.retry and not self.failed and not self.blocked


def idempotency_key(site_id: int, run_id: int, unit: str, channel: str, first_event: int) -> str:
    """Stable per (site, run, unit, channel, decision set): re-running a run adds no copy."""
    unit_hash = hashlib.sha256(unit.encode("utf-8")).hexdigest()[:16]
    return f"digest:{site_id}:{run_id}:{unit_hash}:{channel}:{first_event}"


def backoff(options: AlertOptions, attempts: int) -> dt.timedelta:
    seconds = min(options.retry_backoff * 2 ** max(attempts - 1, 0), options.retry_backoff_max)
    return dt.timedelta(seconds=seconds)


class _Progress:
    """Commits the in-flight marks of one row, each in its own short transaction."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        row_id: int,
        lease: dt.timedelta,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.factory = factory
        self.row_id = row_id
        self.lease = lease
        self.clock = clock
        self.in_flight = False

    def _set(self, **values: Any) -> None:
        with self.factory() as s, s.begin():
            s.execute(update(AlertDelivery).where(AlertDelivery.id == self.row_id).values(**values))

    def before_part(self, index: int) -> None:
        self._set(status="sending", parts_sent=index, next_attempt_at=self.clock() + self.lease)
        self.in_flight = True

    def after_part(self, index: int) -> None:
        self._set(status="claimed", parts_sent=index + 1, next_attempt_at=self.clock() + self.lease)
        self.in_flight = False


class Outbox:
    """Delivers one site's pending rows through the given channels."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        config: SiteConfig,
        options: AlertOptions,
        channels: Mapping[str, Channel],
        now: dt.datetime | None = None,
    ) -> None:
        self.factory = factory
        self.config = config
        self.options = options
        self.channels = channels
        self.fixed_now = now
        self.lease = dt.timedelta(seconds=options.send_lease)
        self.report = DeliveryReport()
        # (channel, None) for a whole channel, (channel, unit) for one unit's target on it.
        self.blocked: set[tuple[str, str | None]] = set()

    def now(self) -> dt.datetime:
        return self.fixed_now or utcnow()

    def _update(self, row_id: int, **values: Any) -> None:
        with self.factory() as s, s.begin():
            s.execute(update(AlertDelivery).where(AlertDelivery.id == row_id).values(**values))

    def run(self, site_id: int) -> DeliveryReport:
        with self.factory() as s:
            ids = s.scalars(
                select(AlertDelivery.id)
                .where(AlertDelivery.site_id == site_id, AlertDelivery.status.in_(ACTIVE))
                .order_by(AlertDelivery.id)
            ).all()
        down: set[str] = set()
        for row_id in ids:
            self._one(row_id, down)
        return self.report

    # -- one row -------------------------------------------------------------------------

    def _one(self, row_id: int, down: set[str]) -> None:
        if not self._recover(row_id):
            return
        with self.factory() as s, s.begin():
            row = s.get(AlertDelivery, row_id)
            if row is None:
                return
            if row.channel in down:
                self.report.waiting.append(row_id)
                return
            if {(row.channel, None), (row.channel, row.unit)} & self.blocked:
                self.report.blocked.append(row_id)
                return
            now = self.now()
            result = s.execute(
                update(AlertDelivery)
                .where(
                    AlertDelivery.id == row_id,
                    AlertDelivery.status == "pending",
                    (AlertDelivery.next_attempt_at.is_(None))
                    | (AlertDelivery.next_attempt_at <= now),
                )
                .values(
                    status="claimed",
                    attempts=AlertDelivery.attempts + 1,
                    next_attempt_at=now + self.lease,
                )
                .execution_options(synchronize_session=False),
            )
            claimed = cast("CursorResult[Any]", result).rowcount  # DML: a CursorResult
            if not claimed:
                self.report.waiting.append(row_id)
                return
            s.refresh(row)
            job = Job(
                row.id,
                row.idempotency_key,
                row.unit,
                row.subject,
                dict(row.payload),
                row.parts_sent,
            )
            channel_name, attempts = row.channel, row.attempts
        self._send(job, channel_name, attempts, down)

    def _send(self, job: Job, channel_name: str, attempts: int, down: set[str]) -> None:
        channel = self.channels.get(channel_name)
        unit = contact(self.config, job.unit)
        progress = _Progress(self.factory, job.id, self.lease, self.now)
        try:
            if channel is None:
                raise PermanentError(f"unknown channel {channel_name}")
            if unit is None:
                raise PermanentError(f"unit {job.unit} is no longer in the site config")
            channel.send(job, unit, progress)
        except AmbiguousError as exc:
            self._file(job.id, self._ambiguous(job.id, str(exc)))
            return
        except ConfigError as exc:
            self._misconfigured(job, channel_name, exc)
            return
        except DeliveryError as exc:
            self._failed(job.id, channel_name, attempts, exc, down)
            return
        except Exception as exc:  # a bug must not lose the row nor stop the other rows
            logger.exception("alerts: unexpected error delivering #%d", job.id)
            if progress.in_flight:
                self._file(job.id, self._ambiguous(job.id, f"unexpected error: {exc}"))
            else:
                self._failed(job.id, channel_name, attempts, DeliveryError(str(exc)), down)
            return
        self._update(
            job.id, status="sent", sent_at=self.now(), next_attempt_at=None, last_error=None
        )
        self.report.sent.append(job.id)
        logger.info("alerts: delivered %s digest #%d to %s", channel_name, job.id, job.unit)

    def _misconfigured(self, job: Job, channel: str, exc: ConfigError) -> None:
        """Keep the digest pending (the attempt not counted) and say so once per target."""
        reason = scrub(exc)
        self._update(
            job.id,
            status="pending",
            attempts=AlertDelivery.attempts - 1,
            next_attempt_at=None,
            last_error=f"configuration error: {reason}",
        )
        self.report.blocked.append(job.id)
        scope = (channel, job.unit if exc.unit_only else None)
        self.blocked.add(scope)
        logger.error(
            "alerts: %s configuration error%s: %s. Not retried in this pass; its digests "
            "stay queued and `scrapy alerts --send` delivers them once it is fixed",
            channel,
            f" for {job.unit}" if exc.unit_only else "",
            reason,
        )

    def _failed(
        self, row_id: int, channel: str, attempts: int, exc: DeliveryError, down: set[str]
    ) -> None:
        reason = scrub(exc)
        if exc.permanent or attempts >= self.options.max_attempts:
            self._update(row_id, status="failed", last_error=reason, next_attempt_at=None)
            self.report.failed.append(row_id)
            logger.error("alerts: %s digest #%d failed permanently: %s", channel, row_id, reason)
            return
        retry_at = self.now() + backoff(self.options, attempts)
        self._update(row_id, status="pending", last_error=reason, next_attempt_at=retry_at)
        self.report.retry.append(row_id)
        if getattr(exc, "channel_down", False):
            down.add(channel)
        logger.warning(
            "alerts: %s digest #%d not delivered (attempt %d): %s; due again at %s UTC, "
            "sent by the next `scrapy alerts --send` (deploy/portalspider-alerts.timer runs it "
            "every 10 min) or the next crawl of this site",
            channel,
            row_id,
            attempts,
            reason,
            retry_at.isoformat(" ", "seconds"),
        )

    # -- crash recovery ------------------------------------------------------------------

    def _recover(self, row_id: int) -> bool:
        """Settle a row left claimed/sending by a dead process; False if someone owns it."""
        with self.factory() as s:
            row = s.get(AlertDelivery, row_id)
            if row is None or row.status not in ACTIVE:
                return False
            status, lease_end = row.status, row.next_attempt_at
        if status == "pending":
            return True
        if lease_end is not None and lease_end > self.now():
            self.report.waiting.append(row_id)
            return False
        if status == "claimed":
            logger.info(
                "alerts: digest #%d was claimed by a process that stopped; retrying", row_id
            )
            self._update(row_id, status="pending", next_attempt_at=None)
            return True
        settled = self._ambiguous(row_id, "the sending process stopped before the server confirmed")
        if settled == "pending":
            return True  # carry on in this pass: remaining parts, or the app's resend
        self._file(row_id, settled)
        return False

    def _file(self, row_id: int, status: str | None) -> None:
        lists = {"sent": self.report.sent, "failed": self.report.failed}
        lists.get(status or "", self.report.retry).append(row_id)

    def _ambiguous(self, row_id: int, why: str) -> str | None:
        """Apply the channel's policy for a part that may or may not have arrived.

        Returns the row's new status.
        """
        with self.factory() as s, s.begin():
            row = s.get(AlertDelivery, row_id)
            if row is None:
                return None
            parts = len(row.payload.get("parts", [None]))
            part = row.parts_sent
            if row.channel == "email":
                mid = row.payload.get("message_id", "?")
                row.status = "failed"
                row.last_error = (
                    f"{UNCERTAIN} {why}; the server may have the message "
                    f"(Message-ID {mid}); not resent to avoid a duplicate"
                )
                row.next_attempt_at = None
                logger.error(
                    "alerts: email digest #%d to %s may or may not have been delivered "
                    "(%s). Not resending, so the unit never gets it twice; check the "
                    "mailbox for Message-ID %s and run `scrapy alerts --send --resend "
                    "%d` if it is missing.",
                    row_id,
                    row.unit,
                    why,
                    mid,
                    row_id,
                )
            elif row.channel == "wecom_robot":
                row.parts_sent = part + 1
                row.status = "sent" if row.parts_sent >= parts else "pending"
                row.sent_at = self.now() if row.status == "sent" else None
                row.next_attempt_at = None
                row.last_error = f"{UNCERTAIN} part {part + 1}/{parts} not confirmed ({why})"
                logger.warning(
                    "alerts: WeCom robot digest #%d to %s: part %d/%d may not have "
                    "arrived (%s); not resent, since a robot cannot drop duplicates",
                    row_id,
                    row.unit,
                    part + 1,
                    parts,
                    why,
                )
            else:
                row.status = "pending"
                row.next_attempt_at = None
                row.last_error = f"part {part + 1}/{parts} not confirmed ({why}); resending"
                logger.warning(
                    "alerts: WeCom app digest #%d: resending part %d/%d (%s); WeCom's "
                    "duplicate check drops it if the first copy arrived within %d s",
                    row_id,
                    part + 1,
                    parts,
                    why,
                    self.options.wecom_duplicate_interval,
                )
            return row.status


def resend(factory: sessionmaker[Session], row_id: int) -> bool:
    """Operator override: put a failed row back in the queue (after checking the mailbox)."""
    with factory() as s, s.begin():
        row = s.get(AlertDelivery, row_id)
        if row is None or row.status != "failed":
            return False
        # parts_sent is kept: a multi-part WeCom digest resumes after its confirmed parts.
        row.status, row.next_attempt_at, row.attempts = "pending", None, 0
        return True
