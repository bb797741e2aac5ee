"""Scrapy settings for portalspider.

Project settings use custom names (PORTALSPIDER_*, ALERTS_*) so Scrapy never prints a
secret among its "Overridden settings". Each is also read from the environment variable of
the same name (how scrapyd jobs receive secrets): the overlay at the end of this file is the
only place the environment is read. ``-s NAME=VALUE`` still wins over both. Read them through
``portalspider.projectsettings`` (typed, one boolean parser, one-line errors).
"""

from pathlib import Path

from portalspider.projectsettings import DEFAULT_DATABASE_URL, from_environment

BOT_NAME = "portalspider"
SPIDER_MODULES = ["portalspider.spiders"]
NEWSPIDER_MODULE = "portalspider.spiders"

# Scrapyd won't need (or have) the custom commands on its workers' command line.
COMMANDS_MODULE = "portalspider.commands"

# Politeness toward government servers (README "Settings": how to go fast on your own servers).
# The site config's `contact` is appended to this User-Agent by ContactUserAgentMiddleware.
USER_AGENT = (
    "portalspider/0.1 (+https://github.com/portalspider/portalspider; column freshness monitor)"
)
# The portal's own operators (and their supervising offices) run this monitor: robots.txt
# is not obeyed unless ROBOTSTXT_OBEY=True.
ROBOTSTXT_OBEY = False
CONCURRENT_REQUESTS = 8  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # default 8
# Items and requests of one response are handled a few at a time (default 100): the
# pipelines are synchronous, and each of the 100 would be an asyncio task per response.
CONCURRENT_ITEMS = 4
# Scrapy parses a callback's source (ast) each time its bound method is met anew, to warn of
# a generator returning a value; tests/test_spider_callbacks.py checks every callback once.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_TIMEOUT = 20  # default 180: a portal page that takes longer is a finding
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 2  # a failure after retries is reported `unreachable`, never stale
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A page that fails after its retries is a finding (an unreachable column, or the site down,
# which the spider logs as an ERROR itself), not a crash of the crawler: say it as a warning.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
REDIRECT_ENABLED = True
# Portal pages are HTML: a 2 MB gzip bomb must not inflate to Scrapy's 1 GiB default.
# A bigger response is cancelled (the column is `unreachable`, error says why).
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Repeat crawls: pages with ETag/Last-Modified are stored and revalidated on every crawl; a 304
# re-reads the stored page (portalspider/httpcache.py). HTTPCACHE_ENABLED=False fetches all.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "portalspider.httpcache.RevalidatePolicy"
HTTPCACHE_STORAGE = "portalspider.httpcache.CanonicalCacheStorage"
HTTPCACHE_DIR = str(Path("var", "httpcache").absolute())  # next to the default database
HTTPCACHE_EXPIRATION_SECS = 0  # entries never expire: every use is revalidated anyway
FEED_EXPORT_ENCODING = "utf-8"
# -O columns.csv: column rows with every column field, a BOM for Excel, no formulas.
# JSON feeds: Scrapy's, the items' fields read without ItemAdapter's walk (same output).
FEED_EXPORTERS = {
    "csv": "portalspider.feedexport.ColumnCsvItemExporter",
    "json": "portalspider.feedexport.JsonExporter",
    "jsonlines": "portalspider.feedexport.JsonLinesExporter",
    "jsonl": "portalspider.feedexport.JsonLinesExporter",
    "jl": "portalspider.feedexport.JsonLinesExporter",
}
LOG_LEVEL = "INFO"
# Scrapy's per-request and per-item DEBUG lines are not built when LOG_LEVEL hides them.
LOG_FORMATTER = "portalspider.logformatter.LevelLogFormatter"

# A crawl's depth has one home, bounds.py (PORTALSPIDER_MAX_DEPTH, counted from where each
# column was found): Scrapy's own depth count, unbounded here, only cost every request's trip.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}

ITEM_PIPELINES = {
    # Judging (category, unit, threshold, status) must run before storing.
    "portalspider.pipelines.JudgePipeline": 100,
    "portalspider.store.pipeline.StorePipeline": 500,
}

# A host name that resolves to an internal address the portal's scope refuses (169.254.169.254,
# a private address from a public portal's name) fails its lookup: no connection is made.
TWISTED_DNS_RESOLVER = "portalspider.resolver.ScopedResolver"  # default CachingThreadedResolver

# Every request, dont_filter and redirects included, stays in the portal's scope (scope.py).
# It replaces Scrapy's OffsiteMiddleware, which drops an off-site redirect of a column before
# its errback can report the column unreachable.
DOWNLOADER_MIDDLEWARES = {
    "portalspider.middlewares.ScopeMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "portalspider.politeness.ContactUserAgentMiddleware": 500,
    # Below DownloaderStats (850), so `downloader/response_bytes` counts what the network
    # carried (a 304 is a few headers), not the stored page handed back on a 304.
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": 840,
    # End-of-crawl items (the verdict) come from a request answered in-process, before scope.
    "portalspider.localanswer.LocalAnswerMiddleware": 10,
    # Scrapy's, in its place, without decoding the pages that cannot hold a refresh.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "portalspider.metarefresh.QuickMetaRefreshMiddleware": 580,
}

EXTENSIONS = {
    # Scrapy's remote control: an HTTP server on localhost that runs the Python code it is
    # sent (like the telnet console, off), and its aiohttp import at every crawl's start.
    "scrapy.extensions.remote_control.RemoteControl": None,
    # AutoThrottle that lets a 304 (a repeat crawl's revalidation) pace the crawl like a 200.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "portalspider.politeness.AutoThrottle": 0,
    # Logs one line per column and the closing summary for the webmaster.
    "portalspider.extensions.CrawlSummary": 500,
    # The garbage collector paced for a crawl, start-up's objects frozen (at Python's
    # default it took about 9 % of a crawl's CPU).
    "portalspider.gctuning.GcTuning": 0,
    # Decides and delivers the alerts once the store committed the run (spider_closed runs
    # after every pipeline's close_spider). A dotted path: portalspider never imports alerts.
    "alerts.extension.AlertsExtension": 600,
}

# Project configuration (each overridable by -s NAME=VALUE or the environment).
# Used by the store pipeline and every command that reads the database.
PORTALSPIDER_DATABASE_URL = DEFAULT_DATABASE_URL
# Articles opened per undated column to find a publication date.
PORTALSPIDER_ARTICLE_FALLBACK = 3
# YYYY-MM-DD: judge as of this Asia/Shanghai date instead of today (demo, tests, replays).
PORTALSPIDER_TODAY = None
# List pages read per column at most (page 1 included): later pages are read only while
# they can change a 更新较少 decision or make the 30/90/365-day counts exact (the page where
# a window ends, reached by its number).
PORTALSPIDER_MAX_LIST_PAGES = 5
# 互动回应差 (portalspider/interaction.py): list pages read per consultation or 征集 column,
# back to the last 365 days, and letters' own pages opened per column (only where the list
# leaves the verdict open).
PORTALSPIDER_MAX_MESSAGE_PAGES = 10
PORTALSPIDER_MAX_MESSAGE_DETAILS = 20
# Seconds before a probe of the availability spider fails (站点无法访问 counts 15 s).
PORTALSPIDER_PROBE_TIMEOUT = 15
# The links spider (broken links, spiders/links.py): article pages read per column list, the
# timeout of each request, the further tries of a transient failure and the backoff before
# the first (doubling), and the delay between two requests to one external host.
PORTALSPIDER_LINKS_ARTICLES = 10
PORTALSPIDER_LINKS_TIMEOUT = 15
PORTALSPIDER_LINKS_RETRY_TIMES = 3
PORTALSPIDER_LINKS_RETRY_BACKOFF = 1.0
PORTALSPIDER_LINKS_HOST_DELAY = 1.0
# Crawl bounds (portalspider/bounds.py): hitting one makes the crawl incomplete (nothing
# marked gone), and the log names it. Depth counts discovery hops from the home page.
PORTALSPIDER_MAX_DEPTH = 8
PORTALSPIDER_MAX_URL_LENGTH = 300
# Request budget: max(MIN_BUDGET, REQUEST_BUDGET × columns found so far), at most MAX_REQUESTS.
PORTALSPIDER_MIN_BUDGET = 500
PORTALSPIDER_REQUEST_BUDGET = 5
PORTALSPIDER_MAX_REQUESTS = 20000

# The alerts package's settings (ALERTS_ENABLED, ALERTS_DRY_RUN, ALERTS_SMTP_*, ALERTS_WECOM_*,
# outbox tuning) have their defaults in one place, alerts/options.py; docs/alerts.md lists them.

# Every PORTALSPIDER_* / ALERTS_* environment variable overrides the value above.
globals().update(from_environment())
