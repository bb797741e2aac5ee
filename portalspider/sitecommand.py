"""What the site commands (columns, report, alerts) share: ``--site``, ``--today``, errors.

Every user error ends as one ``error: …`` line on stderr and an exit status (2 for a bad
site config or date, 1 for a database problem), never a traceback. Heavy imports stay in
``run`` bodies: Scrapy imports every command module for every command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

CONFIG_ERROR_EXIT = 2
STORE_ERROR_EXIT = 1


class CommandError(Exception):
    """Raised inside a site command for a problem the user can fix; str() is one line."""

    def __init__(self, message: str, exitcode: int = STORE_ERROR_EXIT) -> None:
        super().__init__(message)
        self.exitcode = exitcode


class SiteCommand(ScrapyCommand):
    """A command about one portal: ``--site PATH`` (its YAML) and ``--today``."""

    requires_project = True
    requires_crawler_process = False  # no crawl: no reactor, no spider loader
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 (Scrapy's own attribute)
    today_help = "as of this date (default: today in Asia/Shanghai)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="PATH", help="site config (YAML) of the portal")
        parser.add_argument("--today", metavar="YYYY-MM-DD", help=self.today_help)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument: {args[0]}")
        if not opts.site:
            raise UsageError("--site PATH is required")
        from portalspider.store.db import StoreError

        try:
            self.exitcode = self.run_site(opts, self.load_config(opts.site), self.today(opts))
        except CommandError as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = exc.exitcode
        except StoreError as exc:  # already one line, password masked
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = STORE_ERROR_EXIT

    def run_site(self, opts: argparse.Namespace, config: Any, today: dt.date) -> int:
        """Do the command's work; return the exit status or raise ``CommandError``."""
        raise NotImplementedError

    @staticmethod
    def load_config(path: str) -> Any:
        from portalspider.siteconfig import ConfigError, load_site_config

        try:
            return load_site_config(path)
        except ConfigError as exc:
            raise CommandError(str(exc), CONFIG_ERROR_EXIT) from None

    def today(self, opts: argparse.Namespace) -> dt.date:
        from portalspider.dates import today_shanghai

        value = opts.today or (self.settings.get("PORTALSPIDER_TODAY") if self.settings else None)
        if not value:
            return today_shanghai()
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise CommandError(
                f"--today {value!r} is not a YYYY-MM-DD date", CONFIG_ERROR_EXIT
            ) from None

    @property
    def database_url(self) -> str:
        assert self.settings is not None
        return self.settings.get("PORTALSPIDER_DATABASE_URL") or "sqlite:///var/portalspider.db"

    def open_store(self) -> Any:
        """The store's session factory, as a context manager (migrated on entry)."""
        from portalspider.store.db import open_store

        return open_store(self.database_url)
