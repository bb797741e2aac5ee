"""Run the real ``scrapy crawl portal`` as users do, and read its feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from demo.loopback import serving as serving  # crafted portals are served as the demo's are

REPO = Path(__file__).resolve().parent.parent
SCRAPY = [sys.executable, "-m", "scrapy"]


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]
    stderr: str

    def of_type(self, kind: str) -> list[dict]:
        return [i for i in self.items if i.get("type") == kind]

    @property
    def columns(self) -> list[dict]:
        return self.of_type("column")

    @property
    def site(self) -> dict | None:
        sites = self.of_type("site")
        return sites[0] if sites else None


def write_site(path: Path, url: str, name: str = "青溪县人民政府", extra: str = "") -> Path:
    path.write_text(f"site:\n  name: {name}\n  url: {url}\n{extra}", encoding="utf-8")
    return path


def crawl(
    site: Path,
    tmp: Path,
    *settings: str,
    db_url: str | None = None,
    env: dict | None = None,
    timeout: int = 600,
    spider: str = "portal",
) -> CrawlResult:
    out = tmp / "columns.jsonl"
    if out.exists():
        out.unlink()
    args = [
        *SCRAPY,
        "crawl",
        spider,
        "-a",
        f"site={site}",
        "-O",
        str(out),
        "-s",
        f"PORTALSPIDER_DATABASE_URL={db_url or 'sqlite:///' + str(tmp / 'ps.db')}",
        "-s",
        "ALERTS_ENABLED=false",
        "-s",
        f"HTTPCACHE_DIR={tmp / 'httpcache'}",  # each test's repeat crawls revalidate its own
    ]
    for setting in settings:
        args += ["-s", setting]
    proc = subprocess.run(
        args,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
    items = []
    if out.exists():
        items = [
            json.loads(line)
            for line in out.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return CrawlResult(proc.returncode, items, proc.stderr)
