"""Score a crawl's items against the demo portal's truth (used by run, bench and tests).

URLs are compared by their path in a canonical form, so the spider is free to report
``/x/``, ``/x/index.html`` or an absolute URL with any host for the same column.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING = ("from", "spm", "source", "utm_source", "utm_medium", "utm_campaign")
INDEX_PAGES = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")


def normalize_url(url: str) -> str:
    """Host-free canonical form: no fragment, no tracking query, no trailing index page."""
    parts = urlsplit(url)
    path = parts.path or "/"
    for name in INDEX_PAGES:
        if path.endswith("/" + name):
            path = path[: -len(name)]
            break
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING
    ]
    return path + (f"?{urlencode(query)}" if query else "")


@dataclass
class Mismatch:
    url: str
    name: str
    field: str
    expected: Any
    got: Any
    markup: str | None = None


@dataclass
class Report:
    """How a crawl compares with the truth; ``summary()`` prints it for people."""

    truth_columns: int
    found: int
    last_update_exact: int
    status_exact: int
    path_exact: int
    falsely_stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # reported columns that are not columns
    hubs_as_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)  # as the crawl reported them
    truth_status_counts: dict[str, int] = field(default_factory=dict)
    # Update volume (items_30d/90d/365d) over the found columns whose list shows dates:
    counts_dated: int = 0  # found columns the truth has counts for
    counts_exact: int = 0  # all three counts equal to the truth
    counts_lower: int = 0  # flagged incomplete (counts_complete false), none above the truth
    counts_overstated: list[str] = field(default_factory=list)  # any count above the truth
    counts_wrong: list[str] = field(default_factory=list)  # complete but not the truth
    counts_missing: list[str] = field(default_factory=list)  # no counts where the list has dates
    # The 更新较少 check (when the truth was computed with a min_items rule):
    false_sparse: list[str] = field(default_factory=list)
    missed_sparse: list[str] = field(default_factory=list)

    @property
    def discovered_pct(self) -> float:
        return 100.0 * self.found / self.truth_columns if self.truth_columns else 0.0

    @property
    def last_update_pct(self) -> float:
        return 100.0 * self.last_update_exact / self.found if self.found else 0.0

    @property
    def status_pct(self) -> float:
        return 100.0 * self.status_exact / self.found if self.found else 0.0

    @property
    def counts_pct(self) -> float:
        return 100.0 * self.counts_exact / self.counts_dated if self.counts_dated else 100.0

    def counts_pass(self, exact: float = 98.0) -> bool:
        """The issue's "done when" for update volume: ≥98% exact, the rest flagged lower
        bounds, never a count above the truth, never a wrong count claimed complete."""
        return self.counts_pct >= exact and not self.counts_overstated and not self.counts_wrong

    @property
    def accuracy(self) -> float:
        """Share of truth columns found with both ``last_update`` and ``status`` right."""
        wrong = {m.url for m in self.mismatches if m.field in ("last_update", "status")}
        good = self.found - len(wrong)
        return 100.0 * good / self.truth_columns if self.truth_columns else 0.0

    def passes(self, discovered: float = 98.0, last_update: float = 98.0) -> bool:
        """The issue's "done when": ≥98% found, ≥98% exact dates, no false stale."""
        return (
            self.discovered_pct >= discovered
            and self.last_update_pct >= last_update
            and not self.falsely_stale
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            discovered_pct=round(self.discovered_pct, 2),
            last_update_pct=round(self.last_update_pct, 2),
            status_pct=round(self.status_pct, 2),
            accuracy=round(self.accuracy, 2),
            counts_pct=round(self.counts_pct, 2),
        )
        return data

    def summary(self) -> str:
        lines = [
            f"columns found     {self.found}/{self.truth_columns} ({self.discovered_pct:.1f}%)",
            f"last_update exact {self.last_update_exact}/{self.found} "
            f"({self.last_update_pct:.1f}%)",
            f"status exact      {self.status_exact}/{self.found} ({self.status_pct:.1f}%)",
            f"path exact        {self.path_exact}/{self.found}",
            f"falsely stale     {len(self.falsely_stale)}",
            f"accuracy          {self.accuracy:.1f}% (found with date and status right)",
            "statuses (crawl)  " + _counts(self.status_counts),
            "statuses (truth)  " + _counts(self.truth_status_counts),
            f"counts exact      {self.counts_exact}/{self.counts_dated} ({self.counts_pct:.1f}%),"
            f" {self.counts_lower} flagged lower bounds, {len(self.counts_overstated)} overstated,"
            f" {len(self.counts_wrong)} wrong, {len(self.counts_missing)} uncounted",
            f"sparse            {len(self.false_sparse)} false, {len(self.missed_sparse)} missed",
        ]
        for label, names in (
            ("overstated", self.counts_overstated),
            ("counts wrong", self.counts_wrong),
            ("uncounted", self.counts_missing),
            ("false sparse", self.false_sparse),
            ("missed sparse", self.missed_sparse),
        ):
            if names:
                lines.append(f"{label:<17} " + ", ".join(names))
        if self.missing:
            lines.append("missing           " + ", ".join(self.missing))
        if self.extra or self.hubs_as_columns:
            lines.append("not columns       " + ", ".join(self.hubs_as_columns + self.extra))
        lines.extend(
            f"  {m.field:<12} {m.name} {m.url} [{m.markup}]: expected {m.expected!r}, got {m.got!r}"
            for m in self.mismatches
        )
        return "\n".join(lines)


def _counts(counts: Mapping[str, int]) -> str:
    order = ("ok", "warning", "sparse", "stale", "blank", "undated", "unreachable")
    return " ".join(f"{k}={counts.get(k, 0)}" for k in order)


def compare(items: Iterable[Mapping[str, Any]], truth: Iterable[Mapping[str, Any]]) -> Report:
    """Compare ``column`` items (dicts from the feed) with ``Portal.truth()`` entries."""
    truth = list(truth)
    columns = {normalize_url(t["url"]): t for t in truth if t.get("kind", "column") == "column"}
    channels = {normalize_url(t["url"]) for t in truth if t.get("kind") == "channel"}
    got: dict[str, Mapping[str, Any]] = {}
    report = Report(
        truth_columns=len(columns), found=0, last_update_exact=0, status_exact=0, path_exact=0
    )
    reported = [i for i in items if i.get("type", "column") == "column"]
    report.status_counts = dict(Counter(str(i.get("status")) for i in reported))
    report.truth_status_counts = dict(Counter(t["status"] for t in columns.values()))
    for item in reported:
        key = normalize_url(str(item.get("url", "")))
        if key in got:
            report.duplicates.append(key)
        elif key in columns:
            got[key] = item
        elif key in channels:
            report.hubs_as_columns.append(key)
        else:
            report.extra.append(key)
    for key, want in columns.items():
        item = got.get(key)
        if item is None:
            report.missing.append(f"{want['name']} {key}")
            continue
        report.found += 1
        markup = want.get("markup")
        for name in ("last_update", "status", "category", "threshold_days"):
            if item.get(name) == want.get(name):
                if name == "last_update":
                    report.last_update_exact += 1
                elif name == "status":
                    report.status_exact += 1
            elif name in item or name in ("last_update", "status"):
                report.mismatches.append(
                    Mismatch(key, want["name"], name, want.get(name), item.get(name), markup)
                )
        if _path_ok(item.get("path"), want):
            report.path_exact += 1
        if item.get("status") == "stale" and want["status"] != "stale":
            report.falsely_stale.append(f"{want['name']} {key}")
        if item.get("status") == "sparse" and want["status"] != "sparse":
            report.false_sparse.append(f"{want['name']} {key}")
        if want["status"] == "sparse" and item.get("status") != "sparse":
            report.missed_sparse.append(f"{want['name']} {key}")
        _score_counts(report, item, want, f"{want['name']} {key}")
    return report


COUNT_FIELDS = ("items_30d", "items_90d", "items_365d")


def _score_counts(
    report: Report, item: Mapping[str, Any], want: Mapping[str, Any], who: str
) -> None:
    """Exact, a flagged lower bound, overstated or wrong (see :meth:`Report.counts_pass`)."""
    expected = [want.get(f) for f in COUNT_FIELDS]
    if any(e is None for e in expected) or want.get("status") == "unreachable":
        return
    report.counts_dated += 1
    got = [item.get(f) for f in COUNT_FIELDS]
    if got == expected:
        report.counts_exact += 1
    elif any(g is not None and g > e for g, e in zip(got, expected, strict=True)):
        report.counts_overstated.append(f"{who} {got} > {expected}")
    elif all(g is None for g in got):
        report.counts_missing.append(who)
    elif item.get("counts_complete") is False and None not in got:
        report.counts_lower += 1
    else:
        report.counts_wrong.append(f"{who} {got} != {expected}")


def _path_ok(path: Any, want: Mapping[str, Any]) -> bool:
    """Ancestors match, with or without the column's own name at the end."""
    expected = list(want.get("path") or [])
    return path in (expected, [*expected, want["name"]])


def load_items(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON-lines feed export (``-O columns.jsonl``); a missing file gives no items."""
    file = Path(path)
    if not file.exists():
        return []
    return [
        json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
