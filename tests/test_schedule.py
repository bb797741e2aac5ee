"""``scrapy schedule`` against scrapyd-like JSON servers on 127.0.0.1.

The fake speaks the three scrapyd 1.6 endpoints the command uses, with the same shapes
(``listjobs.json`` shows ``args`` for pending jobs only), so node choice, skipping, auth
and unreachable nodes are checked deterministically; the real scrapyd runs in
``test_scrapyd_integration.py``.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from portalspider.commands.schedule import Node, job_prefix, schedule_sites

REPO = Path(__file__).resolve().parent.parent


class FakeScrapyd(ThreadingHTTPServer):
    """State: ``running``/``pending`` job dicts; ``scheduled`` records schedule.json calls."""

    def __init__(self, load: int = 0, auth: tuple[str, str] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.running: list[dict] = [{"id": f"other-{i}", "spider": "x"} for i in range(load)]
        self.pending: list[dict] = []
        self.scheduled: list[dict[str, list[str]]] = []
        self.auth = auth
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeScrapyd

    def log_message(self, *args: object) -> None:
        pass

    def _authorized(self) -> bool:
        if not self.server.auth:
            return True
        token = base64.b64encode(":".join(self.server.auth).encode()).decode()
        return self.headers.get("Authorization") == f"Basic {token}"

    def _reply(self, body: dict, code: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if not self._authorized():
            self._reply({"status": "error", "message": "Unauthorized"}, 401)
            return
        path = urlsplit(self.path).path
        server = self.server
        if path == "/daemonstatus.json":
            self._reply(
                {
                    "status": "ok",
                    "running": len(server.running),
                    "pending": len(server.pending),
                    "finished": 0,
                }
            )
        elif path == "/listjobs.json":
            running = [{k: v for k, v in job.items() if k != "args"} for job in server.running]
            self._reply(
                {"status": "ok", "pending": server.pending, "running": running, "finished": []}
            )
        else:
            self._reply({"status": "error", "message": "no such resource"}, 404)

    def do_POST(self) -> None:
        if not self._authorized():
            self._reply({"status": "error", "message": "Unauthorized"}, 401)
            return
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        self.server.scheduled.append(form)
        self.server.pending.append(
            {"id": form["jobid"][0], "spider": form["spider"][0], "args": {"site": form["site"][0]}}
        )
        self._reply({"status": "ok", "jobid": form["jobid"][0]})


@pytest.fixture
def nodes():
    servers: list[FakeScrapyd] = []

    def make(load: int = 0, auth: tuple[str, str] | None = None) -> FakeScrapyd:
        servers.append(FakeScrapyd(load, auth))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def sites(tmp_path):
    paths = []
    for name in ("qingxi", "baishui", "坏的"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            f"site:\n  name: {name}县人民政府\n  url: http://127.0.0.1:9/{name}/\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(nodes_, paths, **kwargs):
    kwargs.setdefault("project", "portalspider")
    kwargs.setdefault("settings", [])
    kwargs.setdefault("site_dir", None)
    return schedule_sites([Node(n.url, None, 5) for n in nodes_], paths, **kwargs)


def test_least_busy_node_first_then_spread(nodes, sites):
    busy, idle = nodes(load=1), nodes(load=0)
    outcomes, errors = run([busy, idle], sites[:2], settings=["LOG_LEVEL=DEBUG"])
    assert errors == []
    assert [o.action for o in outcomes] == ["scheduled", "scheduled"]
    first, second = idle.scheduled[0], busy.scheduled[0]  # a tie goes to the first listed
    assert first["site"] == [str(Path(sites[0]).resolve())]
    assert second["site"] == [str(Path(sites[1]).resolve())]
    assert first["spider"] == ["portal"]
    assert first["project"] == ["portalspider"]
    assert first["setting"] == ["LOG_LEVEL=DEBUG"]
    assert first["jobid"][0].startswith(job_prefix(first["site"][0]) + "-")
    assert first["jobid"][0].startswith("qingxi-")


def test_skips_a_site_still_running_anywhere(nodes, sites):
    one, two = nodes(), nodes()
    site_arg = str(Path(sites[0]).resolve())
    # running jobs carry no args in scrapyd 1.6: recognised by the id scheme
    two.running.append({"id": f"{job_prefix(site_arg)}-20250101T000000", "spider": "portal"})
    outcomes, _ = run([one, two], sites[:1])
    assert outcomes[0].action == "skipped"
    assert "still running" in outcomes[0].detail
    assert one.scheduled == two.scheduled == []


def test_skips_a_pending_job_started_by_hand(nodes, sites):
    node = nodes()
    site_arg = "/etc/portalspider/sites/qingxi.yaml"
    node.pending.append({"id": "8a0c3f", "spider": "portal", "args": {"site": site_arg}})
    outcomes, _ = run([node], sites[:2], site_dir="/etc/portalspider/sites")
    assert [o.action for o in outcomes] == ["skipped", "scheduled"]
    assert node.scheduled[0]["site"] == ["/etc/portalspider/sites/baishui.yaml"]


def test_second_call_skips_what_the_first_started(nodes, sites):
    node = nodes()
    run([node], sites[:1])
    outcomes, _ = run([node], sites[:1])
    assert outcomes[0].action == "skipped"
    assert len(node.scheduled) == 1


def test_invalid_config_is_one_line_and_others_still_run(nodes, sites, tmp_path):
    node = nodes()
    bad = tmp_path / "bad.yaml"
    bad.write_text("site:\n  name: x\n", encoding="utf-8")
    outcomes, _ = run([node], [str(bad), str(tmp_path / "missing.yaml"), sites[0]])
    assert [o.action for o in outcomes] == ["error", "error", "scheduled"]
    assert all("\n" not in o.detail for o in outcomes)


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "schedule", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_unreachable_node_is_one_line_and_the_other_node_works(nodes, sites):
    node = nodes()
    dead = f"http://127.0.0.1:{free_port()}"
    result = _cli("--scrapyd", f"{dead},{node.url}", sites[0])
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: scrapyd node {dead}/ is unreachable"
    assert result.stdout.startswith(f"scheduled {sites[0]}: job qingxi-")
    assert len(node.scheduled) == 1


def test_cli_basic_auth_from_environment(nodes, sites):
    node = nodes(auth=("ops", "s3cret"))
    url = node.url
    denied = _cli("--scrapyd", url, sites[0])
    assert denied.returncode == 1
    assert "HTTP 401" in denied.stderr
    assert len(denied.stderr.strip().splitlines()) == 2  # the node, then the site it failed
    allowed = _cli(
        "--scrapyd", url, sites[0], env={"SCRAPYD_USERNAME": "ops", "SCRAPYD_PASSWORD": "s3cret"}
    )
    assert allowed.returncode == 0, allowed.stderr
    assert "s3cret" not in allowed.stdout + allowed.stderr
    assert len(node.scheduled) == 1


def test_cli_usage_errors():
    result = _cli("site.yaml")
    assert result.returncode == 2
    assert "--scrapyd URL is required" in result.stderr
