"""Typed alert options, read once from Scrapy settings.

Every knob is a Scrapy setting so that ``-s NAME=VALUE`` works, and (through the project's
settings module, the one place that reads it) the environment variable of the same name. The
defaults written here are the only ones. Values are parsed by ``portalspider.projectsettings``:
one boolean parser, and a bad value is a one-line ``SettingError`` naming the setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portalspider.projectsettings import get_bool as _bool
from portalspider.projectsettings import get_float as _float
from portalspider.projectsettings import get_int as _int
from portalspider.projectsettings import get_str as _str


@dataclass(frozen=True)
class AlertOptions:
    """Everything the alerts package reads from settings (secrets included: never log this)."""

    enabled: bool = True
    dry_run: bool = False
    remind_days: int = 7
    escalate_after: int = 2
    # email
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout: float = 30.0
    mail_from: str = "portalspider@localhost"
    # WeCom
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    wecom_corp_id: str | None = None
    wecom_corp_secret: str | None = None
    wecom_agent_id: str | None = None
    wecom_proxy: str | None = None
    wecom_timeout: float = 15.0
    wecom_rate_limit: int = 20  # messages per robot key per window (WeCom: 20/min)
    wecom_rate_window: float = 60.0  # seconds; tests shrink it
    wecom_retry_wait: float = 65.0  # after 45009 (wecom-notifier waits 65 s)
    wecom_retry_times: int = 3
    wecom_markdown_budget: int = 3800  # robot markdown limit is 4096 bytes; keep a margin
    wecom_text_budget: int = 2000  # robot text limit is 2048 bytes
    wecom_app_budget: int = 1900  # application markdown limit is 2048 bytes
    wecom_duplicate_interval: int = 14400  # seconds, the maximum WeCom accepts (4 h)
    # outbox
    retry_backoff: float = 10.0  # seconds before the first retry; doubles per attempt
    retry_backoff_max: float = 3600.0
    max_attempts: int = 30
    send_lease: float = 600.0  # a claim older than this was abandoned by a dead process

    @classmethod
    def from_settings(cls, settings: Any) -> AlertOptions:
        """Build from a Scrapy ``Settings`` (or any mapping with ``.get``)."""
        d = cls()
        return cls(
            enabled=_bool(settings, "ALERTS_ENABLED", d.enabled),
            dry_run=_bool(settings, "ALERTS_DRY_RUN", d.dry_run),
            remind_days=_int(settings, "ALERTS_REMIND_DAYS", d.remind_days),
            escalate_after=_int(settings, "ALERTS_ESCALATE_AFTER", d.escalate_after),
            smtp_host=_str(settings, "ALERTS_SMTP_HOST", d.smtp_host) or d.smtp_host,
            smtp_port=_int(settings, "ALERTS_SMTP_PORT", d.smtp_port),
            smtp_user=_str(settings, "ALERTS_SMTP_USER"),
            smtp_password=_str(settings, "ALERTS_SMTP_PASSWORD"),
            smtp_starttls=_bool(settings, "ALERTS_SMTP_STARTTLS", d.smtp_starttls),
            smtp_ssl=_bool(settings, "ALERTS_SMTP_SSL", d.smtp_ssl),
            smtp_timeout=_float(settings, "ALERTS_SMTP_TIMEOUT", d.smtp_timeout),
            mail_from=_str(settings, "ALERTS_MAIL_FROM", d.mail_from) or d.mail_from,
            wecom_api_base=(
                _str(settings, "ALERTS_WECOM_API_BASE", d.wecom_api_base) or d.wecom_api_base
            ).rstrip("/"),
            wecom_corp_id=_str(settings, "ALERTS_WECOM_CORP_ID"),
            wecom_corp_secret=_str(settings, "ALERTS_WECOM_CORP_SECRET"),
            wecom_agent_id=_str(settings, "ALERTS_WECOM_AGENT_ID"),
            wecom_proxy=_str(settings, "ALERTS_WECOM_PROXY"),
            wecom_timeout=_float(settings, "ALERTS_WECOM_TIMEOUT", d.wecom_timeout),
            wecom_rate_limit=_int(settings, "ALERTS_WECOM_RATE_LIMIT", d.wecom_rate_limit),
            wecom_rate_window=_float(settings, "ALERTS_WECOM_RATE_WINDOW", d.wecom_rate_window),
            wecom_retry_wait=_float(settings, "ALERTS_WECOM_RETRY_WAIT", d.wecom_retry_wait),
            wecom_retry_times=_int(settings, "ALERTS_WECOM_RETRY_TIMES", d.wecom_retry_times),
            wecom_markdown_budget=_int(
                settings, "ALERTS_WECOM_MARKDOWN_BUDGET", d.wecom_markdown_budget
            ),
            wecom_text_budget=_int(settings, "ALERTS_WECOM_TEXT_BUDGET", d.wecom_text_budget),
            wecom_app_budget=_int(settings, "ALERTS_WECOM_APP_BUDGET", d.wecom_app_budget),
            wecom_duplicate_interval=_int(
                settings, "ALERTS_WECOM_DUPLICATE_INTERVAL", d.wecom_duplicate_interval
            ),
            retry_backoff=_float(settings, "ALERTS_RETRY_BACKOFF", d.retry_backoff),
            retry_backoff_max=_float(settings, "ALERTS_RETRY_BACKOFF_MAX", d.retry_backoff_max),
            max_attempts=_int(settings, "ALERTS_MAX_ATTEMPTS", d.max_attempts),
            send_lease=_float(settings, "ALERTS_SEND_LEASE", d.send_lease),
        )

    @property
    def wecom_app_configured(self) -> bool:
        return bool(self.wecom_corp_id and self.wecom_corp_secret and self.wecom_agent_id)
