"""Canonical URLs: the article's identity.

The same article reaches us as `?utm_source=...`, `#comments`, `m.` hosts,
`http://`, trailing-slash and percent-encoding variants; all of them map to
one string here so that the store's primary key and the frontier agree.

w3lib's `canonicalize_url` (Scrapy's own) does the generic part: query
arguments sorted, the fragment dropped, percent-encoding in one form (a
Vietnamese slug typed raw or escaped, in upper or lower case, is one URL).
What it does not do is news-site identity, kept here (tests/test_urls.py
shows w3lib leaving each of these alone): tracking parameters (`utm_*`,
`fbclid`, `zarsrc`...), mobile and AMP hosts, `http` versus `https`, a
trailing slash, doubled slashes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that only say where a click came from, never which page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|vn_\w+|fbclid|gclid|dclid|msclkid|zarsrc|gidzl|_ga|_gl|mc_cid|mc_eid|"
    r"igshid|ref|refer|referrer|src|source|cmpid|itm_\w+|share|amp)$",
    re.IGNORECASE,
)
_ALIAS_PREFIXES = ("m.", "amp.", "mobile.")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def bare_host(host: str) -> str:
    """Host without `www.`, `m.`, `amp.`: the key the site registry uses."""
    host = host.lower().rstrip(".")
    for prefix in ("www.",) + _ALIAS_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


@lru_cache(maxsize=4096)  # links repeat within a few pages, not across a whole crawl
def canonical_url(url: str, base: str | None = None, canonical_host: str | None = None) -> str:
    """One spelling per page: https, known host, no tracking, no fragment.

    `canonical_host` is the site's own preferred host (say `vnexpress.net`
    for `m.vnexpress.net`); without it mobile prefixes are simply dropped.
    Cached: the same links come back on every listing page and related box.
    """
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if canonical_host and bare_host(host) == bare_host(canonical_host):
        host = canonical_host
    else:
        for prefix in _ALIAS_PREFIXES:
            if host.startswith(prefix):
                host = host[len(prefix):]
    netloc = host if not parts.port or parts.port in (80, 443) else f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    scheme = "https" if parts.port in (None, 443) else scheme
    url = urlunsplit((scheme, netloc, path, parts.query, ""))
    tracking = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True) if TRACKING_PARAMS.match(key)}
    if tracking:
        url = url_query_cleaner(url, tracking, remove=True, unique=False)
    return canonicalize_url(url, keep_blank_values=True)
