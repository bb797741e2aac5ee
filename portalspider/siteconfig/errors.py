"""The one-line config error, and how a key path and a user's value are written in it.

Every problem in a site config is reported as ``PATH:LINE: key: problem`` (the shape
editors and terminals turn into a link), so a webmaster never sees a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

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
        self.problem = one_line(problem)
        self.file = file
        self.line = line
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        return format_config_error(self.problem, file=self.file, line=self.line, key=self.key)


def format_config_error(
    problem: str, *, file: str | None = None, line: int | None = None, key: str | None = None
) -> str:
    """``file:line: key: problem`` with the missing parts left out, always one line."""
    location = file or ""
    if line is not None:
        location = f"{location}:{line}" if location else f"line {line}"
    parts = [p for p in (location, key, one_line(problem)) if p]
    return ": ".join(parts)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def format_path(path: KeyPath) -> str:
    """``("units", 0, "email")`` → ``units[0].email``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# A value that may be a secret pasted under the wrong key: a robot key, a token, a password.
_SECRET_HINT = re.compile(r"key=|secret|token|passw", re.IGNORECASE)
_OPAQUE_RUN = re.compile(r"[A-Za-z0-9_\-]{20,}")
_SHOWN_MAX = 40


def looks_secret(text: str) -> bool:
    """True for text an error line must not echo (a webhook URL, a key, a long token)."""
    return bool(_SECRET_HINT.search(text) or _OPAQUE_RUN.search(text))


def shown(text: str) -> str:
    """A user's value as an error line may quote it: in full only when short and harmless.

    A value pasted under the wrong key may be a secret (a robot's webhook URL in
    ``email:``), so anything secret-looking is cut to a short prefix: the scheme and host
    of a URL, else its first four characters.
    """
    if looks_secret(text):
        parts = urlsplit(text)
        if parts.scheme and parts.netloc and "@" not in parts.netloc:
            return repr(f"{parts.scheme}://{parts.netloc}/…")
        return repr(text[:4] + "…")
    if len(text) > _SHOWN_MAX:
        return repr(text[: _SHOWN_MAX - 3] + "...")
    return repr(text)


def describe(value: Any) -> str:
    """A short, safe description of a wrong value for an error message."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int) and abs(value) >= 10**12:
        return "a number with too many digits"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {shown(value)}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
