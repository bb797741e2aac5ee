"""Themes: county names, column names, URL slugs and class names of each demo portal.

Theme ``a`` is the development portal; ``b`` is held out for the benchmark ("a portal it
has never seen"): other county, other column names and slugs, other class names and layout.
Column names are chosen so their category is unambiguous under indicators.md §4.
"""

from __future__ import annotations

from demo.model import Theme

# A section: (name, slug, [(column name, slug, category, placement), ...], [sub-sections]).
# placement: "all" (nav dropdown + hub + sitemap), "hub" (hub page only), "sitemap" (sitemap only).
Section = tuple[str, str, list[tuple[str, str, str, str]], list]

SECTIONS_A: list[Section] = [
    (
        "新闻中心",
        "xwzx",
        [
            ("工作动态", "gzdt", "news", "all"),
            ("乡镇动态", "xzdt", "news", "all"),
            ("部门动态", "bmdt", "news", "all"),
            ("图片新闻", "tpxw", "news", "all"),
            ("领导活动", "ldhd", "news", "hub"),
            ("今日青溪", "jrqx", "news", "all"),
            ("视频新闻", "spxw", "news", "sitemap"),
        ],
        [],
    ),
    (
        "政务公开",
        "zwgk",
        [
            ("通知公告", "tzgg", "notice", "all"),
            ("政策文件", "zcwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "all"),
            ("人事信息", "rsxx", "personnel", "all"),
            ("公务员招录", "gwyzl", "personnel", "hub"),
            ("规划计划", "ghjh", "plan", "all"),
            ("工作总结", "gzzj", "plan", "sitemap"),
            ("财政预决算", "czyjs", "other", "all"),
            ("政府信息公开年报", "xxgknb", "other", "all"),
        ],
        [
            (
                "法定主动公开内容",
                "fdzdgknr",
                [
                    ("机构职能", "jgzn", "other", "all"),
                    ("统计信息", "tjxx", "other", "all"),
                    ("审计信息", "sjxx", "other", "all"),
                    ("重大项目", "zdxm", "other", "all"),
                    ("应急管理", "yjgl", "other", "all"),
                    ("安全生产", "aqsc", "other", "hub"),
                    ("价格收费", "jgsf", "other", "hub"),
                    ("减税降费", "jsjf", "other", "all"),
                    ("建议提案办理", "jytabl", "other", "sitemap"),
                ],
                [],
            ),
            (
                "重点领域信息公开",
                "zdlyxxgk",
                [
                    ("教育领域", "jyly", "other", "all"),
                    ("医疗卫生", "ylws", "other", "all"),
                    ("住房保障", "zfbz", "other", "all"),
                    ("社会救助", "shjz", "other", "all"),
                    ("就业创业", "jycy", "other", "hub"),
                    ("生态环境", "sthj", "other", "all"),
                    ("食品药品", "sppy", "other", "all"),
                    ("政府采购", "zfcg", "other", "all"),
                ],
                [],
            ),
        ],
    ),
    (
        "互动交流",
        "hdjl",
        [
            ("领导信箱", "ldxx", "interaction", "all"),
            ("咨询投诉", "zxts", "interaction", "all"),
            ("征集调查", "zjdc", "interaction", "all"),
            ("在线访谈", "zxft", "interaction", "all"),
        ],
        [],
    ),
    (
        "走进青溪",
        "zjqx",
        [
            ("历史沿革", "lsyg", "other", "all"),
            ("旅游资源", "lyzy", "other", "all"),
            ("投资指南", "tzzn", "other", "hub"),
            ("特色产业", "tscy", "other", "all"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzl",
        [
            ("优化营商环境", "yhyshj", "other", "all"),
            ("文明城市创建", "wmcscj", "other", "all"),
            ("平安建设", "pajs", "other", "all"),
            ("防汛抗旱", "fxkh", "other", "sitemap"),
            ("民生实事", "msss", "other", "all"),
        ],
        [],
    ),
]

SECTIONS_B: list[Section] = [
    (
        "要闻动态",
        "ywdt",
        [
            ("政务动态", "zwdt", "news", "all"),
            ("镇街动态", "zjdt", "news", "all"),
            ("基层动态", "jcdt", "news", "all"),
            ("图片新闻", "tpxw", "news", "hub"),
            ("今日云岭", "jryl", "news", "all"),
            ("领导活动", "ldhd", "news", "sitemap"),
        ],
        [],
    ),
    (
        "信息公开",
        "xxgk",
        [
            ("公示公告", "gsgg", "notice", "all"),
            ("规范性文件", "gfxwj", "policy", "all"),
            ("政府文件", "zfwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "hub"),
            ("人事任免", "rsrm", "personnel", "all"),
            ("招考录用", "zkly", "personnel", "all"),
            ("发展规划", "fzgh", "plan", "all"),
            ("年度计划", "ndjh", "plan", "sitemap"),
            ("财政资金", "czzj", "other", "all"),
        ],
        [
            (
                "法定主动公开",
                "fdzdgk",
                [
                    ("机构设置", "jgsz", "other", "all"),
                    ("统计数据", "tjsj", "other", "all"),
                    ("审计结果", "sjjg", "other", "all"),
                    ("重点项目", "zdxm", "other", "hub"),
                    ("行政执法", "xzzf", "other", "all"),
                    ("公共资源交易", "ggzyjy", "other", "all"),
                    ("权责清单", "qzqd", "other", "sitemap"),
                    ("物价监测", "wjjc", "other", "all"),
                ],
                [],
            ),
            (
                "重点领域",
                "zdly",
                [
                    ("卫生健康", "wsjk", "other", "all"),
                    ("保障性住房", "bzxzf", "other", "all"),
                    ("社会保障", "shbz", "other", "hub"),
                    ("环境保护", "hjbh", "other", "all"),
                    ("食品安全", "spaq", "other", "all"),
                    ("农业农村", "nync", "other", "all"),
                    ("教育体育", "jyty", "other", "all"),
                ],
                [],
            ),
        ],
    ),
    (
        "政民互动",
        "zmhd",
        [
            ("领导信箱", "ldxx", "interaction", "all"),
            ("在线咨询", "zxzx", "interaction", "all"),
            ("留言选登", "lyxd", "interaction", "all"),
            ("征集调查", "zjdc", "interaction", "hub"),
            ("在线访谈", "zxft", "interaction", "all"),
        ],
        [],
    ),
    (
        "魅力云岭",
        "mlyl",
        [
            ("云岭概况", "ylgk", "other", "all"),
            ("历史文化", "lswh", "other", "all"),
            ("招商项目", "zsxm", "other", "all"),
            ("美丽乡村", "mlxc", "other", "sitemap"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzt",
        [
            ("营商环境", "yshj", "other", "all"),
            ("河长制", "hzz", "other", "all"),
            ("平安云岭", "payl", "other", "all"),
            ("生态文明", "stwm", "other", "hub"),
            ("双拥工作", "sygz", "other", "all"),
        ],
        [],
    ),
]

# Theme c: a JSP/PowerEasy-era county site. Its 专项公开 sub-sub-channel is linked from no
# menu and no sitemap: its columns are reachable only through two levels of hubs.
SECTIONS_C: list[Section] = [
    (
        "新闻动态",
        "xwdt",
        [
            ("要闻动态", "ywdt", "news", "all"),
            ("乡镇快讯", "xzkx", "news", "all"),
            ("部门资讯", "bmzx", "news", "all"),
            ("图片新闻", "tpxw", "news", "hub"),
            ("今日白沙", "jrbs", "news", "all"),
            ("媒体关注", "mtgz", "news", "sitemap"),
        ],
        [],
    ),
    (
        "政务公开",
        "zwgk",
        [
            ("公告公示", "gggs", "notice", "all"),
            ("县政府文件", "xzfwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "all"),
            ("人事任免", "rsrm", "personnel", "all"),
            ("招聘信息", "zpxx", "personnel", "hub"),
            ("计划总结", "jhzj", "plan", "all"),
            ("财政信息", "czxx", "other", "all"),
            ("政府信息公开年报", "xxgknb", "other", "sitemap"),
        ],
        [
            (
                "主动公开目录",
                "zdgkml",
                [
                    ("组织机构", "zzjg", "other", "all"),
                    ("统计数据", "tjsj", "other", "all"),
                    ("审计公告", "sjgg", "notice", "all"),
                    ("重大建设项目", "zdjsxm", "other", "all"),
                    ("应急管理", "yjgl", "other", "hub"),
                    ("行政执法", "xzzf", "other", "all"),
                ],
                [
                    (
                        "专项公开",
                        "zxgk",
                        [
                            ("扶贫资金", "fpzj", "other", "hub"),
                            ("涉农补贴", "snbt", "other", "hub"),
                            ("征地拆迁", "zdcq", "other", "hub"),
                        ],
                        [],
                    ),
                ],
            ),
            (
                "重点领域公开",
                "zdlygk",
                [
                    ("教育信息", "jyxx", "other", "all"),
                    ("卫生健康", "wsjk", "other", "all"),
                    ("保障性安居工程", "bzxajgc", "other", "all"),
                    ("社会救助", "shjz", "other", "all"),
                    ("环境保护", "hjbh", "other", "hub"),
                    ("公共资源配置", "ggzypz", "other", "all"),
                    ("食品药品监管", "sppyjg", "other", "all"),
                ],
                [],
            ),
        ],
    ),
    (
        "政民互动",
        "zmhd",
        [
            ("县长信箱", "xzxx", "interaction", "all"),
            ("咨询投诉", "zxts", "interaction", "all"),
            ("意见征集", "yjzj", "interaction", "all"),
            ("在线访谈", "zxft", "interaction", "hub"),
        ],
        [],
    ),
    (
        "走进白沙",
        "zjbs",
        [
            ("白沙概况", "bsgk", "other", "all"),
            ("历史文化", "lswh", "other", "all"),
            ("旅游景点", "lyjd", "other", "all"),
            ("招商引资", "zsyz", "other", "sitemap"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzl",
        [
            ("乡村振兴", "xczx", "other", "all"),
            ("营商环境", "yshj", "other", "all"),
            ("扫黑除恶", "shce", "other", "all"),
            ("文明创建", "wmcj", "other", "hub"),
            ("河长制", "hzz", "other", "all"),
        ],
        [],
    ),
]

# Theme d: a Fujian/Guangdong-platform county. Its 信息公开 section lives under /zfxxgk/
# (optionally on a second host name, see render.XXGK_HOST_ENV).
SECTIONS_D: list[Section] = [
    (
        "新闻中心",
        "xwzx",
        [
            ("长林要闻", "clyw", "news", "all"),
            ("部门动态", "bmdt", "news", "all"),
            ("镇街动态", "zjdt", "news", "all"),
            ("视频新闻", "spxw", "news", "hub"),
            ("媒体聚焦", "mtjj", "news", "all"),
            ("图片新闻", "tpxw", "news", "all"),
        ],
        [],
    ),
    (
        "政府信息公开",
        "zfxxgk",
        [
            ("通知公告", "tzgg", "notice", "all"),
            ("规范性文件", "gfxwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "all"),
            ("人事信息", "rsxx", "personnel", "all"),
            ("规划信息", "ghxx", "plan", "all"),
            ("财政预决算", "czyjs", "other", "all"),
            ("政府信息公开年报", "xxgknb", "other", "all"),
            ("政府信息公开指南", "xxgkzn", "other", "hub"),
            ("建议提案办理", "jytabl", "other", "all"),
        ],
        [
            (
                "法定主动公开内容",
                "fdzdgknr",
                [
                    ("机构概况", "jggk", "other", "all"),
                    ("统计信息", "tjxx", "other", "all"),
                    ("审计信息", "sjxx", "other", "all"),
                    ("政府采购", "zfcg", "other", "all"),
                    ("行政许可", "xzxk", "other", "hub"),
                    ("行政处罚", "xzcf", "other", "all"),
                    ("权责清单", "qzqd", "other", "sitemap"),
                    ("征地信息", "zdxx", "other", "all"),
                ],
                [],
            ),
            (
                "重点领域信息公开",
                "zdlyxxgk",
                [
                    ("义务教育", "ywjy", "other", "all"),
                    ("医疗卫生", "ylws", "other", "all"),
                    ("住房保障", "zfbz", "other", "all"),
                    ("社会救助", "shjz", "other", "all"),
                    ("生态环境", "sthj", "other", "all"),
                    ("安全生产", "aqsc", "other", "all"),
                    ("乡村振兴", "xczx", "other", "hub"),
                ],
                [],
            ),
        ],
    ),
    (
        "互动交流",
        "hdjl",
        [
            ("书记信箱", "sjxx", "interaction", "all"),
            ("县长信箱", "xzxx", "interaction", "all"),
            ("网上调查", "wsdc", "interaction", "all"),
            ("民意征集", "myzj", "interaction", "hub"),
        ],
        [],
    ),
    (
        "走进长林",
        "zjcl",
        [
            ("长林简介", "cljj", "other", "all"),
            ("文化旅游", "whly", "other", "all"),
            ("投资长林", "tzcl", "other", "all"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzl",
        [
            ("优化营商环境", "yhyshj", "other", "all"),
            ("平安长林", "pacl", "other", "all"),
            ("林长制", "lzz", "other", "all"),
            ("防汛防火", "fxff", "other", "sitemap"),
            ("人口普查", "rkpc", "other", "all"),
        ],
        [],
    ),
]

# Extra forced markups/URL styles of themes c and d (after the shared FEATURES).
FEATURES_C = [
    ("markup", "dl_dd"),
    ("markup", "dl_dd"),
    ("markup", "dl_dd"),
    ("markup", "div_item"),
    ("markup", "div_item"),
    ("markup", "poweredy"),
    ("markup", "poweredy"),
    ("markup", "td_md"),
    ("markup", "td_md"),
]
FEATURES_D = [
    ("markup", "avalon"),
    ("markup", "avalon"),
    ("markup", "avalon"),
    ("markup", "jsarray"),
    ("markup", "jsarray"),
    ("markup", "gkmlpt"),
    ("markup", "pinned_icon"),
    ("markup", "pinned_icon"),
    ("markup", "pinned_new"),
    ("markup", "undated_visible"),
    ("markup", "undated_meta"),
]
SPELLINGS_C = ("%Y年%m月%d日", "(%Y-%m-%d)", "%Y-%m-%d", "%Y年%-m月%-d日", "[%Y-%m-%d]", "%Y/%m/%d")

THEMES: dict[str, tuple[Theme, list[Section]]] = {
    "a": (
        Theme(
            key="a",
            site_name="青溪县人民政府",
            county="青溪县",
            sitemap_url="/wzdt/",
            cls={
                "nav": "nav",
                "sub": "subnav",
                "list": "list",
                "date": "date",
                "side": "left-nav",
                "crumb": "position",
                "block": "index-block",
                "more": "more",
                "main": "main-content",
            },
            layout={
                "crumb_label": "当前位置：",
                "crumb_sep": " &gt; ",
                "side": "left",
                "date_first": False,
                "home_yearless": True,
                "column_meta": True,
                "domain": "qingxi.example.gov.cn",
                "town": ["青石镇", "溪口镇", "白马乡", "云峰镇", "桃源乡"],
            },
            friend_links=[
                ("中国政府网", "https://www.gov.cn/"),
                ("浙江省人民政府", "https://www.zj.gov.cn/"),
                ("丽水市人民政府", "http://www.lishui.gov.cn/"),
            ],
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
            cls={
                "nav": "menu",
                "sub": "dropdown-menu",
                "list": "news-list",
                "date": "time",
                "side": "sidebar",
                "crumb": "breadcrumb",
                "block": "panel",
                "more": "panel-more",
                "main": "content-wrap",
            },
            layout={
                "crumb_label": "您现在的位置：",
                "crumb_sep": " » ",
                "side": "right",
                "date_first": True,
                "home_yearless": False,
                "column_meta": False,
                "domain": "yunling.example.gov.cn",
                "town": ["云台镇", "岭南镇", "石门乡", "龙潭镇", "清河乡"],
            },
            friend_links=[
                ("中国政府网", "https://www.gov.cn/"),
                ("云南省人民政府", "https://www.yn.gov.cn/"),
                ("大理州人民政府", "http://www.dali.gov.cn/"),
            ],
            service_link=("网上办事", "https://zwfw.yn.gov.cn/"),
        ),
        SECTIONS_B,
    ),
    "c": (
        Theme(
            key="c",
            site_name="白沙县人民政府",
            county="白沙县",
            sitemap_url="/wzdh/",
            cls={
                "nav": "header-links",
                "sub": "pd-sub",
                "list": "lb",
                "date": "rq",
                "side": "lm-left",
                "crumb": "dqwz",
                "block": "lm-box",
                "more": "gd",
                "main": "w1000",
            },
            layout={
                "crumb_label": "您现在的位置：",
                "crumb_sep": " → ",
                "side": "left",
                "date_first": False,
                "home_yearless": False,
                "column_meta": False,
                "domain": "baisha.example.gov.cn",
                "town": ["白沙镇", "牙叉镇", "七坊镇", "邦溪镇", "荣邦乡"],
                "features": FEATURES_C,
                "spellings": SPELLINGS_C,
                # generic columns moved to other URL styles: (style, how many)
                "url_styles": [("channel", 5), ("jsp", 4)],
            },
            friend_links=[
                ("中国政府网", "https://www.gov.cn/"),
                ("海南省人民政府", "https://www.hainan.gov.cn/"),
            ],
            service_link=("海南政务服务网", "https://wssp.hainan.gov.cn/"),
        ),
        SECTIONS_C,
    ),
    "d": (
        Theme(
            key="d",
            site_name="长林县人民政府",
            county="长林县",
            sitemap_url="/sitemap.html",
            cls={
                "nav": "nav",
                "sub": "nav-sub",
                "list": "list-ul",
                "date": "bf-pass",
                "side": "sub-left",
                "crumb": "location",
                "block": "index-box",
                "more": "more",
                "main": "container",
            },
            layout={
                "crumb_label": "当前位置：",
                "crumb_sep": " &gt; ",
                "side": "left",
                "date_first": False,
                "home_yearless": True,
                "column_meta": True,
                "domain": "changlin.example.gov.cn",
                "town": ["长林镇", "石塘镇", "枫岭乡", "溪源乡", "高桥镇"],
                "features": FEATURES_D,
                "xxgk_prefixes": ("/zfxxgk/", "/gkmlpt/"),
            },
            friend_links=[
                ("中国政府网", "https://www.gov.cn/"),
                ("福建省人民政府", "https://www.fujian.gov.cn/"),
            ],
            service_link=("闽政通", "https://zwfw.fujian.gov.cn/"),
        ),
        SECTIONS_D,
    ),
}

# Theme e: a Jiangxi county on an older static-publishing CMS (.shtml/.htm list pages, an
# ASP.NET 信息公开 module at /xxgk/list.aspx?ClassID=N), a class-less table menu, tabbed hubs,
# a nested-<dl> 站点地图 at /map.html, and static intro pages linked from the menu like columns.
SECTIONS_E: list[Section] = [
    (
        "新闻资讯",
        "xwzx",
        [
            ("青峰要闻", "qfyw", "news", "all"),
            ("乡镇动态", "xzdt", "news", "all"),
            ("部门动态", "bmdt", "news", "all"),
            ("图片新闻", "tpxw", "news", "hub"),
            ("媒体看青峰", "mtkqf", "news", "all"),
            ("领导活动", "ldhd", "news", "hub"),
            ("视频青峰", "spqf", "news", "sitemap"),
            ("基层传真", "jccz", "news", "all"),
        ],
        [],
    ),
    (
        "政务公开",
        "zwgk",
        [
            ("通知公告", "tzgg", "notice", "all"),
            ("公示公告", "gsgg", "notice", "hub"),
            ("政策文件", "zcwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "all"),
            ("人事任免", "rsrm", "personnel", "all"),
            ("招录招聘", "zlzp", "personnel", "hub"),
            ("规划计划", "ghjh", "plan", "all"),
            ("财政资金", "czzj", "other", "all"),
            ("工作总结", "gzzj", "plan", "all"),
            ("规范性文件", "gfxwj", "policy", "hub"),
            ("政府信息公开年报", "xxgknb", "other", "sitemap"),
        ],
        [
            (
                "法定主动公开内容",
                "fdzdgknr",
                [
                    ("机构职能", "jgzn", "other", "all"),
                    ("统计信息", "tjxx", "other", "all"),
                    ("审计信息", "sjxx", "other", "hub"),
                    ("重大项目", "zdxm", "other", "all"),
                    ("行政执法", "xzzf", "other", "all"),
                    ("减税降费", "jsjf", "other", "hub"),
                    ("政府采购", "zfcg", "other", "all"),
                    ("建议提案办理", "jytabl", "other", "sitemap"),
                    ("权责清单", "qzqd", "other", "all"),
                    ("价格收费", "jgsf", "other", "all"),
                ],
                [],
            ),
            (
                "重点领域信息公开",
                "zdlyxxgk",
                [
                    ("义务教育", "ywjy", "other", "all"),
                    ("医疗卫生", "ylws", "other", "all"),
                    ("保障性住房", "bzxzf", "other", "hub"),
                    ("社会救助", "shjz", "other", "all"),
                    ("生态环境", "sthj", "other", "all"),
                    ("乡村振兴", "xczx", "other", "hub"),
                    ("食品安全", "spaq", "other", "all"),
                    ("安全生产", "aqsc", "other", "all"),
                ],
                [],
            ),
        ],
    ),
    (
        "政民互动",
        "zmhd",
        [
            ("县长信箱", "xzxx", "interaction", "all"),
            ("咨询投诉", "zxts", "interaction", "all"),
            ("意见征集", "yjzj", "interaction", "hub"),
            ("在线访谈", "zxft", "interaction", "all"),
            ("网上调查", "wsdc", "interaction", "all"),
        ],
        [],
    ),
    (
        "走进青峰",
        "zjqf",
        [
            ("旅游资源", "lyzy", "other", "all"),
            ("招商引资", "zsyz", "other", "all"),
            ("青峰风采", "qffc", "other", "hub"),
            ("文化旅游", "whly", "other", "all"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzl",
        [
            ("优化营商环境", "yhyshj", "other", "all"),
            ("河湖长制", "hhzz", "other", "all"),
            ("文明创建", "wmcj", "other", "hub"),
            ("防汛抗旱", "fxkh", "other", "all"),
            ("平安青峰", "paqf", "other", "sitemap"),
            ("人口普查", "rkpc", "other", "all"),
        ],
        [],
    ),
]
FEATURES_E = [
    ("blank", ""),  # an empty <ul></ul>, no placeholder text at all
    ("markup", "yearless"),  # a second 09/10-style news list
    ("markup", "a_date"),
    ("markup", "a_date"),
    ("markup", "a_date"),
    ("markup", "td_before"),
    ("markup", "td_before"),
    ("markup", "td_before"),
    ("markup", "xxgk_wh"),
    ("markup", "xxgk_wh"),
    ("markup", "undated_pubtime"),
]
SPELLINGS_E = (
    "%Y-%-m-%-d",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y年%m月%d日",
    "%Y-%-m-%-d",
    "%Y.%m.%d",
)

THEMES["e"] = (
    Theme(
        key="e",
        site_name="青峰县人民政府",
        county="青峰县",
        sitemap_url="/map.html",
        cls={
            "nav": "",
            "sub": "",
            "list": "lb_ul",
            "date": "sj",
            "side": "zc_lm",
            "crumb": "wz",
            "block": "bk",
            "more": "more",
            "main": "w1200",
        },
        layout={
            "crumb_label": "当前位置：",
            "crumb_sep": " &gt;&gt; ",
            "side": "left",
            "date_first": False,
            "home_yearless": True,
            "home_spelling": "%m/%d",
            "yearless_spelling": "%m/%d",
            "column_meta": False,
            "domain": "qingfeng.example.gov.cn",
            "town": ["青峰镇", "峰口镇", "石溪乡", "黄岗镇", "竹山乡"],
            "features": FEATURES_E,
            "spellings": SPELLINGS_E,
            "exts": ("shtml", "htm", "shtml"),  # list pages index.shtml / index.htm
            "url_styles": [("aspx", 4)],
            "redirect": "policy",  # the menus reach the first policy column via /go/<slug>
            # static intro pages (no list) linked from the menu and hub like columns
            "intro": {
                "/zjqf/": [("青峰概况", "qfgk"), ("历史沿革", "lsyg")],
                "/zwgk/": [("领导之窗", "ldzc")],
            },
            "quick": ("notice", "policy", "interaction", "personnel", "plan", "news"),
        },
        friend_links=[
            ("中国政府网", "https://www.gov.cn/"),
            ("江西省人民政府", "https://www.jiangxi.gov.cn/"),
            ("宜春市人民政府", "http://www.yichun.gov.cn/"),
        ],
        service_link=("赣服通", "https://www.jxzwfww.gov.cn/"),
    ),
    SECTIONS_E,
)

# Theme f: a PowerEasy 动易 SiteFactory county served entirely in GBK (charset sometimes only in
# a meta tag, sometimes nowhere), with a year-less mega-menu on every page, Hanweb columns
# whose first page holds only pinned records, datetime <td> lists whose titles carry dates,
# and a hub (乡镇动态) that is also a column: its own article list plus sub-column blocks.
SECTIONS_F: list[Section] = [
    (
        "新闻中心",
        "xwzx",
        [
            ("梅溪要闻", "mxyw", "news", "all"),
            ("部门动态", "bmdt", "news", "all"),
            ("图片新闻", "tpxw", "news", "all"),
            ("领导活动", "ldhd", "news", "hub"),
            ("综合新闻", "zhxw", "news", "all"),
            ("视频新闻", "spxw", "news", "sitemap"),
        ],
        [
            # a hub that is also a list (layout "hub_lists"): its own list + town blocks
            (
                "乡镇动态",
                "xzdt",
                [
                    ("梅溪镇动态", "mxz", "news", "hub"),
                    ("石桥镇动态", "sqz", "news", "hub"),
                    ("龙湾乡动态", "lwx", "news", "all"),
                    ("上林镇动态", "slz", "news", "hub"),
                ],
                [],
            ),
        ],
    ),
    (
        "政务公开",
        "zwgk",
        [
            ("通知公告", "tzgg", "notice", "all"),
            ("政策文件", "zcwj", "policy", "all"),
            ("政策解读", "zcjd", "policy", "all"),
            ("人事任免", "rsrm", "personnel", "all"),
            ("招考录用", "zkly", "personnel", "hub"),
            ("规划计划", "ghjh", "plan", "all"),
            ("财政预决算", "czyjs", "other", "all"),
            ("政府信息公开年报", "xxgknb", "other", "sitemap"),
            ("停电停水通告", "tdtstg", "notice", "all"),
        ],
        [
            (
                "法定主动公开内容",
                "fdzdgknr",
                [
                    ("机构职能", "jgzn", "other", "all"),
                    ("统计信息", "tjxx", "other", "all"),
                    ("审计信息", "sjxx", "other", "hub"),
                    ("重大项目", "zdxm", "other", "all"),
                    ("行政执法", "xzzf", "other", "all"),
                    ("政府采购", "zfcg", "other", "all"),
                    ("权责清单", "qzqd", "other", "sitemap"),
                ],
                [],
            ),
            (
                "重点领域信息公开",
                "zdlyxxgk",
                [
                    ("义务教育", "ywjy", "other", "all"),
                    ("医疗卫生", "ylws", "other", "all"),
                    ("住房保障", "zfbz", "other", "hub"),
                    ("社会救助", "shjz", "other", "all"),
                    ("生态环境", "sthj", "other", "all"),
                    ("安全生产", "aqsc", "other", "all"),
                ],
                [],
            ),
        ],
    ),
    (
        "互动交流",
        "hdjl",
        [
            ("县长信箱", "xzxx", "interaction", "all"),
            ("咨询投诉", "zxts", "interaction", "all"),
            ("民意征集", "myzj", "interaction", "hub"),
            ("在线访谈", "zxft", "interaction", "all"),
        ],
        [],
    ),
    (
        "走进梅溪",
        "zjmx",
        [
            ("梅溪概况", "mxgk", "other", "all"),
            ("文化旅游", "whly", "other", "all"),
            ("招商引资", "zsyz", "other", "sitemap"),
        ],
        [],
    ),
    (
        "专题专栏",
        "ztzl",
        [
            ("优化营商环境", "yhyshj", "other", "all"),
            ("乡村振兴", "xczx", "other", "all"),
            ("平安梅溪", "pamx", "other", "hub"),
            ("河湖长制", "hhzz", "other", "all"),
        ],
        [],
    ),
]
FEATURES_F = [
    ("markup", "yearless"),  # a third year-less list (12-28 in early January: last year)
    ("markup", "hanweb_pinned"),
    ("markup", "hanweb_pinned"),
    ("markup", "hanweb_pinned"),
    ("markup", "td_datetime"),
    ("markup", "td_datetime"),
    ("markup", "td_datetime"),
]

THEMES["f"] = (
    Theme(
        key="f",
        site_name="梅溪县人民政府",
        county="梅溪县",
        sitemap_url="/SiteMap.aspx",
        cls={
            "nav": "mainnav",
            "sub": "subMenu",
            "list": "newsList",
            "date": "date",
            "side": "leftMenu",
            "crumb": "location",
            "block": "indexBox",
            "more": "more",
            "main": "wrapper",
        },
        layout={
            "crumb_label": "您现在的位置：",
            "crumb_sep": " &gt;&gt; ",
            "side": "left",
            "date_first": True,
            "home_yearless": True,
            "column_meta": False,
            "domain": "meixi.example.gov.cn",
            "town": ["梅溪镇", "石桥镇", "龙湾乡", "上林镇", "青云乡"],
            "features": FEATURES_F,
            "generic": ("poweredy",),  # every generic column is a PowerEasy list
            "gbk_site": True,
            "mega_menu": True,
            "hub_lists": ("/xwzx/xzdt/",),
        },
        friend_links=[
            ("中国政府网", "https://www.gov.cn/"),
            ("福建省人民政府", "https://www.fujian.gov.cn/"),
        ],
        service_link=("网上办事大厅", "https://zwfw.fujian.gov.cn/"),
    ),
    SECTIONS_F,
)
