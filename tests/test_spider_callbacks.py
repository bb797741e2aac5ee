"""Scrapy's warning for a generator callback that returns a value, checked once here.

``WARN_ON_GENERATOR_RETURN_VALUE`` is off in the project settings: Scrapy parses a callback's
source each time its bound method is met anew (hundreds of times a crawl). A ``return value``
in a generator silently drops the value, so every generator of the project is checked instead.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from scrapy.utils.misc import is_generator_with_return_value

import alerts
import portalspider


def _generators():
    for package in (portalspider, alerts):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in info.name:  # Alembic scripts, run by Alembic only
                continue
            module = importlib.import_module(info.name)
            for _, member in inspect.getmembers(module):
                if getattr(member, "__module__", None) != module.__name__:
                    continue
                functions = [member] if inspect.isfunction(member) else []
                if inspect.isclass(member):
                    functions = [f for _, f in inspect.getmembers(member, inspect.isfunction)]
                for function in functions:
                    if inspect.isgeneratorfunction(function):
                        yield f"{function.__module__}.{function.__qualname__}", function


GENERATORS = dict(_generators())


def test_the_spider_callbacks_are_among_the_generators_checked():
    assert "portalspider.spiders.portal.PortalSpider.parse_page" in GENERATORS
    assert len(GENERATORS) > 20


def test_the_check_finds_a_generator_returning_a_value():
    def returns_a_value():
        yield 1
        return 2

    assert is_generator_with_return_value(returns_a_value)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_no_generator_returns_a_value(name):
    assert not is_generator_with_return_value(GENERATORS[name]), name
