"""Who can be told: unit contacts, the webmaster, and the fallback chain between them.

A notification is only *decided* for a recipient that has a channel: a unit without a
contact today is told later, when it gets one, and its first message about a finding is
then the alert (never a reminder for something it never heard of).
"""

from __future__ import annotations

from collections.abc import Mapping

from alerts.channels import Channel
from portalspider.siteconfig import SiteConfig, UnitConfig


def contact(config: SiteConfig, name: str | None) -> UnitConfig | None:
    """The contact named ``name``: a ``units[]`` entry, else the site's webmaster."""
    if not name:
        return None
    unit = config.unit(name)
    if unit is not None:
        return unit
    webmaster = config.webmaster_contact
    return webmaster if webmaster is not None and webmaster.name == name else None


def webmaster_name(config: SiteConfig) -> str | None:
    """``site.webmaster`` (default: the ``defaults.unit`` unit): hears about the site itself."""
    webmaster = config.webmaster_contact
    return webmaster.name if webmaster is not None else None


class Reach:
    """Which contacts have at least one usable channel, and the fallback chain."""

    def __init__(self, config: SiteConfig, channels: Mapping[str, Channel] | None) -> None:
        self.config = config
        self.channels = channels

    def channels_for(self, name: str | None) -> list[str]:
        unit = contact(self.config, name)
        if unit is None:
            return []
        if self.channels is None:  # no channel set given: any declared contact counts
            return ["any"]
        return [n for n, c in self.channels.items() if c.available(unit)]

    def reachable(self, name: str | None) -> bool:
        return bool(self.channels_for(name))

    def owner_or_fallback(self, owner: str | None) -> str | None:
        """The owner unit, else ``defaults.unit``, else the webmaster: the first reachable."""
        for name in (owner, self.config.default_unit, webmaster_name(self.config)):
            if self.reachable(name):
                return name
        return None
