"""``scrapy crawl SPIDER -a site=PATH``, with the spider name and the site config checked first.

An invalid site config or an unknown spider must stop the crawl with one readable line and
exit status 2, not a traceback from inside the spider loader or the spider's constructor.
A bad setting value (``-s`` or the environment) is one line too. The checks run before
Scrapy starts its crawler process and its start-up log. ``--help``
lists the project's spiders and their ``-a site=PATH`` argument.
"""

from __future__ import annotations

from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from portalspider.context import CrawlContext
from portalspider.interpretation import PolicySettings
from portalspider.projectsettings import SettingError
from portalspider.sitecommand import FAILURE_EXIT, fail
from portalspider.siteconfig import ConfigError, load_site_config

# Finish reasons that mean the crawl did not run (the store could not be opened).
FAILED_FINISH_REASONS = ("store_unavailable",)
SITE_ARGUMENT = "-a site=PATH/TO/site.yaml"


def project_spiders() -> dict[str, str]:
    """Spider name → the first line of its docstring, from the project's spider modules."""
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    loader = get_spider_loader(get_project_settings())
    spiders = {}
    for name in sorted(loader.list()):
        doc = (loader.load(name).__doc__ or "").strip().splitlines()
        spiders[name] = doc[0].replace("``", "").rstrip(".") if doc else ""
    return spiders


class Command(ScrapyCrawlCommand):
    def syntax(self) -> str:
        return f"[options] <spider> {SITE_ARGUMENT}"

    def short_desc(self) -> str:
        return "Crawl a portal: scrapy crawl portal -a site=PATH/TO/site.yaml"

    def long_desc(self) -> str:
        try:
            spiders = "; ".join(f"'{name}' ({doc})" for name, doc in project_spiders().items())
        except Exception:  # help must print even when a spider module is broken
            spiders = "'portal'"
        return (
            f"Run one of this project's spiders on one portal. Spiders are {spiders}. "
            f"Each needs {SITE_ARGUMENT}, the portal's site config (docs/config.md); the "
            "config is checked first and a bad one stops here with one line and exit status "
            "2. Example, scrapy crawl portal -a site=sites/qingxi.yaml -O columns.jsonl "
            "(-O columns.csv writes the column items as a spreadsheet). Exit status 0 when "
            "the crawl ran, even if the portal was down (a finding, not a crash); 1 when the "
            "database could not be opened."
        )

    def _create_crawler(self, spidercls: Any) -> Any:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: Any) -> None:
        super().run(args, opts)
        crawler = getattr(self, "crawler", None)
        stats = crawler.stats if crawler is not None else None
        if stats is not None and (
            stats.get_value("finish_reason") in FAILED_FINISH_REASONS
            or stats.get_value("store/error")  # the run could not be recorded
        ):
            self.exitcode = FAILURE_EXIT

    def process_options(self, args: list[str], opts: Any) -> None:
        super().process_options(args, opts)
        try:
            check_settings(self.settings)
        except SettingError as exc:
            fail(str(exc))
        if not args:
            return
        spiders = project_spiders()
        if args[0] not in spiders:
            fail(f"unknown spider {args[0]!r} (this project has: {', '.join(spiders)})")
        site = (opts.spargs or {}).get("site")
        if not site:
            fail(f"the {args[0]} spider needs {SITE_ARGUMENT}")
        try:
            load_site_config(site, wecom_api_base=self.settings.get("ALERTS_WECOM_API_BASE"))
        except ConfigError as exc:
            fail(str(exc))


def check_settings(settings: Any) -> None:
    """Parse every project setting the crawl reads; raise ``SettingError`` on a bad one.

    Components (item pipelines, extensions) with a ``check_settings(settings)`` class
    method are asked too, so a bad ``ALERTS_*`` value is one line here, not a traceback
    from inside the crawler.
    """
    CrawlContext.check_settings(settings)
    # The 解读回应 check's knobs, parsed by the reader that holds their defaults.
    PolicySettings.from_settings(settings)
    for name in ("ITEM_PIPELINES", "EXTENSIONS"):
        for component in build_component_list(settings.getwithbase(name)):
            check = getattr(load_object(component), "check_settings", None)
            if check is not None:
                check(settings)
