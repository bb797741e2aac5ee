"""``make demo``: serve the demo portal, crawl it with the real spider, report and compare.

Everything runs on loopback: the portal, the SMTP sink and the fake WeCom server. The
crawl is a subprocess (``scrapy crawl portal``) exactly as a webmaster would run it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from demo.compare import Report, compare, load_items, normalize_url
from demo.generator import build_portal
from demo.linkplant import serve_link_hosts
from demo.model import Portal, status_for
from demo.policies import policy_line
from demo.server import DemoServer, serve
from demo.verdict import verdict_line, verdict_truth

DEMO_PORT = 8765


def project_root() -> Path:
    """The directory holding scrapy.cfg: the current one if it has it, else the checkout."""
    cwd = Path.cwd()
    if (cwd / "scrapy.cfg").exists():
        return cwd
    return Path(__file__).resolve().parents[1]


def serve_preferred(portal: Portal, port: int = DEMO_PORT, **kwargs: Any) -> DemoServer:
    """Serve on ``port`` when it is free, else on any free port."""
    try:
        return serve(portal, port=port, **kwargs)
    except OSError:
        return serve(portal, port=0, **kwargs)


def scrapy_cmd(*args: str) -> list[str]:
    """Run Scrapy with this interpreter so the venv's Scrapy and project are used."""
    return [sys.executable, "-m", "scrapy", *args]


def crawl(
    site_yaml: Path,
    out: Path,
    db_url: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 900,
    spider: str = "portal",
) -> int:
    """Run the portal (or another) spider once; return its exit status (output streamed or
    logged)."""
    out.unlink(missing_ok=True)
    cmd = scrapy_cmd(
        "crawl",
        spider,
        "-a",
        f"site={site_yaml}",
        "-O",
        str(out),
        "-s",
        f"PORTALSPIDER_DATABASE_URL={db_url}",
    )
    full_env = {**os.environ, **(env or {})}
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(log.open("w", encoding="utf-8")) if log else None
        proc = subprocess.run(  # noqa: S603 (our own scrapy command line)
            cmd,
            cwd=project_root(),
            env=full_env,
            stdout=sink,
            stderr=subprocess.STDOUT if sink else None,
            timeout=timeout,
            check=False,
        )
    return proc.returncode


def demo_overrides(portal: Portal) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pick the column that gets a stricter ``max_age_days`` and the one that is 报备-exempt."""
    truth = portal.columns_truth()
    strict = next(
        t
        for t in truth
        if t["category"] == "other"
        and t["status"] == "ok"
        and t["markup"] in ("ul_after", "ul_before")
    )
    exempt = next(t for t in truth if t["status"] == "stale")
    return strict, exempt


def apply_overrides(
    truth: list[dict[str, Any]], max_age: dict[str, int], today: dt.date
) -> list[dict[str, Any]]:
    """Truth as the site config changes it: new thresholds give new statuses."""
    out = []
    for t in truth:
        days = max_age.get(normalize_url(t["url"])) if t.get("kind") == "column" else None
        if days is not None:
            t = dict(t, threshold_days=days)
            if t["status"] in ("ok", "warning", "stale"):
                last = dt.date.fromisoformat(t["last_update"])
                t["status"] = status_for(last, days, today)
        out.append(t)
    return out


def site_config(portal: Portal, url: str, webhook: Any = None) -> dict[str, Any]:
    """A realistic site.yaml: units with mail and robots, prefix rules, an override, a 报备."""
    strict, exempt = demo_overrides(portal)
    sections = [ch.url for ch in portal.channels]
    domain = portal.theme.layout["domain"]
    units = [
        ("县政府办", "zfb", [sections[0], portal.columns[0].name]),
        ("县财政局", "czj", [c.url for c in portal.columns if c.category == "other"][:3]),
        ("县人社局", "rsj", [c.name for c in portal.columns if c.category == "personnel"]),
        ("县发改局", "fgj", [c.url for c in portal.columns if c.category == "plan"]),
    ]
    config: dict[str, Any] = {
        "site": {"name": portal.theme.site_name, "url": url},
        "defaults": {"unit": "县政府办", "deadline_days": 5},
        "units": [],
        "columns": [
            {"match": strict["url"], "max_age_days": 30, "unit": "县财政局"},
            {"match": exempt["url"], "exempt_until": (portal.today + dt.timedelta(days=60))},
        ],
    }
    for name, key, cols in units:
        unit: dict[str, Any] = {"name": name, "email": [f"{key}@{domain}"], "columns": cols}
        if webhook:
            unit["wecom_webhook"] = webhook(f"demo-{key}")
        if key != "zfb":
            unit["escalate_to"] = "县政府办"
        config["units"].append(unit)
    return config


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@contextlib.contextmanager
def local_sinks(maildir: Path):
    """Start the loopback SMTP sink and fake WeCom server (``demo.sinks``; needs aiosmtpd)."""
    try:
        from demo.sinks import FakeWeComServer, SMTPSink
    except ImportError as exc:  # aiosmtpd is a dev requirement: the demo still runs without it
        print(f"(alerts sinks unavailable: {exc}; crawling with alerts disabled)")
        yield None, None
        return
    if maildir.is_dir() and not (maildir / "new").exists() and not any(maildir.iterdir()):
        maildir.rmdir()  # mailbox.Maildir(create=True) only builds cur/new/tmp for a new path
    maildir.parent.mkdir(parents=True, exist_ok=True)
    with (
        _make(SMTPSink, host="127.0.0.1", port=0, maildir=str(maildir)) as smtp,
        _make(FakeWeComServer, host="127.0.0.1", port=0) as wecom,
    ):
        yield smtp, wecom


def _make(cls: type, **kwargs: Any) -> Any:
    """Construct with the keyword arguments the sink accepts (its API is still settling)."""
    accepted = inspect.signature(cls).parameters
    if not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in accepted}
    if kwargs.get("port") == 0:
        kwargs["port"] = None if "port" in accepted else 0
    return cls(**kwargs)


def demo_dir(out_dir: str, port: int) -> str:
    """Where a demo served on ``port`` keeps its config, database and outputs.

    A site's identity in the database is its URL, port included: a demo that had to serve
    on another port is another site, and crawling it into the same database would make the
    first site's columns vanish and reopen every finding. So only the default port uses
    ``out_dir``; another port gets a directory (and database) of its own.
    """
    return out_dir if port == DEMO_PORT else f"{out_dir}-{port}"


def query_hints(site_yaml: str, db_url: str) -> list[str]:
    """The commands that read the demo's database afterwards (run from the checkout)."""
    setting = f"-s PORTALSPIDER_DATABASE_URL={db_url}"
    return [
        f"scrapy columns --site {site_yaml} {setting}",
        f"scrapy report --site {site_yaml} -o report.md {setting}",
        f"scrapy alerts --site {site_yaml} --dry-run {setting}",
    ]


def run_demo(seed: int = 1, theme: str = "a", out_dir: str = "var/demo") -> int:
    """The whole demo; returns 0 even when the spider is not there yet (it says so)."""
    root = project_root()
    portal = build_portal(seed=seed, theme=theme)
    with serve_preferred(portal) as server:
        port = int(server.port)
        out = root / demo_dir(out_dir, port)
        out.mkdir(parents=True, exist_ok=True)
        if port != DEMO_PORT:
            print(
                f"port {DEMO_PORT} is busy (another demo running?): serving on {port}, "
                f"a different site to the database, so this run keeps its own files in "
                f"{out.relative_to(root)}/"
            )
        _run_served(portal, server, root, out)
    return 0


def _run_served(portal: Portal, server: DemoServer, root: Path, out: Path) -> None:
    site_yaml, jsonl = out / "site.yaml", out / "columns.jsonl"
    db = out / "portalspider.db"
    report_html, maildir = out / "report.html", out / "mail"
    with local_sinks(maildir) as (smtp, wecom):
        print(
            f"demo portal {portal.theme.site_name} at {server.url} "
            f"({len(portal.columns_truth())} columns, today {portal.today})"
        )
        write_yaml(site_yaml, site_config(portal, server.url, wecom.webhook_url if wecom else None))
        env = {"ALERTS_ENABLED": "true" if smtp else "false"}
        if smtp:
            env.update(
                ALERTS_SMTP_HOST="127.0.0.1",
                ALERTS_SMTP_PORT=str(smtp.port),
                ALERTS_WECOM_API_BASE=wecom.base_url,
            )
        db_url = f"sqlite:///{db.relative_to(root)}"
        env["PORTALSPIDER_DATABASE_URL"] = db_url  # the report command reads it too
        crawl_log = out / "crawl.log"
        status = crawl(site_yaml, jsonl, db_url, env, log=crawl_log)
        requests = server.request_count
        _print_webmaster_log(crawl_log)
        links = _links(portal, server, site_yaml, out, db_url, env)
        report_ok = _report(site_yaml, report_html, env)
        delivered = (len(getattr(smtp, "messages", [])), len(getattr(wecom, "received", [])))
    items = load_items(jsonl)
    strict, exempt = demo_overrides(portal)
    truth = apply_overrides(portal.truth(), {normalize_url(strict["url"]): 30}, portal.today)
    result = compare(items, truth)
    _print_summary(result, portal, items, requests, status)
    verdict = next((i for i in items if i.get("type") == "verdict"), None)
    expected = verdict_truth(portal, truth, exempt=[exempt["url"]])  # the 报备 column
    print(verdict_line(verdict["rows"], expected) if verdict else "verdict: no verdict item")
    print(policy_line(items, portal))
    print(links)
    print("outputs:")
    print(f"  columns   {jsonl.relative_to(root)}")
    print(f"  links     {(out / 'links.jsonl').relative_to(root)}")
    print(f"  database  {db.relative_to(root)}")
    print(f"  report    {report_html.relative_to(root) if report_ok else '(scrapy report failed)'}")
    mails = sorted(maildir.rglob("*")) if maildir.exists() else []
    print(
        f"  mails     {maildir.relative_to(root)}/ ({sum(p.is_file() for p in mails)} files; "
        f"{delivered[0]} mails and {delivered[1]} WeCom robot messages received this run)"
    )
    print(f"  config    {site_yaml.relative_to(root)}")
    print(f"  crawl log {crawl_log.relative_to(root)}")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    print("query the demo's database (from the checkout, venv active: . .venv/bin/activate):")
    for hint in query_hints(str(site_yaml.relative_to(root)), db_url):
        print(f"  {hint}")


def _links(
    portal: Portal, server: DemoServer, site_yaml: Path, out: Path, db_url: str, env: dict[str, str]
) -> str:
    """``scrapy crawl links`` on the demo (its slow and failing external hosts served), after
    the portal crawl (whose columns it reads); one line comparing it with the planted truth."""
    jsonl = out / "links.jsonl"
    # The external hosts are the demo's own: a short delay keeps `make demo` quick.
    quick = {**env, "PORTALSPIDER_LINKS_HOST_DELAY": "0.25"}
    with serve_link_hosts(portal):
        status = crawl(site_yaml, jsonl, db_url, quick, log=out / "links.log", spider="links")
        truth = portal.links_truth(server.url)
    items = [i for i in load_items(jsonl) if i.get("type") == "link"]
    found = truth & {(i.get("url"), i.get("page_url")) for i in items}
    home = sum(1 for i in items if i.get("on_home"))
    return (
        f"links crawl exit status {status}: {len(items)} broken links reported "
        f"({home} on the home page); planted broken links found with their page "
        f"{len(found)}/{len(truth)}"
    )


def _report(site_yaml: Path, target: Path, env: dict[str, str]) -> bool:
    cmd = scrapy_cmd("report", "--site", str(site_yaml), "-o", str(target))
    try:
        proc = subprocess.run(  # noqa: S603 (our own scrapy command line)
            cmd,
            cwd=project_root(),
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"(scrapy report: {exc})")
        return False
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        print(f"(scrapy report exited {proc.returncode}: {tail[0]})")
    return proc.returncode == 0 and target.exists()


def _print_webmaster_log(log: Path) -> None:
    """The crawl log's lines for webmasters (one per column, the summary), not Scrapy's."""
    marker = "[portalspider.summary] INFO: "
    if not log.exists():
        return
    for line in log.read_text(encoding="utf-8").splitlines():
        if marker in line:
            print(line.split(marker, 1)[1])
        elif "] ERROR: " in line or "] CRITICAL: " in line:
            print(line)


def _print_summary(
    result: Report, portal: Portal, items: list[dict[str, Any]], requests: int, status: int
) -> None:
    print()
    print(
        f"crawl exit status {status}; {requests} requests to the portal "
        f"({requests / max(1, result.truth_columns):.2f} per column)"
    )
    site = next((i for i in items if i.get("type") == "site"), None)
    if site:
        print(
            f"home page: {site.get('status')}, newest item {site.get('home_last_update')} "
            f"(truth {portal.home_last_update})"
        )
    print(result.summary())
