"""``scrapy schedule --scrapyd URL[,URL...] SITE.yaml ...``: one scrapyd job per site.

scrapyd has no scheduler; cron or a systemd timer calls this. For each site it starts the
``portal`` spider on the least busy node (running + pending from ``daemonstatus.json``)
unless the site's previous job is still pending or running on any node.

How "the site's previous job" is recognised: scrapyd 1.6 ``listjobs.json`` shows spider
arguments for pending jobs only, not running ones, so every job gets an id derived from
the site argument: ``<name>-<hash of site arg>-<timestamp>``. The prefix survives scrapyd
restarts and needs no state file shared between the machines that run this command.
Jobs started by hand with other ids are recognised only while pending (by their args).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from scrapy.commands import ScrapyCommand

from portalspider.sitecommand import CONFIG_ERROR_EXIT, FAILURE_EXIT, fail

SPIDER = "portal"
DEFAULT_PROJECT = "portalspider"
DEFAULT_TIMEOUT = 10.0
MIN_TIMEOUT, MAX_TIMEOUT = 0.1, 600.0
USERNAME_ENV, PASSWORD_ENV = "SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"


class NodeError(Exception):
    """Raised by ``Node`` when a scrapyd node cannot be used; str() is one line."""


def display_url(url: str) -> str:
    """The node URL without any user:password, for messages."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Node:
    """One scrapyd node, spoken to through its JSON API."""

    def __init__(self, url: str, auth: tuple[str, str] | None, timeout: float) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.name = display_url(self.url)
        self.auth = auth
        self.timeout = timeout
        self.load = 0  # running + pending, kept current as this command schedules

    def call(self, endpoint: str, *, params: Any = None, data: Any = None) -> dict[str, Any]:
        method = "POST" if data is not None else "GET"
        try:
            response = requests.request(
                method,
                urljoin(self.url, endpoint),
                params=params,
                data=data,
                auth=self.auth,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise NodeError(f"scrapyd node {self.name} timed out after {self.timeout:g}s") from None
        except requests.ConnectionError:
            raise NodeError(f"scrapyd node {self.name} is unreachable") from None
        if response.status_code == 401:
            raise NodeError(
                f"scrapyd node {self.name} refused the credentials (HTTP 401); "
                f"set {USERNAME_ENV} and {PASSWORD_ENV}"
            )
        try:
            body = response.json()
        except ValueError:
            raise NodeError(
                f"scrapyd node {self.name} answered {endpoint} with HTTP "
                f"{response.status_code}, not JSON"
            ) from None
        if body.get("status") != "ok":
            message = " ".join(str(body.get("message", "unknown error")).split())
            raise NodeError(f"scrapyd node {self.name} rejected {endpoint}: {message}")
        return body

    def refresh_load(self) -> None:
        status = self.call("daemonstatus.json")
        self.load = int(status.get("running", 0)) + int(status.get("pending", 0))

    def active_jobs(self, project: str) -> list[dict[str, Any]]:
        jobs = self.call("listjobs.json", params={"project": project})
        return [{**job, "state": state} for state in ("pending", "running") for job in jobs[state]]

    def schedule(self, project: str, site_arg: str, jobid: str, settings: list[str]) -> str:
        data = [
            ("project", project),
            ("spider", SPIDER),
            ("jobid", jobid),
            ("site", site_arg),
            *(("setting", setting) for setting in settings),
        ]
        return str(self.call("schedule.json", data=data).get("jobid", jobid))


def job_prefix(site_arg: str) -> str:
    """Stable per site argument; readable in scrapyd's log file names."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", PurePosixPath(site_arg).stem).strip("_")[:30]
    digest = hashlib.sha1(site_arg.encode()).hexdigest()[:10]  # noqa: S324 (a name, not security)
    return f"{stem or 'site'}-{digest}"


def new_job_id(site_arg: str, now: dt.datetime) -> str:
    return f"{job_prefix(site_arg)}-{now.strftime('%Y%m%dT%H%M%S')}"


def is_same_site(job: dict[str, Any], site_arg: str) -> bool:
    """Our id scheme, or (pending jobs only) the same ``site`` argument."""
    if str(job.get("id", "")).startswith(job_prefix(site_arg) + "-"):
        return True
    return (job.get("args") or {}).get("site") == site_arg


@dataclass
class Outcome:
    site: str
    action: str  # scheduled | skipped | error
    detail: str


def node_site_arg(path: str, site_dir: str | None) -> str:
    """The path the scrapyd node will open: its own directory, or this absolute path."""
    if site_dir:
        return str(PurePosixPath(site_dir) / Path(path).name)
    return str(Path(path).resolve())


def check_config(path: str) -> str | None:
    """A one-line reason not to schedule this site (``PATH[:LINE]: …``), or None."""
    from portalspider.siteconfig import ConfigError, load_site_config

    try:
        load_site_config(path)
    except ConfigError as exc:
        return str(exc)  # names the file (and line) itself
    return None


def check_node_url(url: str) -> str:
    """The URL of a scrapyd node, or ``fail`` with one line (never a traceback)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        fail(f"--scrapyd {url!r} is not a valid URL ({exc})")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"--scrapyd {display_url(url)!r} is not an http(s) URL")
    return url


def schedule_sites(
    nodes: list[Node],
    sites: list[str],
    *,
    project: str,
    settings: list[str],
    site_dir: str | None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> tuple[list[Outcome], list[str]]:
    """Schedule each site once; returns per-site outcomes and node error lines."""
    errors: list[str] = []
    active: list[tuple[Node, dict[str, Any]]] = []
    usable: list[Node] = []
    for node in nodes:
        try:
            node.refresh_load()
            active.extend((node, job) for job in node.active_jobs(project))
        except NodeError as exc:
            errors.append(str(exc))
            continue
        usable.append(node)
    outcomes: list[Outcome] = []
    if not usable:
        return [Outcome(site, "error", "no scrapyd node is usable") for site in sites], errors
    now = now or dt.datetime.now(dt.UTC)
    seen: set[str] = set()
    for path in sites:
        site_arg = node_site_arg(path, site_dir)
        if site_arg in seen:
            continue
        seen.add(site_arg)
        problem = check_config(path)
        if problem:
            outcomes.append(Outcome(path, "error", problem))
            continue
        busy = next(((n, job) for n, job in active if is_same_site(job, site_arg)), None)
        if busy:
            node, job = busy
            outcomes.append(
                Outcome(path, "skipped", f"job {job['id']} still {job['state']} on {node.name}")
            )
            continue
        outcomes.append(_start(usable, path, site_arg, project, settings, dry_run, now))
    return outcomes, errors


def _start(
    usable: list[Node],
    path: str,
    site_arg: str,
    project: str,
    settings: list[str],
    dry_run: bool,
    now: dt.datetime,
) -> Outcome:
    node = min(usable, key=lambda n: n.load)  # first listed wins a tie
    jobid = new_job_id(site_arg, now)
    if dry_run:
        return Outcome(path, "scheduled", f"would start job {jobid} on {node.name}")
    try:
        jobid = node.schedule(project, site_arg, jobid, settings)
    except NodeError as exc:
        return Outcome(path, "error", str(exc))
    node.load += 1
    return Outcome(path, "scheduled", f"job {jobid} on {node.name}")


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 (Scrapy's own attribute)

    def syntax(self) -> str:
        return "--scrapyd URL[,URL...] SITE.yaml [SITE.yaml ...]"

    def short_desc(self) -> str:
        return "Start one scrapyd job per site on the least busy node"

    def long_desc(self) -> str:
        return (
            "Start one scrapyd job of the 'portal' spider per site config, on the scrapyd node "
            "with the fewest running+pending jobs, skipping a site whose previous job is still "
            "pending or running. Meant for cron or a systemd timer. Basic auth comes from "
            f"{USERNAME_ENV}/{PASSWORD_ENV}. Exit status 2 if a site config is invalid (the "
            "others are still scheduled), else 1 if a node or a job failed, else 0."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--scrapyd",
            metavar="URL[,URL...]",
            default=os.environ.get("SCRAPYD_URL"),
            help="scrapyd node(s), comma-separated; $SCRAPYD_URL when not given",
        )
        parser.add_argument(
            "--project",
            default=DEFAULT_PROJECT,
            help=f"scrapyd project name (default: {DEFAULT_PROJECT})",
        )
        parser.add_argument(
            "--setting",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Scrapy setting for the jobs (may be repeated; never a secret: scrapyd logs it)",
        )
        parser.add_argument(
            "--site-dir",
            metavar="DIR",
            help="directory holding the site configs on the nodes (default: this path, absolute)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            metavar="SECONDS",
            help=f"seconds per scrapyd request, 0.1 to 600 (default {DEFAULT_TIMEOUT:g})",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be started")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            fail("give at least one site config (SITE.yaml)")
        urls = [url.strip() for url in (opts.scrapyd or "").split(",") if url.strip()]
        if not urls:
            fail("--scrapyd URL is required (or set SCRAPYD_URL)")
        for url in urls:
            check_node_url(url)
        if not MIN_TIMEOUT <= opts.timeout <= MAX_TIMEOUT:
            fail(f"--timeout {opts.timeout:g}: must be {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g} seconds")
        for setting in opts.setting:
            if "=" not in setting:
                fail(f"--setting {setting!r} is not NAME=VALUE")
        # Configs first, before any node is asked: a broken one is a config error (exit 2)
        # whatever state the nodes are in; the others are still scheduled.
        problems = {path: check_config(path) for path in args}
        for problem in problems.values():
            if problem:
                print(f"error: {problem}", file=sys.stderr)
        valid = [path for path, problem in problems.items() if not problem]
        username = os.environ.get(USERNAME_ENV)
        auth = (username, os.environ.get(PASSWORD_ENV, "")) if username else None
        nodes = [Node(url, auth, opts.timeout) for url in urls]
        outcomes, errors = schedule_sites(
            nodes,
            valid,
            project=opts.project,
            settings=opts.setting,
            site_dir=opts.site_dir,
            dry_run=opts.dry_run,
        )
        for line in errors:
            print(f"error: {line}", file=sys.stderr)
        for outcome in outcomes:
            if outcome.action == "error":
                # A config error names its file itself; a node error needs the site.
                prefix = "" if outcome.detail.startswith(outcome.site) else f"{outcome.site}: "
                print(f"error: {prefix}{outcome.detail}", file=sys.stderr)
            else:
                print(f"{outcome.action} {outcome.site}: {outcome.detail}")
        if any(problems.values()):
            self.exitcode = CONFIG_ERROR_EXIT
        elif errors or any(o.action == "error" for o in outcomes):
            self.exitcode = FAILURE_EXIT
