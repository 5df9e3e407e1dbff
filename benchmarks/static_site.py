"""A lean static web server for benchmarks: the pages of a manifest folder, nothing else.

The tests' fixture server (tests/server.py) logs every request, applies fault
rules and answers conditional requests, at a cost of about 0.3 ms of CPU per
60 KB page in Python's threaded HTTP server. On a 2-core machine that CPU is
taken from the crawl being measured, so the throughput benchmarks serve their
synthetic sites with this one instead: every response is built once, at start,
and a request costs a dictionary lookup and one write. GET only, keep-alive,
404 for anything else; pages are found by the request's Host header and target,
as NEWSCRAWL_HOST_MAP sends them.

    with StaticSite(folder) as site:
        site.host_map()   # {"baodautu.vn": "http://127.0.0.1:PORT", ...}
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def _bare(host: str) -> str:
    host = host.lower().split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _response(body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def load_pages(folder: Path) -> dict[tuple[str, bytes], bytes]:
    """(bare host, target) -> the whole HTTP response, for every page of every manifest under `folder`."""
    pages = {}
    for manifest_path in sorted(Path(folder).glob("*/manifest.json")):
        for entry in json.loads(manifest_path.read_text(encoding="utf-8"))["pages"]:
            parts = urlsplit(entry["url"])
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            body = (manifest_path.parent / entry["file"]).read_bytes()
            headers = {name.lower(): value for name, value in (entry.get("headers") or {}).items()}
            content_type = headers.get("content-type") or "text/html; charset=utf-8"
            pages[(_bare(parts.netloc), target.encode())] = _response(body, content_type)
    return pages


class _Connection(asyncio.Protocol):
    def __init__(self, pages: dict):
        self.pages = pages
        self.buffer = b""
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            method, target = (lines[0].split(b" ") + [b"", b""])[:2]
            host = next((line[5:].strip().decode("latin-1") for line in lines[1:] if line[:5].lower() == b"host:"), "")
            answer = self.pages.get((_bare(host), target)) if method == b"GET" else None
            self.transport.write(answer or NOT_FOUND)


class StaticSite:
    """The pages under `folder` on 127.0.0.1 (a free port), served from a thread of its own."""

    def __init__(self, folder: Path | str):
        self.pages = load_pages(Path(folder))
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="static-site", daemon=True)

    def __enter__(self) -> StaticSite:
        server = self._loop.run_until_complete(
            self._loop.create_server(lambda: _Connection(self.pages), "127.0.0.1", 0, backlog=256))
        self._server = server
        self.port = server.sockets[0].getsockname()[1]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def host_map(self) -> dict[str, str]:
        """NEWSCRAWL_HOST_MAP sending every host of the site here."""
        return {host: f"http://127.0.0.1:{self.port}" for host, _ in self.pages}
