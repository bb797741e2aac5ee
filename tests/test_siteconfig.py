"""The site config loader: the interface example, defaults, and one-line errors."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from portalspider.siteconfig import (
    MAX_CONFIG_BYTES,
    ColumnRule,
    ConfigError,
    MinItems,
    SiteConfig,
    UnitConfig,
    format_config_error,
    load_site_config,
)

MINIMAL = """\
site:
  name: 青溪县人民政府
  url: http://127.0.0.1:8765/
"""

# The optional keys exactly as spec/interface.md shows them.
FULL = """\
site:
  name: 青溪县人民政府
  url: http://127.0.0.1:8765/
  allowed_domains: [127.0.0.1]
defaults:
  unit: 县政府办            # responsible unit for columns no rule assigns
  deadline_days: 5          # 整改期限 stated in alerts and reports
units:
  - name: 县卫健局
    email: [wjj@example.gov.cn]
    wecom_webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY
    wecom_mobiles: ["13800001111"]
    wecom_users: [zhangsan]
    wecom_parties: ["12"]
    escalate_to: 县政府办
    columns: [/zfxxgk/fdzdgknr/jbyl/, 基本医疗]
columns:
  - match: /xwzx/zwdt/
    category: news
    max_age_days: 30
    unit: 县政府办
    exempt_until: 2026-12-31
  - match: /old/unused/
    ignore: true
"""


def write(tmp_path: Path, text: str, name: str = "site.yaml") -> str:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return str(file)


def error(tmp_path: Path, text: str) -> ConfigError:
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(file)
    return info.value


def test_minimal(tmp_path: Path) -> None:
    file = write(tmp_path, MINIMAL)
    assert load_site_config(file) == SiteConfig(
        path=file,
        name="青溪县人民政府",
        url="http://127.0.0.1:8765/",
        allowed_domains=["127.0.0.1"],
    )


def test_full_interface_example(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, FULL))
    assert config.default_unit == "县政府办"
    assert config.deadline_days == 5
    assert config.units == [
        UnitConfig(
            name="县卫健局",
            email=["wjj@example.gov.cn"],
            wecom_webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY",
            wecom_mobiles=["13800001111"],
            wecom_users=["zhangsan"],
            wecom_parties=["12"],
            escalate_to="县政府办",
            columns=["/zfxxgk/fdzdgknr/jbyl/", "基本医疗"],
        )
    ]
    assert config.columns == [
        ColumnRule(
            match="/xwzx/zwdt/",
            category="news",
            max_age_days=30,
            unit="县政府办",
            exempt_until=dt.date(2026, 12, 31),
        ),
        ColumnRule(match="/old/unused/", ignore=True),
    ]
    assert config.warnings == []
    assert config.unit_names == ["县卫健局", "县政府办"]
    assert config.unit("县卫健局") is config.units[0]
    assert config.unit("县政府办") is None


def test_webhook_secret_is_not_in_repr(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, FULL))
    assert "SECRETKEY" not in repr(config)


def test_allowed_domains_default_is_the_portal_domain(tmp_path: Path) -> None:
    """xxgk.qx.gov.cn (the 信息公开 host) belongs to the portal of www.qx.gov.cn."""
    config = load_site_config(
        write(
            tmp_path,
            MINIMAL.replace("http://127.0.0.1:8765/", "https://WWW.QX.gov.cn:8443/index.html"),
        )
    )
    assert config.allowed_domains == ["qx.gov.cn"]


def test_a_city_portal_is_not_its_province(tmp_path: Path) -> None:
    """www.hz.zj.gov.cn gives hz.zj.gov.cn: the province's other sites stay out."""
    config = load_site_config(
        write(tmp_path, MINIMAL.replace("http://127.0.0.1:8765/", "http://www.hz.zj.gov.cn/"))
    )
    assert config.allowed_domains == ["hz.zj.gov.cn"]


@pytest.mark.parametrize("suffix", ["gov.cn", "com.cn", "cn", "edu.cn", "GOV.CN", ".org.cn"])
def test_allowed_domains_may_not_be_a_public_suffix(tmp_path: Path, suffix: str) -> None:
    text = MINIMAL.replace("http://127.0.0.1:8765/", "http://www.qx.gov.cn/") + (
        f"  allowed_domains: [www.qx.gov.cn, '{suffix}']\n"
    )
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    assert str(info.value) == (
        f"{file}:4: site.allowed_domains[1]: '{suffix.lower().strip('.')}' is a public suffix: "
        "too wide a scope"
    )


def test_allowed_domains_leniency(tmp_path: Path) -> None:
    text = MINIMAL.replace("http://127.0.0.1:8765/", "http://www.qx.gov.cn/") + (
        "  allowed_domains: [qx.gov.cn:80, 'http://xxgk.qx.gov.cn/a/']\n"
    )
    config = load_site_config(write(tmp_path, text))
    assert config.allowed_domains == ["qx.gov.cn", "xxgk.qx.gov.cn"]
    assert len(config.warnings) == 1
    assert "using 'xxgk.qx.gov.cn'" in config.warnings[0]


def test_allowed_domains_always_cover_the_home_page(tmp_path: Path) -> None:
    text = MINIMAL.replace("http://127.0.0.1:8765/", "http://www.qx.gov.cn/") + (
        "  allowed_domains: xxgk.qx.gov.cn\n"
    )
    config = load_site_config(write(tmp_path, text))
    assert config.allowed_domains == ["www.qx.gov.cn", "xxgk.qx.gov.cn"]
    assert "added 'www.qx.gov.cn'" in config.warnings[0]


def test_single_strings_and_unquoted_numbers_are_accepted(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + """\
units:
  - name: 县卫健局
    email: wjj@example.gov.cn
    wecom_mobiles: 13800001111
    wecom_parties: [12, 13]
    columns: 基本医疗
"""
    )
    unit = load_site_config(write(tmp_path, text)).units[0]
    assert unit.email == ["wjj@example.gov.cn"]
    assert unit.wecom_mobiles == ["13800001111"]
    assert unit.wecom_parties == ["12", "13"]
    assert unit.columns == ["基本医疗"]


def test_empty_sections_are_defaults(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, MINIMAL + "defaults:\nunits:\ncolumns:\n"))
    assert (config.default_unit, config.deadline_days, config.units, config.columns) == (
        None,
        5,
        [],
        [],
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("'2026/1/5'", dt.date(2026, 1, 5)),
        ("2026年1月5日", dt.date(2026, 1, 5)),
        ("2026-12-31 18:00:00", dt.date(2026, 12, 31)),
    ],
)
def test_exempt_until_spellings(tmp_path: Path, value: str, expected: dt.date) -> None:
    text = MINIMAL + f"columns:\n  - match: /a/\n    exempt_until: {value}\n"
    assert load_site_config(write(tmp_path, text)).columns[0].exempt_until == expected


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    file = tmp_path / "bom.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_site_config(str(file)).name == "青溪县人民政府"


# --- errors: (yaml text, line, key, fragment of the problem) -------------------------

UNIT = MINIMAL + "units:\n  - name: 县卫健局\n"
ERRORS = [
    pytest.param(
        UNIT + "    emial: [a@b.cn]\n",
        6,
        "units[0].emial",
        "unknown key (did you mean 'email'?)",
        id="misspelt-key",
    ),
    pytest.param(
        UNIT + "    Email: [a@b.cn]\n", 6, "units[0].Email", "did you mean 'email'?", id="key-case"
    ),
    pytest.param(
        MINIMAL + "  deadline_days: 5\n",
        4,
        "site.deadline_days",
        "belongs under 'defaults'",
        id="key-in-wrong-section",
    ),
    pytest.param(
        "site:\n  name: a\nurl: http://x.cn/\n",
        3,
        "url",
        "'url' belongs under 'site'",
        id="mis-indented",
    ),
    pytest.param(
        MINIMAL + "colums: []\n", 4, "colums", "did you mean 'columns'?", id="top-level-typo"
    ),
    pytest.param(
        MINIMAL + 'defaults:\n  deadline_days: "five"\n',
        5,
        "defaults.deadline_days",
        "expected a whole number of days, got text 'five'",
        id="deadline-text",
    ),
    pytest.param(
        MINIMAL + "defaults:\n  deadline_days: 0\n",
        5,
        "defaults.deadline_days",
        "must be from 1 to 365 days, got 0",
        id="deadline-zero",
    ),
    pytest.param(
        MINIMAL + "defaults:\n  deadline_days: 2.5\n",
        5,
        "defaults.deadline_days",
        "whole number",
        id="deadline-float",
    ),
    pytest.param("site:\n  name: a\n", 1, "site.url", "missing", id="missing-url"),
    pytest.param("site:\n  url: http://x.cn/\n", 1, "site.name", "missing", id="missing-name"),
    pytest.param("site:\n  name: a\n  url:\n", 3, "site.url", "is empty", id="empty-url"),
    pytest.param("defaults:\n  unit: a\n", 1, "site", "missing", id="missing-site"),
    pytest.param("site: 青溪\n", 1, "site", "expected a mapping", id="site-not-mapping"),
    pytest.param(
        "site:\n  name: a\n  url: www.qx.gov.cn\n",
        3,
        "site.url",
        "did you mean 'http://www.qx.gov.cn'?",
        id="url-no-scheme",
    ),
    pytest.param(
        "site:\n  name: a\n  url: ftp://qx.gov.cn/\n",
        3,
        "site.url",
        "must start with http:// or https://",
        id="url-ftp",
    ),
    pytest.param(
        "site:\n  name: 123\n  url: http://x.cn/\n",
        2,
        "site.name",
        "put it in quotes",
        id="name-number",
    ),
    pytest.param(
        UNIT + "    email: x@y\n",
        6,
        "units[0].email[0]",
        "not an email address",
        id="email-invalid",
    ),
    pytest.param(
        UNIT + "    email: {a: b}\n", 6, "units[0].email", "expected a list", id="email-mapping"
    ),
    pytest.param(
        UNIT + "    email: [a@b.cn, 5]\n",
        6,
        "units[0].email[1]",
        "expected email",
        id="email-item-number",
    ),
    pytest.param(
        UNIT + "    wecom_webhook: qyapi.weixin.qq.com/x?key=TOPSECRET\n",
        6,
        "units[0].wecom_webhook",
        "must start with http",
        id="webhook-no-scheme",
    ),
    pytest.param(
        MINIMAL + "units:\n  name: 县卫健局\n", 5, "units", "expected a list", id="units-not-list"
    ),
    pytest.param(
        MINIMAL + "units:\n  - email: [a@b.cn]\n",
        5,
        "units[0].name",
        "missing",
        id="unit-without-name",
    ),
    pytest.param(
        UNIT + "  - name: 县卫健局\n", 6, "units[1].name", "declared twice", id="unit-twice"
    ),
    pytest.param(
        UNIT + "    escalate_to: 县政府\n  - name: 县政府办\n",
        6,
        "units[0].escalate_to",
        "unknown unit '县政府' (did you mean '县政府办'?",
        id="escalate-typo",
    ),
    pytest.param(
        UNIT + "    escalate_to: 县卫健局\n",
        6,
        "units[0].escalate_to",
        "cannot escalate to itself",
        id="escalate-self",
    ),
    pytest.param(
        UNIT + "    escalate_to: B\n  - name: B\n    escalate_to: 县卫健局\n",
        6,
        "units[0].escalate_to",
        "escalation loop",
        id="escalate-loop",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    unit: 县政府\n",
        6,
        "columns[0].unit",
        "unknown unit",
        id="column-unit-unknown",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    category: notices\n",
        6,
        "columns[0].category",
        "did you mean 'notice'?",
        id="category-typo",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    category: 新闻\n",
        6,
        "columns[0].category",
        "news|notice|policy",
        id="category-chinese",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    exempt_until: 2026-02-30\n",
        6,
        "columns[0].exempt_until",
        "not a real date",
        id="date-impossible",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    exempt_until: 明年\n",
        6,
        "columns[0].exempt_until",
        "expected a date like 2026-12-31",
        id="date-text",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n    ignore: maybe\n",
        6,
        "columns[0].ignore",
        "expected true or false",
        id="ignore-not-bool",
    ),
    pytest.param(
        MINIMAL + 'columns:\n  - match: /a/\n    max_age_days: "30"\n',
        6,
        "columns[0].max_age_days",
        "whole number",
        id="max-age-text",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - category: news\n",
        5,
        "columns[0].match",
        "missing",
        id="match-missing",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: xwzx/zwdt/\n",
        5,
        "columns[0].match",
        "did you mean '/xwzx/zwdt/'?",
        id="match-relative-path",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - match: /a/\n  - match: /a/\n",
        6,
        "columns[1].match",
        "already matched by columns[0]",
        id="match-twice",
    ),
    pytest.param(
        MINIMAL + "columns:\n  - /a/\n",
        5,
        "columns[0]",
        "expected a mapping",
        id="column-not-mapping",
    ),
    pytest.param(
        "site:\n  name: a\n  name: b\n  url: http://x.cn/\n",
        3,
        "site.name",
        "duplicate key (first at line 2",
        id="duplicate-key",
    ),
    pytest.param(
        "site:\n  name: a\n   url: http://x.cn/\n",
        3,
        None,
        "YAML syntax error: mapping values are not allowed here",
        id="yaml-syntax",
    ),
    pytest.param("site:\n\tname: a\n", 2, None, "indent with spaces, not tabs", id="yaml-tab"),
    pytest.param("site: [a\n", 2, None, "YAML syntax error", id="yaml-unclosed"),
    pytest.param("a: 1\n---\nb: 2\n", 2, None, "another document", id="two-documents"),
    pytest.param("", None, None, "the file is empty", id="empty-file"),
    pytest.param("# only a comment\n", None, None, "the file is empty", id="comment-only"),
    pytest.param("- site\n", 1, None, "expected 'site:'", id="top-level-list"),
]


@pytest.mark.parametrize(("text", "line", "key", "problem"), ERRORS)
def test_errors(tmp_path: Path, text: str, line: int | None, key: str | None, problem: str) -> None:
    exc = error(tmp_path, text)
    assert (exc.line, exc.key) == (line, key), str(exc)
    assert problem in exc.problem, str(exc)
    assert "TOPSECRET" not in str(exc)


def test_error_line_shape(tmp_path: Path) -> None:
    file = write(tmp_path, UNIT + "    emial: [a@b.cn]\n")
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    assert str(info.value) == f"{file}:6: units[0].emial: unknown key (did you mean 'email'?)"


def test_file_not_found(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError) as info:
        load_site_config(missing)
    assert str(info.value) == f"{missing}: file not found"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_site_config(str(tmp_path))


def test_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "gbk.yaml"
    file.write_bytes("site:\n  name: 青溪县\n  url: http://x.cn/\n".encode("gbk"))
    with pytest.raises(ConfigError) as info:
        load_site_config(str(file))
    assert info.value.line == 2
    assert "not UTF-8" in str(info.value)


def test_format_config_error() -> None:
    assert format_config_error("bad", file="s.yaml", line=3, key="a.b") == "s.yaml:3: a.b: bad"
    assert format_config_error("bad\n  thing", file="s.yaml") == "s.yaml: bad thing"
    assert format_config_error("bad", line=3) == "line 3: bad"
    assert str(ConfigError("plain message")) == "plain message"


# --- second-round keys: webmaster, contact, min_items, report.requirements -------------

HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a1b-4bc4-97a0-0ec2b1f5aaaa"


def test_new_keys_are_absent_by_default(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, MINIMAL))
    assert (config.webmaster, config.contact, config.min_items, config.report_requirements) == (
        None,
        None,
        None,
        None,
    )
    assert config.webmaster_contact is None


def test_new_keys_are_carried(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + f"""\
  contact: webmaster@qx.gov.cn
  webmaster:
    email: [xxzx@qx.gov.cn]
    wecom_webhook: {HOOK}
    wecom_mobiles: [13800001111]
defaults:
  min_items: {{count: 1, days: 30}}
columns:
  - match: /xwzx/zwdt/
    min_items: {{count: 4, days: 30}}
  - match: /zwgk/ghjh/
    min_items:
  - match: /zwgk/zcwj/
    max_age_days: 3660
report:
  requirements: |
    各单位要高度重视。
    确保相关栏目每月正常更新。
"""
    )
    config = load_site_config(write(tmp_path, text))
    assert config.contact == "webmaster@qx.gov.cn"
    assert config.webmaster == UnitConfig(
        name="网站管理员",
        email=["xxzx@qx.gov.cn"],
        wecom_webhook=HOOK,
        wecom_mobiles=["13800001111"],
    )
    assert config.webmaster_contact is config.webmaster
    assert config.min_items == MinItems(count=1, days=30)
    rules = {rule.match: rule.min_items for rule in config.columns}
    assert rules == {
        "/xwzx/zwdt/": MinItems(count=4, days=30),
        "/zwgk/ghjh/": MinItems.OFF,  # null: switched off, not "not set"
        "/zwgk/zcwj/": None,
    }
    assert not MinItems.OFF.enabled
    assert config.min_items.enabled
    assert config.report_requirements == "各单位要高度重视。\n确保相关栏目每月正常更新。"
    assert config.warnings == []
    assert "693a91f6" not in repr(config)


def test_webmaster_defaults_to_the_default_unit(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "defaults:\n  unit: 县政府办\nunits:\n  - name: 县政府办\n    email: a@qx.gov.cn\n"
    )
    config = load_site_config(write(tmp_path, text))
    assert config.webmaster is None
    assert config.webmaster_contact is config.unit("县政府办")

    undeclared = load_site_config(write(tmp_path, MINIMAL + "defaults:\n  unit: 县政府办\n"))
    assert undeclared.webmaster_contact == UnitConfig(name="县政府办")


def test_webmaster_name(tmp_path: Path) -> None:
    text = MINIMAL + "  webmaster:\n    name: 县政务公开办\n    email: a@qx.gov.cn\n"
    assert load_site_config(write(tmp_path, text)).webmaster_contact.name == "县政务公开办"


def test_defaults_min_items_null_is_no_rule(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, MINIMAL + "defaults:\n  min_items:\n"))
    assert config.min_items is None


@pytest.mark.parametrize(
    ("hook", "api_base", "warned"),
    [
        (HOOK, None, False),
        ("https://wecom.example.gov.cn/cgi-bin/webhook/send?key=abc", None, True),
        (
            "https://wecom.example.gov.cn/cgi-bin/webhook/send?key=abc",
            "https://wecom.example.gov.cn",
            False,
        ),
        ("http://127.0.0.1:9/cgi-bin/webhook/send?key=abc", "http://127.0.0.1:9", False),
        ("http://localhost:9/send?key=abc", None, True),
    ],
)
def test_webhook_host_warning(
    tmp_path: Path, hook: str, api_base: str | None, warned: bool
) -> None:
    text = UNIT + f"    wecom_webhook: {hook}\n"
    file = write(tmp_path, text)
    config = load_site_config(file, wecom_api_base=api_base)
    if not warned:
        assert config.warnings == []
        return
    host = hook.split("/")[2].split(":")[0]
    assert config.warnings == [
        f"{file}:6: units[0].wecom_webhook: host '{host}' is neither qyapi.weixin.qq.com nor "
        "the ALERTS_WECOM_API_BASE host; check that the robot key goes where you mean"
    ]
    assert "key=abc" not in config.warnings[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000-01-01", dt.date(2000, 1, 1)),
        ("2099-12-31", dt.date(2099, 12, 31)),
    ],
)
def test_exempt_until_bounds_are_inclusive(tmp_path: Path, value: str, expected: dt.date) -> None:
    text = MINIMAL + f"columns:\n  - match: /a/\n    exempt_until: {value}\n"
    assert load_site_config(write(tmp_path, text)).columns[0].exempt_until == expected


# Exact one-line messages: (yaml text, line, key, problem). Each value here once crashed
# the store or the alerts, could leak a secret, or widened what a crawl may do.
COL = MINIMAL + "columns:\n  - match: /a/\n"
EXACT = [
    pytest.param(
        MINIMAL + "defaults:\n  deadline_days: 99999999\n",
        5,
        "defaults.deadline_days",
        "must be from 1 to 365 days, got 99999999",
        id="deadline-huge",
    ),
    pytest.param(
        COL + "    max_age_days: 99999999999999999999\n",
        6,
        "columns[0].max_age_days",
        "must be from 1 to 3660 days, got a number with too many digits",
        id="max-age-huge",
    ),
    pytest.param(
        COL + "    max_age_days: 3661\n",
        6,
        "columns[0].max_age_days",
        "must be from 1 to 3660 days, got 3661",
        id="max-age-over",
    ),
    pytest.param(
        COL + "    max_age_days: -1\n",
        6,
        "columns[0].max_age_days",
        "must be from 1 to 3660 days, got -1",
        id="max-age-negative",
    ),
    pytest.param(
        COL + "    max_age_days: .inf\n",
        6,
        "columns[0].max_age_days",
        "expected a whole number of days, got the number inf",
        id="max-age-inf",
    ),
    pytest.param(
        COL + "    exempt_until: 9999-12-31\n",
        6,
        "columns[0].exempt_until",
        "9999-12-31 is out of range (from 2000-01-01 to 2099-12-31)",
        id="date-far-future",
    ),
    pytest.param(
        COL + "    exempt_until: 0001-01-01\n",
        6,
        "columns[0].exempt_until",
        "0001-01-01 is out of range (from 2000-01-01 to 2099-12-31)",
        id="date-year-one",
    ),
    pytest.param(
        COL + "    exempt_until: '2100年1月1日'\n",
        6,
        "columns[0].exempt_until",
        "2100-01-01 is out of range (from 2000-01-01 to 2099-12-31)",
        id="date-text-out-of-range",
    ),
    pytest.param(
        MINIMAL + "defaults:\n  min_items: {count: 0, days: 30}\n",
        5,
        "defaults.min_items.count",
        "must be from 1 to 10000 items, got 0",
        id="min-items-count-zero",
    ),
    pytest.param(
        MINIMAL + "defaults:\n  min_items: {count: 1, days: 367}\n",
        5,
        "defaults.min_items.days",
        "must be from 1 to 366 days, got 367",
        id="min-items-days-over",
    ),
    pytest.param(
        MINIMAL + "defaults:\n  min_items: {count: 1}\n",
        5,
        "defaults.min_items.days",
        "missing (min_items needs both count and days)",
        id="min-items-days-missing",
    ),
    pytest.param(
        COL + "    min_items: 4\n",
        6,
        "columns[0].min_items",
        "expected {count: N, days: D} (or null to switch it off), got the number 4",
        id="min-items-number",
    ),
    pytest.param(
        COL + "    min_items: {count: 4, day: 30}\n",
        6,
        "columns[0].min_items.day",
        "unknown key (did you mean 'days'?)",
        id="min-items-typo",
    ),
    pytest.param(
        UNIT + "    min_items: {count: 4, days: 30}\n",
        6,
        "units[0].min_items",
        "unknown key here ('min_items' belongs under 'defaults' or 'columns[]')",
        id="min-items-wrong-section",
    ),
    pytest.param(
        UNIT + "    wecom_webhook: http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=TOPSECRET\n",
        6,
        "units[0].wecom_webhook",
        "plain http:// would send the robot key in clear: use https:// "
        "(http is allowed only to a loopback host)",
        id="webhook-plain-http",
    ),
    pytest.param(
        UNIT + "    wecom_webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send\n",
        6,
        "units[0].wecom_webhook",
        "has no 'key=' (copy the whole webhook URL from the group robot's settings)",
        id="webhook-no-key",
    ),
    pytest.param(
        UNIT + "    wecom_webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\n",
        6,
        "units[0].wecom_webhook",
        "has no 'key=' (copy the whole webhook URL from the group robot's settings)",
        id="webhook-empty-key",
    ),
    pytest.param(
        MINIMAL + "  webmaster:\n    wecom_webhook: http://10.0.0.5/send?key=TOPSECRET\n",
        5,
        "site.webmaster.wecom_webhook",
        "plain http:// would send the robot key in clear: use https:// "
        "(http is allowed only to a loopback host)",
        id="webmaster-webhook-plain-http",
    ),
    pytest.param(
        UNIT + f"    email: {HOOK.replace('693a91f6-7a1b-4bc4-97a0-0ec2b1f5aaaa', 'TOPSECRET')}\n",
        6,
        "units[0].email[0]",
        "'https://qyapi.weixin.qq.com/…' is not an email address",
        id="webhook-under-email",
    ),
    pytest.param(
        UNIT + "    escalate_to: 693a91f6-7a1b-4bc4-97a0-0ec2TOPSECRET\n",
        6,
        "units[0].escalate_to",
        "unknown unit '693a…' (is a secret under the wrong key?)",
        id="key-under-escalate-to",
    ),
    pytest.param(
        COL + "    category: 693a91f6-7a1b-4bc4-97a0-0ec2TOPSECRET\n",
        6,
        "columns[0].category",
        "unknown category '693a…' (use one of: news|notice|policy|personnel|plan|interaction|other)",
        id="key-under-category",
    ),
    pytest.param(
        MINIMAL + "  name2: x\n  ",
        4,
        "site.name2",
        "unknown key (did you mean 'name'?)",
        id="site-key-typo",
    ),
    pytest.param(
        MINIMAL + "  webmaster:\n    escalate_to: 县政府办\n",
        5,
        "site.webmaster.escalate_to",
        "unknown key here ('escalate_to' belongs under 'units[]')",
        id="webmaster-escalate",
    ),
    pytest.param(
        MINIMAL + "  webmaster: xxzx@qx.gov.cn\n",
        4,
        "site.webmaster",
        "expected a mapping (key: value lines), got text 'xxzx@qx.gov.cn'",
        id="webmaster-not-mapping",
    ),
    pytest.param(
        MINIMAL + "  contact: 网站管理员 电话 0571-1234\n",
        4,
        "site.contact",
        "must be one line of at most 200 ASCII characters "
        "(an email address or URL; it is sent in the User-Agent header)",
        id="contact-not-ascii",
    ),
    pytest.param(
        MINIMAL + '  contact: "a@b.cn\\r\\nX-Injected: 1"\n',
        4,
        "site.contact",
        "must be one line of at most 200 ASCII characters "
        "(an email address or URL; it is sent in the User-Agent header)",
        id="contact-header-injection",
    ),
    pytest.param(
        MINIMAL + "report:\n  requirement: 每月更新\n",
        5,
        "report.requirement",
        "unknown key (did you mean 'requirements'?)",
        id="report-typo",
    ),
    pytest.param(
        MINIMAL + "  requirements: 每月更新\n",
        4,
        "site.requirements",
        "unknown key here ('requirements' belongs under 'report')",
        id="requirements-wrong-section",
    ),
    pytest.param(
        MINIMAL + "report:\n  requirements: 5\n",
        5,
        "report.requirements",
        "expected text (the report's 有关要求), got the number 5 (put it in quotes)",
        id="requirements-number",
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "problem"), EXACT)
def test_exact_errors(tmp_path: Path, text: str, line: int, key: str, problem: str) -> None:
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    assert str(info.value) == f"{file}:{line}: {key}: {problem}"
    assert "TOPSECRET" not in str(info.value)


def test_secret_hint_does_not_echo(tmp_path: Path) -> None:
    """An unknown key that is itself a pasted secret is cut in the key path too."""
    file = write(tmp_path, UNIT + "    693a91f6-7a1b-4bc4-97a0-0ec2TOPSECRET: 1\n")
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    assert "TOPSECRET" not in str(info.value)
    assert str(info.value).startswith(f"{file}:6: units[0].693a…: unknown key")


# --- the file itself ------------------------------------------------------------------


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "site.yaml"
    os.mkfifo(fifo)  # opening it would block forever
    with pytest.raises(ConfigError) as info:
        load_site_config(str(fifo))
    assert str(info.value) == f"{fifo}: is not a regular file (give the path of a YAML file)"


def test_device_is_not_a_regular_file() -> None:
    with pytest.raises(ConfigError) as info:
        load_site_config("/dev/zero")
    assert str(info.value) == "/dev/zero: is not a regular file (give the path of a YAML file)"


def test_too_large(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(MINIMAL.encode() + b"#" * MAX_CONFIG_BYTES)
    with pytest.raises(ConfigError) as info:
        load_site_config(str(file))
    assert str(info.value) == f"{file}: is larger than 2 MB: not a site config"


def test_just_under_the_size_limit_loads(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    body = MINIMAL.encode() + b"#"
    file.write_bytes(body + b"x" * (MAX_CONFIG_BYTES - len(body)))
    assert load_site_config(str(file)).name == "青溪县人民政府"


def test_deep_nesting_is_one_line(tmp_path: Path) -> None:
    file = write(tmp_path, MINIMAL + "report: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError) as info:
        load_site_config(file)
    assert "\n" not in str(info.value)


# --- the shipped example ----------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "sites" / "qingxi.yaml"


def test_shipped_example_loads_cleanly() -> None:
    config = load_site_config(str(EXAMPLE))
    assert config.warnings == []
    assert config.name == "青溪县人民政府"
    assert config.url.startswith("https://")
    assert config.units
    assert config.columns
    assert config.webmaster_contact is not None
    # Every unit the example names is declared, so its alerts go somewhere.
    assert {rule.unit for rule in config.columns if rule.unit} <= set(config.unit_names)


@pytest.mark.parametrize("doc", ["README.md", "docs/config.md"])
def test_documented_examples_load(tmp_path: Path, doc: str) -> None:
    text = (EXAMPLE.parent.parent / doc).read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        assert load_site_config(write(tmp_path, block)).warnings == []
