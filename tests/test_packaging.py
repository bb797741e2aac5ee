"""What ships: the wheel and the scrapyd egg carry ``portalspider`` and ``alerts`` only.

Both are built from a copy of the checkout (the build writes ``build/`` and ``*.egg-info``
next to the sources) with the venv's own setuptools and wheel, so no index is needed. The
demo portal, its templates and the loopback sinks live in the top-level ``demo/`` and must
stay out; every template and migration of the two packages must be in.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SHIPPED = ("portalspider", "alerts")
SKIP = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", "build", "dist", ".venv", "var", ".git", ".*_cache"
)
# Files the product cannot run without: a regression here is a broken install.
REQUIRED = {
    "alerts/templates/email/digest.html.jinja",
    "alerts/templates/wecom/item.md.jinja",
    "portalspider/templates/report/report.html.jinja",
    "portalspider/store/migrations/env.py",
    "portalspider/store/migrations/script.py.mako",
    "portalspider/store/migrations/versions/0001_initial.py",
}


def source_files() -> set[str]:
    """Every file of the shipped packages in the checkout (what the artifacts must hold)."""
    files = set()
    for package in SHIPPED:
        for path in (REPO / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(path.relative_to(REPO).as_posix())
    return files


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("pkg") / "src"
    shutil.copytree(REPO, src, ignore=SKIP)
    assert (src / "demo" / "sinks.py").is_file()  # the copy has what must be left out
    return src


def build(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def payload(archive: Path, meta_dir: str) -> set[str]:
    with zipfile.ZipFile(archive) as zf:
        names = {n for n in zf.namelist() if not n.endswith("/")}
    return {n for n in names if not n.startswith(meta_dir)}


def assert_product_only(files: set[str]) -> None:
    assert not {f for f in files if f.startswith("demo/") or f.endswith("sinks.py")}
    assert not {f for f in files if "/templates/demo" in f}
    assert {f.split("/")[0] for f in files} == set(SHIPPED)
    assert files >= REQUIRED
    assert files == source_files()


def test_wheel_ships_portalspider_and_alerts_only(checkout: Path, tmp_path: Path) -> None:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    build([*pip_wheel, "-q", ".", "-w", str(tmp_path)], checkout)
    (wheel,) = tmp_path.glob("portalspider-*.whl")
    assert_product_only(payload(wheel, "portalspider-"))


def test_scrapyd_egg_ships_portalspider_and_alerts_only(checkout: Path, tmp_path: Path) -> None:
    build([sys.executable, "setup.py", "-q", "bdist_egg", "-d", str(tmp_path)], checkout)
    (egg,) = tmp_path.glob("portalspider-*.egg")
    files = payload(egg, "EGG-INFO/")
    # bdist_egg also byte-compiles; the sources are what we compare.
    assert_product_only({f for f in files if not f.endswith(".pyc")})
