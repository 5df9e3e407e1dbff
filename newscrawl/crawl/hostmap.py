"""Send requests for chosen hosts to another server, as if it were them.

`NEWSCRAWL_HOST_MAP = {"baodautu.vn": "http://127.0.0.1:8080"}` makes every
request for baodautu.vn, www.baodautu.vn, m.baodautu.vn (any subdomain;
http or https) travel to http://127.0.0.1:8080 instead, with the original
`Host` header and the original path and query; the response the spider sees
still has the original URL. So robots.txt, redirects (relative or absolute,
and even ones to the mirror's own address), canonical URLs, the dedupe sets
and the database all see real host names: operators point a crawl at a
mirror, a staging copy or a recording proxy without touching anything else,
and tests point it at a local fixture server. Unmapped hosts go out
unchanged. A map value may carry a path prefix
(`"http://mirror.local/baodautu"`).

It is a download handler, the one place below every middleware and above
the socket: declare it for both schemes,

    DOWNLOAD_HANDLERS = {"http": "newscrawl.crawl.hostmap.HostMapDownloadHandler",
                         "https": "newscrawl.crawl.hostmap.HostMapDownloadHandler"}

and it hands every request, mapped or not, to the handler Scrapy would have
used (DOWNLOAD_HANDLERS_BASE, or NEWSCRAWL_HOST_MAP_HANDLERS to choose
another). With an empty map it only passes requests through; it does not
raise NotConfigured, because a download handler that does leaves its scheme
with no handler at all. Mapped requests skip any proxy (a mirror is reached
directly); their download slot, politeness delays and stats stay those of
the real host, because the downloader sees the original request.
Responses from a mapped host carry the flag `hostmap`.
"""

from __future__ import annotations

import inspect
import json
import logging
from urllib.parse import urlsplit, urlunsplit

from scrapy.exceptions import NotSupported
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object

logger = logging.getLogger(__name__)

FLAG = "hostmap"
# Request meta that belongs to the original route, not the mirror's.
_DROPPED_META = ("proxy", "_auth_proxy")


def _split_base(base: str) -> tuple[str, str, str]:
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"NEWSCRAWL_HOST_MAP: {base!r} is not a base URL like 'http://127.0.0.1:8080' (http or https, host, optional port and path)")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


class HostMap:
    """Which hosts go where: plain values, no Scrapy needed."""

    def __init__(self, mapping: dict[str, str] | None = None):
        self.routes: dict[str, tuple[str, str, str]] = {}
        for host, base in (mapping or {}).items():
            key = str(host).strip().lower()
            if "://" in key:
                key = urlsplit(key).hostname or ""
            key = key.split("/")[0].rsplit(":", 1)[0] if not key.startswith("[") else key
            key = key.removeprefix("*.").rstrip(".")
            if not key:
                raise ValueError(f"NEWSCRAWL_HOST_MAP: {host!r} is not a host name")
            self.routes[key] = _split_base(str(base))
        # Longest key first: "m.baodautu.vn" beats "baodautu.vn".
        self._keys = sorted(self.routes, key=len, reverse=True)

    @classmethod
    def from_setting(cls, value) -> HostMap:
        if isinstance(value, str):
            value = json.loads(value) if value.strip() else {}
        return cls(dict(value or {}))

    def __bool__(self) -> bool:
        return bool(self.routes)

    def route(self, host: str | None) -> tuple[str, str, str] | None:
        """(scheme, netloc, path prefix) of the server for `host`, or None."""
        host = (host or "").lower().rstrip(".")
        for key in self._keys:
            if host == key or host.endswith("." + key):
                return self.routes[key]
        return None

    def target(self, url: str) -> str | None:
        """The URL to fetch instead of `url`, or None if its host is not mapped."""
        parts = urlsplit(url)
        route = self.route(parts.hostname)
        if route is None:
            return None
        scheme, netloc, prefix = route
        return urlunsplit((scheme, netloc, prefix + (parts.path or "/"), parts.query, ""))

    def restore(self, location: str, original_url: str) -> str:
        """A `Location` pointing at the mirror itself, pointed back at the original origin."""
        original = urlsplit(original_url)
        route = self.route(original.hostname)
        if route is None:
            return location
        scheme, netloc, prefix = route
        loc = urlsplit(location)
        if loc.scheme in ("http", "https") and loc.netloc.lower() == netloc.lower() and (not prefix or loc.path == prefix or loc.path.startswith(prefix + "/")):
            path = loc.path[len(prefix):] or "/"
            return urlunsplit((original.scheme, original.netloc, path, loc.query, loc.fragment))
        if not loc.scheme and not loc.netloc and prefix and (loc.path == prefix or loc.path.startswith(prefix + "/")):
            return urlunsplit(("", "", loc.path[len(prefix):] or "/", loc.query, loc.fragment))
        return location


class HostMapDownloadHandler:
    """Download handler for http and https that applies NEWSCRAWL_HOST_MAP."""

    lazy = False

    def __init__(self, crawler, host_map: HostMap | dict | None = None, handlers: dict[str, str] | None = None):
        self.crawler = crawler
        self.host_map = host_map if isinstance(host_map, HostMap) else HostMap(host_map)
        # What Scrapy would have used: HTTP11DownloadHandler with a Twisted reactor,
        # AiohttpDownloadHandler without one (Scrapy swaps DOWNLOAD_HANDLERS_BASE then).
        base = crawler.settings.getdict("DOWNLOAD_HANDLERS_BASE") if crawler is not None else {}
        self.handler_paths = {**{k: v for k, v in base.items() if v}, **(handlers or {})}
        self._handlers: dict[str, object] = {}
        # One instance per scheme (http, https) shares one map: say it once per crawl.
        if self.host_map and not getattr(crawler, "_newscrawl_host_map_logged", False):
            if crawler is not None:
                crawler._newscrawl_host_map_logged = True
            logger.info("host map: %s", ", ".join(f"{k} -> {urlunsplit((s, n, p, '', ''))}" for k, (s, n, p) in sorted(self.host_map.routes.items())))

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            crawler,
            HostMap.from_setting(settings.get("NEWSCRAWL_HOST_MAP") or {}),
            settings.getdict("NEWSCRAWL_HOST_MAP_HANDLERS"),
        )

    def _handler(self, scheme: str):
        handler = self._handlers.get(scheme)
        if handler is None:
            path = self.handler_paths.get(scheme)
            if not path or load_object(path) is type(self):
                raise NotSupported(f"no download handler for scheme {scheme!r} behind {type(self).__name__}")
            handler = build_from_crawler(load_object(path), self.crawler)
            self._handlers[scheme] = handler
        return handler

    async def _download(self, scheme: str, request: Request) -> Response:
        handler = self._handler(scheme)
        if inspect.iscoroutinefunction(handler.download_request):
            return await handler.download_request(request)
        # A handler of the older API: download_request(request, spider) -> Deferred.
        return await maybe_deferred_to_future(handler.download_request(request, self.crawler.spider))

    async def download_request(self, request: Request) -> Response:
        target = self.host_map.target(request.url) if self.host_map else None
        if target is None:
            return await self._download(urlsplit(request.url).scheme, request)
        original = urlsplit(request.url)
        host_header = original.netloc.rsplit("@", 1)[-1]
        meta = {k: v for k, v in request.meta.items() if k not in _DROPPED_META}
        mapped = request.replace(url=target, meta=meta)
        mapped.headers["Host"] = host_header
        mapped.headers.pop(b"Proxy-Authorization", None)
        response = await self._download(urlsplit(target).scheme, mapped)
        # What the handler learnt (download_latency, ...) belongs to the original request.
        for key, value in mapped.meta.items():
            if key not in meta or meta[key] is not value:
                request.meta[key] = value
        headers = response.headers.copy()
        location = headers.get(b"Location")
        if location:
            restored = self.host_map.restore(location.decode("latin-1"), request.url)
            headers[b"Location"] = restored.encode("latin-1")
        return response.replace(url=request.url, headers=headers, flags=[*response.flags, FLAG])

    async def close(self) -> None:
        for handler in self._handlers.values():
            close = getattr(handler, "close", None)
            if close is not None:
                result = close()
                if hasattr(result, "__await__"):
                    await result
                elif result is not None and hasattr(result, "addCallback"):
                    await maybe_deferred_to_future(result)
