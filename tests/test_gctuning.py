"""The collector's pace and freeze during a crawl, and Python's put back after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from scrapy.utils.conf import build_component_list
from scrapy.utils.project import get_project_settings

from portalspider.gctuning import YOUNG_THRESHOLD, GcTuning


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    yield saved
    gc.unfreeze()
    gc.set_threshold(*saved)


def test_young_threshold_and_freeze_during_the_crawl_then_undone(thresholds) -> None:
    gc.set_threshold(700, 10, 10)
    gc.unfreeze()
    before: list[list[int]] = [[]]  # alive when the spider opens: frozen with start-up's
    tuning = GcTuning()
    tuning.spider_opened(None)
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    assert gc.get_freeze_count() > 0
    assert gc.is_tracked(before)
    assert not any(o is before for o in gc.get_objects())  # frozen: out of collections
    tuning.spider_closed(None)
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0
    assert any(o is before for o in gc.get_objects())
    tuning.spider_closed(None)  # closed twice: nothing more to undo
    assert gc.get_threshold() == (700, 10, 10)


def test_a_slower_pace_and_a_freeze_already_made_are_kept(thresholds) -> None:
    gc.set_threshold(50_000, 5, 7)
    gc.freeze()  # the host process's own freeze
    frozen = gc.get_freeze_count()
    tuning = GcTuning()
    tuning.spider_opened(None)
    assert gc.get_threshold() == (50_000, 5, 7)
    tuning.spider_closed(None)
    assert gc.get_threshold() == (50_000, 5, 7)
    assert gc.get_freeze_count() == frozen  # not undone by the crawl


def test_enabled_for_the_project() -> None:
    settings = get_project_settings()
    assert "portalspider.gctuning.GcTuning" in build_component_list(
        settings.getwithbase("EXTENSIONS")
    )
