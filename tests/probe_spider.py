"""A tiny spider for transport tests: fetch URLs, write what came back as JSON.

Run it in a subprocess (a Twisted reactor cannot be restarted in one
process), against `tests/server.py`:

    python -m scrapy runspider tests/probe_spider.py -a spec=SPEC.json \
        -s NEWSCRAWL_HOST_MAP='{"baodautu.vn": "http://127.0.0.1:PORT"}'

SPEC.json: {"urls": [...], "follow": {url: [urls requested once url answers]},
"out": "result.json"}. The result holds one record per response and per
failure (errback), with the retry history from `newscrawl.crawl.retry`, and the
crawl's stats. Not collected by pytest (no `test_` prefix).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.crawl.retry import META_KEY


class ProbeSpider(scrapy.Spider):
    name = "probe"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {
            "http": "newscrawl.crawl.hostmap.HostMapDownloadHandler",
            "https": "newscrawl.crawl.hostmap.HostMapDownloadHandler",
        },
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "newscrawl.crawl.retry.RetryMiddleware": 550,
        },
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19 opens a code-execution HTTP server by default; a probe needs none.
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "CLOSESPIDER_TIMEOUT": 90,
        # Exact delays to assert on (the project's settings add jitter).
        "NEWSCRAWL_RETRY_JITTER": 0,
    }

    def __init__(self, spec: str, **kwargs):
        super().__init__(**kwargs)
        self.spec = json.loads(Path(spec).read_text(encoding="utf-8"))
        self.records: list[dict] = []

    async def start(self):
        for url in self.spec["urls"]:
            yield self._request(url)

    def _request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response):
        title = re.search(rb"<title[^>]*>(.*?)</title>", response.body, re.DOTALL | re.IGNORECASE)
        self.records.append({
            "kind": "response",
            "requested": response.request.meta.get("redirect_urls", [response.request.url])[0],
            "url": response.url,
            "status": response.status,
            "class": type(response).__name__,
            "content_type": (response.headers.get(b"Content-Type") or b"").decode("latin-1"),
            "flags": response.flags,
            "ip_address": str(response.ip_address) if response.ip_address else None,
            "length": len(response.body),
            "title": title.group(1).decode("utf-8", errors="replace").strip() if title else None,
            "location": (response.headers.get(b"Location") or b"").decode("latin-1"),
            "retry": response.meta.get(META_KEY),
            "redirect_urls": response.meta.get("redirect_urls", []),
            "time": time.monotonic(),
        })
        for url in self.spec.get("follow", {}).get(response.request.meta.get("redirect_urls", [response.url])[0], []):
            yield self._request(url)

    def failed(self, failure):
        request = failure.request
        record = {
            "kind": "failure",
            "requested": request.meta.get("redirect_urls", [request.url])[0],
            "url": request.url,
            "error": failure.type.__name__,
            "message": str(failure.value)[:300],
            "retry": request.meta.get(META_KEY),
            "time": time.monotonic(),
        }
        if failure.check(HttpError):
            response = failure.value.response
            record.update(status=response.status, response_url=response.url, flags=response.flags, retry=response.meta.get(META_KEY))
        self.records.append(record)

    def closed(self, reason):
        stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.crawler.stats.get_stats().items()}
        Path(self.spec["out"]).write_text(json.dumps({"records": self.records, "stats": stats, "reason": reason}, ensure_ascii=False, indent=1), encoding="utf-8")


def run_probe(tmp_path: Path, urls: list[str], follow: dict | None = None, settings: dict | None = None, timeout: float = 120) -> dict:
    """Crawl `urls` with this spider in a subprocess; the result JSON plus the log."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / f"probe-{len(list(tmp_path.glob('probe-*.json')))}.json"
    spec = tmp_path / (out.stem + "-spec.json")
    spec.write_text(json.dumps({"urls": urls, "follow": follow or {}, "out": str(out)}), encoding="utf-8")
    args = [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).resolve()), "-a", f"spec={spec}"]
    for name, value in (settings or {}).items():
        args += ["-s", f"{name}={json.dumps(value) if isinstance(value, (dict, list)) else value}"]
    proc = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert out.exists(), f"probe crawl wrote no result (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    result["log"] = proc.stderr
    result["returncode"] = proc.returncode
    return result
