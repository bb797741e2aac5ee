"""What both WeCom channels share: HTTP with errcode checking, error meanings, rate limiting.

WeCom answers errors with HTTP 200 and a JSON ``errcode``; success is HTTP 200 *and*
``errcode == 0`` (facts and sources: the project's WeCom spec).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import requests

from alerts.channels import AmbiguousError, TransientError
from alerts.options import AlertOptions
from alerts.redact import install_log_filter, scrub

OK = 0
BUSY = -1
TOKEN_INVALID = 40014
TOKEN_EXPIRED = 42001
RATE_LIMITED = 45009
CONCURRENCY = 45033
TOO_LONG = 40058
BAD_WEBHOOK = 93000
IP_NOT_TRUSTED = 60020
NO_RECIPIENT = 81013

RETRY_LATER = frozenset({BUSY, RATE_LIMITED, CONCURRENCY})
#: Wrong configuration (robot key, corp id/secret, agent id, trusted IP): retrying cannot
#: help until someone fixes it; the digests stay queued meanwhile (``ConfigError``).
CONFIG_ERRORS = frozenset({BAD_WEBHOOK, 40001, 40013, 40056, IP_NOT_TRUSTED})

MEANINGS = {
    BAD_WEBHOOK: "invalid webhook URL: the robot key is wrong or the robot was removed "
    "from the group (fix wecom_webhook in the site config)",
    TOO_LONG: "message content invalid or too long (markdown ≤ 4096 bytes, text ≤ 2048)",
    IP_NOT_TRUSTED: "this server's public IP is not in the app's 企业可信IP (trusted IPs): "
    "add it in the WeCom admin console (应用管理 → 企业可信IP) or route through a proxy "
    "with a fixed egress IP (ALERTS_WECOM_PROXY)",
    NO_RECIPIENT: "none of the recipients is valid for this app: check the unit's "
    "wecom_users/wecom_parties and the app's 可见范围 (visible range)",
    40001: "invalid corp secret (ALERTS_WECOM_CORP_SECRET)",
    40013: "invalid corp ID (ALERTS_WECOM_CORP_ID)",
    40056: "invalid agent ID (ALERTS_WECOM_AGENT_ID)",
    RATE_LIMITED: "over WeCom's frequency limit (robots: 20 messages/minute)",
}


def explain(errcode: int, errmsg: str) -> str:
    meaning = MEANINGS.get(errcode)
    return (
        f"errcode {errcode} ({meaning}; server said: {errmsg})"
        if meaning
        else (f"errcode {errcode}: {errmsg}")
    )


def http_session(options: AlertOptions) -> requests.Session:
    """A session honouring ALERTS_WECOM_PROXY (fixed egress IP for the trusted-IP rule)."""
    install_log_filter()
    session = requests.Session()
    if options.wecom_proxy:
        session.proxies = {"http": options.wecom_proxy, "https": options.wecom_proxy}
    return session


def call(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float,
    secrets: tuple[str | None, ...],
    sends_message: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """One API call; the JSON reply (any errcode) or ``TransientError`` for transport trouble.

    With ``sends_message``, a read timeout (the request left, no answer came back) is an
    ``AmbiguousError``: the message may have been posted.
    """
    try:
        resp = session.request(method, url, timeout=timeout, **kwargs)
    except requests.ReadTimeout as exc:
        cls = AmbiguousError if sends_message else TransientError
        raise cls(f"WeCom did not answer: {scrub(exc, secrets)}") from None
    except requests.RequestException as exc:
        raise TransientError(f"WeCom unreachable: {scrub(exc, secrets)}") from None
    if resp.status_code != 200:
        raise TransientError(f"WeCom answered HTTP {resp.status_code}")
    try:
        data = resp.json()
    except ValueError:
        raise TransientError("WeCom answered something that is not JSON") from None
    if not isinstance(data, dict) or "errcode" not in data:
        raise TransientError("WeCom answered JSON without errcode")
    return data


class RateLimiter:
    """At most ``limit`` sends per ``window`` seconds per key, in this process.

    Keys are hashed so no robot key is held in a long-lived structure more than needed.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = max(limit, 1)
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Block until a send is allowed for ``key``; return the seconds waited."""
        hk = hashlib.sha256(key.encode()).hexdigest()
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                q = self._sent.setdefault(hk, deque())
                while q and now - q[0] >= self.window:
                    q.popleft()
                if len(q) < self.limit:
                    q.append(now)
                    return waited
                delay = self.window - (now - q[0]) + 0.01
            self.sleep(delay)
            waited += delay

    def done(self, key: str) -> None:
        """Restamp the latest send with its completion time.

        The server counts a message when it *receives* it, which is after we acquired; the
        window must start no earlier than the server's, or message 21 can arrive a few
        milliseconds inside the server's minute and earn a 45009.
        """
        hk = hashlib.sha256(key.encode()).hexdigest()
        with self._lock:
            q = self._sent.get(hk)
            if q:
                q[-1] = max(q[-1], self.clock())


_limiters: dict[tuple[int, float], RateLimiter] = {}


def shared_limiter(limit: int, window: float) -> RateLimiter:
    """One limiter per (limit, window) for the whole process: crawls in one process share it."""
    return _limiters.setdefault((limit, window), RateLimiter(limit, window))
