"""The collector's pace during a crawl, and Python's put back after it."""

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
    gc.set_threshold(*saved)


def test_young_threshold_during_the_crawl_then_restored(thresholds) -> None:
    gc.set_threshold(700, 10, 10)
    tuning = GcTuning()
    tuning.spider_opened(None)
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    tuning.spider_closed(None)
    assert gc.get_threshold() == (700, 10, 10)
    tuning.spider_closed(None)  # closed twice: nothing more to restore
    assert gc.get_threshold() == (700, 10, 10)


def test_a_slower_pace_already_set_is_kept(thresholds) -> None:
    gc.set_threshold(50_000, 5, 7)
    tuning = GcTuning()
    tuning.spider_opened(None)
    assert gc.get_threshold() == (50_000, 5, 7)
    tuning.spider_closed(None)
    assert gc.get_threshold() == (50_000, 5, 7)


def test_enabled_for_the_project() -> None:
    settings = get_project_settings()
    assert "portalspider.gctuning.GcTuning" in build_component_list(
        settings.getwithbase("EXTENSIONS")
    )
