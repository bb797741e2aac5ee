"""Column classification and the site config's per-column rules.

``categorize`` maps a column to one of the indicator categories (``indicators.md`` §4) from
what the site itself says about it: its name, its ``ColumnName``/``ColumnType`` meta, the
pinyin initials in its URL, and the names of its ancestors.  ``ColumnRules`` applies the
site config on top: overrides, ignores, exemptions and the responsible unit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from portalspider.siteconfig import ColumnRule, MinItems, SiteConfig, match_kind
from portalspider.urls import column_path
from portalspider.vocab import DEFAULT_THRESHOLDS, exempt_on

_T = TypeVar("_T")

#: 解读回应 column names (政策解读, 图解, 新闻发布会 …): policy columns that hold the
#: interpretations of the policy documents (``portalspider.interpretation``).
INTERPRETATION_NAMES = (
    r"政策解读|解读|图解|一图读懂|图说|问答解读|政策问答|新闻发布|发布会|回应关切|热点回应|"
    r"舆情回应|辟谣"
)
_INTERPRETATION = re.compile(INTERPRETATION_NAMES)

# Name keyword rules, most specific first: the first rule whose pattern occurs in the text
# decides.  The order carries the judgement calls, e.g. 新闻发布会 is an interpretation
# (policy) before 新闻 makes it news; 招聘公告 is personnel before 公告 makes it a notice;
# 审计动态 is news and 审计公告 a notice before 审计 makes them "other"; 信访动态 is news before
# 信访 makes it "not an interaction channel".  tests/test_rules.py holds the truth table.
_NAME_RULES: tuple[tuple[str, str], ...] = (
    # Topic columns are archived campaigns, exempt from "should update" (历史性专题除外).
    ("other", r"专题|专栏"),
    # Statistics releases have their own cadence; 数据解读 is not a policy interpretation.
    ("other", r"数据发布|统计数据|统计公报|统计信息|统计年鉴|数据开放|数据解读"),
    # 解读回应: interpretations belong with the policies they explain.
    ("policy", INTERPRETATION_NAMES),
    (
        "personnel",
        r"人事|任免|任前公示|公务员(招录|考录|招考|录用)|事业单位(公开)?招聘|招考|招录|"
        r"招聘|录用|遴选|选调",
    ),
    (
        "plan",
        r"规划计划|发展规划|专项规划|区域规划|国民经济和社会发展|五年规划|计划总结|"
        r"工作计划|年度计划|工作总结|政府工作报告|计划规划",
    ),
    (
        "news",
        r"要闻|动态|新闻|资讯|头条|快讯|快报|今日|领导活动|工作进展|媒体(聚焦|关注|报道)",
    ),
    # A 公告/公示/通告 column is a notice whatever its topic (审计公告, 土地征收公告, 招标公告,
    # 拆迁公告, 行政处罚公示): before the 重点领域 topics below make it "other".
    ("notice", r"公告|公示|通告"),
    # Specialised channels do not satisfy the consultation-channel rule (专门渠道除外).
    ("other", r"网上信访|信访|纪检|监察|举报"),
    (
        "interaction",
        r"信箱|在线咨询|网上咨询|咨询|投诉|我要(写信|留言)|留言|信件|来信|民意|政民互动|"
        r"互动|建言献策|意见建议|12345|热线|征集|征求意见|网上调查|问卷调查|在线调查|访谈|"
        r"在线直播|政府开放日|问政",
    ),
    # The 信息公开 platform's own pages (指南, 制度, 年报) are yearly or static.
    (
        "other",
        r"信息公开(指南|制度|目录|年(度)?报|工作年度报告)|依申请公开|主动公开目录|"
        r"法定主动公开|政府信息公开$",
    ),
    ("notice", r"通知公告|公告公示|公示公告|公告通知|通告公告"),
    (
        "policy",
        r"政策文件|政府文件|规范性文件|政府令|政府办(公室)?文件|部门文件|政策法规|法规文件|"
        r"其他文件|文件|政策|法规",
    ),
    # Basic information: judged for accuracy, not freshness.
    (
        "other",
        r"(县|区|市|镇|乡)情|概况|走进|行政区划|机构|领导|负责人|简介|历史|地理|人口|"
        r"联系方式|办公地址",
    ),
    (
        "other",
        r"办事|服务|一网通办|指南|表格下载|办件|我要办|便民",
    ),
    # 重点领域信息公开 (法定主动公开内容): "should update", no national window.
    (
        "other",
        r"财政|预决算|预算|决算|三公经费|重大建设项目|重点项目|公共资源交易|招标|投标|"
        r"采购|社会救助|低保|特困|养老|就业|社会保险|社保|医疗|卫生|教育|乡村振兴|扶贫|"
        r"涉农|补贴|惠农|征地|土地|征收|保障性住房|危房|生态|环境|安全生产|食品|药品|"
        r"市场监管|城市管理|综合执法|户籍|公共文化|法律服务|救助|应急|审计|建议提案|"
        r"人大代表|政协|提案|双随机|执法|权责清单|许可|处罚|计划生育|统计|年报",
    ),
    ("notice", r"通知|公告|公示|通告"),
    ("policy", r"决定|命令|办法|条例"),
    ("plan", r"规划|计划|总结"),
)
_COMPILED_NAME_RULES = tuple((cat, re.compile(pat)) for cat, pat in _NAME_RULES)

# Pinyin initials of common column slugs (URL path segments).
_SLUGS: dict[str, str] = {
    **dict.fromkeys(
        (
            "zwdt",
            "xwzx",
            "xwdt",
            "gzdt",
            "bmdt",
            "xzdt",
            "zjdt",
            "jcdt",
            "tpxw",
            "spxw",
            "zwyw",
            "bdyw",
            "jryw",
            "ldhd",
            "ywdt",
        ),
        "news",
    ),
    **dict.fromkeys(("tzgg", "gsgg", "gggs", "tggg", "tzgs"), "notice"),
    **dict.fromkeys(
        ("zcwj", "zfwj", "gfxwj", "zcjd", "zcfg", "bmwj", "xzfwj", "zfbwj", "xwfb"),
        "policy",
    ),
    **dict.fromkeys(("rsxx", "rsrm", "zkly", "rszk"), "personnel"),
    **dict.fromkeys(("ghjh", "fzgh", "jhzj", "gzzj", "gzjh", "zfgzbg"), "plan"),
    **dict.fromkeys(
        ("ldxx", "zxzx", "hdjl", "zjdc", "zxft", "myzj", "xzxx", "sjxx", "zmhd", "dczj"),
        "interaction",
    ),
    **dict.fromkeys(("ztzl", "czyjs", "czzj", "tjsj", "tjxx", "jgzn", "bsfw", "wsxf"), "other"),
}
_SLUG_RE = re.compile(r"^([a-z]+?)(?:[_\-]?\d+)?$")


def categorize(
    name: str,
    *,
    path: Sequence[str] = (),
    url: str = "",
    meta_name: str | None = None,
    meta_type: str | None = None,
) -> str:
    """The indicator category of a column.

    Signals are tried strongest first (the column's own name, then its ColumnName and
    ColumnType meta, then the pinyin slug of its URL, then its ancestors nearest first);
    the first signal that matches a rule decides, even when that rule says "other", so a
    名称 like 专题专栏 is not overruled by a news-looking URL.
    """
    for text in (name, meta_name, meta_type):
        found = category_from_text(text)
        if found is not None:
            return found
    found = category_from_url(url)
    if found is not None:
        return found
    for ancestor in reversed(list(path)):
        found = category_from_text(ancestor)
        if found is not None:
            return found
    return "other"


def category_from_text(text: str | None) -> str | None:
    """The category a name-like text points to, or None when no keyword occurs."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text)
    for category, pattern in _COMPILED_NAME_RULES:
        if pattern.search(compact):
            return category
    return None


def category_from_url(url: str) -> str | None:
    """The category from pinyin-initial slugs in the URL path, deepest segment first."""
    if not url:
        return None
    segments = [s for s in urlsplit(url).path.lower().split("/") if s]
    if segments and "." in segments[-1]:
        segments[-1] = segments[-1].rsplit(".", 1)[0]
    for segment in reversed(segments):
        if segment in ("index", "default", "list"):
            continue
        found = _SLUG_RE.match(segment)
        if found and found.group(1) in _SLUGS:
            return _SLUGS[found.group(1)]
    return None


#: Interaction columns whose content the 互动回应差 check reads (``portalspider.interaction``):
#: 征集/调查 columns list solicitations (each needs a 结果反馈 once closed); 政务咨询 columns
#: list letters (each needs a reply within ``defaults.reply_days``). 访谈, 直播 and 开放日 are
#: neither (the indicator leaves 在线访谈 out); 信访/举报 never reach here (category "other").
LETTERS, SOLICITATIONS = "letters", "solicitations"
_INTERACTION_KINDS = (
    (None, re.compile(r"访谈|直播|开放日")),
    (SOLICITATIONS, re.compile(r"征集|征求意见|网上调查|问卷调查|在线调查|民意调查|调查")),
    (
        LETTERS,
        re.compile(r"信箱|咨询|投诉|写信|留言|信件|来信|问政|12345|热线|诉求|民声|民意|建言|建议"),
    ),
)
_INTERACTION_SLUGS = {
    **dict.fromkeys(("ldxx", "xzxx", "sjxx", "zxzx", "lyxd", "wyxx", "zxts", "wsly"), LETTERS),
    **dict.fromkeys(("zjdc", "myzj", "dczj", "yjzj", "wsdc"), SOLICITATIONS),
}


def interaction_kind(
    category: str, name: str, *, url: str = "", meta_name: str | None = None
) -> str | None:
    """``LETTERS``, ``SOLICITATIONS`` or None for a column of ``category`` (name, meta, slug)."""
    if category != "interaction":
        return None
    for text in (name, meta_name):
        for kind, pattern in _INTERACTION_KINDS:
            if text and pattern.search(text):
                return kind
    segments = [s.rsplit(".", 1)[0] for s in urlsplit(url).path.lower().split("/") if s]
    for segment in reversed(segments):
        if segment in _INTERACTION_SLUGS:
            return _INTERACTION_SLUGS[segment]
    return None


def threshold_for(category: str, override: int | None = None) -> int:
    """The freshness window in days: a config override, else the category default."""
    if override is not None:
        return override
    return DEFAULT_THRESHOLDS.get(category, DEFAULT_THRESHOLDS["other"])


# --- config rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What the site config says about one column; None means "no rule says"."""

    ignore: bool = False
    category: str | None = None  # override of categorize()
    threshold_days: int | None = None  # override of the category's default (max_age_days)
    unit: str | None = None
    exempt_until: dt.date | None = None
    #: the 更新较少 rule in force: the most specific ``columns[].min_items``, else
    #: ``defaults.min_items``; None when neither sets one or ``min_items: null`` turns it off
    min_items: MinItems | None = None

    def category_for(
        self,
        name: str,
        *,
        path: Sequence[str] = (),
        url: str = "",
        meta_name: str | None = None,
        meta_type: str | None = None,
    ) -> str:
        """The column's category: the config's override, else ``categorize``."""
        return self.category or categorize(
            name, path=path, url=url, meta_name=meta_name, meta_type=meta_type
        )

    def threshold(self, category: str) -> int:
        """The threshold to judge with, given the column's (final) category."""
        return threshold_for(category, self.threshold_days)

    def exempt_on(self, today: dt.date) -> bool:
        """True while a 报备 exemption covers ``today`` (the end date is included)."""
        return exempt_on(self.exempt_until, today)


@dataclass(frozen=True)
class _Matcher:
    """One ``match:`` (or ``units[].columns`` entry) in comparable form."""

    kind: str  # url | path | name
    host: str | None  # for url matchers
    path: str  # normalised path, for url/path matchers
    query: str  # exact query for url/path matchers that have one
    name: str  # for name matchers

    @classmethod
    def parse(cls, match: str) -> _Matcher:
        kind = match_kind(match)
        if kind == "name":
            return cls(kind, None, "", "", _clean_name(match))
        parts = urlsplit(match)
        host = (parts.hostname or "").lower() if kind == "url" else None
        return cls(kind, host, column_path(parts.path), parts.query, "")

    def score(
        self,
        host: str,
        path: str,
        query: str,
        name: str,
        ancestors: Sequence[str],
        *,
        ancestor_names: bool,
    ) -> tuple[int, int] | None:
        """How specifically this matcher matches a column, or None when it does not.

        Exact URL with its query > exact URL > exact name > longer URL-path prefix >
        nearer ancestor name.
        """
        if self.kind == "name":
            if self.name == name:
                return (2, 0)
            if ancestor_names:
                for depth, ancestor in enumerate(reversed(ancestors)):
                    if self.name == ancestor:
                        return (0, -depth)
            return None
        if self.host is not None and self.host != host:
            return None
        if self.query:
            if self.query == query and self.path == path:
                return (4, len(self.path))
            return None
        if self.path == path:
            return (3, len(self.path))
        if path.startswith(self.path + "/"):
            return (1, len(self.path))
        return None


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


class ColumnRules:
    """The site config's column rules, ready to answer for one column at a time."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self._rules = [(_Matcher.parse(rule.match), rule) for rule in config.columns]
        self._unit_rules = [
            (_Matcher.parse(matcher), unit.name)
            for unit in config.units
            for matcher in unit.columns
        ]
        # Each column is asked about by the spider, the interaction reader, the judge and
        # the store, and the config does not change: each answer is worked out once.
        self._resolved: dict[tuple[str, str, tuple[str, ...]], Resolution] = {}
        self._ignoring = any(rule.ignore for rule in config.columns)

    def resolve(self, url: str, name: str, path: Sequence[str] = ()) -> Resolution:
        """Apply the config to one column (see :meth:`_resolve`), once per column."""
        key = (url, name, tuple(path))
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(url, name, path)
        return found

    def ignores(self, url: str, name: str, path: Sequence[str] = ()) -> bool:
        """``resolve(…).ignore``, told without resolving when no rule ignores anything
        (most configs): asked of every link the crawl meets."""
        return self._ignoring and self.resolve(url, name, path).ignore

    def _resolve(self, url: str, name: str, path: Sequence[str]) -> Resolution:
        """Apply the config to one column.

        Each field comes from the most specific ``columns:`` rule that sets it, so a broad
        ``/xwzx/`` unit rule and a narrow ``/xwzx/zwdt/`` threshold rule combine.  ``ignore``
        applies to everything its rule matches.  The unit comes from a ``columns:`` rule,
        else the most specific ``units[].columns`` entry (which also matches an ancestor
        column name, so ``[政务公开]`` covers the whole menu), else ``defaults.unit``.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        npath = column_path(parts.path)
        cname = _clean_name(name)
        ancestors = [_clean_name(a) for a in path]

        matching = self._ranked(
            self._rules, host, npath, parts.query, cname, ancestors, ancestor_names=False
        )
        rules: list[ColumnRule] = matching

        unit = _first(rule.unit for rule in rules)
        if unit is None:
            owners = self._ranked(
                self._unit_rules,
                host,
                npath,
                parts.query,
                cname,
                ancestors,
                ancestor_names=True,
            )
            unit = owners[0] if owners else self.config.default_unit
        return Resolution(
            ignore=any(rule.ignore for rule in rules),
            category=_first(rule.category for rule in rules),
            threshold_days=_first(rule.max_age_days for rule in rules),
            unit=unit,
            exempt_until=_first(rule.exempt_until for rule in rules),
            min_items=_min_items(_first(rule.min_items for rule in rules), self.config.min_items),
        )

    @staticmethod
    def _ranked(
        pairs: Iterable[tuple[_Matcher, _T]],
        host: str,
        path: str,
        query: str,
        name: str,
        ancestors: Sequence[str],
        *,
        ancestor_names: bool,
    ) -> list[_T]:
        """The values whose matcher matches, most specific first (file order on ties)."""
        scored = []
        for order, (matcher, value) in enumerate(pairs):
            score = matcher.score(host, path, query, name, ancestors, ancestor_names=ancestor_names)
            if score is not None:
                scored.append((score, -order, value))
        scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        return [value for _, _, value in scored]

    def added_columns(self) -> list[ColumnRule]:
        """Config rules naming a page to crawl even if discovery misses it.

        An absolute-URL rule always names one page; a path rule does when it also gives a
        ``name`` (without one it is an ordinary prefix override).  Ignored rules never add.
        """
        return [
            rule
            for matcher, rule in self._rules
            if not rule.ignore and (matcher.kind == "url" or (matcher.kind == "path" and rule.name))
        ]

    def url_for(self, rule: ColumnRule) -> str:
        """The absolute URL of a rule's page, resolved against ``site.url``."""
        return urljoin(self.config.url, rule.match)


def _min_items(own: MinItems | None, default: MinItems | None) -> MinItems | None:
    """A column's own rule wins over the default; ``MinItems.OFF`` means no rule at all."""
    rule = own if own is not None else default
    return rule if rule is not None and rule.enabled else None


def _first(values: Iterable[_T | None]) -> _T | None:
    for value in values:
        if value is not None:
            return value
    return None


def is_interpretation_name(name: str | None) -> bool:
    """A 解读回应 column (政策解读, 图解 …) by its name; 数据解读 is statistics, not this."""
    text = name or ""
    return bool(_INTERPRETATION.search(text)) and categorize(text) == "policy"
