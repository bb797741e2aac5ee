"""What ``make demo`` and ``make bench`` promise in the README (issue 9.14)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from demo.__main__ import main
from demo.bench import UNSEEN_THEMES
from demo.runner import DEMO_PORT, demo_dir, query_hints

REPO = Path(__file__).resolve().parent.parent


def test_make_bench_measures_the_unseen_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    called: dict[str, object] = {}

    def fake_run_bench(seeds: list[int], themes: list[str], flaky: float, **opts: object) -> int:
        called.update(seeds=seeds, themes=themes, flaky=flaky, **opts)
        return 0

    monkeypatch.setattr("demo.bench.run_bench", fake_run_bench)
    assert main(["bench"]) == 0
    assert called["themes"] == list(UNSEEN_THEMES) == ["c", "d", "e", "f"]
    assert called["scale"] == [500, 2000]  # and the 2,000-column portal against a bare spider
    assert called["min_items"] is None  # no 更新较少 rule unless asked (--min-items 1/30)
    assert called["scale_runs"] == 3  # each scale portal benched three times, the median kept
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--scale-runs", "0"])
    assert exit_info.value.code == 2
    assert main(["bench", "--min-items", "1/30"]) == 0
    assert called["min_items"] == (1, 30)
    recipe = subprocess.run(
        ["make", "-n", "bench"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout
    assert "-m demo bench" in recipe
    assert not re.search(r"--theme[ =][ab]\b", recipe), recipe


def test_demo_on_another_port_keeps_its_own_database() -> None:
    assert demo_dir("var/demo", DEMO_PORT) == "var/demo"
    assert demo_dir("var/demo", 40123) == "var/demo-40123"


def test_query_hints_are_commands_that_work(tmp_path: Path) -> None:
    """The printed `scrapy columns` line runs as printed against the demo's database."""
    db = tmp_path / "demo.db"
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 青溪县\n  url: http://127.0.0.1:8765/\n", encoding="utf-8")
    hints = query_hints(str(site), f"sqlite:///{db}")
    assert hints[0] == f"scrapy columns --site {site} -s PORTALSPIDER_DATABASE_URL=sqlite:///{db}"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "scrapy"), *hints[0].split()[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # No crawl in that database: the command ran and says so, in its own words.
    assert proc.returncode == 1, proc.stderr
    assert "has no crawl in the database yet" in proc.stderr
    assert db.exists()


def test_busy_default_port_is_said_and_isolated(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second demo while the first holds the default port: a clear line, its own files."""
    from demo.runner import run_demo

    with socket.socket() as held:
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            held.bind(("127.0.0.1", DEMO_PORT))
        except OSError:
            pytest.skip(f"port {DEMO_PORT} is in use on this machine")
        held.listen()
        seen: list[Path] = []
        monkeypatch.setattr(
            "demo.runner._run_served", lambda portal, server, root, out: seen.append(out)
        )
        run_demo(out_dir="var/test-demo-busy")
    out = capsys.readouterr().out
    assert f"port {DEMO_PORT} is busy" in out
    assert seen
    assert seen[0].name.startswith("test-demo-busy-")
    for path in seen:
        if path.exists():
            path.rmdir()
