"""互动回应差 on the demo portal: the crawl's letters and 征集 against the portal's truth."""

from __future__ import annotations

from collections import Counter

import pytest

from demo import build_portal, serve
from demo.compare import normalize_url
from tests.crawlutil import crawl, write_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def portal():
    return build_portal(seed=1, theme="a")


@pytest.fixture(scope="module")
def crawled(portal, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo_messages")
    with serve(portal) as server:
        site = write_site(tmp / "site.yaml", server.url)
        result = crawl(site, tmp)
        requests = server.request_count
        # Pages served (a failing page's retries are no second reading).
        paths = [r.path for r in server.requests if r.method == "GET" and (r.status or 500) < 400]
    assert result.returncode == 0, result.stderr[-3000:]
    return result, requests, paths


def _key(url: str) -> str:
    return normalize_url(url).split("://", 1)[-1].split("/", 1)[-1]


def test_every_overdue_letter_and_no_false_one(portal, crawled):
    result, _, _ = crawled
    truth = {_key(t["url"]): t for t in portal.messages_truth() if t["kind"] == "letter"}
    found = {_key(m["url"]): m for m in result.of_type("message") if m["kind"] == "letter"}
    assert set(found) == set(truth)  # the last year's letters, none older
    assert {k for k, m in found.items() if m["overdue"]} == {
        k for k, t in truth.items() if t["overdue"]
    }
    assert sum(t["overdue"] for t in truth.values()) == 5
    for key, t in truth.items():
        if t["replied"] and found[key]["replied"]:
            assert found[key]["replied"] == t["replied"], key


def test_every_solicitation_without_feedback_and_no_false_one(portal, crawled):
    result, _, _ = crawled
    truth = {_key(t["url"]): t for t in portal.messages_truth() if t["kind"] == "solicitation"}
    found = {_key(m["url"]): m for m in result.of_type("message") if m["kind"] == "solicitation"}
    assert set(found) == set(truth)
    assert {k for k, m in found.items() if m["overdue"]} == {
        k for k, t in truth.items() if t["overdue"]
    }
    assert sum(t["overdue"] for t in truth.values()) == 1


def test_verdict_row_and_cost(portal, crawled):
    result, requests, _ = crawled
    rows = {r["name"]: r for r in result.of_type("verdict")[0]["rows"]}
    assert rows["互动回应差"]["result"] == "fail"
    columns = {c["kind"]: c for c in result.of_type("message_column") if c["read"]}
    assert columns["letters"]["overdue"] == 5
    assert columns["letters"]["complete"]
    # The mailbox costs its further list pages and the pages of the letters whose list row
    # leaves the verdict open (answered > 90 days ago, reply date not listed), no more.
    assert columns["letters"]["pages_read"] == 2  # page 2 reaches back past a year
    assert columns["letters"]["details_read"] == 3
    assert columns["solicitations"]["details_read"] == 2
    extra = sum(c["pages_read"] - 1 + c["details_read"] for c in columns.values())
    assert extra == 6
    truth_columns = len(portal.columns_truth())
    # The list pages that make update-volume counts exact are counted apart (≤ 0.25/column),
    # and so are the 解读回应 check's pages (its ``interpretations`` item).
    counts = sum((c.get("pages_read") or 1) - 1 for c in result.columns)
    assert counts / truth_columns <= 0.25, f"{counts} count pages, {truth_columns}"
    policy_pages = sum(i["pages"] for i in result.of_type("interpretations"))
    dating = requests - extra - counts - policy_pages
    assert dating / truth_columns <= 1.5, f"{requests} requests, {truth_columns}"


def test_each_list_page_is_fetched_once(crawled):
    # Before: the mailbox's page 2 was downloaded twice, by the update-volume count reader
    # and by the letter reader; the column's later pages are now shared between them.
    result, _, paths = crawled
    twice = {p: n for p, n in Counter(paths).items() if n > 1}
    assert twice == {}
    columns = {c["kind"]: c for c in result.of_type("message_column") if c["read"]}
    assert columns["letters"]["pages_read"] == 2
    mailbox = next(c for c in result.columns if c["url"] == columns["letters"]["column_url"])
    assert mailbox["pages_read"] >= 2  # the count reader read that page 2 too
    assert paths.count("/hdjl/ldxx/index_1.html") == 1
