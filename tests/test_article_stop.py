"""Truth tables for the article-reading stop rule and its answer (extract/articlestop.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portalspider.extract.articlestop import (
    DATED,
    DATELESS,
    FAILED,
    ArticleRead,
    articles_answer,
    stop_reading,
)

TODAY = date(2026, 11, 28)
THRESHOLD = 14  # news: fresh within 0.8 × 14 = 11.2 days
FRESH = TODAY - timedelta(days=3)
OLD = date(2025, 1, 10)
OLDER = date(2024, 6, 1)


def a(day):  # an article page that shows its date
    return ArticleRead(DATED, day)


def dateless(url_date=None):
    return ArticleRead(DATELESS, url_date=url_date)


def failed(url_date=None):
    return ArticleRead(FAILED, url_date=url_date)


@pytest.mark.parametrize(
    ("reads", "unread", "stop"),
    [
        ([], [None], False),  # nothing read yet
        ([a(OLD)], [], True),  # nothing left
        ([a(FRESH)], [None, None], True),  # fresh: more cannot make it fresher
        ([a(OLD)], [None], False),  # stale so far; the next may be newer
        ([a(OLD), a(OLDER)], [None], True),  # descending: newest-first list
        ([a(OLDER), a(OLD)], [None], False),  # ascent: a pinned old item came first
        ([a(OLD)], [OLDER, OLD], True),  # no unread URL promises a later date
        ([a(OLD)], [OLDER, FRESH], False),  # one unread URL does
        ([dateless()], [None], True),  # answered without any date: this CMS prints none
        ([failed()], [None], False),  # a failure says nothing: read the next article
        ([failed(FRESH)], [None], True),  # its URL date stands in: fresh
        ([failed(OLD)], [None], False),  # its URL date is old: the next may be newer
        ([failed(OLD), a(OLDER)], [None], True),  # URL date then article, descending
        ([failed(), failed()], [None], False),
        ([failed(), dateless()], [None], True),
        ([a(None)], [None], False),  # only a future date: no evidence
    ],
)
def test_stop_reading(reads, unread, stop) -> None:
    assert stop_reading(reads, unread, TODAY, THRESHOLD) is stop


@pytest.mark.parametrize(
    ("reads", "answer"),
    [
        ([a(OLD)], (0, "article", None)),
        ([a(OLDER), a(OLD)], (1, "article", None)),
        ([failed(OLD)], (0, "url", None)),  # never unreachable: the URL date decides
        ([failed(FRESH), a(OLD)], (0, "url", None)),
        ([failed(), a(OLD)], (1, "article", None)),  # the next article decides
        ([dateless(OLD)], (None, None, None)),  # answered, no date: undated, no error
        ([failed(), failed()], (None, None, "2 article page(s) failed, no date found")),
        ([], (None, None, None)),
    ],
)
def test_articles_answer(reads, answer) -> None:
    assert articles_answer(reads) == answer
