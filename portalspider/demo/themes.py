"""Themes: county names, column names, URL slugs and class names of each demo portal.

Theme ``a`` is the development portal; ``b`` is held out for the benchmark ("a portal it
has never seen"): other county, other column names and slugs, other class names and layout.
Column names are chosen so their category is unambiguous under indicators.md §4.
"""

from __future__ import annotations

from portalspider.demo.model import Theme

# A section: (name, slug, [(column name, slug, category, placement), ...], [sub-sections]).
# placement: "all" (nav dropdown + hub + sitemap), "hub" (hub page only), "sitemap" (sitemap only).
Section = tuple[str, str, list[tuple[str, str, str, str]], list]

SECTIONS_A: list[Section] = [
    ("新闻中心", "xwzx", [
        ("工作动态", "gzdt", "news", "all"),
        ("乡镇动态", "xzdt", "news", "all"),
        ("部门动态", "bmdt", "news", "all"),
        ("图片新闻", "tpxw", "news", "all"),
        ("领导活动", "ldhd", "news", "hub"),
        ("今日青溪", "jrqx", "news", "all"),
        ("视频新闻", "spxw", "news", "sitemap"),
    ], []),
    ("政务公开", "zwgk", [
        ("通知公告", "tzgg", "notice", "all"),
        ("政策文件", "zcwj", "policy", "all"),
        ("政策解读", "zcjd", "policy", "all"),
        ("人事信息", "rsxx", "personnel", "all"),
        ("公务员招录", "gwyzl", "personnel", "hub"),
        ("规划计划", "ghjh", "plan", "all"),
        ("工作总结", "gzzj", "plan", "sitemap"),
        ("财政预决算", "czyjs", "other", "all"),
        ("政府信息公开年报", "xxgknb", "other", "all"),
    ], [
        ("法定主动公开内容", "fdzdgknr", [
            ("机构职能", "jgzn", "other", "all"),
            ("统计信息", "tjxx", "other", "all"),
            ("审计信息", "sjxx", "other", "all"),
            ("重大项目", "zdxm", "other", "all"),
            ("应急管理", "yjgl", "other", "all"),
            ("安全生产", "aqsc", "other", "hub"),
            ("价格收费", "jgsf", "other", "hub"),
            ("减税降费", "jsjf", "other", "all"),
            ("建议提案办理", "jytabl", "other", "sitemap"),
        ], []),
        ("重点领域信息公开", "zdlyxxgk", [
            ("教育领域", "jyly", "other", "all"),
            ("医疗卫生", "ylws", "other", "all"),
            ("住房保障", "zfbz", "other", "all"),
            ("社会救助", "shjz", "other", "all"),
            ("就业创业", "jycy", "other", "hub"),
            ("生态环境", "sthj", "other", "all"),
            ("食品药品", "sppy", "other", "all"),
            ("政府采购", "zfcg", "other", "all"),
        ], []),
    ]),
    ("互动交流", "hdjl", [
        ("领导信箱", "ldxx", "interaction", "all"),
        ("咨询投诉", "zxts", "interaction", "all"),
        ("征集调查", "zjdc", "interaction", "all"),
        ("在线访谈", "zxft", "interaction", "all"),
    ], []),
    ("走进青溪", "zjqx", [
        ("历史沿革", "lsyg", "other", "all"),
        ("旅游资源", "lyzy", "other", "all"),
        ("投资指南", "tzzn", "other", "hub"),
        ("特色产业", "tscy", "other", "all"),
    ], []),
    ("专题专栏", "ztzl", [
        ("优化营商环境", "yhyshj", "other", "all"),
        ("文明城市创建", "wmcscj", "other", "all"),
        ("平安建设", "pajs", "other", "all"),
        ("防汛抗旱", "fxkh", "other", "sitemap"),
        ("民生实事", "msss", "other", "all"),
    ], []),
]

SECTIONS_B: list[Section] = [
    ("要闻动态", "ywdt", [
        ("政务动态", "zwdt", "news", "all"),
        ("镇街动态", "zjdt", "news", "all"),
        ("基层动态", "jcdt", "news", "all"),
        ("图片新闻", "tpxw", "news", "hub"),
        ("今日云岭", "jryl", "news", "all"),
        ("领导活动", "ldhd", "news", "sitemap"),
    ], []),
    ("信息公开", "xxgk", [
        ("公示公告", "gsgg", "notice", "all"),
        ("规范性文件", "gfxwj", "policy", "all"),
        ("政府文件", "zfwj", "policy", "all"),
        ("政策解读", "zcjd", "policy", "hub"),
        ("人事任免", "rsrm", "personnel", "all"),
        ("招考录用", "zkly", "personnel", "all"),
        ("发展规划", "fzgh", "plan", "all"),
        ("年度计划", "ndjh", "plan", "sitemap"),
        ("财政资金", "czzj", "other", "all"),
    ], [
        ("法定主动公开", "fdzdgk", [
            ("机构设置", "jgsz", "other", "all"),
            ("统计数据", "tjsj", "other", "all"),
            ("审计结果", "sjjg", "other", "all"),
            ("重点项目", "zdxm", "other", "hub"),
            ("行政执法", "xzzf", "other", "all"),
            ("公共资源交易", "ggzyjy", "other", "all"),
            ("权责清单", "qzqd", "other", "sitemap"),
            ("物价监测", "wjjc", "other", "all"),
        ], []),
        ("重点领域", "zdly", [
            ("卫生健康", "wsjk", "other", "all"),
            ("保障性住房", "bzxzf", "other", "all"),
            ("社会保障", "shbz", "other", "hub"),
            ("环境保护", "hjbh", "other", "all"),
            ("食品安全", "spaq", "other", "all"),
            ("农业农村", "nync", "other", "all"),
            ("教育体育", "jyty", "other", "all"),
        ], []),
    ]),
    ("政民互动", "zmhd", [
        ("领导信箱", "ldxx", "interaction", "all"),
        ("在线咨询", "zxzx", "interaction", "all"),
        ("留言选登", "lyxd", "interaction", "all"),
        ("征集调查", "zjdc", "interaction", "hub"),
        ("在线访谈", "zxft", "interaction", "all"),
    ], []),
    ("魅力云岭", "mlyl", [
        ("云岭概况", "ylgk", "other", "all"),
        ("历史文化", "lswh", "other", "all"),
        ("招商项目", "zsxm", "other", "all"),
        ("美丽乡村", "mlxc", "other", "sitemap"),
    ], []),
    ("专题专栏", "ztzt", [
        ("营商环境", "yshj", "other", "all"),
        ("河长制", "hzz", "other", "all"),
        ("平安云岭", "payl", "other", "all"),
        ("生态文明", "stwm", "other", "hub"),
        ("双拥工作", "sygz", "other", "all"),
    ], []),
]

THEMES: dict[str, tuple[Theme, list[Section]]] = {
    "a": (
        Theme(
            key="a",
            site_name="青溪县人民政府",
            county="青溪县",
            sitemap_url="/wzdt/",
            cls={"nav": "nav", "sub": "subnav", "list": "list", "date": "date",
                 "side": "left-nav", "crumb": "position", "block": "index-block",
                 "more": "more", "main": "main-content"},
            layout={"crumb_label": "当前位置：", "crumb_sep": " &gt; ", "side": "left",
                    "date_first": False, "home_yearless": True, "column_meta": True,
                    "domain": "qingxi.example.gov.cn",
                    "town": ["青石镇", "溪口镇", "白马乡", "云峰镇", "桃源乡"]},
            friend_links=[("中国政府网", "https://www.gov.cn/"),
                          ("浙江省人民政府", "https://www.zj.gov.cn/"),
                          ("丽水市人民政府", "http://www.lishui.gov.cn/")],
            service_link=("政务服务", "https://www.zjzwfw.gov.cn/"),
        ),
        SECTIONS_A,
    ),
    "b": (
        Theme(
            key="b",
            site_name="云岭县人民政府",
            county="云岭县",
            sitemap_url="/sitemap/",
            cls={"nav": "menu", "sub": "dropdown-menu", "list": "news-list", "date": "time",
                 "side": "sidebar", "crumb": "breadcrumb", "block": "panel",
                 "more": "panel-more", "main": "content-wrap"},
            layout={"crumb_label": "您现在的位置：", "crumb_sep": " » ", "side": "right",
                    "date_first": True, "home_yearless": False, "column_meta": False,
                    "domain": "yunling.example.gov.cn",
                    "town": ["云台镇", "岭南镇", "石门乡", "龙潭镇", "清河乡"]},
            friend_links=[("中国政府网", "https://www.gov.cn/"),
                          ("云南省人民政府", "https://www.yn.gov.cn/"),
                          ("大理州人民政府", "http://www.dali.gov.cn/")],
            service_link=("网上办事", "https://zwfw.yn.gov.cn/"),
        ),
        SECTIONS_B,
    ),
}
