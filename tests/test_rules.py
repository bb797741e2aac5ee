"""Column categories (indicators.md §4) and the site config's column rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portalspider.rules import (
    DEFAULT_THRESHOLDS,
    ColumnRules,
    Resolution,
    categorize,
    threshold_for,
)
from portalspider.siteconfig import load_site_config

# Real column names from county portals, with the category the indicators give them.
NAMES = [
    # 动态要闻类: 14 days
    ("乡镇动态", "news"),
    ("部门动态", "news"),
    ("镇街动态", "news"),
    ("工作动态", "news"),
    ("政务动态", "news"),
    ("图片新闻", "news"),
    ("视频新闻", "news"),
    ("本地要闻", "news"),
    ("青溪要闻", "news"),
    ("今日青溪", "news"),
    ("新闻中心", "news"),
    ("领导活动", "news"),
    ("工作进展", "news"),
    ("媒体聚焦", "news"),
    ("信访动态", "news"),  # news about petition work is still news
    # 通知公告
    ("通知公告", "notice"),
    ("公示公告", "notice"),
    ("公告公示", "notice"),
    ("通知", "notice"),
    ("通告", "notice"),
    # 政策文件 and 解读回应
    ("政策文件", "policy"),
    ("政府文件", "policy"),
    ("县政府文件", "policy"),
    ("政府办文件", "policy"),
    ("政府办公室文件", "policy"),
    ("规范性文件", "policy"),
    ("部门文件", "policy"),
    ("政策法规", "policy"),
    ("政府令", "policy"),
    ("政策解读", "policy"),
    ("图解政策", "policy"),
    ("一图读懂", "policy"),
    ("新闻发布会", "policy"),  # an interpretation channel, not news
    ("新闻发布", "policy"),
    ("回应关切", "policy"),
    # 人事
    ("人事信息", "personnel"),
    ("人事任免", "personnel"),
    ("干部任前公示", "personnel"),  # not a notice
    ("招考录用", "personnel"),
    ("事业单位公开招聘", "personnel"),
    ("公务员招录", "personnel"),
    # 规划计划
    ("规划计划", "plan"),
    ("发展规划", "plan"),
    ("工作计划", "plan"),
    ("工作总结", "plan"),
    ("计划总结", "plan"),
    ("政府工作报告", "plan"),
    ("国民经济和社会发展规划", "plan"),
    # 政务咨询 / 征集 / 访谈
    ("领导信箱", "interaction"),
    ("县长信箱", "interaction"),
    ("书记信箱", "interaction"),
    ("在线咨询", "interaction"),
    ("咨询投诉", "interaction"),
    ("我要写信", "interaction"),
    ("留言选登", "interaction"),
    ("信件公开", "interaction"),
    ("政民互动", "interaction"),
    ("互动交流", "interaction"),
    ("建言献策", "interaction"),
    ("12345热线", "interaction"),
    ("在线访谈", "interaction"),
    ("征集调查", "interaction"),
    ("意见征集", "interaction"),
    ("民意征集", "interaction"),
    ("网上调查", "interaction"),
    # Specialised channels are not consultation channels.
    ("网上信访", "other"),
    ("纪检监察", "other"),
    ("举报中心", "other"),
    # Everything else
    ("专题专栏", "other"),
    ("疫情防控专题", "other"),
    ("政策解读专栏", "other"),  # a 专栏 is an archived campaign first
    ("财政预决算", "other"),
    ("三公经费", "other"),
    ("政府采购", "other"),
    ("公共资源交易", "other"),
    ("机构职能", "other"),
    ("领导之窗", "other"),
    ("县情概况", "other"),
    ("走进青溪", "other"),
    ("统计数据", "other"),
    ("统计公报", "other"),
    ("国民经济和社会发展统计公报", "other"),  # statistics, not a plan
    ("数据解读", "other"),  # statistics, not policy interpretation
    ("政府信息公开指南", "other"),
    ("政府信息公开年报", "other"),
    ("依申请公开", "other"),
    ("办事指南", "other"),
    ("便民服务", "other"),
    ("行政执法公示", "notice"),  # a 公示 column is a notice column (issue 9.3)
    ("双随机一公开", "other"),
    ("建议提案办理", "other"),
    ("社会救助", "other"),
    ("安全生产", "other"),
    ("计划生育", "other"),  # not a plan
    ("友情链接", "other"),
]

# Issue 9.3: notices named after a 重点领域 topic were judged `other` (365 days, not 183).
NOTICES_BY_TOPIC = [
    ("审计公告", "notice"),
    ("审计结果公告", "notice"),
    ("土地征收公告", "notice"),
    ("征地公告", "notice"),
    ("征收公告", "notice"),
    ("招标公告", "notice"),
    ("招标投标公告", "notice"),
    ("采购公告", "notice"),
    ("政府采购公告", "notice"),
    ("中标公示", "notice"),
    ("中标结果公示", "notice"),
    ("拆迁公告", "notice"),
    ("房屋征收公告", "notice"),
    ("行政许可公示", "notice"),
    ("行政处罚公示", "notice"),
    ("双随机抽查结果公示", "notice"),
    ("项目公示", "notice"),
    ("信用信息公示", "notice"),
    ("预算公示", "notice"),
    ("环评公示", "notice"),
    ("停电停水通告", "notice"),
    ("重要通知", "notice"),
    ("政府公告", "notice"),
    ("公告栏", "notice"),
    ("公示", "notice"),
    ("公告", "notice"),
]

# A broad list of real county portal column names (saved real pages, the demo, common
# templates), each with its category. Order matters: 解读 before 文件, 招聘公告 is personnel,
# 动态 is news whatever the topic, a 专栏 is a campaign.
COUNTY_NAMES = [
    ("政务要闻", "news"),  # 袁州区 (real page)
    ("工作进展情况", "news"),  # 平潭 ColumnName (real page)
    ("投资运行", "other"),  # 浙江发改委 ColumnName (real page)
    ("山西要闻", "news"),  # 山西 ColumnName (real page)
    ("近期信息公开", "other"),  # 邯郸 xxgk (real page)
    ("县域要闻", "news"),
    ("时政要闻", "news"),
    ("本地新闻", "news"),
    ("综合新闻", "news"),
    ("要闻动态", "news"),
    ("部门资讯", "news"),
    ("乡镇快讯", "news"),
    ("基层动态", "news"),
    ("媒体关注", "news"),
    ("审计动态", "news"),  # 动态 is news, not 审计 (other)
    ("招标动态", "news"),
    ("应急动态", "news"),
    ("财政动态", "news"),
    ("教育动态", "news"),
    ("政策解读", "policy"),
    ("文件解读", "policy"),
    ("政策问答", "policy"),
    ("新闻发布会公告", "policy"),  # 发布会 is an interpretation channel
    ("行政规范性文件", "policy"),
    ("其他文件", "policy"),
    ("政府规章", "other"),
    ("招聘公告", "personnel"),  # not a notice
    ("公开招聘公告", "personnel"),
    ("录用公示", "personnel"),
    ("人事任免公示", "personnel"),
    ("人员任免通知", "personnel"),
    ("招录招聘", "personnel"),
    ("招聘信息", "personnel"),
    ("遴选公告", "personnel"),
    ("专项规划", "plan"),
    ("年度计划", "plan"),
    ("规划信息", "plan"),
    ("五年规划", "plan"),
    ("区域规划", "plan"),
    ("咨询投诉", "interaction"),
    ("我要咨询", "interaction"),
    ("局长信箱", "interaction"),
    ("镇长信箱", "interaction"),
    ("网上咨询", "interaction"),
    ("征求意见", "interaction"),
    ("问卷调查", "interaction"),
    ("在线直播", "interaction"),
    ("政府开放日", "interaction"),
    ("重点领域信息公开", "other"),
    ("法定主动公开内容", "other"),
    ("主动公开目录", "other"),
    ("政府信息公开", "other"),
    ("政府信息公开制度", "other"),
    ("应急管理", "other"),
    ("统计信息", "other"),
    ("统计年鉴", "other"),
    ("数据发布", "other"),
    ("审计信息", "other"),
    ("审计结果", "other"),
    ("征地信息", "other"),
    ("征地拆迁", "other"),
    ("扶贫资金", "other"),
    ("涉农补贴", "other"),
    ("乡村振兴", "other"),
    ("食品安全", "other"),
    ("环境保护", "other"),
    ("生态环境", "other"),
    ("行政许可", "other"),
    ("行政处罚", "other"),
    ("权责清单", "other"),
    ("重大建设项目", "other"),
    ("招商引资", "other"),
    ("投资指南", "other"),
    ("机构设置", "other"),
    ("组织机构", "other"),
    ("历史沿革", "other"),
    ("保障性住房", "other"),
    ("就业创业", "other"),
    ("社会保障", "other"),
    ("医疗卫生", "other"),
    ("公共文化", "other"),
    ("防汛抗旱", "other"),
    ("河湖长制", "other"),
    ("人大代表建议", "other"),
    ("政协提案", "other"),
]


@pytest.mark.parametrize(("name", "category"), NAMES + NOTICES_BY_TOPIC + COUNTY_NAMES)
def test_category_from_name(name: str, category: str) -> None:
    assert categorize(name) == category


def test_whitespace_in_names_is_ignored() -> None:
    assert categorize("通 知 公 告") == "notice"
    assert categorize(" 政策解读\n") == "policy"


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("http://x.gov.cn/xwzx/zwdt/", "news"),
        ("http://x.gov.cn/xwzx/", "news"),
        ("http://x.gov.cn/xwzx/gzdt/index.html", "news"),
        ("http://x.gov.cn/zwgk/bmdt/index_2.html", "news"),
        ("http://x.gov.cn/xzdt/", "news"),
        ("http://x.gov.cn/tpxw/", "news"),
        ("http://x.gov.cn/zwgk/tzgg/", "notice"),
        ("http://x.gov.cn/gsgg/", "notice"),
        ("http://x.gov.cn/gggs/list.html", "notice"),
        ("http://x.gov.cn/zwgk/zcwj/", "policy"),
        ("http://x.gov.cn/zfwj/", "policy"),
        ("http://x.gov.cn/gfxwj/", "policy"),
        ("http://x.gov.cn/zcwj/zcjd/", "policy"),
        ("http://x.gov.cn/rsxx/", "personnel"),
        ("http://x.gov.cn/rsrm/", "personnel"),
        ("http://x.gov.cn/ghjh/", "plan"),
        ("http://x.gov.cn/fzgh/", "plan"),
        ("http://x.gov.cn/hdjl/ldxx/", "interaction"),
        ("http://x.gov.cn/zxzx/", "interaction"),
        ("http://x.gov.cn/zjdc/", "interaction"),
        ("http://x.gov.cn/tzgg_1/", "notice"),
        ("http://x.gov.cn/col/col1234/index.html", "other"),
        ("http://x.gov.cn/", "other"),
        ("", "other"),
    ],
)
def test_category_from_url_slug(url: str, category: str) -> None:
    assert categorize("", url=url) == category


def test_signal_order_name_meta_slug_path() -> None:
    url = "http://x.gov.cn/xwzx/zwdt/"
    # The name wins over everything.
    assert categorize("通知公告", url=url, meta_name="工作动态") == "notice"
    # A name with no keyword falls to the meta, then to the slug, then to the ancestors.
    assert categorize("青溪之声", url=url, meta_name="政策文件") == "policy"
    assert categorize("青溪之声", url=url, meta_type="通知公告") == "notice"
    assert categorize("青溪之声", url=url, path=["政务公开", "通知公告"]) == "news"
    assert categorize("2024年", path=["政务公开", "通知公告"]) == "notice"
    assert categorize("2024年", path=["通知公告", "县级"]) == "notice"
    assert categorize("青溪之声") == "other"


def test_explicit_other_is_not_overruled_by_url() -> None:
    assert categorize("专题专栏", url="http://x.gov.cn/xwzx/zwdt/") == "other"
    assert categorize("网上信访", url="http://x.gov.cn/hdjl/wsxf/") == "other"


def test_thresholds() -> None:
    assert DEFAULT_THRESHOLDS == {
        "news": 14,
        "notice": 183,
        "policy": 183,
        "personnel": 365,
        "plan": 365,
        "interaction": 365,
        "other": 365,
    }
    assert threshold_for("news") == 14
    assert threshold_for("news", 30) == 30
    assert threshold_for("unknown") == 365


SITE = """\
site:
  name: 青溪县人民政府
  url: http://www.qx.gov.cn/
defaults:
  unit: 县政府办
units:
  - name: 县卫健局
    columns: [/zfxxgk/fdzdgknr/jbyl/, 基本医疗]
  - name: 县教育局
    columns: [教育, /zfxxgk/fdzdgknr/]
  - name: 县融媒体中心
    columns: [新闻中心]
columns:
  - match: /xwzx/
    unit: 县融媒体中心
    exempt_until: 2026-12-31
  - match: /xwzx/zwdt/
    category: news
    max_age_days: 30
  - match: /xwzx/zwdt/index.html?page=2
    max_age_days: 7
  - match: /old/unused/
    ignore: true
  - match: 人事信息
    max_age_days: 90
    unit: 县卫健局
  - match: http://www.qx.gov.cn/zwgk/hidden/list.html
    name: 隐藏栏目
  - match: /zwgk/extra/
    name: 额外栏目
    category: notice
  - match: http://www.qx.gov.cn/old/dead/
    ignore: true
"""


@pytest.fixture
def rules(tmp_path: Path) -> ColumnRules:
    file = tmp_path / "site.yaml"
    file.write_text(SITE, encoding="utf-8")
    return ColumnRules(load_site_config(str(file)))


def test_longest_prefix_wins_per_field(rules: ColumnRules) -> None:
    res = rules.resolve("http://www.qx.gov.cn/xwzx/zwdt/index.html", "政务动态", ["新闻中心"])
    assert res == Resolution(
        ignore=False,
        category="news",
        threshold_days=30,
        unit="县融媒体中心",
        exempt_until=dt.date(2026, 12, 31),
    )
    # A sibling only gets the broad rule.
    res = rules.resolve("http://www.qx.gov.cn/xwzx/tpxw/", "图片新闻", ["新闻中心"])
    assert (res.category, res.threshold_days, res.unit) == (None, None, "县融媒体中心")


def test_prefix_respects_segment_boundaries(rules: ColumnRules) -> None:
    res = rules.resolve("http://www.qx.gov.cn/xwzx2/", "其他", [])
    assert res.unit == "县政府办"
    assert res.exempt_until is None


def test_query_rule_matches_only_that_page(rules: ColumnRules) -> None:
    page2 = rules.resolve("http://www.qx.gov.cn/xwzx/zwdt/index.html?page=2", "x", [])
    assert page2.threshold_days == 7
    page1 = rules.resolve("http://www.qx.gov.cn/xwzx/zwdt/", "x", [])
    assert page1.threshold_days == 30


def test_ignore_covers_everything_below(rules: ColumnRules) -> None:
    assert rules.resolve("http://www.qx.gov.cn/old/unused/", "旧栏目", []).ignore
    assert rules.resolve("http://www.qx.gov.cn/old/unused/a/index.html", "子栏目", []).ignore
    assert not rules.resolve("http://www.qx.gov.cn/old/", "旧", []).ignore


def test_absolute_url_rule_checks_the_host(rules: ColumnRules) -> None:
    assert rules.resolve("https://www.qx.gov.cn/old/dead/", "x", []).ignore
    assert not rules.resolve("http://other.gov.cn/old/dead/", "x", []).ignore


def test_name_rule_is_exact(rules: ColumnRules) -> None:
    res = rules.resolve("http://www.qx.gov.cn/rsxx/", "人事信息", ["政务公开"])
    assert (res.threshold_days, res.unit) == (90, "县卫健局")
    child = rules.resolve("http://www.qx.gov.cn/rsxx/rm/", "人事任免", ["政务公开", "人事信息"])
    assert child.threshold_days is None


def test_unit_precedence(rules: ColumnRules) -> None:
    # units[].columns: longest path prefix beats a shorter one.
    res = rules.resolve("http://www.qx.gov.cn/zfxxgk/fdzdgknr/jbyl/", "医疗", [])
    assert res.unit == "县卫健局"
    res = rules.resolve("http://www.qx.gov.cn/zfxxgk/fdzdgknr/shjz/", "社会救助", [])
    assert res.unit == "县教育局"
    # Exact name beats a path prefix.
    res = rules.resolve("http://www.qx.gov.cn/zfxxgk/fdzdgknr/jy/", "教育", [])
    assert res.unit == "县教育局"
    res = rules.resolve("http://www.qx.gov.cn/zfxxgk/fdzdgknr/ylws/", "基本医疗", [])
    assert res.unit == "县卫健局"
    # An ancestor name assigns the whole subtree.
    res = rules.resolve("http://www.qx.gov.cn/a/b/", "某某", ["新闻中心", "某类"])
    assert res.unit == "县融媒体中心"
    # Nothing matches: the default unit.
    assert rules.resolve("http://www.qx.gov.cn/zz/", "某某", []).unit == "县政府办"


def test_config_column_unit_beats_units_rules(rules: ColumnRules) -> None:
    res = rules.resolve("http://www.qx.gov.cn/xwzx/jy/", "教育", [])
    assert res.unit == "县融媒体中心"


def test_no_default_unit_gives_none(tmp_path: Path) -> None:
    file = tmp_path / "site.yaml"
    file.write_text("site:\n  name: a\n  url: http://x.gov.cn/\n", encoding="utf-8")
    rules = ColumnRules(load_site_config(str(file)))
    assert rules.resolve("http://x.gov.cn/a/", "a", []) == Resolution()
    assert rules.added_columns() == []


def test_added_columns(rules: ColumnRules) -> None:
    added = rules.added_columns()
    assert [r.match for r in added] == [
        "http://www.qx.gov.cn/zwgk/hidden/list.html",
        "/zwgk/extra/",
    ]
    assert [rules.url_for(r) for r in added] == [
        "http://www.qx.gov.cn/zwgk/hidden/list.html",
        "http://www.qx.gov.cn/zwgk/extra/",
    ]


def test_resolution_helpers() -> None:
    res = Resolution(threshold_days=30, exempt_until=dt.date(2025, 1, 31))
    assert res.threshold("news") == 30
    assert Resolution().threshold("news") == 14
    assert res.exempt_on(dt.date(2025, 1, 31))
    assert not res.exempt_on(dt.date(2025, 2, 1))
    assert not Resolution().exempt_on(dt.date(2025, 2, 1))
