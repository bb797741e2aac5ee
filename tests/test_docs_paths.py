"""Every file the docs point readers to exists (issue 9.18: `store/urls.py` did not)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = sorted([REPO / "README.md", REPO / "DEVELOPERS.md", *(REPO / "docs").glob("*.md")])
# A path in backticks or a Markdown link: `portalspider/store/db.py`, (docs/config.md).
CITED = re.compile(r"[`(]((?:[\w.-]+/)+[\w.-]+\.(?:py|md|jinja|yaml|yml|conf|txt|toml|css))\b")
# Short forms the docs use for the package's own modules: `store/recorder.py`.
PACKAGE_DIRS = {p.name for p in (REPO / "portalspider").iterdir() if p.is_dir()}
ENV_FILE = re.compile(r"/etc/portalspider/[\w.-]+\.env")


def resolve(doc: Path, path: str) -> Path | None:
    """Where a cited path lives in the checkout, or None when it is not a repository path
    (e.g. ``email/digest.txt.jinja``, named inside the alerts' template directory)."""
    if path.startswith("../"):
        return (doc.parent / path).resolve()
    top = path.split("/", 1)[0]
    if top == "var":
        return None  # written by runs (databases, bench results), not part of the checkout
    if (REPO / top).exists() or top in ("portalspider", "alerts", "docs", "deploy", "sites"):
        return REPO / path
    if top in PACKAGE_DIRS:
        return REPO / "portalspider" / path
    return None


def cited_paths() -> list[tuple[str, str, Path]]:
    found = []
    for doc in DOCS:
        for match in CITED.finditer(doc.read_text(encoding="utf-8")):
            target = resolve(doc, match.group(1))
            if target is not None:
                found.append((doc.name, match.group(1), target))
    return found


def test_docs_cite_some_paths() -> None:
    assert len(cited_paths()) > 20


@pytest.mark.parametrize(("doc", "path", "target"), cited_paths())
def test_cited_path_exists(doc: str, path: str, target: Path) -> None:
    assert target.exists(), f"{doc} cites {path}, which does not exist"


def test_one_name_for_the_scrapyd_environment_file() -> None:
    names = set()
    for path in [*DOCS, *sorted((REPO / "deploy").iterdir())]:
        names.update(ENV_FILE.findall(path.read_text(encoding="utf-8")))
    scrapyd = {n for n in names if "scrapyd" in n}
    assert scrapyd == {"/etc/portalspider/scrapyd.env"}, names
    conf = (REPO / "deploy" / "scrapyd.conf").read_text(encoding="utf-8")
    assert "/etc/portalspider/scrapyd.env" in conf
