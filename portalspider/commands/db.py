"""``scrapy db upgrade``: apply the store's schema migrations.

Crawls migrate automatically at start; this command is for operators who upgrade the
code and want the schema changed before the next crawls (e.g. a shared PostgreSQL used by
several scrapyd hosts), and for ``scrapy db current`` to see where a database stands.
Heavy imports happen in ``run``: Scrapy imports every command module for every command.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand

from portalspider.sitecommand import FAILURE_EXIT, fail, unreadable

ACTIONS = ("upgrade", "current")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # no crawl: no reactor, no spider loader
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 (Scrapy's own attribute)

    def syntax(self) -> str:
        return "upgrade|current"

    def short_desc(self) -> str:
        return "Apply (upgrade) or show (current) the database schema migrations"

    def long_desc(self) -> str:
        return (
            "upgrade: migrate the database named by PORTALSPIDER_DATABASE_URL to the newest "
            "schema (safe while crawls run; concurrent upgrades wait for each other). "
            "current: print the database's schema revision and the newest one."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] not in ACTIONS:
            fail("expected one action: upgrade or current (usage: scrapy db upgrade|current)")
        from sqlalchemy.exc import SQLAlchemyError

        from portalspider.projectsettings import database_url
        from portalspider.store.db import (
            StoreError,
            current_revision,
            head_revision,
            make_engine,
            safe_url,
            upgrade,
        )

        assert self.settings is not None
        url = database_url(self.settings)
        try:
            engine = make_engine(url)
            try:
                before = current_revision(engine)
                if args[0] == "upgrade":
                    upgrade(engine)
                    after = current_revision(engine)
                    change = "already at" if before == after else f"{before or 'empty'} ->"
                    print(f"{safe_url(url)}: {change} {after}")
                else:
                    head = head_revision()
                    state = "up to date" if before == head else f"behind (head {head})"
                    print(f"{safe_url(url)}: {before or 'empty'}, {state}")
            finally:
                engine.dispose()
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = FAILURE_EXIT
        except SQLAlchemyError as exc:  # a damaged database: one line, not a traceback
            print(f"error: {unreadable(url, exc)}", file=sys.stderr)
            self.exitcode = FAILURE_EXIT
