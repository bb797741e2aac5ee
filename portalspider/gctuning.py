"""The garbage collector paced for a crawl.

A crawl allocates a page's tree, links and items by the thousand and frees them again at
once (reference counting does that, not the collector). At Python's pace (a young
collection every 700 allocations) the collector ran some 1,300 times in a 2,000-column
crawl and took about 9 % of its CPU, its full collections walking again and again the
150,000 objects that start-up made (modules, classes, settings, the store's metadata) and
that live as long as the process. While the spider runs, young collections come every
``YOUNG_THRESHOLD`` allocations (the older generations keep their ratios) and the objects
alive when it opens are frozen (``gc.freeze``: out of every later collection); the
collector then takes about a tenth of what it took, with the same peak memory. Both are
process-wide: undone when the spider closes (a freeze only if this extension made it).
"""

from __future__ import annotations

import gc
from typing import Any, Self

from scrapy import signals

YOUNG_THRESHOLD = 10_000


class GcTuning:
    """An extension: the collector's pace and freeze for the crawl, undone after it."""

    def __init__(self) -> None:
        self.saved: tuple[int, int, int] | None = None
        self.froze = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        ext = cls()
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.saved = gc.get_threshold()
        young, *older = self.saved
        gc.set_threshold(max(young, YOUNG_THRESHOLD), *older)
        # A process that froze its own objects (a pre-fork server) keeps its freeze.
        self.froze = gc.get_freeze_count() == 0
        if self.froze:
            gc.freeze()

    def spider_closed(self, spider: Any) -> None:
        if self.froze:
            gc.unfreeze()  # start-up's objects collectable again, as before the crawl
            self.froze = False
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None
