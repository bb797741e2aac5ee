"""A crawl's start imports only what the crawl uses (its CPU counts per request too)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# What the crawl command loads before its first request: Scrapy's command line, the
# project's commands and spiders, and every component the settings enable.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from scrapy.cmdline import _get_commands_dict
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    from portalspider.commands.crawl import project_spiders

    settings = get_project_settings()
    _get_commands_dict(settings, inproject=True)
    project_spiders()
    for name in ("EXTENSIONS", "ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES"):
        for path in build_component_list(settings.getwithbase(name)):
            load_object(path)
    print(json.dumps(sorted(sys.modules)))
    """
)
# Imported when used: alerts' deciders and templates by a crawl that alerts, aiohttp never
# (Scrapy's remote control is off), the report's Word and Excel writers by `scrapy report`.
NOT_AT_START = {"alerts.service", "alerts.links", "jinja2", "aiohttp", "docx", "openpyxl"}


def test_the_crawl_starts_without_modules_it_does_not_use() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(out.stdout))
    assert "portalspider.spiders.portal" in loaded
    assert "alerts.extension" in loaded
    assert not {m for m in loaded if m in NOT_AT_START or m.split(".")[0] in NOT_AT_START}
