"""更新较少 in every digest medium: the wording and the rule's figures, escaped per medium."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.digest import Digest, render_email, render_markdown_parts, render_text_parts
from alerts.lifecycle import _notice
from portalspider.store.models import Column

TODAY = dt.date(2026, 11, 30)
HOSTILE = "疫情<b>防控</b>*[x](javascript:1)"


def sparse_digest(rule: dict[str, object] | None) -> Digest:
    column = Column(
        id=7,
        name=HOSTILE,
        url="http://127.0.0.1:8765/yqfk/",
        path=["政务公开", HOSTILE],
        unit="卫健局",
        status="sparse",
        threshold_days=90,
        last_update=dt.date(2026, 10, 1),
        min_items=rule,
    )
    notice = _notice(column, "alert", TODAY)
    return Digest("青溪县人民政府", "http://127.0.0.1:8765/", "卫健局", TODAY, TODAY, [notice])


def rendered(digest: Digest) -> dict[str, str]:
    text, html = render_email(digest)
    return {
        "text": text,
        "html": html,
        "wecom": "".join(render_markdown_parts(digest, 4096)),
        "robot": "".join(render_text_parts(digest, 2048)),
    }


@pytest.mark.parametrize(
    ("complete", "items"), [(True, "2"), (False, "≥2")], ids=["exact", "lower-bound"]
)
def test_sparse_digest_says_how_few_against_the_rule(complete: bool, items: str) -> None:
    rule = {"count": 4, "days": 90, "items": 2, "complete": complete}
    for medium, body in rendered(sparse_digest(rule)).items():
        assert f"更新较少：近90天更新{items}条，要求至少4条" in body, medium
        assert "1个栏目需整改" in body, medium
    media = rendered(sparse_digest(rule))
    assert "<b>防控</b>" not in media["html"]
    assert "&lt;b&gt;防控&lt;/b&gt;" in media["html"]
    assert r"\*\[x\]" in media["wecom"]
    assert "[x](javascript" not in media["wecom"]


def test_sparse_without_a_stored_rule_falls_back_to_the_label() -> None:
    for medium, body in rendered(sparse_digest(None)).items():
        assert "更新较少" in body, medium
        assert "要求至少" not in body, medium
