"""Broken links (``scrapy crawl links``): what a page links, what an answer says, the scope's
link-check allowance, and the whole check on a crafted portal with its external hosts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.linkbench import measure, write_site
from demo.linkportal import LinkPortal, serve_link_portal
from demo.sinks import SMTPSink
from portalspider.linkcheck import BROKEN, FALLBACK, OK, TRANSIENT, judge_status, page_links
from portalspider.scope import Scope
from portalspider.store.db import make_engine, session_factory
from portalspider.store.linkmodels import BrokenLink, LinkFinding, LinkRun
from portalspider.vocab import broken_link_reason
from tests.crawlutil import REPO, SCRAPY, crawl, serving
from tests.crawlutil import write_site as write_site_yaml

FAST = ("PORTALSPIDER_LINKS_HOST_DELAY=0.1", "PORTALSPIDER_LINKS_RETRY_BACKOFF=0.3")


def test_page_links_are_every_link_image_script_and_stylesheet_once() -> None:
    html = """<html><head><base href="http://h/a/">
      <link rel="stylesheet" href="s.css"><link rel="icon" href="f.ico">
      <script src="/j.js"></script><script>var x = 1;</script></head><body>
      <a href="p.html#sec">页面</a><a href="p.html">again</a>
      <a href="mailto:x@h">mail</a><a href="javascript:void(0)">js</a><a href="tel:123">t</a>
      <a href="#top">top</a><a href="data:text/plain,x">d</a><a href="ftp://h/f">ftp</a>
      <a href="http://ext.example/x?utm_source=a"><img src="b.png" alt="横幅"></a>
      <img src="/i.jpg" alt="配图"><a href="/file.pdf">附件.pdf</a></body></html>"""
    links = {link.url: link for link in page_links(html, "http://h/a/index.html")}
    assert sorted(links) == [
        "http://ext.example/x?utm_source=a",
        "http://h/a/b.png",
        "http://h/a/p.html",
        "http://h/a/s.css",
        "http://h/file.pdf",
        "http://h/i.jpg",
        "http://h/j.js",
    ]
    assert links["http://h/a/p.html"].text == "页面"
    assert links["http://ext.example/x?utm_source=a"].text == "横幅"
    assert links["http://h/i.jpg"].kind == "img"
    assert links["http://h/a/s.css"].kind == "stylesheet"


@pytest.mark.parametrize(
    ("status", "method", "expected"),
    [
        (200, "HEAD", OK),
        (304, "GET", OK),
        (404, "HEAD", BROKEN),
        (410, "GET", BROKEN),
        (405, "HEAD", FALLBACK),
        (501, "HEAD", FALLBACK),
        (403, "HEAD", FALLBACK),
        (403, "GET", BROKEN),
        (503, "HEAD", TRANSIENT),
        (429, "GET", TRANSIENT),
        (500, "GET", TRANSIENT),
    ],
)
def test_what_an_answer_says_of_a_link(status: int, method: str, expected: str) -> None:
    assert judge_status(status, method) == expected


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        (404, "HTTP 404", "HTTP 404"),
        (200, "soft 404 (error page: 页面不存在)", "soft 404 (error page: 页面不存在)"),
        (None, "timeout after 15 s", "timeout after 15 s"),
        (None, None, "无法打开"),
    ],
)
def test_reports_and_alerts_say_why_a_link_is_broken(
    status: int | None, error: str | None, reason: str
) -> None:
    assert broken_link_reason(status, error) == reason


def test_link_checks_may_leave_the_portal_but_stay_http_and_off_internal_addresses() -> None:
    scope = Scope.for_site("http://www.example.gov.cn/")
    assert scope.refusal("http://other.example.com/x") is not None
    assert scope.allows("http://other.example.com/x", link_check=True)
    assert scope.refusal("ftp://other.example.com/x", link_check=True) is not None
    assert scope.refusal("http://169.254.169.254/", link_check=True) is not None
    assert scope.refusal("http://127.0.0.1:9/", link_check=True) is not None
    loopback = Scope.for_site("http://127.0.0.1:8000/")
    assert loopback.refusal("http://127.0.0.1:9000/") is not None
    assert loopback.allows("http://127.0.0.1:9000/", link_check=True)


def test_crafted_portal_broken_links_found_cheaply_and_politely(tmp_path: Path) -> None:
    portal = LinkPortal(seed=5)
    with serve_link_portal(portal, serve=serving) as running:
        site = write_site(tmp_path, running.base)
        first = measure(running, portal, site, tmp_path, *FAST)
        assert first.returncode == 0, first.stderr[-2000:]
        assert first.planted >= 30
        assert first.recall >= 0.95, first.line("first")
        assert first.false == 0, first.line("first")
        assert first.per_link <= 1.1, first.line("first")
        assert first.max_external_concurrency <= 2
        items = [json.loads(x) for x in (tmp_path / "links.jsonl").read_text().splitlines()]
        home = [i for i in items if i["page_url"] == running.base]
        assert home
        assert all(i["on_home"] and i["column_url"] is None for i in home)
        assert all(i["unit"] == "县政府办" for i in items)
        article = next(i for i in items if "/doc/" in i["page_url"])
        assert article["column_url"].startswith(running.base + "channel/")
        assert not article["on_home"]
        failing = next(i for i in items if i["url"].startswith(running.ext_bases["failing"]))
        assert failing["http_status"] == 500
        # Soft 404s: a 200 page saying 页面不存在 / 404 / 系统维护, read once (GET, no HEAD).
        soft = {running.base.rstrip("/") + p for p in portal.soft}
        reported = [i for i in items if i["url"] in soft]
        assert {i["url"] for i in reported} == soft
        assert {i["http_status"] for i in reported} == {200}
        assert all(i["error"].startswith("soft 404 (error page: ") for i in reported)
        # Unchanged articles are revalidated (304), not downloaded again.
        again = measure(running, portal, site, tmp_path, *FAST)
        assert again.found == first.found
        assert again.not_modified >= len([p for p in portal.read_pages() if "/doc/" in p])

        # The store: a run per crawl, home and other pages counted apart; a fixed link
        # closes its finding, and a run that read nothing closes nothing.
        fixed = next(p for p in portal.missing if p.startswith("/upload/"))
        portal.missing.discard(fixed)
        third = measure(running, portal, site, tmp_path, *FAST)
        assert third.false == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'links.db'}")
    try:
        with session_factory(engine)() as session:
            runs = session.scalars(select(LinkRun).order_by(LinkRun.id)).all()
            assert [r.outcome for r in runs] == ["finished"] * 3
            assert runs[0].broken_home == len(home)
            assert runs[0].broken_home + runs[0].broken_other == len(items)
            assert session.scalar(
                select(BrokenLink.id).where(BrokenLink.run_id == runs[0].id).limit(1)
            )
            closed = session.scalars(select(LinkFinding).where(LinkFinding.is_open.is_(False)))
            assert {f.url for f in closed} == {running.base.rstrip("/") + fixed}
    finally:
        engine.dispose()


def test_no_false_broken_link_when_a_fifth_of_first_attempts_fail(tmp_path: Path) -> None:
    portal = LinkPortal(seed=9)
    with serve_link_portal(portal, flaky=0.2, serve=serving) as running:
        site = write_site(tmp_path, running.base)
        figures = measure(running, portal, site, tmp_path, *FAST)
    assert figures.returncode == 0, figures.stderr[-2000:]
    assert figures.first_failures >= 20
    assert figures.false == 0, figures.line("flaky")
    assert figures.recall >= 0.95, figures.line("flaky")
    assert figures.max_external_concurrency <= 2
    assert figures.per_link <= 1.4


def test_columns_of_the_latest_complete_crawl_are_read_without_discovery(tmp_path: Path) -> None:
    portal = LinkPortal(seed=3, columns=3, articles=3)
    with serve_link_portal(portal, serve=serving) as running:
        site = write_site(tmp_path, running.base)
        db = f"sqlite:///{tmp_path / 'links.db'}"
        result = crawl(site, tmp_path, db_url=db)
        assert result.returncode == 0
        # The 3 columns and the two removed specials (unreachable: a 404, a 200 页面不存在).
        stored = len(result.columns)
        assert stored == 5
        links = crawl(site, tmp_path, *FAST, db_url=db, spider="links")
    assert links.returncode == 0, links.stderr[-2000:]
    assert f"Checking the {stored} columns of the latest complete crawl" in links.stderr
    truth = portal.broken_pairs(running.base, running.ext_bases)
    assert {(i["url"], i["page_url"]) for i in links.of_type("link")} == truth


def test_broken_links_are_alerted_once_to_their_unit_and_reported(tmp_path: Path) -> None:
    """The wiring: a links run alerts each unit of its new broken links (the webmaster those
    of the home page), once; a fixed link is told as fixed; every report shows them."""
    portal = LinkPortal(seed=8, columns=2, articles=3)
    db = f"sqlite:///{tmp_path / 'links.db'}"
    alerting = (
        "ALERTS_ENABLED=true",
        "ALERTS_SMTP_HOST=127.0.0.1",
        "ALERTS_MAIL_FROM=portalspider@example.gov.cn",
    )
    extra = (
        "  webmaster:\n    email: [xxzx@example.gov.cn]\n"
        "defaults:\n  unit: 县政府办\n"
        "units:\n  - name: 县卫健局\n    email: [wjj@example.gov.cn]\n"
        "    columns: [/channel/1/]\n"
    )
    with SMTPSink() as sink, serve_link_portal(portal, serve=serving) as running:
        site = write_site_yaml(tmp_path / "site.yaml", running.base, extra=extra)
        smtp = f"ALERTS_SMTP_PORT={sink.port}"
        assert crawl(site, tmp_path, db_url=db).returncode == 0  # the columns, with their units
        first = crawl(site, tmp_path, *FAST, *alerting, smtp, db_url=db, spider="links")
        assert first.returncode == 0, first.stderr[-2000:]
        units = {i["unit"] for i in first.of_type("link")}
        assert units == {"网站管理员", "县政府办", "县卫健局"}  # webmaster: the home page
        told = {m["To"]: m.get_body(("plain",)).get_content() for m in sink.messages}
        assert set(told) == {"xxzx@example.gov.cn", "wjj@example.gov.cn"}, first.stderr[-3000:]
        assert "链接无法打开" in told["wjj@example.gov.cn"]
        wjj = [i for i in first.of_type("link") if i["unit"] == "县卫健局"]
        assert all("/channel/1/" in i["column_url"] for i in wjj)
        assert wjj[0]["url"] in told["wjj@example.gov.cn"]
        # Nothing new: nobody is told again.
        before = len(sink.messages)
        again = crawl(site, tmp_path, *FAST, *alerting, smtp, db_url=db, spider="links")
        assert again.returncode == 0
        assert len(sink.messages) == before
        # Fixed: the owner hears it.
        fixed = next(i for i in wjj if i["url"].startswith(running.base + "upload/"))
        portal.missing.discard(fixed["url"][len(running.base) - 1 :])
        third = crawl(site, tmp_path, *FAST, *alerting, smtp, db_url=db, spider="links")
        assert third.returncode == 0
        assert "closed=1" in third.stderr
        news = [m.get_body(("plain",)).get_content() for m in sink.messages[before:]]
        assert any("链接已修复" in body and fixed["url"] in body for body in news), news
        for suffix in ("html", "md", "csv", "docx", "xlsx"):
            out = tmp_path / f"report.{suffix}"
            args = ["report", "--site", str(site), "-o", str(out)]
            proc = subprocess.run(
                [*SCRAPY, *args, "-s", f"PORTALSPIDER_DATABASE_URL={db}"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, proc.stderr[-2000:]
        html = (tmp_path / "report.html").read_text(encoding="utf-8")
        assert "链接可用性" in html
        assert wjj[-1]["url"] in html or wjj[0]["url"] in html
        assert "链接可用性" in (tmp_path / "report.md").read_text(encoding="utf-8")
        assert "链接可用性" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
