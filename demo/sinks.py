"""Local stand-ins for the outside world, on 127.0.0.1 only: used by the tests and ``make demo``.

``SMTPSink`` is a real SMTP server (aiosmtpd) that keeps what it receives.
``FakeWeComServer`` is a threaded HTTP server that answers like qyapi.weixin.qq.com: HTTP
200 with an ``errcode`` body, the documented size limits, 20 messages a minute per robot,
token expiry, duplicate check, and knobs to inject the error codes the client must handle.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import mailbox
import socket
import threading
import time
from collections import defaultdict, deque
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from demo.loopback import LOOPBACK


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, sink: SMTPSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        with self.sink.lock:
            self.sink.messages.append(msg)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.sink.maildir is not None:
            mailbox.Maildir(str(self.sink.maildir), create=True).add(envelope.content)
        return "250 Message accepted for delivery"


class SMTPSink:
    """An SMTP server on 127.0.0.1 keeping every message; stop/start keeps the port.

    ``maildir``: also store each message there (``make demo`` leaves them for a human).
    ``login``: ``(user, password)`` the server requires (AUTH over plain SMTP on
    loopback); anything else is refused with 535, like a real server.
    """

    def __init__(
        self,
        port: int | None = None,
        maildir: str | Path | None = None,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.host = LOOPBACK
        self.port = port or free_port()
        self.maildir = Path(maildir) if maildir else None
        self.login = login
        self.auth_attempts = 0
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SMTPSink:
        if self._controller is None:
            auth: dict[str, Any] = {}
            if self.login is not None:
                # AUTH offered without TLS (loopback only); not required, as aiosmtpd
                # warns about requiring it without TLS, but a refused login ends the session.
                auth = {"authenticator": self._authenticate, "auth_require_tls": False}
            self._controller = Controller(
                _Handler(self), hostname=self.host, port=self.port, **auth
            )
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        self.auth_attempts += 1
        if not isinstance(data, LoginPassword) or self.login is None:
            return AuthResult(success=False, handled=False)
        given = (data.login.decode("utf-8"), data.password.decode("utf-8"))
        return AuthResult(success=given == self.login, handled=False)

    def __enter__(self) -> SMTPSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def _reply(errcode: int, errmsg: str, **extra: Any) -> dict[str, Any]:
    hint = hashlib.sha256(f"{errcode}{time.time()}".encode()).hexdigest()[:12]
    more = (
        ""
        if errcode == 0
        else (
            f", hint: [{hint}], more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"
        )
    )
    return {"errcode": errcode, "errmsg": errmsg + more, **extra}


class FakeWeComServer:
    """Behaves like the WeCom APIs the alerts use; every accepted message is in ``received``.

    Knobs: ``fail_next(errcode, n, api=...)``, ``invalid_keys`` (→ 93000),
    ``expire_tokens()`` (→ 42001), ``revoke_tokens()`` (→ 40014), ``trusted_ip = False``
    (→ 60020), ``valid_users``/``valid_parties`` (all invalid → 81013), ``rate_window``.
    """

    MARKDOWN_MAX = 4096
    TEXT_MAX = 2048
    APP_CONTENT_MAX = 2048

    def __init__(
        self,
        corp_id: str = "ww-test-corp",
        corp_secret: str = "test-secret-0123456789",  # noqa: S107 (a fake server)
        agent_id: int = 1000002,
        rate_limit: int = 20,
        rate_window: float = 60.0,
        token_ttl: int = 7200,
    ) -> None:
        self.corp_id = corp_id
        self.corp_secret = corp_secret
        self.agent_id = agent_id
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.token_ttl = token_ttl
        self.received: list[dict[str, Any]] = []
        self.rejected: list[dict[str, Any]] = []
        self.duplicates = 0
        self.gettoken_calls = 0
        self.invalid_keys: set[str] = set()
        self.valid_users: set[str] | None = None
        self.valid_parties: set[str] | None = None
        self.trusted_ip = True
        self.lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._injected: deque[tuple[str, int]] = deque()
        self._sent_at: dict[str, deque[float]] = defaultdict(deque)
        self._dedup: dict[str, float] = {}
        self._counter = 0
        self._httpd = ThreadingHTTPServer((LOOPBACK, 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self._httpd.server_address[1]}"

    def webhook_url(self, key: str) -> str:
        return f"{self.base_url}/cgi-bin/webhook/send?key={key}"

    def start(self) -> FakeWeComServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeWeComServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- knobs -------------------------------------------------------------------------
    def fail_next(self, errcode: int, n: int = 1, api: str = "any") -> None:
        """The next ``n`` calls of ``api`` (webhook|app|gettoken|any) answer ``errcode``."""
        with self.lock:
            self._injected.extend([(api, errcode)] * n)

    def expire_tokens(self) -> None:
        with self.lock:
            self._tokens = dict.fromkeys(self._tokens, 0.0)

    def revoke_tokens(self) -> None:
        with self.lock:
            self._tokens.clear()

    def messages_for(self, key: str) -> list[dict[str, Any]]:
        return [m["body"] for m in self.received if m.get("key") == key]

    # -- behaviour ---------------------------------------------------------------------
    def _injected_for(self, api: str) -> int | None:
        for i, (target, code) in enumerate(self._injected):
            if target in (api, "any"):
                del self._injected[i]
                return code
        return None

    def webhook(self, key: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if not key or key in self.invalid_keys:
                return _reply(93000, "invalid webhook url")
            injected = self._injected_for("webhook")
            if injected is not None:
                return _reply(injected, "injected error")
            now = time.monotonic()
            window = self._sent_at[key]
            while window and now - window[0] >= self.rate_window:
                window.popleft()
            if len(window) >= self.rate_limit:
                return _reply(45009, "api freq out of limit")
            kind = body.get("msgtype")
            if kind not in ("text", "markdown", "markdown_v2"):
                return _reply(40008, "invalid message type")
            content = str((body.get(kind) or {}).get("content", ""))
            if not content:
                return _reply(44004, "empty content")
            limit = self.TEXT_MAX if kind == "text" else self.MARKDOWN_MAX
            size = len(content.encode("utf-8"))
            if size > limit:
                self.rejected.append({"api": "webhook", "key": key, "body": body})
                return _reply(40058, f"{kind}.content exceed max length {limit}")
            window.append(now)
            self.received.append({"api": "webhook", "key": key, "body": body})
            return _reply(0, "ok")

    def gettoken(self, corpid: str, secret: str) -> dict[str, Any]:
        with self.lock:
            self.gettoken_calls += 1
            injected = self._injected_for("gettoken")
            if injected is not None:
                return _reply(injected, "injected error")
            if corpid != self.corp_id:
                return _reply(40013, "invalid corpid")
            if secret != self.corp_secret:
                return _reply(40001, "invalid credential")
            self._counter += 1
            token = hashlib.sha256(f"tok{self._counter}{secret}".encode()).hexdigest()
            self._tokens[token] = time.monotonic() + self.token_ttl
            return _reply(0, "ok", access_token=token, expires_in=self.token_ttl)

    def app_send(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if not self.trusted_ip:
                return _reply(60020, "not allow to access from your ip")
            if token not in self._tokens:
                return _reply(40014, "invalid access_token")
            if self._tokens[token] <= time.monotonic():
                return _reply(42001, "access_token expired")
            injected = self._injected_for("app")
            if injected is not None:
                return _reply(injected, "injected error")
            if body.get("agentid") != self.agent_id:
                return _reply(40056, "invalid agentid")
            kind = body.get("msgtype")
            content = str((body.get(kind) or {}).get("content", ""))
            if len(content.encode("utf-8")) > self.APP_CONTENT_MAX:
                return _reply(40058, f"{kind}.content exceed max length {self.APP_CONTENT_MAX}")
            users = [u for u in str(body.get("touser", "")).split("|") if u]
            parties = [p for p in str(body.get("toparty", "")).split("|") if p]
            if not users and not parties:
                return _reply(40035, "empty recipients")
            bad_users = [
                u for u in users if self.valid_users is not None and u not in self.valid_users
            ]
            bad_parties = [
                p for p in parties if self.valid_parties is not None and p not in self.valid_parties
            ]
            if len(bad_users) == len(users) and len(bad_parties) == len(parties):
                return _reply(81013, "user & party & tag all invalid")
            extra = {
                "invaliduser": "|".join(bad_users),
                "invalidparty": "|".join(bad_parties),
                "msgid": f"msg{self._counter}",
            }
            if body.get("enable_duplicate_check") == 1:
                interval = float(body.get("duplicate_check_interval", 1800))
                fingerprint = _canonical(body)
                now = time.monotonic()
                if now - self._dedup.get(fingerprint, -1e18) < interval:
                    self.duplicates += 1
                    return _reply(0, "ok", **extra)
                self._dedup[fingerprint] = now
            self.received.append({"api": "app", "body": body})
            return _reply(0, "ok", **extra)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the URLs carry keys and tokens."""

            def _answer(self, data: dict[str, Any]) -> None:
                raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/cgi-bin/gettoken":
                    self._answer(server.gettoken(q.get("corpid", ""), q.get("corpsecret", "")))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length).decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    self._answer(_reply(47001, "data format error"))
                    return
                if url.path == "/cgi-bin/webhook/send":
                    self._answer(server.webhook(q.get("key", ""), body))
                elif url.path == "/cgi-bin/message/send":
                    self._answer(server.app_send(q.get("access_token", ""), body))
                else:
                    self.send_error(404)

        return Handler
