"""Checking a site config's values and building the typed ``SiteConfig``.

Keys, types, ranges, unit references and "did you mean" hints: every problem is one
``ConfigError`` line naming the file, the line, the key and the problem::

    site.yaml:7: units[0].emial: unknown key (did you mean 'email'?)

Problems that should not stop a crawl are collected as one-line warnings on the result.
The reference for webmasters is ``docs/config.md``; the fixed contract is
``spec/interface.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlsplit

from portalspider.scope import host_in, is_public_suffix, own_domain
from portalspider.siteconfig.errors import (
    ConfigError,
    KeyPath,
    describe,
    format_config_error,
    format_path,
    looks_secret,
    shown,
)
from portalspider.siteconfig.model import (
    WEBMASTER_NAME,
    ColumnRule,
    MinItems,
    SiteConfig,
    UnitConfig,
    match_kind,
)
from portalspider.siteconfig.yamlmarks import Marks
from portalspider.vocab import CATEGORIES

# Allowed keys per section, in the order the reference documents them.
TOP_KEYS = ("site", "defaults", "units", "columns", "report")
SITE_KEYS = ("name", "url", "allowed_domains", "webmaster", "contact")
DEFAULTS_KEYS = ("unit", "deadline_days", "min_items", "reply_days")
CONTACT_KEYS = ("name", "email", "wecom_webhook", "wecom_mobiles", "wecom_users", "wecom_parties")
UNIT_KEYS = (*CONTACT_KEYS, "escalate_to", "columns")
COLUMN_KEYS = (
    "match",
    "name",
    "category",
    "max_age_days",
    "min_items",
    "unit",
    "exempt_until",
    "ignore",
)
MIN_ITEMS_KEYS = ("count", "days")
REPORT_KEYS = ("requirements",)

# Where each key lives, for "'url' belongs under 'site'" hints on mis-indented keys.
_SECTIONS_OF: dict[str, list[str]] = {}
for _section, _keys in (
    ("site", SITE_KEYS),
    ("defaults", DEFAULTS_KEYS),
    ("units[]", UNIT_KEYS),
    ("columns[]", COLUMN_KEYS),
    ("site.webmaster", CONTACT_KEYS),
    ("report", REPORT_KEYS),
):
    for _key in _keys:
        if _key != "name":  # name is everywhere: no hint
            _SECTIONS_OF.setdefault(_key, []).append(_section)

# Bounds of numbers and dates: wide enough for every real portal, narrow enough that the
# store, the alerts' date arithmetic and the report never meet an absurd value.
MAX_AGE_DAYS = (1, 3660)  # ten years
DEADLINE_DAYS = (1, 365)
REPLY_DAYS = (1, 365)  # 互动回应差: days a letter may wait for its reply
MIN_ITEMS_COUNT = (1, 10000)
MIN_ITEMS_DAYS = (1, 366)
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
MAX_CONTACT_CHARS = 200

# The WeCom robot host; ALERTS_WECOM_API_BASE's host (a private deployment) is also trusted.
WECOM_HOST = "qyapi.weixin.qq.com"


# --- validation -----------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MISSING = object()


def check_site_config(
    data: Any, file: str, marks: Marks, *, wecom_api_base: str | None = None
) -> SiteConfig:
    """Validate parsed YAML values and build the ``SiteConfig`` (warnings on it)."""
    return Checker(file, marks, wecom_api_base=wecom_api_base).site_config(data)


class Checker:
    """Validates the constructed YAML data and builds the ``SiteConfig``."""

    def __init__(self, file: str, marks: Marks, *, wecom_api_base: str | None = None) -> None:
        self.file = file
        self.marks = marks
        self.warnings: list[str] = []
        self.webhook_hosts = {WECOM_HOST}
        api_host = urlsplit(wecom_api_base or "").hostname
        if api_host:
            self.webhook_hosts.add(api_host.lower())

    # -- reporting

    def line(self, path: KeyPath, *, at_key: bool = False) -> int | None:
        """The line of a key (``at_key``) or of its value.

        A key that is missing has no line; then the line of the nearest parent key is the
        place to add it (``site:`` for a missing ``site.url``).
        """
        first, second = (
            (self.marks.key_lines, self.marks.value_lines)
            if at_key
            else (self.marks.value_lines, self.marks.key_lines)
        )
        if path in first:
            return first[path]
        if path in second:
            return second[path]
        probe = path[:-1]
        while probe:
            if probe in self.marks.key_lines:
                return self.marks.key_lines[probe]
            probe = probe[:-1]
        return self.marks.value_lines.get(())

    def fail(self, path: KeyPath, problem: str, *, at_key: bool = False) -> NoReturn:
        raise ConfigError(
            problem,
            file=self.file,
            line=self.line(path, at_key=at_key),
            key=format_path(path) or None,
        )

    def warn(self, path: KeyPath, problem: str) -> None:
        self.warnings.append(
            format_config_error(
                problem, file=self.file, line=self.line(path), key=format_path(path)
            )
        )

    # -- shapes

    def mapping(self, value: Any, path: KeyPath, allowed: Sequence[str]) -> dict[str, Any]:
        """Check that ``value`` is a mapping whose keys are all in ``allowed``."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a mapping (key: value lines), got {describe(value)}")
        for key in value:
            skey = str(key)
            if skey not in allowed:
                # A secret pasted as a key is cut in the key path too.
                label = shown(skey).strip("'") if looks_secret(skey) else skey
                raise ConfigError(
                    self._unknown_key(skey, allowed, path),
                    file=self.file,
                    line=self.line((*path, skey), at_key=True),
                    key=format_path((*path, label)),
                )
        return {str(k): v for k, v in value.items()}

    def _unknown_key(self, key: str, allowed: Sequence[str], path: KeyPath) -> str:
        lowered = {a.lower(): a for a in allowed}
        if key.lower() in lowered:
            return f"unknown key (did you mean '{lowered[key.lower()]}'? keys are lower case)"
        close = difflib.get_close_matches(key.lower(), list(allowed), n=1, cutoff=0.6)
        if close:
            return f"unknown key (did you mean '{close[0]}'?)"
        sections = _SECTIONS_OF.get(key, [])
        if sections and _section_name(path) not in sections:
            where = " or ".join(f"'{section}'" for section in sections)
            return f"unknown key here ('{key}' belongs under {where})"
        if key in TOP_KEYS and path:
            return f"unknown key here ('{key}' is a top-level section; check the indentation)"
        return "unknown key (allowed: " + ", ".join(allowed) + ")"

    def items(self, value: Any, path: KeyPath) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, Mapping) or not isinstance(value, list):
            self.fail(path, f"expected a list (lines starting with '- '), got {describe(value)}")
        return value

    # -- scalars

    def text(
        self,
        m: Mapping[str, Any],
        key: str,
        path: KeyPath,
        *,
        required: bool = False,
        what: str = "text",
    ) -> str | None:
        value = m.get(key, _MISSING)
        if value is _MISSING or value is None or (isinstance(value, str) and not value.strip()):
            if required:
                full = (*path, key)
                if value is _MISSING:
                    self.fail(full, f"missing (required: {what})")
                self.fail(full, f"is empty (required: {what})")
            return None
        if not isinstance(value, str):
            self.fail(
                (*path, key),
                f"expected {what}, got {describe(value)}"
                + (" (put it in quotes)" if isinstance(value, int | float) else ""),
            )
        return value.strip()

    def required(self, m: Mapping[str, Any], key: str, path: KeyPath, what: str) -> str:
        """A text value that must be present and non-empty."""
        value = self.text(m, key, path, required=True, what=what)
        if value is None:  # unreachable: text() already failed; keeps the type exact
            self.fail((*path, key), f"missing (required: {what})")
        return value

    def whole_number(
        self, m: Mapping[str, Any], key: str, path: KeyPath, what: str, bounds: tuple[int, int]
    ) -> int | None:
        """A whole number within ``bounds`` (inclusive): the store and alerts rely on it."""
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*path, key), f"expected a whole number of {what}, got {describe(value)}")
        low, high = bounds
        if not low <= value <= high:
            got = describe(value).removeprefix("the number ")
            self.fail((*path, key), f"must be from {low} to {high} {what}, got {got}")
        return value

    def text_list(
        self,
        m: Mapping[str, Any],
        key: str,
        path: KeyPath,
        *,
        numbers_ok: bool = False,
        what: str = "text",
    ) -> list[str]:
        """A list of strings; a single string is accepted as a one-item list.

        ``numbers_ok`` turns unquoted numbers (phone numbers, WeCom department ids) into
        text, because YAML reads ``[13800001111]`` as an integer and that is never
        what the webmaster meant to be an error.
        """
        value = m.get(key)
        full = (*path, key)
        if value is None:
            return []
        if isinstance(value, str | int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.fail(full, f"expected a list of {what}, got {describe(value)}")
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, int) and not isinstance(item, bool) and numbers_ok:
                item = str(item)
            if not isinstance(item, str):
                self.fail((*full, index), f"expected {what}, got {describe(item)}")
            item = item.strip()
            if not item:
                self.fail((*full, index), "is empty")
            out.append(item)
        return out

    def http_url(self, value: str, path: KeyPath, *, secret: bool = False) -> str:
        """Check an absolute http(s) URL; secrets are never echoed in the message."""
        parts = urlsplit(value)
        echo = "" if secret or looks_secret(value) else f" {shown(value)}"
        if parts.scheme not in ("http", "https"):
            hint = ""
            if echo and not parts.scheme and "." in value.split("/")[0]:
                hint = f" (did you mean {shown('http://' + value)}?)"
            self.fail(path, f"URL{echo} must start with http:// or https://{hint}")
        if not parts.hostname:
            self.fail(path, f"URL{echo} has no host name")
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            self.fail(path, f"URL{echo} has an invalid port")
        return value

    def webhook(self, value: str, path: KeyPath) -> str:
        """A group robot's webhook: https (the key travels in it), with its ``key=``.

        Plain http is allowed to a loopback host only (a local relay or a test sink). A
        host other than WeCom's or ALERTS_WECOM_API_BASE's is a warning: private WeCom
        deployments and relays exist, but a typo there would leak the key elsewhere.
        """
        self.http_url(value, path, secret=True)
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        if parts.scheme == "http" and not _is_loopback(host):
            self.fail(
                path,
                "plain http:// would send the robot key in clear: use https:// "
                "(http is allowed only to a loopback host)",
            )
        if not any(v.strip() for v in parse_qs(parts.query).get("key", [])):
            self.fail(
                path,
                "has no 'key=' (copy the whole webhook URL from the group robot's settings)",
            )
        if host not in self.webhook_hosts:
            self.warn(
                path,
                f"host '{host}' is neither {WECOM_HOST} nor the ALERTS_WECOM_API_BASE host; "
                "check that the robot key goes where you mean",
            )
        return value

    def contact_text(self, m: Mapping[str, Any], key: str, path: KeyPath) -> str | None:
        """One line of printable ASCII (it goes into the User-Agent header)."""
        value = self.text(m, key, path, what="an email address or URL")
        if value is None:
            return None
        if not value.isascii() or not value.isprintable() or len(value) > MAX_CONTACT_CHARS:
            self.fail(
                (*path, key),
                f"must be one line of at most {MAX_CONTACT_CHARS} ASCII characters "
                "(an email address or URL; it is sent in the User-Agent header)",
            )
        return value

    # -- sections

    def site_config(self, data: Any) -> SiteConfig:
        if not isinstance(data, Mapping):
            self.fail((), f"expected 'site:' and its keys at the top level, got {describe(data)}")
        top = self.mapping(data, (), TOP_KEYS)
        if "site" not in top:
            self.fail(("site",), "missing (required: site.name and site.url)")
        site = self.mapping(top.get("site"), ("site",), SITE_KEYS)
        name = self.required(site, "name", ("site",), "the portal's name")
        url = self.http_url(
            self.required(site, "url", ("site",), "the home page URL"), ("site", "url")
        )
        domains = self.allowed_domains(site, url)
        webmaster = None
        if site.get("webmaster") is not None:
            webmaster = self.contact(site["webmaster"], ("site", "webmaster"))

        defaults = self.mapping(top.get("defaults"), ("defaults",), DEFAULTS_KEYS)
        default_unit = self.text(defaults, "unit", ("defaults",), what="a unit name")
        deadline = self.whole_number(
            defaults, "deadline_days", ("defaults",), "days", DEADLINE_DAYS
        )
        min_items = self.min_items(defaults, ("defaults",))
        reply_days = self.whole_number(defaults, "reply_days", ("defaults",), "days", REPLY_DAYS)
        report = self.mapping(top.get("report"), ("report",), REPORT_KEYS)

        units = [
            self.unit_config(item, ("units", i))
            for i, item in enumerate(self.items(top.get("units"), ("units",)))
        ]
        columns = [
            self.column_rule(item, ("columns", i))
            for i, item in enumerate(self.items(top.get("columns"), ("columns",)))
        ]
        config = SiteConfig(
            path=self.file,
            name=name,
            url=url,
            allowed_domains=domains,
            default_unit=default_unit,
            deadline_days=deadline if deadline is not None else 5,
            units=units,
            columns=columns,
            webmaster=webmaster,
            contact=self.contact_text(site, "contact", ("site",)),
            min_items=None if min_items is MinItems.OFF else min_items,
            reply_days=reply_days if reply_days is not None else 90,
            report_requirements=self.text(
                report, "requirements", ("report",), what="text (the report's 有关要求)"
            ),
        )
        self.cross_check(config)
        config.warnings = self.warnings
        return config

    def allowed_domains(self, site: Mapping[str, Any], url: str) -> list[str]:
        host = (urlsplit(url).hostname or "").lower()
        given = self.text_list(site, "allowed_domains", ("site",), what="host names")
        domains: list[str] = []
        for index, entry in enumerate(given):
            path = ("site", "allowed_domains", index)
            domain = entry.lower()
            if "://" in domain:
                # Scrapy wants bare host names; take the host rather than stop the crawl.
                domain = (urlsplit(domain).hostname or "").lower()
                self.warn(path, f"write host names, not URLs: using '{domain}'")
            elif "/" in domain:
                self.fail(path, f"{shown(entry)} is not a host name (no '/' allowed)")
            if domain.count(":") == 1:  # a port means nothing for domain filtering
                domain = domain.split(":", 1)[0]
            domain = domain.strip(".")
            if not domain:
                self.fail(path, f"{shown(entry)} is not a host name")
            if is_public_suffix(domain):
                self.fail(path, f"'{domain}' is a public suffix: too wide a scope")
            if domain not in domains:
                domains.append(domain)
        if not domains:
            return [own_domain(host)]
        if not host_in(host, domains):
            # The home page itself must always be crawlable.
            domains.insert(0, host)
            self.warn(
                ("site", "allowed_domains"), f"does not cover the host of site.url; added '{host}'"
            )
        return domains

    def contact(self, value: Any, path: KeyPath) -> UnitConfig:
        """``site.webmaster``: a unit's channels without its columns or escalation."""
        m = self.mapping(value, path, CONTACT_KEYS)
        return self.channels(m, path, self.text(m, "name", path, what="a name") or WEBMASTER_NAME)

    def unit_config(self, value: Any, path: KeyPath) -> UnitConfig:
        m = self.mapping(value, path, UNIT_KEYS)
        if not m:
            self.fail(path, "a unit needs at least 'name:'")
        unit = self.channels(m, path, self.required(m, "name", path, "the unit's name"))
        unit.escalate_to = self.text(m, "escalate_to", path, what="a unit name")
        unit.columns = [
            self.match_value(entry, (*path, "columns", i))
            for i, entry in enumerate(
                self.text_list(m, "columns", path, what="URL path prefixes or column names")
            )
        ]
        return unit

    def channels(self, m: Mapping[str, Any], path: KeyPath, name: str) -> UnitConfig:
        """The alert channel keys a unit and the webmaster share."""
        emails = self.text_list(m, "email", path, what="email addresses")
        for index, address in enumerate(emails):
            if not _EMAIL.match(address):
                hint = ""
                if re.search(r"[,;\s]", address) and not looks_secret(address):
                    hint = " (write several addresses as a list: [a@x.gov.cn, b@x.gov.cn])"
                self.fail(
                    (*path, "email", index), f"{shown(address)} is not an email address{hint}"
                )
        webhook = self.text(m, "wecom_webhook", path, what="the robot's webhook URL")
        if webhook is not None:
            self.webhook(webhook, (*path, "wecom_webhook"))
        return UnitConfig(
            name=name,
            email=emails,
            wecom_webhook=webhook,
            wecom_mobiles=self.text_list(
                m, "wecom_mobiles", path, numbers_ok=True, what="mobile numbers"
            ),
            wecom_users=self.text_list(
                m, "wecom_users", path, numbers_ok=True, what="WeCom user ids"
            ),
            wecom_parties=self.text_list(
                m, "wecom_parties", path, numbers_ok=True, what="WeCom department ids"
            ),
        )

    def match_value(self, value: str, path: KeyPath) -> str:
        """Check a URL / path / name matcher and reject the ambiguous relative path."""
        kind = match_kind(value)
        if kind == "url":
            self.http_url(value, path)
        elif (
            kind == "name"
            and value.isascii()
            and ("/" in value or value.endswith((".html", ".htm", ".shtml", ".jsp")))
        ):
            self.fail(
                path,
                f"{shown(value)} looks like a URL path: start it with '/' "
                f"(did you mean {shown('/' + value.lstrip('./'))}?)",
            )
        return value

    def column_rule(self, value: Any, path: KeyPath) -> ColumnRule:
        m = self.mapping(value, path, COLUMN_KEYS)
        match = self.match_value(
            self.required(m, "match", path, "a URL, URL path prefix or column name"),
            (*path, "match"),
        )
        category = self.text(m, "category", path, what="a category")
        if category is not None and category not in CATEGORIES:
            close = difflib.get_close_matches(category.lower(), CATEGORIES, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.fail(
                (*path, "category"),
                f"unknown category {shown(category)} ({hint}use one of: "
                + "|".join(CATEGORIES)
                + ")",
            )
        ignore = m.get("ignore", False)
        if ignore is None:
            ignore = False
        if not isinstance(ignore, bool):
            self.fail((*path, "ignore"), f"expected true or false, got {describe(ignore)}")
        return ColumnRule(
            match=match,
            category=category,
            max_age_days=self.whole_number(m, "max_age_days", path, "days", MAX_AGE_DAYS),
            unit=self.text(m, "unit", path, what="a unit name"),
            exempt_until=self.date(m, "exempt_until", path),
            ignore=ignore,
            name=self.text(m, "name", path, what="a column name"),
            min_items=self.min_items(m, path),
        )

    def min_items(self, m: Mapping[str, Any], path: KeyPath) -> MinItems | None:
        """``{count, days}``; absent gives None, an explicit ``null`` gives ``MinItems.OFF``."""
        if "min_items" not in m:
            return None
        value = m["min_items"]
        if value is None:
            return MinItems.OFF
        full = (*path, "min_items")
        if not isinstance(value, Mapping):
            self.fail(
                full,
                f"expected {{count: N, days: D}} (or null to switch it off), got {describe(value)}",
            )
        rule = self.mapping(value, full, MIN_ITEMS_KEYS)
        count = self.whole_number(rule, "count", full, "items", MIN_ITEMS_COUNT)
        days = self.whole_number(rule, "days", full, "days", MIN_ITEMS_DAYS)
        if count is None or days is None:
            missing = "count" if count is None else "days"
            self.fail((*full, missing), "missing (min_items needs both count and days)")
        return MinItems(count=count, days=days)

    def date(self, m: Mapping[str, Any], key: str, path: KeyPath) -> dt.date | None:
        """A calendar date within ``DATE_RANGE`` (date arithmetic on it must not overflow)."""
        value = m.get(key)
        if value is None:
            return None
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            found = _DATE_TEXT.match(value)
            if found:
                with contextlib.suppress(ValueError):  # 2026-02-30: said below
                    day = dt.date(*(int(g) for g in found.groups()))
        if day is None:
            self.fail((*path, key), f"expected a date like 2026-12-31, got {describe(value)}")
        low, high = DATE_RANGE
        if not low <= day <= high:
            self.fail(
                (*path, key),
                f"{day.isoformat()} is out of range (from {low.isoformat()} to {high.isoformat()})",
            )
        return day

    def cross_check(self, config: SiteConfig) -> None:
        """Unit references must name a declared unit: a typo would silence alerts."""
        declared = config.unit_names
        seen: dict[str, int] = {}
        for index, unit in enumerate(config.units):
            if unit.name in seen:
                self.fail(
                    ("units", index, "name"),
                    f"unit {shown(unit.name)} is declared twice (also units[{seen[unit.name]}])",
                )
            seen[unit.name] = index

        def check(name: str | None, path: KeyPath) -> None:
            if name is None or name in declared:
                return
            close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            if looks_secret(name):
                self.fail(path, f"unknown unit {shown(name)} (is a secret under the wrong key?)")
            self.fail(
                path,
                f"unknown unit {shown(name)} ({hint}declare it under units: as "
                f"'- name: {name}' or set it as defaults.unit)",
            )

        for index, unit in enumerate(config.units):
            check(unit.escalate_to, ("units", index, "escalate_to"))
            if unit.escalate_to == unit.name:
                self.fail(("units", index, "escalate_to"), "a unit cannot escalate to itself")
        for index, rule in enumerate(config.columns):
            check(rule.unit, ("columns", index, "unit"))
        self.check_escalation_loops(config)

        matches: dict[str, int] = {}
        for index, rule in enumerate(config.columns):
            if rule.match in matches:
                self.fail(
                    ("columns", index, "match"),
                    f"{shown(rule.match)} is already matched by columns[{matches[rule.match]}]"
                    " (merge the two entries)",
                )
            matches[rule.match] = index

    def check_escalation_loops(self, config: SiteConfig) -> None:
        target = {u.name: u.escalate_to for u in config.units if u.escalate_to}
        for index, unit in enumerate(config.units):
            chain = [unit.name]
            current = target.get(unit.name)
            while current is not None:
                if current == unit.name:
                    self.fail(
                        ("units", index, "escalate_to"),
                        "escalation loop: " + " -> ".join([*chain, current]),
                    )
                if current in chain:
                    break  # a loop not through this unit; reported from its own entry
                chain.append(current)
                current = target.get(current)


def _section_name(path: KeyPath) -> str:
    if not path:
        return ""
    if path[0] in ("units", "columns"):
        return f"{path[0]}[]"
    return ".".join(str(part) for part in path)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
