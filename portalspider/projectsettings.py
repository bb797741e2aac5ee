"""Project settings: the environment fallback and typed reads, each in one place.

Every project setting (``PORTALSPIDER_*``, ``ALERTS_*``) may come from ``-s NAME=VALUE``, from
the environment variable of the same name (how scrapyd jobs receive secrets), or from its
default. ``settings.py`` overlays the environment once, with ``from_environment``; everything
else reads ``crawler.settings`` through the typed getters below, which accept Python values
and strings alike and turn a bad value into a one-line ``SettingError`` naming the setting.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

ENV_PREFIXES = ("PORTALSPIDER_", "ALERTS_")
DEFAULT_DATABASE_URL = "sqlite:///var/portalspider.db"
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


class SettingError(ValueError):
    """A setting with a value of the wrong kind; ``str()`` is one line naming it."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        super().__init__(f"setting {name}={value!r} is not {expected}")
        self.name = name


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The project settings given as environment variables (empty ones count as unset)."""
    env = os.environ if environ is None else environ
    return {k: v for k, v in env.items() if k.startswith(ENV_PREFIXES) and v.strip() != ""}


def _raw(settings: Any, name: str) -> Any:
    value = settings.get(name) if settings is not None else None
    if isinstance(value, str):
        value = value.strip()
    return None if value is None or value == "" else value


def parse_bool(name: str, value: Any) -> bool:
    """true/false, yes/no, on/off, 1/0 (any case), or a Python bool."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise SettingError(name, value, "a boolean (true/false, yes/no, on/off, 1/0)")


def get_bool(settings: Any, name: str, default: bool) -> bool:
    value = _raw(settings, name)
    return default if value is None else parse_bool(name, value)


def get_int(settings: Any, name: str, default: int) -> int:
    value = _raw(settings, name)
    if value is None:
        return default
    if isinstance(value, bool):
        raise SettingError(name, value, "a whole number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SettingError(name, value, "a whole number") from None


def get_float(settings: Any, name: str, default: float) -> float:
    value = _raw(settings, name)
    if value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SettingError(name, value, "a number") from None


def get_str(settings: Any, name: str, default: str | None = None) -> str | None:
    value = _raw(settings, name)
    return default if value is None else str(value)


def get_date(settings: Any, name: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` date, or None when unset."""
    value = _raw(settings, name)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SettingError(name, value, "a date (YYYY-MM-DD)") from None


def database_url(settings: Any) -> str:
    """``PORTALSPIDER_DATABASE_URL``: the crawl's, the commands' and the alerts' database."""
    return get_str(settings, "PORTALSPIDER_DATABASE_URL") or DEFAULT_DATABASE_URL
