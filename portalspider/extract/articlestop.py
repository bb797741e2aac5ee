"""When to stop opening an undated list's articles, and what they say (pure functions).

An undated list is dated by its newest items' own pages, read one at a time in list order.
A page that fails is no evidence either way (a fetch failure never makes a column stale nor
``unreachable`` once its list was read): the item's URL date stands in for it, else the
next article decides; the column is ``undated`` only when nothing gives a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portalspider.dates import age_days
from portalspider.judge import past_warning

__all__ = ["DATED", "DATELESS", "FAILED", "ArticleRead", "articles_answer", "stop_reading"]

#: An article that answered and shows no date: this CMS prints none, reading on is useless.
DATELESS = "dateless"
#: The article page failed (after retries).
FAILED = "failed"
#: The article page gave its publication date.
DATED = "article"


@dataclass(frozen=True)
class ArticleRead:
    """One article read: ``outcome`` is ``article`` | ``dateless`` | ``failed``.

    ``date`` is the article's date (``article``; None when it shows only a future date);
    ``url_date`` the item's URL date, which stands in for a page that failed (source ``url``).
    A page that answered without a date is no failure: its URL date does not count.
    """

    outcome: str
    date: date | None = None
    url_date: date | None = None

    @property
    def evidence(self) -> tuple[date, str] | None:
        """The date this read gives, and its source (``article`` or ``url``)."""
        if self.outcome == DATED and self.date is not None:
            return self.date, "article"
        if self.outcome == FAILED and self.url_date is not None:
            return self.url_date, "url"
        return None


def stop_reading(
    reads: Sequence[ArticleRead],
    unread_url_dates: Sequence[date | None],
    today: date,
    threshold: int,
) -> bool:
    """Whether reading more articles cannot change the answer.

    Stop when nothing is left; when a date shows the column fresh (within 0.8 × threshold);
    when two dated reads come in descending order (the list is newest-first: a pinned old
    item shows as an ascent); when no unread item's URL date is later than the newest date
    found; or when the last article answered without any date (and nothing dated it).
    """
    if not unread_url_dates:
        return True
    dated = [found[0] for read in reads if (found := read.evidence) is not None]
    if dated:
        newest = max(dated)
        if not past_warning(age_days(newest, today), threshold):
            return True
        if len(dated) >= 2 and dated[-1] <= dated[-2]:
            return True
        return all(d is not None and d <= newest for d in unread_url_dates)
    return bool(reads) and reads[-1].outcome == DATELESS


def articles_answer(reads: Sequence[ArticleRead]) -> tuple[int | None, str | None, str | None]:
    """The read that dates the column: (its index, its date source, error when none does).

    The newest evidence wins; with none, the column is ``undated`` and *error* says why when
    pages failed (so the webmaster sees a fetch problem, not only a missing date).
    """
    best: tuple[date, int, str] | None = None
    for index, read in enumerate(reads):
        found = read.evidence
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], index, found[1])
    if best is not None:
        return best[1], best[2], None
    failed = sum(read.outcome == FAILED for read in reads)
    return None, None, (f"{failed} article page(s) failed, no date found" if failed else None)
