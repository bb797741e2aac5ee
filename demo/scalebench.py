"""The scale part of ``make bench``: cost per request against a bare Scrapy spider, memory
growth with the portal's size, and what a repeat crawl downloads.

Per size (generated layout ``a`` portals of 500 and 2,000 columns), on one loopback server:
portalspider's first crawl (its requests are taken from the server's log), a bare Scrapy
spider fetching exactly those requests (``demo/barespider.py``), then portalspider's second
crawl of the unchanged portal (same database and HTTP cache). CPU time and peak RSS are the
crawl process's own (``os.wait4``); rates use Scrapy's ``elapsed_time_seconds``.

Timings move by 10-20 % from run to run, the bare spider's too: each size is benched
several times (``runs``, each run a side-by-side pair) and the median of the runs is kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo.compare import compare, load_items, normalize_url
from demo.generator import build_portal
from demo.runner import project_root, scrapy_cmd, write_yaml
from demo.server import RequestLog, serve

SIZES = (500, 2000)
SEED = 31
RUNS = 3
# Both spiders run as on one's own infrastructure (README "Settings"): the per-request cost,
# not the politeness delay, decides the rate.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}
# Done-when figures of issue 12.
MAX_REQUESTS_PER_COLUMN = 1.5
MIN_RATE_RATIO = 0.7
MAX_RSS_GROWTH_MB = 60
MAX_REPEAT_BYTES = 0.25
_STAT = re.compile(r"'([\w/.-]+)': (\d+(?:\.\d+)?)")
# The figures that move from run to run: a size's row keeps the median of its runs.
TIMED = (
    "portalspider_rps",
    "bare_rps",
    "rate_ratio",
    "portalspider_cpu_s_per_1000",
    "bare_cpu_s_per_1000",
    "portalspider_peak_rss_mb",
    "bare_peak_rss_mb",
)


@dataclass
class Run:
    """One crawl process: its exit status, resources and Scrapy stats."""

    status: int
    cpu_seconds: float
    peak_rss_mb: float
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return self.stats.get("elapsed_time_seconds", 0.0)

    @property
    def response_bytes(self) -> int:
        return int(self.stats.get("downloader/response_bytes", 0))


def run_process(args: list[str], log: Path, profile: Path | None = None) -> Run:
    """Run a Scrapy command line to its end; measure that process alone.

    ``profile``: run it under cProfile, its statistics written there (slower: not timed).
    """
    command = scrapy_cmd(*args)
    if profile is not None:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), *command[1:]]
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(  # noqa: S603 (our own scrapy command line)
            command, cwd=project_root(), stdout=sink, stderr=subprocess.STDOUT
        )
        _pid, wait_status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
    text = log.read_text("utf-8", errors="replace")
    dump = text.rsplit("Dumping Scrapy stats", 1)[-1] if "Dumping Scrapy stats" in text else ""
    return Run(
        status=proc.returncode,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        stats={k: float(v) for k, v in _STAT.findall(dump)},
    )


def _settings(values: dict[str, str]) -> list[str]:
    return [arg for name, value in values.items() for arg in ("-s", f"{name}={value}")]


def _requests_file(base: str, log: list[RequestLog], path: Path) -> None:
    lines = []
    for r in log:
        entry: dict[str, str] = {"url": base.rstrip("/") + r.path, "method": r.method}
        if r.body:
            entry |= {"body": r.body.decode("utf-8"), "content_type": r.content_type}
        lines.append(json.dumps(entry, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _statuses(items_file: Path) -> dict[str, tuple[Any, Any]]:
    return {
        normalize_url(i["url"]): (i.get("status"), i.get("last_update"))
        for i in load_items(items_file)
        if i.get("type", "column") == "column"
    }


def bench_size(columns: int, out: Path, seed: int = SEED, profile: bool = False) -> dict[str, Any]:
    """Three crawls of one generated portal of ``columns`` columns; the figures of each.

    ``profile``: then a fourth, a first crawl again (new database and cache) under cProfile,
    its top entries written to ``profile.txt`` beside the logs.
    """
    run_dir = out / f"scale-{columns}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    portal = build_portal(seed=seed, theme="a", columns=columns)
    run_dir = run_dir.resolve()
    db = f"sqlite:///{run_dir / 'portalspider.db'}"
    with serve(portal, seed=seed) as server:
        site = run_dir / "site.yaml"
        write_yaml(site, {"site": {"name": portal.theme.site_name, "url": server.url}})

        def portalspider(n: int, profile: Path | None = None) -> Run:
            fresh = profile is not None  # the profiled first crawl has its own store
            settings = {
                "PORTALSPIDER_DATABASE_URL": db if not fresh else f"{db[:-3]}-profile.db",
                "ALERTS_ENABLED": "false",
                "HTTPCACHE_DIR": str(run_dir / ("httpcache" if not fresh else "httpcache-profile")),
                **FAST,
            }
            items = ["-O", str(run_dir / f"columns-{n}.jsonl")]
            args = ["crawl", "portal", "-a", f"site={site}", *items, *_settings(settings)]
            return run_process(args, run_dir / f"crawl-{n}.log", profile)

        first = portalspider(1)
        fetched = list(server.requests)
        requests_file = run_dir / "requests.jsonl"
        _requests_file(server.url, fetched, requests_file)
        server.reset_counts()
        bare_settings = {"HTTPCACHE_DIR": str(run_dir / "httpcache-bare"), **FAST}
        bare = run_process(
            [
                "runspider",
                "demo/barespider.py",
                "-a",
                f"requests={requests_file}",
                *_settings(bare_settings),
            ],
            run_dir / "bare.log",
        )
        bare_count = server.request_count
        server.reset_counts()
        second = portalspider(2)
        repeat_statuses = Counter(str(r.status) for r in server.requests)
        if profile:
            portalspider(3, run_dir / "profile.out")
            _write_profile(run_dir / "profile.out", run_dir / "profile.txt")
    report = compare(load_items(run_dir / "columns-1.jsonl"), portal.truth())
    first_statuses = _statuses(run_dir / "columns-1.jsonl")
    changed = [
        url
        for url, seen in _statuses(run_dir / "columns-2.jsonl").items()
        if first_statuses.get(url) != seen
    ]
    requests = len(fetched)
    rate = requests / first.elapsed if first.elapsed else 0.0
    bare_rate = bare_count / bare.elapsed if bare.elapsed else 0.0
    return {
        "columns": columns,
        "seed": seed,
        "exit_status": [first.status, bare.status, second.status],
        "found": report.found,
        "truth_columns": report.truth_columns,
        "discovered_pct": round(report.discovered_pct, 2),
        "last_update_pct": round(report.last_update_pct, 2),
        "requests": requests,
        "requests_per_column": round(requests / columns, 3),
        "bare_requests": bare_count,
        "portalspider_rps": round(rate, 1),
        "bare_rps": round(bare_rate, 1),
        "rate_ratio": round(rate / bare_rate, 3) if bare_rate else None,
        "portalspider_cpu_s_per_1000": round(1000 * first.cpu_seconds / max(1, requests), 2),
        "bare_cpu_s_per_1000": round(1000 * bare.cpu_seconds / max(1, bare_count), 2),
        "portalspider_peak_rss_mb": round(first.peak_rss_mb, 1),
        "bare_peak_rss_mb": round(bare.peak_rss_mb, 1),
        "first_bytes": first.response_bytes,
        "repeat_bytes": second.response_bytes,
        "repeat_bytes_ratio": round(second.response_bytes / max(1, first.response_bytes), 3),
        "repeat_server_statuses": dict(repeat_statuses),
        "repeat_statuses_changed": len(changed),
        "repeat_cpu_s": round(second.cpu_seconds, 2),
        "first_cpu_s": round(first.cpu_seconds, 2),
    }


def _write_profile(stats_file: Path, text_file: Path, top: int = 40) -> None:
    """The profile's top entries, by own time and by cumulative time, as text."""
    with text_file.open("w", encoding="utf-8") as sink:
        stats = pstats.Stats(str(stats_file), stream=sink).strip_dirs()
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
    print(f"        profile: {text_file}")


def measure_size(
    columns: int, out: Path, runs: int = RUNS, seed: int = SEED, profile: bool = False
) -> dict[str, Any]:
    """*runs* benches of one size (:func:`bench_size`); the row of the last (its logs stay in
    ``scale-N``) with the median of the runs' timings and memory (each run's in ``runs``), and
    the worst run's accuracy, exit statuses and repeat crawl, so a bad run is never hidden.

    ``profile``: the last run also crawls under cProfile.
    """
    results = [
        bench_size(columns, out, seed, profile=profile and k == runs - 1) for k in range(runs)
    ]
    row = dict(results[-1])
    for key in TIMED:
        row[key] = round(statistics.median(r[key] or 0.0 for r in results), 3)
    for key in ("found", "discovered_pct", "last_update_pct"):
        row[key] = min(r[key] for r in results)
    for key in ("repeat_bytes_ratio", "repeat_statuses_changed"):
        row[key] = max(r[key] for r in results)
    row["exit_status"] = next(
        (r["exit_status"] for r in results if any(r["exit_status"])), row["exit_status"]
    )
    row["runs"] = [{key: r[key] for key in TIMED} for r in results]
    return row


def run_scale(
    sizes: tuple[int, ...] | list[int] = SIZES,
    out: Path | None = None,
    profile: bool = False,
    runs: int = RUNS,
) -> dict:
    """Bench every size *runs* times, print the table (each size's medians, then its runs)
    and the issue's targets; return the figures."""
    out = out or project_root() / "var" / "bench"
    rows = []
    measured_on = machine()
    print(
        "\n== scale: generated layout-a portals, portalspider against a bare Scrapy spider"
        + (f" (median of {runs} runs)" if runs > 1 else " (one run)")
    )
    print(_machine_line(measured_on))
    print(
        f"{'columns':>7} {'found':>11} {'dates':>6} {'req/col':>7} {'rps':>6} {'bare':>6} "
        f"{'ratio':>5} {'cpu/1k':>6} {'bare':>6} {'RSS MB':>6} {'bare':>5} {'repeat':>6}"
    )
    for columns in sizes:
        r = measure_size(columns, out, runs, profile=profile)
        rows.append(r)
        print(
            f"{columns:>7} {r['found']:>5}/{r['truth_columns']:<5} "
            f"{r['last_update_pct']:>5.1f}% {r['requests_per_column']:>7.2f} "
            f"{r['portalspider_rps']:>6.1f} {r['bare_rps']:>6.1f} {r['rate_ratio'] or 0:>5.2f} "
            f"{r['portalspider_cpu_s_per_1000']:>6.1f} {r['bare_cpu_s_per_1000']:>6.1f} "
            f"{r['portalspider_peak_rss_mb']:>6.0f} {r['bare_peak_rss_mb']:>5.0f} "
            f"{r['repeat_bytes_ratio']:>6.1%}"
        )
        if runs > 1:
            print("        runs: " + "; ".join(_run_line(run) for run in r["runs"]))
        if any(r["exit_status"]) or r["repeat_statuses_changed"]:
            print(
                f"        exit statuses {r['exit_status']}, "
                f"{r['repeat_statuses_changed']} column statuses differ on the repeat crawl"
            )
    big, small = rows[-1], rows[0]
    # Growth needs two sizes: with one, it is not measured (never shown as passing).
    growth = (
        round(big["portalspider_peak_rss_mb"] - small["portalspider_peak_rss_mb"], 1)
        if len(rows) > 1
        else None
    )
    checks: dict[str, bool | None] = {
        "requests_per_column": big["requests_per_column"] <= MAX_REQUESTS_PER_COLUMN,
        "rate_ratio": (big["rate_ratio"] or 0) >= MIN_RATE_RATIO,
        "rss_growth_mb": growth < MAX_RSS_GROWTH_MB if growth is not None else None,
        "repeat_bytes": big["repeat_bytes_ratio"] <= MAX_REPEAT_BYTES
        and not big["repeat_statuses_changed"],
    }
    shown_growth = f"{growth:.0f} MB" if growth is not None else "not measured (one size)"
    print(
        f"targets on {big['columns']} columns: ≤{MAX_REQUESTS_PER_COLUMN} req/col "
        f"{_ok(checks['requests_per_column'])}; rate ≥{MIN_RATE_RATIO}× bare "
        f"{_ok(checks['rate_ratio'])}; RSS growth {shown_growth} "
        f"(<{MAX_RSS_GROWTH_MB}) {_ok(checks['rss_growth_mb'])}; repeat bytes "
        f"≤{MAX_REPEAT_BYTES:.0%} with the same statuses {_ok(checks['repeat_bytes'])}"
    )
    return {
        "machine": measured_on,
        "sizes": rows,
        "rss_growth_mb": growth,
        "targets_met": checks,
    }


def machine() -> dict[str, Any]:
    """What the timings were measured on: they move with the CPU and the load (README), so a
    result names its machine, its load when the bench began, and the versions that ran."""
    import lxml.etree
    import scrapy

    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text("utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION[:3])),
    }


def _machine_line(info: dict[str, Any]) -> str:
    return (
        f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_1min']} at the start; "
        f"Python {info['python']}, Scrapy {info['scrapy']}, lxml {info['lxml']}"
    )


def _run_line(run: dict[str, Any]) -> str:
    return (
        f"{run['rate_ratio'] or 0:.2f}x ({run['portalspider_rps']:.0f}/{run['bare_rps']:.0f} rps,"
        f" {run['portalspider_cpu_s_per_1000']:.1f}/{run['bare_cpu_s_per_1000']:.1f} cpu/1k,"
        f" {run['portalspider_peak_rss_mb']:.0f} MB)"
    )


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else "PASS" if flag else "FAIL"
