"""Build a deterministic demo portal: which column gets which markup, status and entries.

Every markup of portal-patterns.md and every status is present in every build; which
column carries which is decided by the seed, so a spider tuned on seed 1 still meets
new combinations on other seeds.
"""

from __future__ import annotations

import datetime as dt
import random

from demo.linkplant import plant_links
from demo.model import (
    THRESHOLDS,
    Channel,
    Column,
    Entry,
    Letter,
    Portal,
    Solicitation,
    today_shanghai,
)
from demo.policies import link_policies
from demo.themes import THEMES, Section

# Columns with a forced markup or mode (each tuple is one column). The rest get GENERIC.
FEATURES: list[tuple[str, str]] = [
    ("mode", "error500"),
    ("mode", "dead404"),
    ("blank", "暂无信息"),
    ("blank", "暂无数据"),
    ("blank", "正在建设"),
    ("markup", "undated_none"),
    ("markup", "undated_none"),
    ("markup", "undated_meta"),
    ("markup", "undated_visible"),
    ("markup", "undated_url_trs"),
    ("markup", "undated_url_art"),
    ("markup", "undated_regen"),
    ("markup", "pinned"),
    ("markup", "future"),
    ("markup", "gbk"),
    ("markup", "gbk"),
    ("markup", "iframe"),
    ("markup", "hanweb"),
    ("markup", "hanweb"),
    ("markup", "hanweb"),
    ("markup", "trs_table"),
    ("markup", "trs_table"),
    ("markup", "trs_table"),
    ("markup", "trs_table"),
    ("markup", "xxgk_table"),
    ("markup", "xxgk_table"),
    ("markup", "xxgk_table"),
    ("markup", "yearless"),
    ("markup", "yearless"),
]
GENERIC = ("ul_after", "ul_before")
# Page counts (min, max) of the list markups only themes c and d use.
NEW_PAGES = {
    "poweredy": (3, 6),
    "avalon": (2, 4),
    "gkmlpt": (2, 2),
    "dl_dd": (1, 2),
    "div_item": (1, 2),
    "a_date": (1, 2),
    "td_before": (1, 3),
    "xxgk_wh": (1, 2),
    "hanweb_pinned": (2, 3),
    "td_datetime": (1, 3),
}
# Date spellings of list entries, cycled over the ul-style columns.
SPELLINGS = (
    "%Y-%m-%d",
    "%Y/%-m/%-d",
    "%Y.%m.%d",
    "%Y年%-m月%-d日",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "[%Y-%m-%d]",
)

TITLE_PARTS = {
    "news": [
        "召开{t}工作推进会",
        "开展{t}专项行动",
        "{town}举办{t}现场观摩活动",
        "县领导调研{t}工作",
        "{town}扎实推进{t}",
        "全县{t}工作会议召开",
    ],
    "notice": ["关于{t}工作的通知", "关于{t}的公告", "{t}结果公示", "关于开展{t}的通告"],
    "policy": [
        "{county}{t}实施办法",
        "关于进一步加强{t}的意见",
        "{t}管理暂行规定",
        "《{county}{t}实施方案》政策解读",
    ],
    "personnel": ["{county}{t}人员任免通知", "{t}拟录用人员名单公示", "{t}公开招聘公告"],
    "plan": ["{county}{t}工作计划", "{county}{t}专项规划", "{t}年度工作总结"],
    "interaction": ["关于{t}问题的回复", "{t}意见征集", "网民留言：{t}", "{t}在线访谈实录"],
    "other": ["{county}{t}情况公开", "{t}信息", "{t}工作情况报告", "{county}{t}专项资金公示"],
}
TOPICS = [
    "乡村振兴",
    "安全生产",
    "森林防火",
    "人居环境整治",
    "防汛备汛",
    "营商环境",
    "农村公路",
    "义务教育",
    "医疗保障",
    "住房保障",
    "河湖长制",
    "消费帮扶",
    "文明创建",
    "耕地保护",
    "垃圾分类",
    "民生实事",
    "招商引资",
    "就业援助",
    "养老服务",
    "秸秆禁烧",
]
PLACEMENTS = {"all": {"nav", "hub", "sitemap"}, "hub": {"hub"}, "sitemap": {"sitemap"}}
STATUS_MIX = ("ok",) * 11 + ("warning",) * 3 + ("stale",) * 6


# A department's or town's own columns on a large portal (``columns=``), reached from its page
# under 部门信息公开: (name, slug, category), names as on the theme's own sections.
UNIT_COLUMNS = (
    ("工作动态", "gzdt", "news"),
    ("通知公告", "tzgg", "notice"),
    ("政策文件", "zcwj", "policy"),
    ("政策解读", "zcjd", "policy"),
    ("人事信息", "rsxx", "personnel"),
    ("公务员招录", "gwyzl", "personnel"),
    ("规划计划", "ghjh", "plan"),
    ("工作总结", "gzzj", "plan"),
    ("财政预决算", "czyjs", "other"),
    ("机构职能", "jgzn", "other"),
    ("统计信息", "tjxx", "other"),
    ("审计信息", "sjxx", "other"),
    ("重大项目", "zdxm", "other"),
    ("应急管理", "yjgl", "other"),
    ("政府采购", "zfcg", "other"),
    ("减税降费", "jsjf", "other"),
    ("社会救助", "shjz", "other"),
    ("建议提案办理", "jytabl", "other"),
    ("征集调查", "zjdc", "interaction"),
    ("政府信息公开年报", "xxgknb", "other"),
)
DEPARTMENTS = (
    "发展和改革局",
    "教育局",
    "科学技术局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "信访局",
    "行政审批局",
    "数据资源管理局",
    "城市管理局",
    "粮食和物资储备局",
    "机关事务管理局",
)
TOWN_SYLLABLES = "清河石桥东西南北龙凤白云新安长乐平阳金溪柳塘松岭"


def build_portal(
    seed: int = 1, today: dt.date | None = None, theme: str = "a", columns: int | None = None
) -> Portal:
    """Generate the portal for ``seed`` and ``theme``, dates counted back from ``today``.

    ``columns`` (more than the theme has) adds departments and towns of 20 columns each
    under one 部门信息公开 channel, as on a city or province portal (``make bench`` scale runs).
    """
    today = today or today_shanghai()
    theme_obj, sections = THEMES[theme]
    if columns is not None:
        sections = [*sections, *_unit_sections(theme_obj.county, columns - _count(sections))]
    rng = random.Random(f"portal:{theme}:{seed}")
    columns: list[Column] = []
    channels = [_channel(sec, [], "/", columns) for sec in sections]
    portal = Portal(seed=seed, today=today, theme=theme_obj, channels=channels, columns=columns)
    _theme_e_setup(portal)
    _assign(portal, rng)
    _theme_e_redirect(portal)
    _theme_f_hub_lists(portal, rng)
    _interaction_setup(portal)
    plant_links(portal)  # own hash draws: the rest of the portal is unchanged by it
    link_policies(portal)
    return portal


# 互动回应差 (issue 11): a mailbox's letters as (asked days ago, replied after N days or None,
# reply date shown on the list). Late (> 90 days) or unanswered past 90 days: overdue; some
# answers only their own page dates; the last three are over a year old (outside the check).
LETTERS = (
    (2, None, True),
    (6, 3, True),
    (15, 10, True),
    (30, None, True),
    (41, 5, False),  # young: answered in time whatever its date, its page is not needed
    (58, 20, True),
    (75, 12, True),
    (96, None, True),  # unanswered for 96 days: overdue
    (110, 30, False),  # its page shows the reply: in time
    (130, 100, True),  # answered late: overdue
    (150, 14, True),
    (170, 120, False),  # its page shows the reply: late, overdue
    (200, 25, True),
    (220, 8, True),
    (240, None, True),  # unanswered: overdue
    (260, 60, False),
    (300, 45, True),
    (330, 95, True),  # answered late: overdue
    (350, 20, True),
    (380, None, True),
    (400, 200, True),
    (430, 10, True),
)
LETTER_TOPICS = ("道路破损", "路灯不亮", "噪音扰民", "农村饮水", "医保报销", "校车接送", "停车难")
# 征集: (started days ago, open for N days, 结果反馈: "list" | "page" | None).
SOLICITATIONS = (
    (10, 30, None),  # still open
    (60, 30, "list"),
    (100, 20, None),  # ended without 结果反馈: a problem
    (150, 30, "page"),  # its 结果反馈 is linked from its own page only
    (250, 30, "list"),
    (400, 30, None),  # over a year old: outside the check
)
SOLICIT_TOPICS = (
    "养老服务条例",
    "民生实事项目",
    "城区停车收费标准",
    "公交线路优化",
    "老旧小区改造",
)


def _convertible(portal: Portal, col: Column) -> bool:
    """A normal column whose markup another normal column also shows (no feature is lost)."""
    if col.mode != "normal" or col.removed or col.style != "dir":
        return False
    if col.markup in GENERIC:
        return True
    return any(
        c is not col and c.mode == "normal" and c.markup == col.markup for c in portal.columns
    )


def _interaction_setup(portal: Portal) -> None:
    """Turn one 信箱 column into a mailbox and one 征集 column into a 征集 list."""
    for pattern, setup in (("信箱", _mailbox), ("征集", _solicit)):
        for col in portal.columns:
            if col.category == "interaction" and pattern in col.name and _convertible(portal, col):
                setup(portal, col)
                break


def _mailbox(portal: Portal, col: Column) -> None:
    towns = portal.theme.layout["town"]
    col.markup, col.spelling, col.per_page = "mailbox", "%Y-%m-%d", 10
    col.entries, col.letters = [], []
    for i, (age, after, on_list) in enumerate(LETTERS):
        asked = portal.today - dt.timedelta(days=age)
        path = f"{_dir(col)}content_{_docid(col, i)}.html"
        title = f"关于{towns[i % len(towns)]}{LETTER_TOPICS[i % len(LETTER_TOPICS)]}问题的来信"
        replied = asked + dt.timedelta(days=after) if after is not None else None
        col.entries.append(Entry(title=title, path=path, shown=asked, visible=asked, meta=asked))
        col.letters.append(Letter(path, asked, replied, on_list))


def _solicit(portal: Portal, col: Column) -> None:
    col.markup, col.spelling, col.per_page = "solicit", "%Y-%m-%d", 10
    col.entries, col.solicitations = [], []
    for i, (age, days, feedback) in enumerate(SOLICITATIONS):
        start = portal.today - dt.timedelta(days=age)
        path = f"{_dir(col)}content_{_docid(col, i)}.html"
        title = f"{portal.theme.county}{SOLICIT_TOPICS[i % len(SOLICIT_TOPICS)]}公开征求意见"
        back = f"{_dir(col)}feedback_{_docid(col, i)}.html" if feedback else None
        col.entries.append(Entry(title=title, path=path, shown=start, visible=start, meta=start))
        col.solicitations.append(
            Solicitation(
                path,
                start,
                start + dt.timedelta(days=days),
                back,
                feedback_on_list=feedback == "list",
            )
        )


def _count(sections: list[Section]) -> int:
    return sum(len(cols) + _count(subs) for _name, _slug, cols, subs in sections)


def _unit_sections(county: str, extra: int) -> list[Section]:
    """One 部门信息公开 channel of departments and towns holding ``extra`` columns (if > 0)."""
    if extra <= 0:
        return []
    towns = [f"{a}{b}镇" for a in TOWN_SYLLABLES for b in TOWN_SYLLABLES if a != b]
    names = [f"{county}{d}" for d in DEPARTMENTS] + towns
    units: list[Section] = []
    for k in range(-(-extra // len(UNIT_COLUMNS))):
        take = UNIT_COLUMNS[: min(len(UNIT_COLUMNS), extra - k * len(UNIT_COLUMNS))]
        cols = [(name, slug, category, "hub") for name, slug, category in take]
        units.append((names[k], f"bm{k + 1:03d}", cols, []))
    return [("部门信息公开", "bmxxgk", [], units)]


def _theme_f_hub_lists(portal: Portal, rng: random.Random) -> None:
    """Theme f: hubs that also show their own article list (that list is a column)."""
    for url in portal.theme.layout.get("hub_lists", ()):
        ch = next(c for c in portal.all_channels() if c.url == url)
        parent = next(p for p in portal.all_channels() if ch in p.subs)
        col = Column(
            cid=len(portal.columns) + 1,
            name=ch.name,
            category="news",
            url=ch.url,
            path=list(ch.path),
            section=f"/{ch.url.split('/')[1]}/",
            parent=parent.url,
            markup="ul_before",
            spelling="%Y-%m-%d",
        )
        portal.columns.append(col)
        ch.own = col
        # Its sub-columns' blocks on the same page are often newer than its own list.
        refill(portal, col, portal.today - dt.timedelta(days=rng.randint(3, 9)))


def _theme_e_setup(portal: Portal) -> None:
    """Theme e: list-page extensions and static intro pages (no effect on themes a-d)."""
    layout = portal.theme.layout
    exts = layout.get("exts")
    if exts:
        for col in portal.columns:
            col.ext = exts[col.cid % len(exts)]
    intro = layout.get("intro", {})
    for ch in portal.all_channels():
        ch.pages = [(name, f"{ch.url}{slug}/index.shtml") for name, slug in intro.get(ch.url, [])]


def _theme_e_redirect(portal: Portal) -> None:
    """Theme e: the menus reach one column only through a redirect page /go/<slug>."""
    category = portal.theme.layout.get("redirect")
    if not category:
        return
    pool = [
        col
        for col in portal.columns
        if col.style == "dir"
        and col.mode == "normal"
        and "nav" in col.placement
        and col.markup in GENERIC
        and col is not portal.columns[0]
    ]
    pool.sort(key=lambda col: (len(col.path) > 1, col.category != category))  # in the menu
    if pool:
        pool[0].via = f"/go/{pool[0].url.rstrip('/').rsplit('/', 1)[1]}"


def _channel(sec: Section, path: list[str], base: str, columns: list[Column]) -> Channel:
    name, slug, cols, subs = sec
    url = f"{base}{slug}/"
    ch = Channel(name=name, url=url, path=list(path))
    section_url = url if not path else f"/{url.split('/')[1]}/"
    for cname, cslug, category, where in cols:
        placement = PLACEMENTS[where]
        col = Column(
            cid=len(columns) + 1,
            name=cname,
            category=category,
            url=f"{url}{cslug}/",
            path=[*path, name],
            section=section_url,
            parent=url,
            placement=frozenset(placement),
        )
        columns.append(col)
        ch.columns.append(col)
    ch.subs = [_channel(sub, [*path, name], url, columns) for sub in subs]
    return ch


def _assign(portal: Portal, rng: random.Random) -> None:
    """Give each column its feature/markup, then a target status and the entries to match."""
    cols = list(portal.columns)
    free = list(cols)
    rng.shuffle(free)
    # The first news column stays fresh and generic: the home page's latest news needs it.
    anchor = cols[0]
    free.remove(anchor)
    chosen: dict[int, tuple[str, str]] = {}

    def take(pred) -> Column:
        for col in free:
            if pred(col):
                free.remove(col)
                return col
        return free.pop()

    layout = portal.theme.layout
    spellings = layout.get("spellings", SPELLINGS)
    features = [*FEATURES, *layout.get("features", [])]
    if layout.get("features"):  # themes c/d: year-less lists first, while news columns are free
        features.sort(key=lambda f: f[1] not in ("yearless", "td_md"))
    for kind, value in features:
        if value in ("yearless", "td_md"):
            col = take(lambda c: c.category == "news")
        elif value == "dead404":
            col = take(lambda c: "nav" in c.placement)
        elif value == "gkmlpt":
            col = take(lambda c: c.section == portal.channels[1].url and "nav" in c.placement)
        elif value in ("xxgk_table", "xxgk_wh"):
            col = take(lambda c: c.section == portal.channels[1].url)
        else:
            col = take(lambda c, k=kind: c.category != "news" or k == "markup")
        chosen[col.cid] = (kind, value)

    statuses = list(STATUS_MIX * max(4, -(-len(cols) // len(STATUS_MIX))))
    rng.shuffle(statuses)
    generic_i = 0
    generic = layout.get("generic", GENERIC)
    for col in cols:
        kind, value = chosen.get(col.cid, ("markup", generic[generic_i % len(generic)]))
        if col.cid not in chosen:
            col.spelling = spellings[generic_i % len(spellings)]
            generic_i += 1
        if kind == "mode":
            col.mode, col.markup = value, "ul_after"
        elif kind == "blank":
            col.mode, col.placeholder = "blank", value
        else:
            col.markup = value
        if col.markup in ("hanweb", "hanweb_pinned"):
            col.url = f"/col/col{1200 + col.cid * 7}/index.html"
            col.ext = "html"
            col.unitid = 5300 + col.cid
        _restyle(col)
        target = "ok" if col is anchor else statuses.pop()
        if col.markup == "undated_regen":
            target = "stale"  # the regeneration PubDate would wrongly make it fresh
        if col.markup in ("yearless", "td_md") and target == "warning":
            target = "ok"
        newest = portal.today - dt.timedelta(days=_age(rng, target, col.threshold))
        if col is anchor:
            newest = portal.today
        if col.mode == "blank":
            continue
        refill(portal, col, newest)
    # Theme-specific URL styles for some generic columns (same markup, other addresses).
    pool = [
        c
        for c in cols
        if c.style == "dir"
        and c is not anchor
        and c.mode == "normal"
        and c.markup in ("ul_after", "ul_before", "dl_dd", "div_item")
    ]
    if layout.get("url_styles"):
        rng.shuffle(pool)
    for style, count in layout.get("url_styles", []):
        for col in pool[:count]:
            col.style = style
            col.url = (
                f"/channel/{100 + col.cid * 3}.html"
                if style == "channel"
                else f"/xxgk/list.aspx?ClassID={10 + col.cid}"
                if style == "aspx"
                else f"/list.jsp?catid={10 + col.cid}"
            )
            refill(portal, col, col.entries[0].shown if col.entries else portal.today)
        pool = pool[count:]


def _restyle(col: Column) -> None:
    """URL styles forced by a markup (PowerEasy, gkmlpt)."""
    if col.markup == "poweredy":
        col.style, col.url = "pe", f"/Category_{20 + col.cid}/Index.aspx"
    elif col.markup == "gkmlpt":
        col.style, col.url = "gkmlpt", f"/gkmlpt/index#{2800 + col.cid}"
    elif col.markup == "pinned_new":
        col.per_page = 16  # the pinned item plus 15 older ones


def _age(rng: random.Random, status: str, threshold: int) -> int:
    """An age in days well inside the band of ``status`` (a day of clock drift is harmless)."""
    if status == "ok":
        return rng.randint(0, max(1, int(threshold * 0.6)))
    if status == "warning":
        low = int(threshold * 0.8) + 2
        return rng.randint(low, max(low, threshold - 1))
    return rng.randint(threshold + 2, threshold + max(30, threshold))


def refill(portal: Portal, col: Column, newest: dt.date) -> None:
    """(Re)generate a column's entries so that its newest real update is ``newest``."""
    rng = random.Random(f"entries:{portal.seed}:{col.cid}:{newest.isoformat()}")
    today = portal.today
    markup = col.markup
    pages = {
        "trs_table": rng.randint(3, 6),
        "hanweb": rng.randint(2, 4),
        "xxgk_table": rng.randint(1, 2),
        "ul_after": rng.randint(1, 3),
        "ul_before": rng.randint(1, 3),
        "gbk": 2,
    }.get(markup, 1)
    if markup in NEW_PAGES:  # themes c/d only: a/b draw exactly the numbers they always did
        pages = rng.randint(*NEW_PAGES[markup])
    count = pages * col.per_page - (rng.randint(0, 9) if pages > 1 else rng.randint(3, 7))
    if markup in ("yearless", "td_md"):
        count = 10
    if markup == "pinned_new":
        count = 16  # the pinned item and 15 older ones
    gap_max = {"news": 4, "notice": 30, "policy": 40}.get(col.category, 70)
    if markup in ("yearless", "td_md"):
        gap_max = min(gap_max, 20)
    day = newest
    entries: list[Entry] = []
    for i in range(count):
        if i:
            day -= dt.timedelta(days=rng.randint(0 if col.category == "news" else 1, gap_max))
        entries.append(_entry(portal, col, rng, day, i))
    if markup == "pinned_new":
        # The pinned item is the newest: the 15 below it are all older.
        entries[0].pinned = True
    if markup == "hanweb_pinned":
        # The column page's datastore holds only these (old) pinned records.
        for k in range(3):
            old = newest - dt.timedelta(days=rng.randint(200, 900))
            pin = _entry(portal, col, rng, old, count + k)
            pin.pinned = True
            pin.title = f"{portal.theme.county}{rng.choice(TOPICS)}办事指南（置顶）"
            entries.insert(k, pin)
    if markup == "td_datetime":
        # Titles carrying their own (later) dates: 关于2026年9月1日停水的通知. Not list dates.
        for e in entries[::2]:
            when = e.shown + dt.timedelta(days=rng.randint(2, 9))
            what = rng.choice(("停水", "停电", "交通管制", "集中采购开标", "听证会"))
            e.title = f"关于{when.year}年{when.month}月{when.day}日{what}的通知"
    if markup in ("pinned", "pinned_icon"):
        old = newest - dt.timedelta(days=rng.randint(400, 900))
        pin = _entry(portal, col, rng, old, count)
        pin.pinned = True
        pin.title = f"{portal.theme.county}{rng.choice(TOPICS)}工作领导小组成员名单"
        entries.insert(0, pin)
    if markup == "future":
        ahead = today + dt.timedelta(days=rng.randint(20, 60))
        entries.insert(0, _entry(portal, col, rng, ahead, count + 1))
    if markup == "trs_table":
        # A few links carry a date other than the one shown (re-published or edited items).
        for k in (0, 4, 9):
            e = entries[k]
            shift = rng.randint(3, 12)
            other = e.shown + dt.timedelta(days=shift)
            if other > today:
                other = e.shown - dt.timedelta(days=shift + 20)
            e.url_date = other
            e.path = _trs_path(col, other, _docid(col, k))
    col.entries = entries


def _docid(col: Column, i: int) -> int:
    return 300000 + col.cid * 1000 + i


def _trs_path(col: Column, day: dt.date, docid: int) -> str:
    return f"{_dir(col)}{day:%Y%m}/t{day:%Y%m%d}_{docid}.{col.ext}"


def _dir(col: Column) -> str:
    if col.style == "channel":
        return f"/info/{col.url.rsplit('/', 1)[1].split('.')[0]}/"
    if col.style == "jsp":
        return f"/content/{col.url.rsplit('=', 1)[1]}/"
    if col.style == "aspx":
        return f"/xxgk/content/{col.url.rsplit('=', 1)[1]}/"
    if col.style == "gkmlpt":
        return f"/gkmlpt/content/2/{col.url.rsplit('#', 1)[1]}/"
    return col.url.rsplit("/", 1)[0] + "/"


def _entry(portal: Portal, col: Column, rng: random.Random, day: dt.date, i: int) -> Entry:
    """One entry dated ``day``: where that date is visible depends on the column's markup."""
    theme = portal.theme
    title = rng.choice(TITLE_PARTS[col.category]).format(
        t=rng.choice(TOPICS), county=theme.county, town=rng.choice(theme.layout["town"])
    )
    docid = _docid(col, i)
    markup = col.markup
    e = Entry(
        title=title,
        path="",
        shown=day,
        visible=day,
        meta=day,
        hour=rng.randint(8, 18),
        minute=rng.randint(0, 59),
    )
    if markup == "poweredy":
        e.path = f"/Item/{docid}.aspx"
    elif markup == "gkmlpt":
        e.path = f"{_dir(col)}post_{docid}.html"
    elif markup == "avalon":
        e.path = f"{_dir(col)}{day:%Y%m}/t{day:%Y%m%d}_{docid}.htm"
        e.url_date = day
    elif markup in ("hanweb", "undated_url_art", "hanweb_pinned"):
        e.path = f"/art/{day.year}/{day.month}/{day.day}/art_{1200 + col.cid * 7}_{docid}.html"
        e.url_date = day
    elif markup in ("trs_table", "xxgk_table", "ul_after", "undated_url_trs", "gbk"):
        e.path = _trs_path(col, day, docid)
        e.url_date = day
    else:
        e.path = f"{_dir(col)}content_{docid}.{col.ext}"
    if markup.startswith("undated"):
        e.shown = None
        e.visible = (
            day if markup in ("undated_visible", "undated_regen", "undated_pubtime") else None
        )
        e.meta = day if markup == "undated_meta" else None
        if markup == "undated_regen":
            e.meta = portal.today - dt.timedelta(days=1)  # batch regeneration yesterday
    return e


def latest_news(portal: Portal) -> list[tuple[Column, Entry]]:
    """The home page's 最新动态 block: the newest entries of the dated news columns."""
    pool: list[tuple[Column, Entry]] = []
    for col in portal.live_columns():
        if col.category != "news" or col.mode != "normal" or col.markup.startswith("undated"):
            continue
        if col.placement == frozenset({"sitemap"}):
            continue
        pool.extend(
            (col, e)
            for e in col.page(0)[:3]
            if not e.pinned and e.shown and e.shown <= portal.today
        )
    pool.sort(key=lambda ce: (ce[1].shown, ce[0].cid), reverse=True)
    return pool[:8]


def home_blocks(portal: Portal) -> list[tuple[Column, list[Entry]]]:
    """Home blocks with 更多 links: one notice, policy, personnel and interaction column each."""
    out: list[tuple[Column, list[Entry]]] = []
    for category in ("notice", "policy", "personnel", "interaction"):
        for col in portal.live_columns():
            if (
                col.category == category
                and col.mode == "normal"
                and "nav" in col.placement
                and col.markup in ("ul_after", "ul_before", "trs_table", "xxgk_table")
            ):
                shown = [e for e in col.page(0) if e.shown and e.shown <= portal.today][:5]
                out.append((col, shown))
                break
    return out


def thresholds() -> dict[str, int]:
    """The default thresholds the truth uses (for callers that apply overrides)."""
    return dict(THRESHOLDS)
