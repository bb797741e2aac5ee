"""``python -m demo links-bench``: the broken-links check measured on a portal it never saw.

Serves the crafted portal of ``demo/linkportal.py`` (its four external hosts included), runs
``scrapy crawl links`` on it as a user does, and compares the ``link`` items with the truth
computed from the pages: the share of planted broken links found with their page (recall),
links called broken that are not (false), requests per distinct link, the most requests one
external host served at once; then the same with a fraction of first attempts failing, and
a second run to show unchanged articles are revalidated (304), not downloaded again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.linkportal import HOSTS, LinkPortal, Running, serve_link_portal
from demo.loopback import serving

REPO = Path(__file__).resolve().parent.parent


@dataclass
class LinkFigures:
    """One links run against the crafted portal."""

    planted: int  # (broken link, page) pairs the pages show
    found: int  # of those, reported with their page
    false: int  # reported pairs that are not broken
    distinct: int  # distinct URLs the run had to settle
    requests: int  # requests all servers saw
    max_external_concurrency: int
    not_modified: int  # 304 answers (revalidated pages)
    first_failures: int  # first attempts failed on purpose
    seconds: float
    returncode: int
    stderr: str = ""

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def per_link(self) -> float:
        return self.requests / self.distinct if self.distinct else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<28} found {self.found}/{self.planted} ({self.recall:.1%}) "
            f"false={self.false} requests/link={self.per_link:.3f} "
            f"({self.requests}/{self.distinct}) max external concurrency="
            f"{self.max_external_concurrency} 304s={self.not_modified} "
            f"failed first attempts={self.first_failures} {self.seconds:.1f}s"
        )


def crawl_links(site: Path, work: Path, *settings: str) -> tuple[int, list[dict[str, Any]], str]:
    """``scrapy crawl links -a site=… -O …`` in a subprocess: (exit status, items, stderr)."""
    out = work / "links.jsonl"
    out.unlink(missing_ok=True)
    args = [sys.executable, "-m", "scrapy", "crawl", "links", "-a", f"site={site}"]
    args += ["-O", str(out), "-s", f"PORTALSPIDER_DATABASE_URL=sqlite:///{work / 'links.db'}"]
    args += ["-s", "ALERTS_ENABLED=false", "-s", f"HTTPCACHE_DIR={work / 'httpcache'}"]
    for setting in settings:
        args += ["-s", setting]
    proc = subprocess.run(  # noqa: S603 (our own scrapy command line)
        args, cwd=REPO, capture_output=True, text=True, env=dict(os.environ), check=False
    )
    items = []
    if out.exists():
        lines = out.read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
    return proc.returncode, items, proc.stderr


def measure(
    running: Running, portal: LinkPortal, site: Path, work: Path, *settings: str
) -> LinkFigures:
    """One links run against the served portal, and its figures."""
    before = {
        name: (s.requests, s.not_modified, s.first_failures) for name, s in running.served.items()
    }
    for s in running.served.values():
        s.max_in_flight = 0
    started = time.monotonic()
    code, items, stderr = crawl_links(site, work, *settings)
    seconds = time.monotonic() - started
    truth = portal.broken_pairs(running.base, running.ext_bases)
    reported = {(i["url"], i["page_url"]) for i in items if i.get("type") == "link"}
    served = running.served
    return LinkFigures(
        planted=len(truth),
        found=len(truth & reported),
        false=len(reported - truth),
        distinct=len(portal.distinct_links(running.base, running.ext_bases)),
        requests=sum(s.requests - before[n][0] for n, s in served.items()),
        max_external_concurrency=max(served[h].max_in_flight for h in HOSTS),
        not_modified=sum(s.not_modified - before[n][1] for n, s in served.items()),
        first_failures=sum(s.first_failures - before[n][2] for n, s in served.items()),
        seconds=seconds,
        returncode=code,
        stderr=stderr,
    )


def write_site(work: Path, base: str) -> Path:
    site = work / "site.yaml"
    site.write_text(
        f"site:\n  name: 云岭县人民政府\n  url: {base}\ndefaults:\n  unit: 县政府办\n",
        encoding="utf-8",
    )
    return site


def run_links_bench(
    seed: int = 7, flaky: float = 0.2, serve: Callable[..., Any] = serving, *settings: str
) -> dict[str, LinkFigures]:
    """The normal case, its repeat (cache), and the flaky case on a fresh store."""
    portal = LinkPortal(seed=seed)
    figures: dict[str, LinkFigures] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with serve_link_portal(portal, serve=serve) as running:
            site = write_site(work, running.base)
            figures["normal"] = measure(running, portal, site, work, *settings)
            figures["repeat"] = measure(running, portal, site, work, *settings)
        flaky_work = work / "flaky"
        flaky_work.mkdir()
        with serve_link_portal(portal, flaky=flaky, serve=serve) as running:
            site = write_site(flaky_work, running.base)
            figures[f"flaky {flaky:.0%}"] = measure(running, portal, site, flaky_work, *settings)
    return figures


def main(seed: int = 7, flaky: float = 0.2) -> int:
    figures = run_links_bench(seed, flaky)
    ok = True
    for label, fig in figures.items():
        print(fig.line(label))
        if fig.returncode != 0:
            print(fig.stderr[-2000:])
            ok = False
    normal = figures["normal"]
    checks = {
        "recall >= 95%": all(f.recall >= 0.95 for f in figures.values()),
        "no false broken link": all(f.false == 0 for f in figures.values()),
        "requests/link <= 1.1 (normal)": normal.per_link <= 1.1,
        "max external concurrency <= 2": all(
            f.max_external_concurrency <= 2 for f in figures.values()
        ),
        "repeat run revalidates articles (304)": figures["repeat"].not_modified > 0,
    }
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'} {name}")
        ok = ok and passed
    return 0 if ok else 1
