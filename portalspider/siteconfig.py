"""The per-site YAML config: loading, validation and the typed result.

Every problem is reported as one ``ConfigError`` line naming the file, the key and the
problem, so a webmaster never sees a traceback for a typo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ConfigError(Exception):
    """Raised by ``load_site_config`` for any invalid site config; str() is one line."""


@dataclass
class UnitConfig:
    name: str
    email: list[str] = field(default_factory=list)
    wecom_webhook: str | None = None  # full URL with the robot key: a secret, never logged
    wecom_mobiles: list[str] = field(default_factory=list)
    wecom_users: list[str] = field(default_factory=list)
    wecom_parties: list[str] = field(default_factory=list)
    escalate_to: str | None = None
    columns: list[str] = field(default_factory=list)  # URL path prefixes or column names


@dataclass
class ColumnRule:
    match: str  # URL (absolute or path prefix) or column name
    category: str | None = None
    max_age_days: int | None = None
    unit: str | None = None
    exempt_until: dt.date | None = None
    ignore: bool = False
    name: str | None = None  # extension: display name for a column added by config


@dataclass
class SiteConfig:
    path: str  # the file it was read from
    name: str
    url: str
    allowed_domains: list[str] = field(default_factory=list)
    default_unit: str | None = None
    deadline_days: int = 5
    units: list[UnitConfig] = field(default_factory=list)
    columns: list[ColumnRule] = field(default_factory=list)


def load_site_config(path: str) -> SiteConfig:
    """Read and validate a site config file; raise ``ConfigError`` with one readable line."""
    raise NotImplementedError
