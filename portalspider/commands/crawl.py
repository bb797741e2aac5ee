"""``scrapy crawl``, with the site config checked first.

An invalid site config must stop the crawl with one readable line and a non-zero exit,
not a traceback from inside the spider's constructor.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from portalspider.siteconfig import ConfigError, load_site_config


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        site = (opts.spargs or {}).get("site")
        if args and args[0] == "portal":
            if not site:
                print("error: the portal spider needs -a site=PATH/TO/site.yaml", file=sys.stderr)
                self.exitcode = 2
                return
            try:
                load_site_config(site)
            except ConfigError as exc:
                print(f"error: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
