"""The store's status transition as a truth table (``store.recorder.transition``)."""

from __future__ import annotations

import pytest

from portalspider.store.recorder import Transition, transition

# previous, observed, has_finding, gone_allowed, ignored -> status, finding
TABLE = [
    # first run of a column: it takes what was seen; a problem opens a finding
    (None, "ok", False, True, False, "ok", None),
    (None, "stale", False, True, False, "stale", "open"),
    (None, "unreachable", False, True, False, "unreachable", None),
    (None, None, False, True, False, None, None),  # never finalized, unseen: nothing
    # problems open, keep, or are fixed
    ("ok", "stale", False, True, False, "stale", "open"),
    ("stale", "stale", True, True, False, "stale", "keep"),
    ("stale", "undated", True, True, False, "undated", "keep"),
    ("blank", "ok", True, True, False, "ok", "fixed"),
    ("stale", "warning", True, True, False, "warning", "fixed"),
    # 更新较少 is its own episode: moving to or from it closes one finding, opens another
    (None, "sparse", False, True, False, "sparse", "open"),
    ("ok", "sparse", False, True, False, "sparse", "open"),
    ("sparse", "sparse", True, True, False, "sparse", "keep"),
    ("sparse", "ok", True, True, False, "ok", "fixed"),
    ("sparse", "warning", True, True, False, "warning", "fixed"),
    ("sparse", "unreachable", True, True, False, None, "keep"),
    ("ok", "warning", False, True, False, "warning", None),
    # unreachable is no evidence: the state and the finding stay
    ("stale", "unreachable", True, True, False, None, "keep"),
    ("ok", "unreachable", False, True, False, None, None),
    # unseen: gone when allowed, kept when not, ignored whatever the run saw
    ("stale", None, True, True, False, "gone", "gone"),
    ("ok", None, False, True, False, "gone", None),
    ("gone", None, False, True, False, "gone", None),
    ("stale", None, True, False, False, None, "keep"),
    ("ok", None, False, False, False, None, None),
    ("stale", None, True, True, True, "ignored", "ignored"),
    ("stale", None, True, False, True, "ignored", "ignored"),
    ("ignored", None, False, True, True, "ignored", None),
    ("ignored", None, False, True, False, "gone", None),  # rule removed, column absent
    ("ignored", "ok", False, True, False, "ok", None),  # rule removed, column back
    ("gone", "stale", False, True, False, "stale", "open"),  # back: a new episode
]


# previous, observed -> status, resolution of the open finding; a new one opens
CROSSING = [
    ("stale", "sparse", "sparse", "fixed"),  # updated within threshold, but too little
    ("blank", "sparse", "sparse", "fixed"),
    ("sparse", "stale", "stale", "superseded"),  # worse: not a fix
    ("sparse", "undated", "undated", "superseded"),
]


@pytest.mark.parametrize(("previous", "observed", "status", "finding"), CROSSING)
def test_crossing_between_sparse_and_not_updated(previous, observed, status, finding) -> None:
    assert transition(previous, observed, has_finding=True) == Transition(
        status, finding, opens=True
    )


@pytest.mark.parametrize(
    ("previous", "observed", "has_finding", "gone_allowed", "ignored", "status", "finding"),
    TABLE,
)
def test_transition(
    previous: str | None,
    observed: str | None,
    has_finding: bool,
    gone_allowed: bool,
    ignored: bool,
    status: str | None,
    finding: str | None,
) -> None:
    assert transition(
        previous,
        observed,
        has_finding=has_finding,
        gone_allowed=gone_allowed,
        ignored=ignored,
    ) == Transition(status, finding)
