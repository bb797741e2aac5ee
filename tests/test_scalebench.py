"""The scale part of ``make bench`` (issue 12), run for real on small generated portals: each
first crawl is paired with a bare spider fetching the same requests from the same server, a
second crawl revalidates, and a size's row keeps the median of its runs without hiding a
bad one."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import datetime
from pathlib import Path

import pytest

from demo.scalebench import TIMED, run_scale

pytestmark = pytest.mark.slow


def test_scale_bench_pairs_each_crawl_with_a_bare_spider_and_keeps_the_median(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_scale([60, 80], tmp_path, runs=2)
    small, big = result["sizes"]
    for row in (small, big):
        assert row["exit_status"] == [0, 0, 0]
        assert row["found"] == row["truth_columns"]  # every column found, every date exact
        assert row["last_update_pct"] == 100.0
        logged = (tmp_path / f"scale-{row['columns']}" / "requests.jsonl").read_text("utf-8")
        assert row["requests"] == len(logged.splitlines())
        # The bare spider fetched those very requests (its retries of a 500 on top).
        assert row["requests"] <= row["bare_requests"] <= row["requests"] + 10
        assert row["repeat_bytes_ratio"] < 0.25  # the second crawl revalidates
        assert row["repeat_server_statuses"].get("304", 0) > row["requests"] / 2
        assert row["repeat_statuses_changed"] == 0
        assert len(row["runs"]) == 2
        for key in TIMED:
            assert row[key] == pytest.approx(
                statistics.median(run[key] for run in row["runs"]), abs=1e-3
            )
        assert all(run["bare_rps"] > 0 and run["portalspider_rps"] > 0 for run in row["runs"])
    assert result["rss_growth_mb"] == pytest.approx(
        big["portalspider_peak_rss_mb"] - small["portalspider_peak_rss_mb"], abs=0.1
    )
    assert set(result["targets_met"]) == {
        "requests_per_column",
        "rate_ratio",
        "rss_growth_mb",
        "repeat_bytes",
    }
    json.dumps(result)  # results.json takes it as it is
    # Timings move with the machine: the result names what it was measured on.
    measured_on = result["machine"]
    assert measured_on["cores"] == os.cpu_count()
    assert measured_on["python"] == platform.python_version()
    assert measured_on["cpu"]
    assert datetime.fromisoformat(measured_on["measured_at"]).tzinfo is not None
    printed = capsys.readouterr().out
    assert f"machine: {measured_on['cpu']}, {os.cpu_count()} cores, load " in printed
    assert "(median of 2 runs)" in printed
    assert printed.count("        runs: ") == 2
    assert "targets on 80 columns" in printed


def test_one_size_leaves_the_memory_growth_unmeasured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_scale([60], tmp_path, runs=1)
    assert result["rss_growth_mb"] is None  # growth needs two sizes: never a pass by default
    assert result["targets_met"]["rss_growth_mb"] is None
    (row,) = result["sizes"]
    assert len(row["runs"]) == 1
    printed = capsys.readouterr().out
    assert "RSS growth not measured (one size) (<60) n/a" in printed
    assert "(one run)" in printed
    assert "runs: " not in printed  # one run: its figures are the row's
