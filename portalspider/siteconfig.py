"""The per-site YAML config: loading, validation and the typed result.

Every problem is reported as one ``ConfigError`` line naming the file, the key and the
problem, so a webmaster never sees a traceback for a typo::

    site.yaml:7: units[0].emial: unknown key (did you mean 'email'?)

The file is parsed once into a YAML node tree (which keeps line numbers) and then
constructed into plain Python values; validation walks the values and looks the line of
each key path up in a table built from the nodes.  The reference for webmasters is
``docs/config.md``; the fixed contract is ``spec/interface.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlsplit

import yaml

from portalspider.items import CATEGORIES

# Allowed keys per section, in the order the reference documents them.
TOP_KEYS = ("site", "defaults", "units", "columns")
SITE_KEYS = ("name", "url", "allowed_domains")
DEFAULTS_KEYS = ("unit", "deadline_days")
UNIT_KEYS = (
    "name",
    "email",
    "wecom_webhook",
    "wecom_mobiles",
    "wecom_users",
    "wecom_parties",
    "escalate_to",
    "columns",
)
COLUMN_KEYS = ("match", "name", "category", "max_age_days", "unit", "exempt_until", "ignore")

# Where each key lives, for "'url' belongs under 'site:'" hints on mis-indented keys.
_SECTION_OF: dict[str, str] = {}
for _section, _keys in (
    ("columns[]", COLUMN_KEYS),
    ("units[]", UNIT_KEYS),
    ("defaults", DEFAULTS_KEYS),
    ("site", SITE_KEYS),
):
    for _key in _keys:
        _SECTION_OF[_key] = _section

KeyPath = tuple[str | int, ...]


class ConfigError(Exception):
    """Raised by ``load_site_config`` for any invalid site config; str() is one line.

    The parts are kept as attributes (``file``, ``line``, ``key``, ``problem``) so callers
    and tests can check them without parsing the message.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.problem = _one_line(problem)
        self.file = file
        self.line = line
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        return format_config_error(self.problem, file=self.file, line=self.line, key=self.key)


def format_config_error(
    problem: str, *, file: str | None = None, line: int | None = None, key: str | None = None
) -> str:
    """``file:line: key: problem`` with the missing parts left out, always one line.

    The ``file:line:`` prefix is the shape editors and terminals turn into a link.
    """
    location = file or ""
    if line is not None:
        location = f"{location}:{line}" if location else f"line {line}"
    parts = [p for p in (location, key, _one_line(problem)) if p]
    return ": ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


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

    def __repr__(self) -> str:
        # The webhook URL carries the robot key: keep it out of logs and tracebacks.
        hook = "<set>" if self.wecom_webhook else None
        return (
            f"UnitConfig(name={self.name!r}, email={self.email!r}, wecom_webhook={hook}, "
            f"wecom_mobiles={self.wecom_mobiles!r}, wecom_users={self.wecom_users!r}, "
            f"wecom_parties={self.wecom_parties!r}, escalate_to={self.escalate_to!r}, "
            f"columns={self.columns!r})"
        )


@dataclass
class ColumnRule:
    match: str  # URL (absolute or path prefix) or column name
    category: str | None = None
    max_age_days: int | None = None
    unit: str | None = None
    exempt_until: dt.date | None = None
    ignore: bool = False
    name: str | None = None  # extension: display name for a column added by config

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


def portal_domain(host: str) -> str:
    """The portal's own domain, so its sections on sibling hosts are inside it.

    ``www.qx.gov.cn`` gives ``qx.gov.cn`` (``xxgk.qx.gov.cn`` is the same portal); an IP
    address or a single-label host stays as it is; ``www.gov.cn`` itself stays whole.
    """
    labels = host.split(".")
    if host.replace(".", "").isdigit() or len(labels) <= 2:
        return host
    keep = 3 if host.endswith((".gov.cn", ".org.cn", ".com.cn", ".edu.cn", ".net.cn")) else 2
    if len(labels) <= keep:
        return host
    return ".".join(labels[-keep:])


def load_site_config(path: str) -> SiteConfig:
    """Read and validate a site config file; raise ``ConfigError`` with one readable line."""
    file = str(path)
    text = _read_text(file)
    data, marks = _parse_yaml(text, file)
    return _Checker(file, marks).site_config(data)


# --- reading and parsing --------------------------------------------------------------


def _read_text(file: str) -> str:
    try:
        with open(file, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise ConfigError("file not found", file=file) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a YAML file", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Windows editors often save GBK; say so instead of showing mojibake later.
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "the file is not UTF-8 text (save it as UTF-8; GBK/ANSI is not supported)",
            file=file,
            line=line,
        ) from None


@dataclass
class _Marks:
    """Line numbers (1-based) of keys and values by key path, from the YAML node tree."""

    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    value_lines: dict[KeyPath, int] = field(default_factory=dict)


def _parse_yaml(text: str, file: str) -> tuple[Any, _Marks]:
    loader = yaml.SafeLoader(text)
    marks = _Marks()
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _yaml_error(exc, file) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"YAML syntax error: {exc}", file=file) from None
        if node is None:
            raise ConfigError(
                "the file is empty (it needs at least site.name and site.url)", file=file
            )
        timestamps: list[tuple[KeyPath, yaml.Node]] = []
        _walk(node, (), marks, timestamps, file, set())
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            raise _yaml_error(exc, file) from None
        except (ValueError, TypeError) as exc:
            # PyYAML lets e.g. an impossible date (2026-02-30) escape as ValueError.
            _raise_bad_timestamp(timestamps, file)
            raise ConfigError(f"invalid value ({exc})", file=file) from None
    finally:
        loader.dispose()
    return data, marks


def _yaml_error(exc: yaml.MarkedYAMLError, file: str) -> ConfigError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    detail = f"YAML syntax error: {problem}"
    if exc.context and exc.problem:
        detail += f" ({exc.context})"
    if mark is not None:
        detail += f" at column {mark.column + 1}"
        if "\t" in problem or "'\\t'" in problem:
            detail += "; indent with spaces, not tabs"
    return ConfigError(detail, file=file, line=mark.line + 1 if mark else None)


def _walk(
    node: yaml.Node,
    path: KeyPath,
    marks: _Marks,
    timestamps: list[tuple[KeyPath, yaml.Node]],
    file: str,
    seen: set[int],
) -> None:
    """Record the line of every key path, reject duplicate keys, collect timestamps."""
    marks.value_lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:  # an alias to a node already walked (or a recursive one)
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            if key in keys_here:
                raise ConfigError(
                    f"duplicate key (first at line {keys_here[key]}; the second would "
                    "silently win)",
                    file=file,
                    line=line,
                    key=_format_path((*path, key)),
                )
            keys_here[key] = line
            marks.key_lines.setdefault((*path, key), line)
            _walk(value_node, (*path, key), marks, timestamps, file, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks.key_lines.setdefault((*path, index), item.start_mark.line + 1)
            _walk(item, (*path, index), marks, timestamps, file, seen)
    elif node.tag == "tag:yaml.org,2002:timestamp":
        timestamps.append((path, node))


def _raise_bad_timestamp(timestamps: list[tuple[KeyPath, yaml.Node]], file: str) -> None:
    for path, node in timestamps:
        try:
            yaml.SafeLoader("").construct_yaml_timestamp(node)
        except (ValueError, TypeError):
            raise ConfigError(
                f"{node.value!r} is not a real date (write YYYY-MM-DD)",
                file=file,
                line=node.start_mark.line + 1,
                key=_format_path(path),
            ) from None


def _format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- validation -----------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MISSING = object()


def _describe(value: Any) -> str:
    """A short, safe description of a wrong value for an error message."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__


class _Checker:
    """Validates the constructed YAML data and builds the ``SiteConfig``."""

    def __init__(self, file: str, marks: _Marks) -> None:
        self.file = file
        self.marks = marks
        self.warnings: list[str] = []

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
            key=_format_path(path) or None,
        )

    def warn(self, path: KeyPath, problem: str) -> None:
        self.warnings.append(
            format_config_error(
                problem, file=self.file, line=self.line(path), key=_format_path(path)
            )
        )

    # -- shapes

    def mapping(self, value: Any, path: KeyPath, allowed: Sequence[str]) -> dict[str, Any]:
        """Check that ``value`` is a mapping whose keys are all in ``allowed``."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a mapping (key: value lines), got {_describe(value)}")
        for key in value:
            skey = str(key)
            if skey not in allowed:
                self.fail((*path, skey), self._unknown_key(skey, allowed, path), at_key=True)
        return {str(k): v for k, v in value.items()}

    def _unknown_key(self, key: str, allowed: Sequence[str], path: KeyPath) -> str:
        lowered = {a.lower(): a for a in allowed}
        if key.lower() in lowered:
            return f"unknown key (did you mean '{lowered[key.lower()]}'? keys are lower case)"
        close = difflib.get_close_matches(key.lower(), list(allowed), n=1, cutoff=0.6)
        if close:
            return f"unknown key (did you mean '{close[0]}'?)"
        section = _SECTION_OF.get(key)
        if section is not None and section != _section_name(path):
            return f"unknown key here ('{key}' belongs under '{section}')"
        if key in TOP_KEYS and path:
            return f"unknown key here ('{key}' is a top-level section; check the indentation)"
        return "unknown key (allowed: " + ", ".join(allowed) + ")"

    def items(self, value: Any, path: KeyPath) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, Mapping) or not isinstance(value, list):
            self.fail(path, f"expected a list (lines starting with '- '), got {_describe(value)}")
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
                f"expected {what}, got {_describe(value)}"
                + (" (put it in quotes)" if isinstance(value, int | float) else ""),
            )
        return value.strip()

    def required(self, m: Mapping[str, Any], key: str, path: KeyPath, what: str) -> str:
        """A text value that must be present and non-empty."""
        value = self.text(m, key, path, required=True, what=what)
        if value is None:  # unreachable: text() already failed; keeps the type exact
            self.fail((*path, key), f"missing (required: {what})")
        return value

    def whole_number(self, m: Mapping[str, Any], key: str, path: KeyPath, what: str) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*path, key), f"expected a whole number of {what}, got {_describe(value)}")
        if value < 1:
            self.fail((*path, key), f"must be at least 1 {what.rstrip('s')}, got {value}")
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
            self.fail(full, f"expected a list of {what}, got {_describe(value)}")
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, int) and not isinstance(item, bool) and numbers_ok:
                item = str(item)
            if not isinstance(item, str):
                self.fail((*full, index), f"expected {what}, got {_describe(item)}")
            item = item.strip()
            if not item:
                self.fail((*full, index), "is empty")
            out.append(item)
        return out

    def http_url(self, value: str, path: KeyPath, *, secret: bool = False) -> str:
        """Check an absolute http(s) URL; secrets are never echoed in the message."""
        parts = urlsplit(value)
        shown = "" if secret else f" {value!r}"
        if parts.scheme not in ("http", "https"):
            hint = ""
            if not secret and not parts.scheme and "." in value.split("/")[0]:
                hint = f" (did you mean 'http://{value}'?)"
            self.fail(path, f"URL{shown} must start with http:// or https://{hint}")
        if not parts.hostname:
            self.fail(path, f"URL{shown} has no host name")
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            self.fail(path, f"URL{shown} has an invalid port")
        return value

    # -- sections

    def site_config(self, data: Any) -> SiteConfig:
        if not isinstance(data, Mapping):
            self.fail((), f"expected 'site:' and its keys at the top level, got {_describe(data)}")
        top = self.mapping(data, (), TOP_KEYS)
        if "site" not in top:
            self.fail(("site",), "missing (required: site.name and site.url)")
        site = self.mapping(top.get("site"), ("site",), SITE_KEYS)
        name = self.required(site, "name", ("site",), "the portal's name")
        url = self.http_url(
            self.required(site, "url", ("site",), "the home page URL"), ("site", "url")
        )
        domains = self.allowed_domains(site, url)

        defaults = self.mapping(top.get("defaults"), ("defaults",), DEFAULTS_KEYS)
        default_unit = self.text(defaults, "unit", ("defaults",), what="a unit name")
        deadline = self.whole_number(defaults, "deadline_days", ("defaults",), "days")

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
                self.fail(path, f"{entry!r} is not a host name (no '/' allowed)")
            if domain.count(":") == 1:  # a port means nothing for domain filtering
                domain = domain.split(":", 1)[0]
            domain = domain.strip(".")
            if not domain:
                self.fail(path, f"{entry!r} is not a host name")
            if domain not in domains:
                domains.append(domain)
        if not domains:
            return [portal_domain(host)]
        if not any(host == d or host.endswith("." + d) for d in domains):
            # The home page itself must always be crawlable.
            domains.insert(0, host)
            self.warn(
                ("site", "allowed_domains"), f"does not cover the host of site.url; added '{host}'"
            )
        return domains

    def unit_config(self, value: Any, path: KeyPath) -> UnitConfig:
        m = self.mapping(value, path, UNIT_KEYS)
        if not m:
            self.fail(path, "a unit needs at least 'name:'")
        name = self.required(m, "name", path, "the unit's name")
        emails = self.text_list(m, "email", path, what="email addresses")
        for index, address in enumerate(emails):
            if not _EMAIL.match(address):
                hint = ""
                if re.search(r"[,;\s]", address):
                    hint = " (write several addresses as a list: [a@x.gov.cn, b@x.gov.cn])"
                self.fail((*path, "email", index), f"{address!r} is not an email address{hint}")
        webhook = self.text(m, "wecom_webhook", path, what="the robot's webhook URL")
        if webhook is not None:
            self.http_url(webhook, (*path, "wecom_webhook"), secret=True)
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
            escalate_to=self.text(m, "escalate_to", path, what="a unit name"),
            columns=[
                self.match_value(entry, (*path, "columns", i))
                for i, entry in enumerate(
                    self.text_list(m, "columns", path, what="URL path prefixes or column names")
                )
            ],
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
                f"{value!r} looks like a URL path: start it with '/' "
                f"(did you mean '/{value.lstrip('./')}'?)",
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
                f"unknown category {category!r} ({hint}use one of: " + "|".join(CATEGORIES) + ")",
            )
        ignore = m.get("ignore", False)
        if ignore is None:
            ignore = False
        if not isinstance(ignore, bool):
            self.fail((*path, "ignore"), f"expected true or false, got {_describe(ignore)}")
        return ColumnRule(
            match=match,
            category=category,
            max_age_days=self.whole_number(m, "max_age_days", path, "days"),
            unit=self.text(m, "unit", path, what="a unit name"),
            exempt_until=self.date(m, "exempt_until", path),
            ignore=ignore,
            name=self.text(m, "name", path, what="a column name"),
        )

    def date(self, m: Mapping[str, Any], key: str, path: KeyPath) -> dt.date | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            found = _DATE_TEXT.match(value)
            if found:
                try:
                    return dt.date(*(int(g) for g in found.groups()))
                except ValueError:
                    pass
        self.fail((*path, key), f"expected a date like 2026-12-31, got {_describe(value)}")
        return None  # unreachable: fail() raises

    def cross_check(self, config: SiteConfig) -> None:
        """Unit references must name a declared unit: a typo would silence alerts."""
        declared = config.unit_names
        seen: dict[str, int] = {}
        for index, unit in enumerate(config.units):
            if unit.name in seen:
                self.fail(
                    ("units", index, "name"),
                    f"unit {unit.name!r} is declared twice (also units[{seen[unit.name]}])",
                )
            seen[unit.name] = index

        def check(name: str | None, path: KeyPath) -> None:
            if name is None or name in declared:
                return
            close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.fail(
                path,
                f"unknown unit {name!r} ({hint}declare it under units: as "
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
                    f"{rule.match!r} is already matched by columns[{matches[rule.match]}]"
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
    return str(path[0])
