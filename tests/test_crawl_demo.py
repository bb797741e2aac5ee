"""The real spider against the demo portal over HTTP on loopback, column by column.

Each test runs ``scrapy crawl portal`` as a user would (a subprocess from the repository
root) and compares every column with the portal's truth.
"""

from __future__ import annotations

import socket

import pytest

from demo import build_portal, serve
from demo.compare import compare
from demo.verdict import compare_verdict, verdict_truth
from tests.crawlutil import crawl, write_site

pytestmark = pytest.mark.slow


def _assert_matches_truth(result, portal) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    report = compare(result.columns, portal.truth())
    detail = report.summary()
    assert report.found == report.truth_columns, detail
    assert not report.falsely_stale, detail
    assert not report.duplicates, detail
    assert not report.hubs_as_columns, detail
    assert report.last_update_exact == report.found, detail
    assert report.status_exact == report.found, detail
    # The verdict rows (站点无法访问, 首页不更新, 栏目不更新 with 空白栏目, 严重表述错误,
    # 互动回应差): results and the figures their details state, as the truth calls for.
    (verdict,) = result.of_type("verdict")
    assert compare_verdict(verdict["rows"], verdict_truth(portal)) == [], verdict["rows"]


@pytest.fixture(scope="module")
def portal_a():
    return build_portal(seed=1, theme="a")


def test_every_column_matches_truth(portal_a, tmp_path):
    with serve(portal_a) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path)
        requests = server.request_count
    _assert_matches_truth(result, portal_a)
    site_item = result.site
    assert site_item["status"] == "up"
    truth_columns = len([t for t in portal_a.truth() if t.get("kind", "column") == "column"])
    # One list page per column; hubs, sitemap, iframes and article fallbacks on top. The
    # 互动回应差 check's own reads (further mailbox pages, letters' pages) are counted apart,
    # and so are the later list pages that make the update-volume counts exact (the windows'
    # boundary pages of the few lists whose page 1 does not reach back a year) and the
    # 解读回应 check's document and interpretation pages (on by default; its
    # ``interpretations`` item, bounded by PORTALSPIDER_POLICY_PAGES; see README).
    messages = sum(
        c["pages_read"] - 1 + c["details_read"] for c in result.of_type("message_column")
    )
    assert messages <= 10, f"{messages} requests for letters and 征集"
    counts = sum((c.get("pages_read") or 1) - 1 for c in result.columns)
    assert counts / truth_columns <= 0.25, f"{counts} count pages for {truth_columns} columns"
    policy_pages = sum(i["pages"] for i in result.of_type("interpretations"))
    columns_cost = requests - messages - counts - policy_pages
    assert columns_cost / truth_columns <= 1.5, f"{columns_cost} requests for {truth_columns}"


def test_flaky_server_gives_the_same_answers(portal_a, tmp_path):
    with serve(portal_a, flaky=0.2, seed=7) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path)
    _assert_matches_truth(result, portal_a)


@pytest.mark.parametrize(("seed", "theme"), [(21, "b"), (41, "c"), (42, "d"), (43, "e"), (44, "f")])
def test_unseen_portals_meet_the_floors(seed, theme, tmp_path):
    """Other names, layouts and dates: ≥98% found, ≥98% exact dates, no false stale."""
    portal = build_portal(seed=seed, theme=theme)
    with serve(portal, flaky=0.2, seed=seed) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = compare(result.columns, portal.truth())
    assert report.passes(), report.summary()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_site_down_is_a_finding_not_a_crash(tmp_path):
    site = write_site(tmp_path / "site.yaml", f"http://127.0.0.1:{_free_port()}/")
    result = crawl(site, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.site["status"] == "down"
    assert not result.columns
    assert "site is DOWN" in result.stderr


def test_config_can_ignore_override_and_assign(portal_a, tmp_path):
    truth = {t["name"]: t for t in portal_a.truth() if t.get("kind", "column") == "column"}
    news = next(t for t in truth.values() if t["category"] == "news" and t["status"] == "ok")
    ignored = next(
        t for t in truth.values() if t["name"] != news["name"] and t["status"] in ("ok", "stale")
    )
    with serve(portal_a) as server:
        extra = (
            "defaults:\n  unit: 县政府办\n"
            "units:\n  - name: 县融媒体中心\n    columns: [新闻中心]\n"
            f"columns:\n  - match: {_path(news['url'])}\n    max_age_days: 1\n"
            f"  - match: {_path(ignored['url'])}\n    ignore: true\n"
        )
        site = write_site(tmp_path / "site.yaml", server.url, extra=extra)
        result = crawl(site, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    by_name = {c["name"]: c for c in result.columns}
    assert ignored["name"] not in by_name
    assert by_name[news["name"]]["threshold_days"] == 1
    assert by_name[news["name"]]["unit"] == "县融媒体中心"
    others = [c for c in result.columns if "新闻中心" not in c["path"]]
    assert others
    assert all(c["unit"] == "县政府办" for c in others)


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path
