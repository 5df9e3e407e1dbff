"""Saved pages as responses, and saving live responses the same way.

A replay folder holds, per site, the saved files and a `manifest.json` that
maps each URL to its file, status and headers. Replay serves the very same
spider, middlewares and pipelines from it; a URL with no saved page is a
counted miss, never a network request. Recording writes that format from a
live crawl, so a recorded crawl can be replayed as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from datetime import date
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from ..analysis.text import now_iso
from ..analysis.urls import bare_host, canonical_url, host_of
from .failures import ReplayMiss

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"


class Manifest:
    """URL -> saved page, from every manifest.json under a folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"replay folder {self.root} does not exist (give a folder of saved pages with manifest.json files)")
        self.pages: dict[str, dict] = {}
        for manifest in sorted(self.root.rglob(MANIFEST)):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            for page in data.get("pages", []):
                entry = dict(page, path=manifest.parent / page["file"])
                self.pages.setdefault(page["url"], entry)
                self.pages.setdefault(canonical_url(page["url"]), entry)

    def recorded_on(self) -> date | None:
        """The day the newest saved page was fetched: the day a replay acts as of."""
        days = [str(p.get("fetched_at") or "")[:10] for p in self.pages.values()]
        days = [d for d in days if len(d) == 10]
        return date.fromisoformat(max(days)) if days else None

    def __len__(self) -> int:
        return len({id(p) for p in self.pages.values()})

    def urls(self, site: str | None = None) -> list[tuple[str, str]]:
        """(url, site) of every saved article page (what `reparse` re-parses), as the archive gives them."""
        from ..sites import site_for_url

        found = []
        for url in sorted({entry["url"] for entry in self.pages.values()}):
            owner = site_for_url(url)
            if owner is not None and owner.is_article(url) and (site is None or owner.name == site):
                found.append((owner.canonical(url), owner.name))
        return list(dict.fromkeys(found))

    def lookup(self, url: str) -> dict | None:
        return self.pages.get(url) or self.pages.get(canonical_url(url))

    def response(self, url: str, request=None) -> Response | None:
        entry = self.lookup(url)
        if entry is None:
            return None
        headers = dict(entry.get("headers") or {})
        if request is not None and _not_modified(request, headers):
            # Saved pages answer conditional requests as their server did.
            return Response(url=url, status=304, headers=headers, request=request, flags=["replay"])
        body = entry["path"].read_bytes()
        if "Content-Type" not in headers and entry["path"].suffix == ".xml":
            headers["Content-Type"] = "application/xml; charset=utf-8"
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        return cls(url=url, status=int(entry.get("status", 200)), headers=headers, body=body, request=request, flags=["replay"])


def open_replay_source(path: str | Path):
    """A folder of saved pages with manifests, or a page archive file (`*.archive.db`)."""
    if Path(path).is_file():
        from ..store.archive import PageArchive

        return PageArchive(path)
    return Manifest(path)


def _not_modified(request, headers: dict) -> bool:
    etag, last_modified = headers.get("ETag"), headers.get("Last-Modified")
    asked_etag = request.headers.get("If-None-Match")
    asked_since = request.headers.get("If-Modified-Since")
    if etag and asked_etag:
        return asked_etag.decode("latin-1") == etag
    return bool(last_modified and asked_since and asked_since.decode("latin-1") == last_modified)


class ReplayMiddleware:
    """Answers every request from the replay folder (enabled by NEWSCRAWL_REPLAY_DIR)."""

    def __init__(self, folder: str, stats=None):
        self.manifest = open_replay_source(folder)
        self.stats = stats
        logger.info("replaying %d saved pages from %s", len(self.manifest), folder)

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("NEWSCRAWL_REPLAY_DIR")
        if not folder:
            raise NotConfigured
        return cls(folder, crawler.stats)

    def process_request(self, request):
        response = self.manifest.response(request.url, request)
        if response is not None:
            self._inc("newscrawl/replay/hit")
            return response
        if request.url.endswith("/robots.txt"):
            return Response(url=request.url, status=404, request=request, flags=["replay"])
        self._inc("newscrawl/replay/miss")
        logger.info("replay miss: no saved page for %s", request.url)
        raise ReplayMiss(f"replay miss: no saved page for {request.url}")

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def safe_file_name(url: str, suffix: str = ".html") -> str:
    """A file name from any URL: readable slug plus a hash, never a path."""
    path = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "index"
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.lower()).strip("-.")[:80] or "page"
    slug = re.sub(r"\.(html?|xml|rss|htm)$", "", slug)
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}{suffix}"


class Recorder:
    """Saves responses in the replay format, one folder per host."""

    def __init__(self, folder: str | Path):
        self.root = Path(folder)
        self._manifests: dict[Path, dict[str, dict]] = {}
        self._unsaved = 0

    def save(self, response) -> Path:
        site_dir = self.root / bare_host(host_of(response.url))
        site_dir.mkdir(parents=True, exist_ok=True)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        suffix = ".xml" if ("xml" in content_type or response.url.endswith((".xml", ".rss"))) else ".html"
        name = safe_file_name(response.url, suffix)
        (site_dir / name).write_bytes(response.body)
        headers = {"Content-Type": content_type} if content_type else {}
        for header in ("ETag", "Last-Modified"):
            value = response.headers.get(header)
            if value:
                headers[header] = value.decode("latin-1")
        pages = self._load(site_dir)
        pages[response.url] = {"url": response.url, "file": name, "status": response.status, "headers": headers, "fetched_at": now_iso()}
        self._unsaved += 1
        if self._unsaved >= 50:
            self.write()
        return site_dir / name

    def _load(self, site_dir: Path) -> dict[str, dict]:
        if site_dir not in self._manifests:
            manifest = site_dir / MANIFEST
            pages = json.loads(manifest.read_text(encoding="utf-8")).get("pages", []) if manifest.exists() else []
            self._manifests[site_dir] = {p["url"]: p for p in pages}
        return self._manifests[site_dir]

    def write(self) -> None:
        """Write every manifest atomically (a crash never leaves half a file)."""
        for site_dir, pages in self._manifests.items():
            tmp = site_dir / (MANIFEST + ".tmp")
            tmp.write_text(json.dumps({"pages": list(pages.values())}, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, site_dir / MANIFEST)
        self._unsaved = 0


class RecordMiddleware:
    """Saves what a live crawl fetched (enabled by NEWSCRAWL_RECORD_DIR)."""

    def __init__(self, folder: str, stats=None):
        self.recorder = Recorder(folder)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("NEWSCRAWL_RECORD_DIR")
        if not folder:
            raise NotConfigured
        middleware = cls(folder, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request, response):
        if response.status == 200 and "replay" not in response.flags and not request.url.endswith("/robots.txt"):
            self.recorder.save(response)
            if self.stats is not None:
                self.stats.inc_value("newscrawl/record/saved")
        return response

    def spider_closed(self, spider):
        self.recorder.write()
