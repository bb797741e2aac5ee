"""WeCom group-robot (群机器人) digests: POST to the unit's webhook URL.

The URL contains the robot key, the robot's only credential: it is read from the site
config at send time, never stored in the outbox, and only ``redact_url`` of it is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from alerts.channels import ConfigError, Job, PermanentError, Progress, TransientError
from alerts.channels.wecom_common import (
    CONFIG_ERRORS,
    OK,
    RATE_LIMITED,
    RETRY_LATER,
    RateLimiter,
    call,
    explain,
    http_session,
    shared_limiter,
)
from alerts.options import AlertOptions
from alerts.redact import redact_url
from portalspider.siteconfig import UnitConfig

logger = logging.getLogger(__name__)


def robot_key(url: str) -> str:
    try:
        return parse_qs(urlsplit(url).query).get("key", [""])[0]
    except ValueError:
        return ""


def message_body(payload: dict[str, Any], index: int, unit: UnitConfig) -> dict[str, Any]:
    """The JSON for part ``index``; ``text`` parts @-mention the unit's phones on the first."""
    content = payload["parts"][index]
    if payload.get("msgtype") == "text":
        text: dict[str, Any] = {"content": content}
        if unit.wecom_mobiles and index == 0:
            text["mentioned_mobile_list"] = list(unit.wecom_mobiles)
        return {"msgtype": "text", "text": text}
    return {"msgtype": "markdown", "markdown": {"content": content}}


class WeComRobotChannel:
    name = "wecom_robot"

    def __init__(
        self,
        options: AlertOptions,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.limiter = limiter or shared_limiter(
            options.wecom_rate_limit, options.wecom_rate_window
        )
        self.sleep = sleep
        self.session = http_session(options)

    def available(self, unit: UnitConfig) -> bool:
        return bool(unit.wecom_webhook)

    def send(self, job: Job, unit: UnitConfig, progress: Progress) -> None:
        url = unit.wecom_webhook
        if not url:
            raise PermanentError(f"unit {unit.name} has no wecom_webhook any more")
        key = robot_key(url)
        if not key:
            raise PermanentError(f"wecom_webhook {redact_url(url)} has no key= parameter")
        parts = job.payload["parts"]
        for index in range(job.parts_sent, len(parts)):
            self._send_part(url, key, message_body(job.payload, index, unit), index, progress)
            logger.info(
                "alerts: WeCom robot %s got part %d/%d of delivery %d",
                redact_url(url),
                index + 1,
                len(parts),
                job.id,
            )

    def _send_part(
        self, url: str, key: str, body: dict[str, Any], index: int, progress: Progress
    ) -> None:
        o = self.options
        for attempt in range(o.wecom_retry_times + 1):
            waited = self.limiter.acquire(key)
            if waited:
                logger.info("alerts: waited %.1f s for the robot rate limit", waited)
            progress.before_part(index)
            try:
                data = call(
                    self.session,
                    "POST",
                    url,
                    json=body,
                    timeout=o.wecom_timeout,
                    secrets=(key,),
                    sends_message=True,
                )
            finally:
                self.limiter.done(key)
            code = int(data.get("errcode", -1))
            if code == OK:
                progress.after_part(index)
                return
            reason = explain(code, str(data.get("errmsg", "")))
            if code in RETRY_LATER and attempt < o.wecom_retry_times:
                wait = o.wecom_retry_wait if code == RATE_LIMITED else 2.0
                logger.warning(
                    "alerts: WeCom robot %s: %s; retrying in %.0f s", redact_url(url), reason, wait
                )
                self.sleep(wait)
                continue
            if code in RETRY_LATER:
                raise TransientError(reason)
            if code in CONFIG_ERRORS:
                raise ConfigError(f"WeCom robot {redact_url(url)}: {reason}", unit_only=True)
            raise PermanentError(reason)
        raise TransientError("WeCom robot retries exhausted")
