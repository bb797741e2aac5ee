"""Keep secrets out of logs and the database.

Webhook URLs carry the robot key, gettoken carries the corp secret, message/send carries the
access token, and ``requests``/``urllib3`` put the full URL into exception messages and
DEBUG log lines. Everything the alerts package logs or stores passes through ``scrub``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

_SECRET_PARAMS = re.compile(r"((?:key|corpsecret|access_token)=)([^&\s'\"#)]+)", re.IGNORECASE)


def _mask(match: re.Match[str]) -> str:
    value = match.group(2)
    return f"{match.group(1)}{value[:4]}…" if len(value) > 8 else f"{match.group(1)}…"


def scrub(text: object, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with secret query parameters masked and each given secret replaced."""
    s = _SECRET_PARAMS.sub(_mask, str(text))
    for secret in secrets:
        if secret and len(secret) >= 4:
            s = s.replace(secret, "***")
    return s


def redact_url(url: str | None) -> str:
    """Host and at most the key's first 4 characters: enough to tell two robots apart."""
    if not url:
        return "<none>"
    try:
        parts = urlsplit(url)
        key = parse_qs(parts.query).get("key", [""])[0]
    except ValueError:
        return "<invalid URL>"
    shown = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return f"{shown}?key={key[:4]}…" if key else shown


class SecretFilter(logging.Filter):
    """Masks secret query parameters in other libraries' records (urllib3 logs URLs at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                scrub(a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        record.msg = scrub(record.msg) if isinstance(record.msg, str) else record.msg
        return True


def install_log_filter() -> None:
    """Attach ``SecretFilter`` to urllib3's connection-pool logger once."""
    log = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, SecretFilter) for f in log.filters):
        log.addFilter(SecretFilter())
