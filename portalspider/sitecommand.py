"""What the site commands (columns, report, alerts) share: ``--site``, ``--today``, errors.

Every user error ends as one ``error: …`` line on stderr and an exit status, never a
traceback. The exit statuses are the same for every command (docs/operations.md):
0 done; 1 nothing to show or a runtime failure (no crawl of the site yet, the database cannot
be opened or read, a delivery or node failed); 2 a usage or configuration error (bad option,
bad site config, bad date). Heavy imports stay in ``run`` bodies: Scrapy imports every
command module for every command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any, NoReturn

from scrapy.commands import ScrapyCommand

OK_EXIT = 0
FAILURE_EXIT = 1  # nothing to show, or the database / a node / a delivery failed
CONFIG_ERROR_EXIT = 2  # usage or configuration: what the user typed or wrote is wrong
STORE_ERROR_EXIT = FAILURE_EXIT
# "As of" dates a command accepts: beyond them a date is a typo, and far ones overflow.
TODAY_MIN, TODAY_MAX = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


class CommandError(Exception):
    """Raised inside a site command for a problem the user can fix; str() is one line."""

    def __init__(self, message: str, exitcode: int = STORE_ERROR_EXIT) -> None:
        super().__init__(message)
        self.exitcode = exitcode


def fail(message: str, exitcode: int = CONFIG_ERROR_EXIT) -> NoReturn:
    """End the command with one ``error: …`` line (no usage dump, no traceback)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(exitcode)


def unreadable(url: str, exc: BaseException) -> str:
    """One line for a database that opened but cannot be read (a damaged table)."""
    from portalspider.store.db import safe_url

    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"cannot read the database {safe_url(url)}: {lines[0] if lines else type(exc).__name__}"


def check_today(day: dt.date) -> dt.date:
    """An "as of" date within ``TODAY_MIN``..``TODAY_MAX``, else a one-line config error."""
    if not TODAY_MIN <= day <= TODAY_MAX:
        raise CommandError(
            f"--today {day.isoformat()}: out of range ({TODAY_MIN}..{TODAY_MAX})",
            CONFIG_ERROR_EXIT,
        )
    return day


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
            fail(f"unexpected argument: {args[0]}")
        if not opts.site:
            fail(f"--site PATH is required (usage: scrapy {self.syntax()})")
        from sqlalchemy.exc import SQLAlchemyError

        from portalspider.projectsettings import SettingError
        from portalspider.store.db import StoreError

        try:
            self.exitcode = self.run_site(opts, self.load_config(opts.site), self.today(opts))
        except CommandError as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = exc.exitcode
        except SettingError as exc:  # a bad -s/environment value, e.g. ALERTS_SMTP_PORT=abc
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = CONFIG_ERROR_EXIT
        except StoreError as exc:  # already one line, password masked
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = STORE_ERROR_EXIT
        except SQLAlchemyError as exc:  # e.g. a damaged table: one line, not a traceback
            print(f"error: {unreadable(self.database_url, exc)}", file=sys.stderr)
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
        from portalspider.projectsettings import SettingError, get_date

        if opts.today:
            try:
                day = dt.date.fromisoformat(opts.today)
            except ValueError:
                raise CommandError(
                    f"--today {opts.today!r} is not a YYYY-MM-DD date", CONFIG_ERROR_EXIT
                ) from None
        else:
            try:
                day = get_date(self.settings, "PORTALSPIDER_TODAY") or today_shanghai()
            except SettingError as exc:
                raise CommandError(str(exc), CONFIG_ERROR_EXIT) from None
        return check_today(day)

    @staticmethod
    def require_site(session: Any, config: Any, site_path: str) -> Any:
        """The site's row, or the one-line "no crawl yet" error (exit 1: nothing to show)."""
        from portalspider.store.queries import get_site

        site = get_site(session, config.url)
        if site is None:
            raise CommandError(
                f"{config.url} has no crawl in the database yet; "
                f"run: scrapy crawl portal -a site={site_path}"
            )
        return site

    @property
    def database_url(self) -> str:
        assert self.settings is not None
        from portalspider.projectsettings import database_url

        return database_url(self.settings)

    def open_store(self) -> Any:
        """The store's session factory, as a context manager (migrated on entry)."""
        from portalspider.store.db import open_store

        return open_store(self.database_url)
