"""Delivery channels: each turns one stored digest into messages on one medium.

A channel never touches the database: the outbox hands it a ``Job`` (a snapshot of the
row) and a ``Progress`` whose two calls bracket every part it transmits, so the outbox can
record "in flight" before and "confirmed" after. Failures are ``TransientError`` (retry
later) or ``PermanentError`` (retrying cannot help; the reason is logged and stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from alerts.options import AlertOptions
from portalspider.siteconfig import UnitConfig


class DeliveryError(Exception):
    """Raised by ``Channel.send``; ``str()`` is a one-line reason with no secret in it."""

    permanent = False


class TransientError(DeliveryError):
    """The channel may work later (server down, rate limit not cleared, network).

    ``channel_down`` says the whole channel is unreachable, so the outbox skips the
    channel's other rows in this pass instead of waiting on each one's timeout.
    """

    def __init__(self, message: str, *, channel_down: bool = False) -> None:
        super().__init__(message)
        self.channel_down = channel_down


class AmbiguousError(TransientError):
    """The connection broke after a part left: the server may or may not have it.

    The outbox treats this exactly like a process killed mid-send (see ``alerts/outbox.py``).
    """


class ConfigError(DeliveryError):
    """The configuration is wrong (SMTP login refused, bad robot key or corp secret, IP
    not trusted): no retry can succeed until someone fixes it, and nothing is lost.

    The outbox says so once, stops using the channel (or, with ``unit_only``, this unit's
    target on it, e.g. one robot key) for the rest of the pass and leaves the digests
    pending without counting the attempt: ``scrapy alerts --send`` delivers them once fixed.
    """

    def __init__(self, message: str, *, unit_only: bool = False) -> None:
        super().__init__(message)
        self.unit_only = unit_only


class PermanentError(DeliveryError):
    """Retrying the same message cannot succeed (bad key, no recipients, too long…)."""

    permanent = True


@dataclass(frozen=True)
class Job:
    """What a channel needs of an outbox row."""

    id: int
    idempotency_key: str
    unit: str
    subject: str
    payload: dict[str, Any]
    parts_sent: int


class Progress(Protocol):
    def before_part(self, index: int) -> None:
        """Called right before part ``index`` leaves; after it, a crash is ambiguous."""

    def after_part(self, index: int) -> None:
        """Called once the server confirmed part ``index``."""


class Channel(Protocol):
    name: str

    def available(self, unit: UnitConfig) -> bool:
        """Whether ``unit`` has a target on this channel (and the channel is configured)."""

    def send(self, job: Job, unit: UnitConfig, progress: Progress) -> None:
        """Send the parts from ``job.parts_sent`` on; raise ``DeliveryError`` on failure."""


def make_channels(options: AlertOptions) -> dict[str, Channel]:
    """One instance per channel name, sharing the options (and the WeCom token cache)."""
    from alerts.channels.email import EmailChannel
    from alerts.channels.wecom_app import WeComAppChannel
    from alerts.channels.wecom_robot import WeComRobotChannel

    return {
        "email": EmailChannel(options),
        "wecom_robot": WeComRobotChannel(options),
        "wecom_app": WeComAppChannel(options),
    }
