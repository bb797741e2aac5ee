"""Cheap repeat crawls: every page that carries a validator is revalidated, never trusted.

Scrapy's HTTP cache (the one store of what a page said last time) with RFC 2616 revalidation,
narrowed to what a freshness monitor may do:

- only ``200`` responses carrying ``ETag`` or ``Last-Modified`` are stored (a page without
  validators is fetched in full every crawl, as before);
- a stored page is never served without asking the server: each request carries
  ``If-None-Match`` / ``If-Modified-Since``, and only a ``304`` returns the stored page, which
  the spider then reads again (dates are judged against today, so ages still move);
- a server error on revalidation is that error, never the stored page (RFC 2616 would serve the
  stored page, hiding an unreachable column);
- a page is stored under its canonical URL (``urls.canonical_url``): a column linked as
  ``/x/?from=nav`` in one crawl and ``/x/index.html`` in the next, whichever link came first,
  is one entry, revalidated like any other.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time

from scrapy import Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.http import Request, Response
from scrapy.utils.response import response_from_dict

from portalspider.urls import canonical_url


class RevalidatePolicy(RFC2616Policy):
    """Store pages with validators; revalidate every one of them on every crawl."""

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if response.status != 200 or b"no-store" in self._parse_cachecontrol(response):
            return False
        return b"ETag" in response.headers or b"Last-Modified" in response.headers

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return response.status == 304


class CanonicalCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, each entry under the page's canonical URL (the crawl's one
    page identity), method and body, not the URL as linked; one file per entry.

    Scrapy's storage writes seven files per response (metadata twice, request headers and
    body for debugging): the revalidation needs the response alone, read back whole.
    """

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        path = self._entry(spider, request)
        try:
            if 0 < self.expiration_secs < time.time() - os.stat(path).st_mtime:
                return None
            with self._open(path, "rb") as f:
                entry = pickle.load(f)  # noqa: S301 (written by store_response below)
        except FileNotFoundError:
            return None
        request.meta["cache_timestamp"] = entry["timestamp"]
        return response_from_dict(entry["response"])

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        path = self._entry(spider, request)
        entry = {"timestamp": time.time(), "response": response.to_dict()}
        partial = path[: -len(".pickle")] + ".part"  # a crawl stopped mid-write: no torn entry
        try:
            f = self._open(partial, "wb")
        except FileNotFoundError:  # the entry's directory, made once (not a call per page)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            f = self._open(partial, "wb")
        with f:
            pickle.dump(entry, f, protocol=5)
        os.replace(partial, path)

    def _entry(self, spider: Spider, request: Request) -> str:
        key = hashlib.sha1(  # noqa: S324 (a file name, as Scrapy's fingerprint is)
            b"\0".join((request.method.encode(), canonical_url(request.url).encode(), request.body))
        ).hexdigest()
        # A string path: a pathlib.Path cost more than the file's own system calls.
        return os.path.join(self.cachedir, spider.name, key[0:2], f"{key}.pickle")
