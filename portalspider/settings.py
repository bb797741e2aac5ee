"""Scrapy settings for portalspider.

Project settings use custom names (PORTALSPIDER_*, ALERTS_*) so Scrapy never prints a
secret among its "Overridden settings"; each is also read from the environment
variable of the same name, which is how scrapyd jobs receive secrets.
"""

import os


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


BOT_NAME = "portalspider"
SPIDER_MODULES = ["portalspider.spiders"]
NEWSPIDER_MODULE = "portalspider.spiders"

# Scrapyd won't need (or have) the custom commands on its workers' command line.
COMMANDS_MODULE = "portalspider.commands"

# Politeness toward government servers.
USER_AGENT = (
    "portalspider/0.1 (+https://github.com/portalspider/portalspider; column freshness monitor)"
)
ROBOTSTXT_OBEY = False  # a site's own webmaster runs this monitor on its own portal
CONCURRENT_REQUESTS = 8  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # default 8
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
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
# -O columns.csv: column rows with every column field, a BOM for Excel, no formulas.
FEED_EXPORTERS = {"csv": "portalspider.feedexport.ColumnCsvItemExporter"}
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    # Judging (category, unit, threshold, status) must run before storing.
    "portalspider.pipelines.JudgePipeline": 100,
    "portalspider.store.pipeline.StorePipeline": 500,
}

EXTENSIONS = {
    # Logs one line per column and the closing summary for the webmaster.
    "portalspider.extensions.CrawlSummary": 500,
}

# Project configuration (each overridable by -s NAME=VALUE or the environment).
# Used by the store pipeline and every command that reads the database.
PORTALSPIDER_DATABASE_URL = _env("PORTALSPIDER_DATABASE_URL", "sqlite:///var/portalspider.db")
# Articles opened per undated column to find a publication date.
PORTALSPIDER_ARTICLE_FALLBACK = int(_env("PORTALSPIDER_ARTICLE_FALLBACK", "3"))

# Used by the alerts package at the end of each crawl and by `scrapy alerts`.
ALERTS_ENABLED = _env("ALERTS_ENABLED", "true")
ALERTS_DRY_RUN = _env("ALERTS_DRY_RUN", "false")
ALERTS_REMIND_DAYS = int(_env("ALERTS_REMIND_DAYS", "7"))
ALERTS_ESCALATE_AFTER = int(_env("ALERTS_ESCALATE_AFTER", "2"))
ALERTS_SMTP_HOST = _env("ALERTS_SMTP_HOST", "localhost")
ALERTS_SMTP_PORT = int(_env("ALERTS_SMTP_PORT", "25"))
ALERTS_SMTP_USER = _env("ALERTS_SMTP_USER")
ALERTS_SMTP_PASSWORD = _env("ALERTS_SMTP_PASSWORD")
ALERTS_SMTP_STARTTLS = _env("ALERTS_SMTP_STARTTLS", "false")
ALERTS_SMTP_SSL = _env("ALERTS_SMTP_SSL", "false")
ALERTS_SMTP_TIMEOUT = int(_env("ALERTS_SMTP_TIMEOUT", "30"))
ALERTS_MAIL_FROM = _env("ALERTS_MAIL_FROM", "portalspider@localhost")
ALERTS_WECOM_API_BASE = _env("ALERTS_WECOM_API_BASE", "https://qyapi.weixin.qq.com")
ALERTS_WECOM_CORP_ID = _env("ALERTS_WECOM_CORP_ID")
ALERTS_WECOM_CORP_SECRET = _env("ALERTS_WECOM_CORP_SECRET")
ALERTS_WECOM_AGENT_ID = _env("ALERTS_WECOM_AGENT_ID")
ALERTS_WECOM_PROXY = _env("ALERTS_WECOM_PROXY")  # HTTPS proxy with a fixed egress IP (60020)
# Tuning knobs with defaults in alerts/options.py (rate window, 45009 wait, message budgets,
# outbox backoff and lease): ALERTS_WECOM_RATE_LIMIT, ALERTS_WECOM_RATE_WINDOW,
# ALERTS_WECOM_RETRY_WAIT, ALERTS_WECOM_RETRY_TIMES, ALERTS_WECOM_*_BUDGET,
# ALERTS_RETRY_BACKOFF, ALERTS_MAX_ATTEMPTS, ALERTS_SEND_LEASE; see docs/alerts.md.
