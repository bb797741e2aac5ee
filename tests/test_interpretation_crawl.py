"""解读回应 end to end: the real ``portal`` crawl against the demo's policy truth."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from demo import build_portal, serve
from demo.policies import policy_truth
from portalspider.store.db import make_engine, session_factory
from portalspider.store.models import Finding, PolicyCheck, PolicyDoc
from tests.crawlutil import crawl, write_site

pytestmark = pytest.mark.slow


def _by_path(items: list[dict]) -> dict[str, dict]:
    return {urlsplit(i["url"]).path: i for i in items}


def _assert_matches(result, portal) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    truth = policy_truth(portal)
    found = _by_path(result.of_type("policy"))
    expected = truth["documents"]
    # Every document of the window is checked, with the state its pages show: each one-way
    # or missing link is found, and none is called one-way or missing falsely.
    assert {p: i["state"] for p, i in found.items()} == {p: d["state"] for p, d in expected.items()}
    for path, doc in expected.items():
        got = found[path]
        assert got["date"] == doc["date"]
        if doc["interpretation"]:
            assert urlsplit(got["interpretation_url"]).path == doc["interpretation"]
        assert got["linked_back"] is (
            True
            if doc["state"] in ("two_way", "interp_only")
            else False
            if doc["state"] == "doc_only"
            else None
        )
    (summary,) = result.of_type("interpretations")
    states = Counter(d["state"] for d in expected.values())
    assert summary["checked"] == len(expected)
    for state in ("two_way", "doc_only", "interp_only", "missing"):
        assert summary[state] == states[state], state
    assert summary["unverified"] == 0
    if summary["counts_complete"]:
        assert summary["documents_365d"] == truth["documents_365d"]
        assert summary["interpretations_365d"] == truth["interpretations_365d"]


@pytest.fixture(scope="module")
def portal_a():
    return build_portal(seed=1, theme="a")


def test_demo_policies_match_truth_and_are_stored(portal_a, tmp_path):
    truth = policy_truth(portal_a)
    assert set(Counter(d["state"] for d in truth["documents"].values())) == {
        "two_way",
        "doc_only",
        "interp_only",
        "missing",
    }
    db = f"sqlite:///{tmp_path / 'ps.db'}"
    with serve(portal_a) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path, db_url=db)
        requests = server.request_count
    _assert_matches(result, portal_a)
    (summary,) = result.of_type("interpretations")
    columns = len(portal_a.columns_truth())
    # The check's pages are extra requests, counted and bounded: one per document and
    # interpretation of the window here (well under the cap).
    assert summary["pages"] <= summary["cap"]
    # (the 互动回应差 check's own reads are counted apart too, as in test_crawl_demo)
    messages = sum(
        c["pages_read"] - 1 + c["details_read"] for c in result.of_type("message_column")
    )
    counts = sum((c.get("pages_read") or 1) - 1 for c in result.columns)  # count pages
    assert (requests - summary["pages"] - messages - counts) / columns <= 1.5
    # The crawl log's SUMMARY (and so ``make demo``) says what the check found and cost.
    states = Counter(d["state"] for d in truth["documents"].values())
    assert (
        f"SUMMARY policies: checked={len(truth['documents'])} two_way={states['two_way']} "
        f"doc_only={states['doc_only']} interp_only={states['interp_only']} "
        f"missing={states['missing']} unverified=0 unread=0 "
    ) in result.stderr
    assert f"requests={summary['pages']}\n" in result.stderr
    engine = make_engine(db)
    try:
        with session_factory(engine)() as s:
            docs = s.scalars(select(PolicyDoc)).all()
            assert len(docs) == len(truth["documents"])
            assert len(s.scalars(select(PolicyCheck)).all()) == len(docs)
            problem_columns = {
                d["column"] for d in truth["documents"].values() if d["state"] != "two_way"
            }
            kinds = Counter(f.kind for f in s.scalars(select(Finding)) if f.is_open)
            assert kinds["policy_links"] == len(problem_columns)
    finally:
        engine.dispose()


def test_switched_off_it_reads_no_policy_page(portal_a, tmp_path):
    """On by default; ``PORTALSPIDER_POLICY_CHECK=false`` costs no document or
    interpretation page and gives no policy item."""
    truth = policy_truth(portal_a)["documents"]
    pages = set(truth) | {d["interpretation"] for d in truth.values() if d["interpretation"]}
    with serve(portal_a) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path, "PORTALSPIDER_POLICY_CHECK=false")
        requested = {urlsplit(r.path).path for r in server.requests}
    assert result.returncode == 0, result.stderr[-2000:]
    assert not result.of_type("policy")
    assert not result.of_type("interpretations")
    assert pages
    assert not pages & requested, sorted(pages & requested)


@pytest.mark.parametrize(("seed", "theme"), [(21, "b"), (44, "f")])
def test_unseen_portals_with_failures(seed, theme, tmp_path):
    """Other layouts, a fifth of first attempts failing: the same answers."""
    portal = build_portal(seed=seed, theme=theme)
    with serve(portal, flaky=0.2, seed=seed) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        result = crawl(site, tmp_path)
    _assert_matches(result, portal)


def test_cap_spreads_over_crawls(portal_a, tmp_path):
    """A cap below the documents: later crawls check the ones not checked before first."""
    truth = policy_truth(portal_a)
    total = len(truth["documents"])
    cap = ["PORTALSPIDER_POLICY_PAGES=8", "PORTALSPIDER_POLICY_PAGES_PER_COLUMN=0"]
    checked: set[str] = set()
    with serve(portal_a) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        for _ in range(-(-total // 4)):
            result = crawl(site, tmp_path, *cap)
            assert result.returncode == 0, result.stderr[-2000:]
            (summary,) = result.of_type("interpretations")
            assert summary["pages"] <= 8
            assert summary["unread_documents"] == total - 4
            new = set(_by_path(result.of_type("policy")))
            assert len(new) == 4
            assert not new & checked or len(checked) + 4 > total
            checked |= new
    assert checked == set(truth["documents"])
