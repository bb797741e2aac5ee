"""WeCom application messages (自建应用消息) to the unit's userids and departments.

The access token is cached per (API base, corp, secret) until shortly before
``expires_in`` — WeCom throttles frequent gettoken calls — and refreshed once when a send
says it is invalid (40014) or expired (42001); WeCom may invalidate tokens early.
``enable_duplicate_check`` makes WeCom itself drop an identical retry within
``duplicate_check_interval``, which is what lets the outbox resend an ambiguous part.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from alerts.channels import ConfigError, Job, PermanentError, Progress, TransientError
from alerts.channels.wecom_common import (
    CONFIG_ERRORS,
    OK,
    RATE_LIMITED,
    RETRY_LATER,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    call,
    explain,
    http_session,
)
from alerts.options import AlertOptions
from portalspider.siteconfig import UnitConfig

logger = logging.getLogger(__name__)

TOKEN_MARGIN = 300.0  # refresh this long before expiry (at most a fifth of the lifetime)


class TokenCache:
    """Access tokens by (base, corp, secret hash); thread-safe, process-wide."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(options: AlertOptions) -> tuple[str, str, str]:
        secret = hashlib.sha256((options.wecom_corp_secret or "").encode()).hexdigest()
        return (options.wecom_api_base, options.wecom_corp_id or "", secret)

    def get(self, options: AlertOptions) -> str | None:
        with self._lock:
            hit = self._tokens.get(self._key(options))
        return hit[0] if hit and self.clock() < hit[1] else None

    def put(self, options: AlertOptions, token: str, expires_in: float) -> None:
        margin = min(TOKEN_MARGIN, expires_in / 5)
        with self._lock:
            self._tokens[self._key(options)] = (token, self.clock() + expires_in - margin)

    def drop(self, options: AlertOptions) -> None:
        with self._lock:
            self._tokens.pop(self._key(options), None)


TOKENS = TokenCache()


class WeComAppChannel:
    name = "wecom_app"

    def __init__(
        self,
        options: AlertOptions,
        tokens: TokenCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.tokens = tokens or TOKENS
        self.sleep = sleep
        self.session = http_session(options)
        self.gettoken_calls = 0

    def available(self, unit: UnitConfig) -> bool:
        return bool(self.options.wecom_app_configured and (unit.wecom_users or unit.wecom_parties))

    def _secrets(self, token: str | None = None) -> tuple[str | None, ...]:
        return (self.options.wecom_corp_secret, token)

    def token(self) -> str:
        cached = self.tokens.get(self.options)
        if cached:
            return cached
        o = self.options
        self.gettoken_calls += 1
        data = call(
            self.session,
            "GET",
            f"{o.wecom_api_base}/cgi-bin/gettoken",
            params={"corpid": o.wecom_corp_id, "corpsecret": o.wecom_corp_secret},
            timeout=o.wecom_timeout,
            secrets=self._secrets(),
        )
        code = int(data.get("errcode", -1))
        if code != OK or not data.get("access_token"):
            reason = "gettoken failed: " + explain(code, str(data.get("errmsg", "")))
            if code in CONFIG_ERRORS:
                raise ConfigError(f"WeCom app {reason}")
            raise (TransientError if code in RETRY_LATER else PermanentError)(reason)
        token = str(data["access_token"])
        self.tokens.put(o, token, float(data.get("expires_in", 7200)))
        return token

    def body(self, job: Job, index: int, unit: UnitConfig) -> dict[str, Any]:
        """Identical on every retry, so WeCom's duplicate check recognises a resend."""
        o = self.options
        body: dict[str, Any] = {
            "msgtype": "markdown",
            "agentid": int(o.wecom_agent_id or 0),
            "markdown": {"content": job.payload["parts"][index]},
            "enable_duplicate_check": 1,
            "duplicate_check_interval": o.wecom_duplicate_interval,
        }
        if unit.wecom_users:
            body["touser"] = "|".join(unit.wecom_users)
        if unit.wecom_parties:
            body["toparty"] = "|".join(str(p) for p in unit.wecom_parties)
        return body

    def send(self, job: Job, unit: UnitConfig, progress: Progress) -> None:
        if not self.available(unit):
            raise PermanentError(
                f"unit {unit.name} has no wecom_users/wecom_parties or the app is not "
                "configured (ALERTS_WECOM_CORP_ID/_CORP_SECRET/_AGENT_ID)"
            )
        parts = job.payload["parts"]
        for index in range(job.parts_sent, len(parts)):
            self._send_part(self.body(job, index, unit), index, progress)
            logger.info(
                "alerts: WeCom app message part %d/%d of delivery %d sent to %s",
                index + 1,
                len(parts),
                job.id,
                unit.name,
            )

    def _send_part(self, body: dict[str, Any], index: int, progress: Progress) -> None:
        o = self.options
        refreshed = False
        attempt = 0
        while True:
            token = self.token()
            progress.before_part(index)
            data = call(
                self.session,
                "POST",
                f"{o.wecom_api_base}/cgi-bin/message/send",
                params={"access_token": token},
                json=body,
                timeout=o.wecom_timeout,
                secrets=self._secrets(token),
                sends_message=True,
            )
            code = int(data.get("errcode", -1))
            if code == OK:
                for field in ("invaliduser", "invalidparty"):
                    if data.get(field):
                        logger.warning(
                            "alerts: WeCom app: %s not delivered to (%s): %s",
                            field,
                            "not in the app's visible range",
                            data[field],
                        )
                progress.after_part(index)
                return
            reason = explain(code, str(data.get("errmsg", "")))
            if code in (TOKEN_INVALID, TOKEN_EXPIRED) and not refreshed:
                logger.info("alerts: WeCom access token rejected (%d); fetching a new one", code)
                self.tokens.drop(o)
                refreshed = True
                continue
            if code in RETRY_LATER and attempt < o.wecom_retry_times:
                attempt += 1
                wait = o.wecom_retry_wait if code == RATE_LIMITED else 2.0
                logger.warning("alerts: WeCom app: %s; retrying in %.0f s", reason, wait)
                self.sleep(wait)
                continue
            if code in RETRY_LATER or code in (TOKEN_INVALID, TOKEN_EXPIRED):
                raise TransientError(reason)
            if code in CONFIG_ERRORS:
                raise ConfigError(f"WeCom app: {reason}")
            raise PermanentError(reason)
