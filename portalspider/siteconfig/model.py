"""The typed site config: what the rest of the project reads, never the raw YAML.

Values here are already checked (``check.py``): a ``SiteConfig`` always holds names,
ranges and dates the store, alerts and report can use without their own guards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

# The name a site.webmaster contact gets when the file gives none.
WEBMASTER_NAME = "网站管理员"


@dataclass
class UnitConfig:
    """A responsible unit and its alert channels (also the shape of ``site.webmaster``)."""

    name: str
    email: list[str] = field(default_factory=list)
    wecom_webhook: str | None = None  # full URL with the robot key: a secret, never logged
    wecom_mobiles: list[str] = field(default_factory=list)
    wecom_users: list[str] = field(default_factory=list)
    wecom_parties: list[str] = field(default_factory=list)
    escalate_to: str | None = None
    columns: list[str] = field(default_factory=list)  # URL path prefixes or column names

    def __repr__(self) -> str:
        # The webhook URL carries the robot key: keep it out of logs and tracebacks.
        hook = "<set>" if self.wecom_webhook else None
        return (
            f"UnitConfig(name={self.name!r}, email={self.email!r}, wecom_webhook={hook}, "
            f"wecom_mobiles={self.wecom_mobiles!r}, wecom_users={self.wecom_users!r}, "
            f"wecom_parties={self.wecom_parties!r}, escalate_to={self.escalate_to!r}, "
            f"columns={self.columns!r})"
        )


@dataclass(frozen=True)
class MinItems:
    """The 更新较少 rule: at least ``count`` list items in the last ``days`` days.

    ``MinItems.OFF`` is what ``columns[].min_items: null`` gives, so a rule switched off
    for a column stays distinct from a rule that says nothing (``None``, which falls back
    to ``defaults.min_items``). ``OFF`` asks for zero items, so nothing is ever sparse.
    """

    count: int
    days: int

    OFF: ClassVar[MinItems]

    @property
    def enabled(self) -> bool:
        return self.count > 0


MinItems.OFF = MinItems(count=0, days=0)


@dataclass
class ColumnRule:
    match: str  # URL (absolute or path prefix) or column name
    category: str | None = None
    max_age_days: int | None = None
    unit: str | None = None
    exempt_until: dt.date | None = None
    ignore: bool = False
    name: str | None = None  # extension: display name for a column added by config
    min_items: MinItems | None = None  # None: not set here; MinItems.OFF: switched off

    @property
    def kind(self) -> str:
        """``"url"`` (absolute URL), ``"path"`` (URL path prefix) or ``"name"`` (column name)."""
        return match_kind(self.match)


def match_kind(match: str) -> str:
    """How a ``match:`` / ``units[].columns`` entry is read: url, path or name."""
    if "://" in match:
        return "url"
    if match.startswith("/"):
        return "path"
    return "name"


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
    # Extension: problems worth a log line that do not stop the crawl (one line each).
    warnings: list[str] = field(default_factory=list)
    # site.webmaster as written; ``webmaster_contact`` applies the default.
    webmaster: UnitConfig | None = None
    contact: str | None = None  # site.contact: how the portal's admins reach the crawl's owner
    min_items: MinItems | None = None  # defaults.min_items; None: no 更新较少 rule
    report_requirements: str | None = None  # report.requirements: the report's 二、有关要求
    reply_days: int = 90  # defaults.reply_days: 互动回应差, a letter's longest wait for a reply

    def unit(self, name: str) -> UnitConfig | None:
        """The ``units[]`` entry with this name, if any."""
        for unit in self.units:
            if unit.name == name:
                return unit
        return None

    @property
    def unit_names(self) -> list[str]:
        """Every unit name the file declares: ``units[].name`` plus ``defaults.unit``."""
        names = [u.name for u in self.units]
        if self.default_unit and self.default_unit not in names:
            names.append(self.default_unit)
        return names

    @property
    def webmaster_contact(self) -> UnitConfig | None:
        """Who hears about the site as a whole: ``site.webmaster``, else the default unit."""
        if self.webmaster is not None:
            return self.webmaster
        if self.default_unit:
            # A defaults.unit with no units[] entry has no channels: reports only.
            return self.unit(self.default_unit) or UnitConfig(name=self.default_unit)
        return None
