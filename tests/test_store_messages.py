"""互动回应差 in the store: history per run, findings opened, kept and closed, alerted, reported."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.digest import Digest, Notice, render_email, render_subject
from alerts.lifecycle import decide
from alerts.recipients import Reach
from portalspider.items import MessageColumnItem, MessageItem
from portalspider.report.data import build_report
from portalspider.report.excel import render_xlsx
from portalspider.report.office import OfficeExtras
from portalspider.report.render import render_csv, render_html, render_markdown
from portalspider.report.word import render_docx
from portalspider.siteconfig import UnitConfig
from portalspider.store.models import Finding, Message, MessageCheck, Site
from tests.test_alerts_support import site_config
from tests.test_store_recorder import SITE, col, findings, run

D0 = dt.date(2026, 12, 1)
MAILBOX = f"{SITE}ldxx/"
SOLICIT = f"{SITE}zjdc/"


def letter(n: int, *, overdue: bool, status: str = "answered") -> MessageItem:
    return MessageItem(
        column_url=MAILBOX,
        url=f"{MAILBOX}content_{n}.html",
        title=f"来信{n}",
        asked="2026-07-01",
        replied=None if overdue else "2026-07-05",
        days=153 if overdue else 4,
        status="unanswered" if overdue else status,
        overdue=overdue,
    )


def check(kind: str, url: str, *, read: bool = True, overdue: int = 0) -> MessageColumnItem:
    return MessageColumnItem(
        column_url=url, name="x", kind=kind, read=read, messages=2, overdue=overdue
    )


def columns() -> list[Any]:
    return [
        col("ldxx", name="领导信箱", category="interaction", threshold_days=365, unit="县信访局"),
        col("zjdc", name="征集调查", category="interaction", threshold_days=365),
    ]


def test_findings_follow_the_message_checks(store: sessionmaker[Session]) -> None:
    s1 = run(
        store,
        [
            *columns(),
            letter(1, overdue=True),
            letter(2, overdue=False),
            check("letters", MAILBOX, overdue=1),
            MessageItem(
                column_url=SOLICIT,
                url=f"{SOLICIT}zj_1.html",
                title="停车收费意见征集",
                asked="2026-05-05",
                kind="solicitation",
                status="no_feedback",
                overdue=True,
                ends="2026-06-05",
            ),
            check("solicitations", SOLICIT, overdue=1),
        ],
        D0,
    )
    assert s1["messages"]["findings_opened"] == 2
    assert sorted(findings(store)) == [
        ("征集调查", "no_feedback", True, None),
        ("领导信箱", "reply_overdue", True, None),
    ]
    with store() as s:
        unit = s.scalar(select(Finding.unit).where(Finding.kind == "reply_overdue"))
        assert unit == "县信访局"
        # The unit hears of it, like any finding (alert once).
        site_id = s.scalar(select(Site.id))
        config = site_config([UnitConfig(name="县信访局", email=["xf@qx.gov.cn"])])
        decisions = decide(
            s,
            config=config,
            site_id=site_id,
            run_id=s1["run_id"],
            today=D0,
            reach=Reach(config, None),
        )
        told = [(d.recipient, d.notice.problem, d.notice.kind) for d in decisions.decisions]
        assert ("县信访局", "reply_overdue", "alert") in told

    # A run that did not check the mailbox (list not reached) closes nothing.
    run(store, columns(), D0 + dt.timedelta(days=1))
    # A check whose list was no letter list judged nothing either.
    run(store, [*columns(), check("letters", MAILBOX, read=False)], D0 + dt.timedelta(days=2))
    assert all(open_ for _, _, open_, _ in findings(store))
    # Answered: the mailbox's finding closes as fixed; the 征集's stays open.
    s4 = run(
        store,
        [*columns(), letter(1, overdue=False), check("letters", MAILBOX)],
        D0 + dt.timedelta(days=3),
    )
    assert s4["messages"]["findings_closed"] == 1
    assert sorted(findings(store)) == [
        ("征集调查", "no_feedback", True, None),
        ("领导信箱", "reply_overdue", False, "fixed"),
    ]
    # The column's freshness findings are untouched by the message findings (and back).
    run(store, [col("ldxx", "stale", "2025-01-01", name="领导信箱", category="interaction",
                    threshold_days=365)], D0 + dt.timedelta(days=4))  # fmt: skip
    kinds = [(name, kind, open_) for name, kind, open_, _ in findings(store)]
    assert ("领导信箱", "stale", True) in kinds
    assert ("征集调查", "no_feedback", True) in kinds
    with store() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 4  # history per run
        assert s.scalar(select(func.count()).select_from(MessageCheck)) == 4


def test_report_lists_columns_and_overdue_messages(store: sessionmaker[Session]) -> None:
    run(
        store,
        [
            *columns(),
            letter(1, overdue=True),
            letter(2, overdue=False),
            check("letters", MAILBOX, overdue=1),
        ],
        D0,
    )
    with store() as s:
        site = s.scalars(select(Site)).one()
        report = build_report(s, site, D0)
    assert [c.name for c in report.replies.columns] == ["领导信箱"]
    assert [m.title for m in report.replies.overdue] == ["来信1"]
    html, md, csv = render_html(report), render_markdown(report), render_csv(report)
    for text in (html, md):
        assert "九、互动回应情况" in text
        assert "来信1" in text
        assert "已153天未答复" in text
    assert "互动回应差:留言2026-07-01，已153天未答复" in csv
    word = docx.Document(io.BytesIO(render_docx(report, OfficeExtras())))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "互动回应差(1条)" in text
    assert "来信1——留言2026-07-01，已153天未答复" in text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, OfficeExtras())))
    assert [c.value for c in book["互动回应"][2]][2] == "来信1"
    assert [c.value for c in book["互动栏目"][2]][4] == 1  # overdue count of 领导信箱
    # The column's own row is not a problem: its freshness is fine.
    assert "领导信箱" not in [row.name for row in report.problems]


def test_message_findings_close_when_their_column_is_gone(store: sessionmaker[Session]) -> None:
    # Before: a mailbox removed from the site kept its reply_overdue finding open for ever
    # (its check never ran again to close it), and its unit was never told.
    others = [col(s) for s in ("a", "b", "c")]
    s1 = run(
        store,
        [*columns(), *others, letter(1, overdue=True), check("letters", MAILBOX, overdue=1)],
        D0,
    )
    config = site_config([UnitConfig(name="县信访局", email=["xf@qx.gov.cn"])])

    def told(run_id: int, day: dt.date) -> list[tuple[str | None, str, str, str]]:
        with store() as s:
            decided = decide(
                s,
                config=config,
                site_id=s.scalar(select(Site.id)),
                run_id=run_id,
                today=day,
                reach=Reach(config, None),
            )
            s.commit()
        return [
            (d.recipient, d.notice.kind, d.notice.kind_label, str(d.notice.problem))
            for d in decided.decisions
            if d.notice.problem == "reply_overdue"
        ]

    assert told(s1["run_id"], D0) == [("县信访局", "alert", "需整改", "reply_overdue")]
    gone_site = [columns()[1], *others]  # the mailbox is no longer on the site
    # Runs that judged nothing close nothing: site down, an incomplete crawl (a bound hit).
    run(store, [], D0 + dt.timedelta(days=1), site="down")
    run(store, gone_site, D0 + dt.timedelta(days=2), discovery_complete=False)
    run(store, gone_site, D0 + dt.timedelta(days=3), discovery_complete=False)
    # One complete crawl without it: not gone yet (a bad day must not erase history).
    run(store, gone_site, D0 + dt.timedelta(days=4))
    assert ("领导信箱", "reply_overdue", True, None) in findings(store)
    # A second complete crawl without it: the column is gone, and its finding with it.
    last = run(store, gone_site, D0 + dt.timedelta(days=5))
    assert ("领导信箱", "reply_overdue", False, "gone") in findings(store)
    assert last["gone_findings"] == 1
    got = told(last["run_id"], D0 + dt.timedelta(days=5))
    assert got == [("县信访局", "resolved", "已关闭", "reply_overdue")]
    notice = Notice("resolved", 1, "领导信箱", MAILBOX, "gone", problem="reply_overdue")
    digest = Digest("青溪县", SITE, "县信访局", D0, D0, [notice])
    assert "1个栏目已撤销，问题已关闭" in render_subject(digest)
    assert "已整改" not in render_subject(digest)
    assert "栏目已从网站撤销" in render_email(digest)[0]
