"""``scrapy crawl``, with the site config checked first.

An invalid site config must stop the crawl with one readable line and a non-zero exit,
not a traceback from inside the spider's constructor. The check runs while options are
processed, before Scrapy starts its crawler process and its start-up log.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from portalspider.siteconfig import ConfigError, load_site_config

CONFIG_ERROR_EXIT = 2
# Finish reasons that mean the crawl did not run (the store could not be opened).
FAILED_FINISH_REASONS = ("store_unavailable",)


class Command(ScrapyCrawlCommand):
    def _create_crawler(self, spidercls):
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args, opts):
        super().run(args, opts)
        crawler = getattr(self, "crawler", None)
        stats = crawler.stats if crawler is not None else None
        if stats is not None and stats.get_value("finish_reason") in FAILED_FINISH_REASONS:
            self.exitcode = 1

    def process_options(self, args, opts):
        super().process_options(args, opts)
        if not args:
            return
        site = (opts.spargs or {}).get("site")
        if not site:
            if args[0] == "portal":
                _fail("the portal spider needs -a site=PATH/TO/site.yaml")
            return
        try:
            load_site_config(site, wecom_api_base=self.settings.get("ALERTS_WECOM_API_BASE"))
        except ConfigError as exc:
            _fail(str(exc))


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(CONFIG_ERROR_EXIT)
