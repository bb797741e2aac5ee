"""A User-Agent that names the tool and how the portal's operators reach whoever runs it."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware


def with_contact(user_agent: str, contact: str | None) -> str:
    """``tool/1.0 (+url; what)`` becomes ``tool/1.0 (+url; what; contact: who)``."""
    if not contact:
        return user_agent
    if user_agent.endswith(")"):
        return f"{user_agent[:-1]}; contact: {contact})"
    return f"{user_agent} (contact: {contact})"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's User-Agent middleware, with the crawled site's ``site.contact`` added."""

    def spider_opened(self, spider: Any) -> None:
        super().spider_opened(spider)
        config = getattr(getattr(spider, "context", None), "config", None)
        self.user_agent = with_contact(self.user_agent, getattr(config, "contact", None))
