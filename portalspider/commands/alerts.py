"""``scrapy alerts --site PATH [--dry-run | --send] [--resend ID]``.

``--dry-run`` (the default) shows what the last crawl makes due (decided and rendered, then
rolled back: nothing is recorded, nothing sent) and what is queued in the outbox.
``--send`` delivers the queued digests now (the end of every crawl does the same).
``--resend ID`` puts a failed digest back in the queue, e.g. an email whose delivery was
left uncertain by a crash, once the operator checked the unit did not get it.
Heavy imports happen in ``run``: Scrapy imports every command module for every command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from portalspider.sitecommand import SiteCommand


class Command(SiteCommand):
    default_settings = {"LOG_LEVEL": "INFO"}  # noqa: RUF012 (Scrapy's own attribute)
    today_help = "decide as of this date (default: today in Asia/Shanghai)"

    def syntax(self) -> str:
        return "--site PATH [--dry-run | --send] [--resend ID]"

    def short_desc(self) -> str:
        return "Show the notifications due for a site, or deliver the pending ones"

    def long_desc(self) -> str:
        return (
            "--dry-run (default): decide and render what the latest crawl of the site in PATH "
            "makes due, without recording or sending it, and list the outbox (pending, in "
            "flight, failed). --send: deliver pending digests by email and WeCom using the "
            "ALERTS_* settings. --resend ID: re-queue a failed digest (then use --send)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="show what is due (default)")
        mode.add_argument("--send", action="store_true", help="deliver pending digests now")
        mode.add_argument(
            "--resend", metavar="ID", type=int, help="put failed delivery ID back in the queue"
        )

    def run_site(self, opts: argparse.Namespace, config: Any, today: dt.date) -> int:
        with self.open_store() as sessions:
            return self._dispatch(opts, config, sessions, today)

    def _dispatch(
        self, opts: argparse.Namespace, config: Any, sessions: Any, today: dt.date
    ) -> int:
        from alerts import outbox, service

        if opts.resend is not None:
            if outbox.resend(sessions, opts.resend):
                print(f"delivery {opts.resend} re-queued; run with --send to deliver it")
                return 0
            print(f"error: no failed delivery {opts.resend}", file=sys.stderr)
            return 1
        if opts.send:
            report = service.deliver_pending(
                settings=self.settings, config=config, session_factory=sessions
            )
            print(
                f"delivered {len(report.sent)}, to retry {len(report.retry)}, "
                f"failed {len(report.failed)}, waiting {len(report.waiting)}"
            )
            return 0 if report.ok else 1
        plan = service.plan(
            settings=self.settings, config=config, session_factory=sessions, today=today
        )
        write = sys.stdout.write
        if not plan.digests and not plan.undeliverable:
            write("due: nothing new\n")
        if plan.unreached:
            write(f"warning: {service.unreached_text(plan.unreached)}\n")
        for digest, channels in plan.digests:
            write(
                f"due: {digest.unit} via {', '.join(channels)}: {len(digest.notices)} notice(s)\n"
            )
            for n in digest.notices:
                write(f"  [{n.kind}] {n.path_text} ({n.status}) {n.url}\n")
        for unit, count in plan.undeliverable.items():
            write(f"due but undeliverable: {unit}: {count} notice(s) (no contact configured)\n")
        for row in plan.pending:
            error = f" — {row['last_error']}" if row["last_error"] else ""
            write(
                f"outbox #{row['id']} {row['status']}: {row['unit']} via {row['channel']}, "
                f"part {row['parts_sent']}/{row['parts']}, {row['attempts']} attempt(s): "
                f"{row['subject']}{error}\n"
            )
        sys.stdout.flush()
        return 0
