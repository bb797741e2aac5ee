"""The per-site YAML config: ``load_site_config(path) -> SiteConfig`` or one ``ConfigError``.

Three seams, one module each: ``yamlmarks`` reads the file into values plus the line of
every key; ``check`` validates keys, types, ranges and references into the typed
``model``; ``errors`` is the one-line ``PATH:LINE: key: problem`` error.
"""

from __future__ import annotations

from portalspider.siteconfig.check import check_site_config
from portalspider.siteconfig.errors import ConfigError, format_config_error
from portalspider.siteconfig.model import (
    ColumnRule,
    MinItems,
    SiteConfig,
    UnitConfig,
    match_kind,
)
from portalspider.siteconfig.yamlmarks import MAX_CONFIG_BYTES, read_config

__all__ = [
    "MAX_CONFIG_BYTES",
    "ColumnRule",
    "ConfigError",
    "MinItems",
    "SiteConfig",
    "UnitConfig",
    "format_config_error",
    "load_site_config",
    "match_kind",
]


def load_site_config(path: str, *, wecom_api_base: str | None = None) -> SiteConfig:
    """Read and validate a site config file; raise ``ConfigError`` with one readable line.

    ``wecom_api_base`` (the ALERTS_WECOM_API_BASE setting) names a second trusted host
    for group-robot webhooks; any other host gets a warning on the result.
    """
    file = str(path)
    data, marks = read_config(file)
    return check_site_config(data, file, marks, wecom_api_base=wecom_api_base)
