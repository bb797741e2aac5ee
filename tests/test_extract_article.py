"""parse_article_date on small synthetic snippets (the real pages are in test_extract_realpages)."""

from datetime import date

import pytest

from portalspider.extract.article import parse_article_date

TODAY = date(2026, 11, 28)
URL = "https://www.example.gov.cn/zwgk/tzgg/202409/t20240901_1.html"
SEP10 = date(2024, 9, 10)


def html(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<span>发布日期：2024-09-10</span>", date(2024, 9, 10)),
        ("<span>发布时间: 2024/9/10 08:00</span>", date(2024, 9, 10)),
        ("<p><strong>发布日期</strong>：2024年09月10日</p>", date(2024, 9, 10)),
        ("<div>发 布 时 间：<b><publishtime>2024-09-10 10:49</publishtime></b></div>", SEP10),
        ("<dd><label><font>生成日期：</font></label><div>\n 2024-09-10 \n</div></dd>", SEP10),
        ("<dd><label>发文日期：</label><div>2024-09-10</div></dd>", SEP10),
        ("<span>发布时间：【2024-09-10】</span>", date(2024, 9, 10)),
        ('<span alt="时间：2017-11-08 20:26"><i>时间：</i>2024-09-10 06:23</span>', SEP10),
    ],
)
def test_visible_labels(body: str, expected: date) -> None:
    found = parse_article_date(html(body), URL, TODAY)
    assert (found.date, found.source) == (expected, "visible")


def test_visible_beats_later_pubdate_meta() -> None:
    meta = '<meta name="PubDate" content="2022-04-24 10:00:43">'
    page = html("<span>发布日期：2017-05-15</span>", meta)
    assert parse_article_date(page, URL, TODAY).date == date(2017, 5, 15)


def test_meta_beats_url_and_ignores_case() -> None:
    page = html("<p>正文</p>", '<meta name="pubdate" content="2024-09-12 10:00">')
    found = parse_article_date(page, URL, TODAY)
    assert (found.date, found.source) == (date(2024, 9, 12), "meta")


def test_firstpublishedtime_meta() -> None:
    page = html("<p>正文</p>", '<meta name="firstpublishedtime" content="2007-08-20-23:59:59">')
    assert parse_article_date(page, URL, TODAY).date == date(2007, 8, 20)


def test_url_is_the_last_resort() -> None:
    found = parse_article_date(html("<p>正文</p>"), URL, TODAY)
    assert (found.date, found.source) == (date(2024, 9, 1), "url")


def test_noise_is_not_a_publication_date() -> None:
    body = (
        '<div class="top"><span id="date">2026年11月28日 星期六</span></div>'
        "<p>索引号：000014348/2020-35428</p>"
        "<p>访谈时间：2017年07月27日 16时</p>"
        "<!-- 发布日期：2001-01-01 -->"
        "<script>var s = '发布日期：2002-02-02';</script>"
        '<ul class="related"><li><a href="/a.html">图文解读</a>'
        '<span class="time">2023-07-12</span></li></ul>'
    )
    assert parse_article_date(html(body), "https://www.example.gov.cn/a.html", TODAY) is None


def test_future_visible_date_is_skipped() -> None:
    page = html("<span>发布日期：2027-01-01</span>", '<meta name="PubDate" content="2026-11-20">')
    found = parse_article_date(page, URL, TODAY)
    assert (found.date, found.source) == (date(2026, 11, 20), "meta")


def test_nothing_at_all() -> None:
    assert parse_article_date("", "https://www.example.gov.cn/a.html", TODAY) is None
