"""Identity keys for sites and columns.

A column is the same column across crawls when its key is the same, whatever its name or
path. The key is deliberately conservative (only spellings that cannot denote different
pages are merged): scheme and host lower-cased, default port dropped, fragment dropped,
an empty path written as ``/``. The spider is expected to emit canonical URLs already;
this only keeps the store's identity stable if it does not.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_key(url: str) -> str:
    """The normalized identity of ``url`` (see module docstring)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, parts.query, ""))
