"""Broken and hostile portals end in bounded time and memory with the right statuses
(issue 13 items 1, 2, 4, 5; issue 9 item 10). Each portal is a small server on loopback
and each crawl is the real ``scrapy crawl portal``."""

from __future__ import annotations

import gzip
import resource
import sqlite3
from pathlib import Path

import pytest

from tests.crawlutil import crawl, write_site
from tests.hostile import html, page, serve

pytestmark = pytest.mark.slow

TODAY = "2026-03-02"
FRESH, OLD = "2026-02-27", "2025-01-05"
NAV_NAMES = {"xwzx": "新闻中心", "tzgg": "通知公告", "zcwj": "政策文件", "gzdt": "工作动态"}
NAV = (
    '<div class="nav"><ul><li><a href="/">首页</a></li>'
    + "".join(f'<li><a href="/{slug}/">{name}</a></li>' for slug, name in NAV_NAMES.items())
    + "</ul></div>"
)


def list_page(day: str, nav: str = NAV) -> bytes:
    rows = "".join(
        f'<li><a href="./202602/t2026020{i}_{i}.html">关于做好第{i}项工作的通知</a>'
        f"<span>{day}</span></li>"
        for i in range(1, 7)
    )
    return page(nav + f'<div class="list"><ul>{rows}</ul></div>')


MAINTENANCE = page(
    "<p>本网站于2019-01-01进行系统升级维护，维护期间暂停访问，给您带来的不便敬请谅解。</p>"
)


def _runs(tmp: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(tmp / "ps.db") as db:
        return db.execute("SELECT outcome, incomplete_reason FROM crawl_run ORDER BY id").fetchall()


def _findings(tmp: Path) -> list[tuple[int, int, str | None]]:
    with sqlite3.connect(tmp / "ps.db") as db:
        return db.execute("SELECT id, is_open, resolution FROM finding ORDER BY id").fetchall()


def _policy_pages(result) -> int:
    """The 解读回应 check's pages (documents of the 政策文件 lists), bounded on their own."""
    return sum(i["pages"] for i in result.of_type("interpretations"))


def test_a_maintenance_day_erases_no_history(tmp_path: Path) -> None:
    bad = {"on": False}

    def route(path: str):
        if bad["on"]:
            return html(MAINTENANCE)
        slug = path.strip("/").split("/")[0]
        if path == "/":
            return html(page(NAV + "<p>欢迎访问</p>"))
        if slug in NAV_NAMES:
            return html(list_page(OLD if slug == "tzgg" else FRESH))
        return 404, {}, b"not found"

    with serve(route) as (url, _):
        site = write_site(tmp_path / "site.yaml", url)
        good = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}")
        assert good.returncode == 0, good.stderr[-2000:]
        assert {c["status"] for c in good.columns} == {"ok", "stale"}
        bad["on"] = True
        day = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}")
        bad["on"] = False
        again = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}")
    assert day.returncode == 0, day.stderr[-2000:]
    assert "SUMMARY crawl incomplete: home page is an error page" in day.stderr
    assert [o for o, _ in _runs(tmp_path)] == ["finished", "incomplete", "finished"]
    assert "系统升级维护" in (_runs(tmp_path)[1][1] or "")
    # One finding, opened by the first crawl, never closed, never reopened.
    assert _findings(tmp_path) == [(1, 1, None)]
    assert ", 0 new findings," in again.stderr


def test_error_pages_and_script_lists_are_unreachable(tmp_path: Path) -> None:
    bomb_member = gzip.compress(b"\0" * (8 << 20))  # 8 MiB of zeros, ~8 KB compressed
    bomb = bomb_member * 250  # about 2 MB on the wire, 2 GiB inflated
    script = (Path(__file__).parent / "fixtures" / "errorpages" / "script_list.html").read_bytes()
    ruishu = (Path(__file__).parent / "fixtures" / "errorpages" / "ruishu.html").read_bytes()
    columns = {
        "ok": "正常栏目",
        "nf": "领导信息",
        "wh": "规划计划",
        "rs": "人事信息",
        "js": "政策解读",
        "loop": "统计信息",
        "bomb": "财政信息",
    }
    nav = (
        '<div class="nav"><ul>'
        + "".join(f'<li><a href="/{slug}/">{name}</a></li>' for slug, name in columns.items())
        + "</ul></div>"
    )

    def route(path: str):
        if path == "/":
            return html(page(nav + "<p>欢迎访问</p>"))
        if path == "/ok/":
            return html(list_page(FRESH, nav))
        if path == "/nf/":
            return html(page("<p>抱歉，您访问的页面不存在！2019-01-01</p>", "404-页面不存在"))
        if path == "/wh/":
            return html(MAINTENANCE)
        if path == "/rs/":
            return html(ruishu)
        if path == "/js/":
            return html(script)
        if path in ("/loop/", "/loop2/"):
            return 302, {"Location": "/loop2/" if path == "/loop/" else "/loop/"}, b""
        if path == "/bomb/":
            return 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb
        return 404, {}, b"not found"

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with serve(route) as (url, _):
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode == 0, result.stderr[-2000:]
    by_name = {c["name"]: c for c in result.columns}
    assert by_name["正常栏目"]["status"] == "ok"
    expected = {
        "领导信息": "页面不存在",
        "规划计划": "系统升级维护",
        "人事信息": "Ruishu",
        "政策解读": "list loaded by script",
        "统计信息": "max redirections",
        "财政信息": "exceeded DOWNLOAD_MAXSIZE",
    }
    for name, reason in expected.items():
        column = by_name[name]
        assert column["status"] == "unreachable", column
        assert reason in (column["error"] or ""), column
        assert column["last_update"] is None, column
    # Bounded memory: the 2 GiB bomb stops at DOWNLOAD_MAXSIZE (8 MiB).
    assert max(before, peak_kib) < 400 * 1024, f"peak RSS {peak_kib} KiB"


def test_a_catch_all_with_relative_navigation_ends(tmp_path: Path) -> None:
    """Every URL answers the same page, whose menu links are relative (``href="xwzx/"``)."""
    relative = (
        '<div class="nav"><ul>'
        + "".join(f'<li><a href="{slug}/">{name}</a></li>' for slug, name in NAV_NAMES.items())
        + "</ul></div>"
    )
    body = list_page(FRESH, relative)

    with serve(lambda path: html(body)) as (url, requested):
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(requested) < 60, len(requested)
    assert "SUMMARY crawl incomplete:" in result.stderr
    assert _runs(tmp_path)[0][0] == "incomplete"


def test_nested_relative_links_hit_the_path_bounds(tmp_path: Path) -> None:
    """Each page differs (it names its own path) and links deeper relative paths."""

    def route(path: str):
        here = path.split("?", 1)[0]
        links = "".join(
            f'<li><a href="{slug}/">{name}</a></li>' for slug, name in NAV_NAMES.items()
        )
        return html(
            page(f'<div class="nav"><ul>{links}</ul></div><p>当前位置：{here}</p>')
            if path == "/"
            else list_page(FRESH, f'<div class="nav"><ul>{links}</ul></div><p>{here}</p>')
        )

    with serve(route) as (url, requested):
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(
            site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", "PORTALSPIDER_MAX_DEPTH=3", timeout=120
        )
    assert result.returncode == 0, result.stderr[-2000:]
    # 4 names, no name twice on a path, at most 3 deep: 4 + 12 + 24 pages (the 解读回应
    # check's document pages of the 政策文件 lists apart: its own bound).
    assert len(requested) - _policy_pages(result) <= 1 + 4 + 12 + 24, len(requested)
    assert "crawl bound hit: depth" in result.stderr
    assert "crawl bound hit: repeated path" in result.stderr
    assert _runs(tmp_path)[0][0] == "incomplete"


def test_a_calendar_is_no_column(tmp_path: Path) -> None:
    def route(path: str):
        if path == "/":
            return html(page(NAV.replace("</ul>", '<li><a href="/hd/">领导活动</a></li></ul>')))
        month = path.split("month=", 1)[1] if "month=" in path else "2026-02"
        year, mon = (int(x) for x in month.split("-"))
        prev = f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"
        nxt = f"{year + (mon == 12)}-{mon % 12 + 1:02d}"
        cal = (
            f'<div class="cal"><a href="/hd/?month={prev}">上个月</a>'
            f'<a href="/hd/?month={nxt}">下个月</a></div>'
        )
        return html(list_page(FRESH, NAV + cal + f"<h2>{path}</h2>"))

    with serve(route) as (url, requested):
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not [p for p in requested if "month=" in p]
    assert len(requested) - _policy_pages(result) <= 8, requested  # 解读回应's apart
    assert len(result.columns) == 5


def test_a_generated_hub_tree_ends(tmp_path: Path) -> None:
    """Every hub shows three blocks of sub-hubs, each with its 更多 link, for ever."""

    def route(path: str):
        base = path.split("?", 1)[0]
        if not base.endswith("/"):
            return 404, {}, b""
        blocks = "".join(
            f'<div class="box"><h3>分类{base.count("/")}{i}</h3>'
            f'<a class="more" href="{base}n{i}/">更多</a><ul>'
            f'<li><a href="{base}n{i}/a.html">预览{i}</a></li></ul></div>'
            for i in range(3)
        )
        return html(page(NAV + blocks))

    with serve(route) as (url, requested):
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(
            site,
            tmp_path,
            f"PORTALSPIDER_TODAY={TODAY}",
            "PORTALSPIDER_MIN_BUDGET=150",
            timeout=180,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(requested) < 400, len(requested)
    assert "SUMMARY crawl incomplete: crawl bound hit" in result.stderr
    assert _runs(tmp_path)[0][0] == "incomplete"
