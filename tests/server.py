"""A local web server that plays the saved sites, with faults on demand.

`FixtureServer` serves every page listed in `fixtures/*/manifest.json` on
127.0.0.1, port 0 (a free port), chosen by the request's `Host` header plus
path and query, so a crawl whose hosts are mapped to it (NEWSCRAWL_HOST_MAP,
see `server.host_map()`) fetches the real URLs. Every page has an ETag and a
Last-Modified and answers conditional requests with 304; unknown URLs are
404; every host has a robots.txt (allow all unless `set_robots` says
otherwise). Tests add faults per URL at run time:

    with FixtureServer() as server:
        server.set_rule(url, "status", status=429, retry_after=1, times=2)
        server.set_rule(other, "slow", delay=0.5)
        server.change_page(url, new_html)          # new ETag and Last-Modified
        ... crawl ...
        assert server.statuses_for(url) == [429, 429, 200]

Rule kinds (each applies to the first `times` requests, or to all with
times=None): status (status, retry_after, body), reset (close the
connection with no answer), slow (delay, then the page), redirect (to,
status), redirect_loop (to: default the URL itself), oversize (size,
declare_length), cut (the page's full Content-Length, half its body, then
the connection closes), pdf, cp1258 (charset: the label to claim, None for none),
truncated_utf8, bot_challenge (status, vendor), login_wall, paywall, empty
(body), content_type (content_type, body). Every request is recorded
(method, url, host, target, headers, status, rule, time) in a bounded log,
on arrival; its status is filled in just before the answer is sent (None
while in flight, 0 for a reset, -1 when the client hung up).
Handler threads are daemons, sleeps end when the server stops, and the log
keeps at most `max_log` entries.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.analysis.encoding import encode_cp1258

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ALIAS_PREFIXES = ("www.", "m.", "amp.", "mobile.")
MAX_SLEEP = 30.0
MAX_OVERSIZE = 64 * 1024 * 1024
RULE_KINDS = frozenset({
    "status", "reset", "slow", "redirect", "redirect_loop", "oversize", "pdf", "cp1258",
    "truncated_utf8", "bot_challenge", "login_wall", "paywall", "empty", "content_type", "cut",
})

# A minimal PDF as servers send them: the binary comment line and a compressed stream.
PDF_BYTES = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 12/Filter/FlateDecode>>stream\nx\x9c\x03\x00\x00\x00\x00\x01\x00\x02\x10\x1f\nendstream endobj\n"
    b"xref\n0 5\n0000000000 65535 f \ntrailer<</Size 5/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)
CHALLENGE_PAGES = {
    "cloudflare": (
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
        "<meta http-equiv=\"refresh\" content=\"390\"></head><body><div class=\"main-wrapper\" role=\"main\">"
        "<div class=\"main-content\"><h1 class=\"zone-name-title h1\">{host}</h1>"
        "<h2 class=\"h2\" id=\"cf-challenge-running\">Checking if the site connection is secure</h2>"
        "<div id=\"cf-chl-widget-abc12\"></div><noscript>Enable JavaScript and cookies to continue</noscript>"
        "</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: '{host}',cType: 'managed'};}());</script>"
        "</body></html>"
    ),
    "ddos-guard": (
        "<!DOCTYPE html><html><head><title>DDoS-Guard</title></head><body>"
        "<h1>Checking your browser before accessing {host}</h1>"
        "<p>This process is automatic. DDoS protection by DDoS-Guard</p></body></html>"
    ),
    "sucuri": (
        "<html><head><title>Sucuri WebSite Firewall - Access Denied</title></head><body>"
        "<h2>Access Denied - Sucuri Website Firewall</h2><p>Block ID: GEO01</p></body></html>"
    ),
    "captcha": (
        "<html><head><title>{host}</title></head><body><h1>Xác minh bạn không phải là robot</h1>"
        "<form><div class=\"g-recaptcha\" data-sitekey=\"x\"></div></form></body></html>"
    ),
}
CHALLENGE_HEADERS = {
    "cloudflare": {"Server": "cloudflare", "cf-mitigated": "challenge", "CF-RAY": "8d1e2f3a4b5c6d7e-SIN"},
    "ddos-guard": {"Server": "ddos-guard"},
    "sucuri": {"Server": "Sucuri/Cloudproxy", "X-Sucuri-Block": "GEO01"},
    "captcha": {},
}
LOGIN_WALL_PAGE = (
    "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
    "<header><a href=\"/\">Trang chủ</a> <a href=\"/dang-nhap\">Đăng nhập</a></header>"
    "<article><h1>{title}</h1><p>Nội dung bài viết này chỉ hiển thị cho bạn đọc đã có tài khoản.</p>"
    "<div class=\"login-wall\"><p>Bạn cần đăng nhập để đọc toàn bộ bài viết.</p>"
    "<form action=\"/dang-nhap\" method=\"post\"><input name=\"email\"><input name=\"password\" type=\"password\">"
    "<button>Đăng nhập</button></form></div></article><footer>© Báo điện tử</footer></body></html>"
)
PAYWALL_PAGE = (
    "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title>"
    "<script type=\"application/ld+json\">{{\"@type\": \"NewsArticle\", \"headline\": \"{title}\", \"isAccessibleForFree\": false}}</script>"
    "</head><body><article><h1>{title}</h1>"
    "<p class=\"sapo\">Thị trường tín chỉ carbon đang mở ra cơ hội mới cho doanh nghiệp Việt Nam trong lộ trình giảm phát thải.</p>"
    "<div class=\"paywall\"><p>Bài viết dành riêng cho hội viên. Đăng ký gói Premium để đọc tiếp toàn bộ bài viết.</p>"
    "<a href=\"/goi-hoi-vien\">Đăng ký gói</a></div></article></body></html>"
)


def _http_date(ts: float) -> str:
    return format_datetime(datetime.fromtimestamp(int(ts), tz=timezone.utc), usegmt=True)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _key(url: str) -> tuple[str, str]:
    """(host, path?query) of a URL: the scheme-free key pages and rules are stored under."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (parts.hostname or "").lower(), target


def _bare(host: str) -> str:
    for prefix in ALIAS_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    last_modified: float = 0.0

    @property
    def etag(self) -> str:
        return _etag(self.body)


@dataclass
class Rule:
    kind: str
    times: int | None
    params: dict
    served: int = 0

    def take(self) -> bool:
        """Use one application of the rule; False once it is spent."""
        if self.times is not None and self.served >= self.times:
            return False
        self.served += 1
        return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections end on their own
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self.server.fixture._handle(self)

    def do_HEAD(self):
        self.server.fixture._handle(self)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        self.server.fixture._handle(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    fixture: FixtureServer


class FixtureServer:
    """Threaded fixture web server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, fixtures: Path | str | None = FIXTURES, max_log: int = 10_000, scheme: str = "https"):
        self.scheme = scheme
        self.max_log = max_log
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pages: dict[tuple[str, str], Page] = {}
        self._rules: dict[tuple[str, str], list[Rule]] = {}
        self._robots: dict[str, str] = {}
        self._log: deque[dict] = deque(maxlen=max_log)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._started = time.time()
        if fixtures is not None:
            self.load_manifests(Path(fixtures))

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> FixtureServer:
        if self._server is not None:
            return self
        self._stop.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fixture = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fixture-server-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hosts(self) -> set[str]:
        with self._lock:
            return {host for host, _ in self._pages}

    def host_map(self, hosts=None) -> dict[str, str]:
        """NEWSCRAWL_HOST_MAP sending every fixture host (and its www./m. aliases) here."""
        return {_bare(h): self.base_url for h in (hosts or self.hosts())}

    # --- pages ---------------------------------------------------------------------
    def load_manifests(self, root: Path) -> int:
        count = 0
        for manifest in sorted(root.rglob("manifest.json")):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            for entry in data.get("pages", []):
                path = manifest.parent / entry["file"]
                headers = dict(entry.get("headers") or {})
                content_type = headers.pop("Content-Type", None) or ("application/xml; charset=utf-8" if path.suffix == ".xml" else "text/html; charset=utf-8")
                fetched = entry.get("fetched_at")
                try:
                    last_modified = datetime.fromisoformat(fetched).timestamp() if fetched else self._started
                except ValueError:
                    last_modified = self._started
                page = Page(entry["url"], path.read_bytes(), content_type, int(entry.get("status", 200)), headers, last_modified)
                with self._lock:
                    self._pages.setdefault(_key(entry["url"]), page)
                count += 1
        return count

    def add_page(self, url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200, headers: dict | None = None) -> Page:
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        page = Page(url, data, content_type, status, dict(headers or {}), time.time())
        with self._lock:
            self._pages[_key(url)] = page
        return page

    def change_page(self, url: str, body: bytes | str, content_type: str | None = None) -> str:
        """Give a page a new body: a new ETag and a strictly later Last-Modified. Returns the ETag."""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        with self._lock:
            page = self._lookup(*_key(url))
            if page is None:
                raise KeyError(f"no page for {url}")
            page.body = data
            if content_type:
                page.content_type = content_type
            page.last_modified = max(float(int(time.time())), int(page.last_modified) + 1.0)
            return page.etag

    def page(self, url: str) -> Page | None:
        with self._lock:
            return self._lookup(*_key(url))

    def _lookup(self, host: str, target: str) -> Page | None:
        """The page for host+target, also under the host's bare or www. spelling."""
        for candidate in dict.fromkeys((host, _bare(host), "www." + _bare(host))):
            page = self._pages.get((candidate, target))
            if page is not None:
                return page
        return None

    # --- rules and robots ------------------------------------------------------------
    def set_rule(self, url: str, kind: str, times: int | None = None, **params) -> None:
        """Add a fault for `url` (rules for one URL apply in the order they were set)."""
        if kind not in RULE_KINDS:
            raise ValueError(f"unknown rule kind {kind!r} (known: {', '.join(sorted(RULE_KINDS))})")
        with self._lock:
            self._rules.setdefault(_key(url), []).append(Rule(kind, times, params))

    def clear_rules(self, url: str | None = None) -> None:
        with self._lock:
            if url is None:
                self._rules.clear()
            else:
                self._rules.pop(_key(url), None)

    def set_robots(self, host: str, disallow=(), text: str | None = None) -> None:
        """robots.txt for `host` (and its aliases): `disallow` paths for every agent, or the whole `text`."""
        if text is None:
            text = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in disallow) + ("" if disallow else "Disallow:\n")
        with self._lock:
            self._robots[_bare(host.lower())] = text

    def _take_rule(self, host: str, target: str) -> Rule | None:
        with self._lock:
            for key in ((host, target), (_bare(host), target)):
                for rule in self._rules.get(key, []):
                    if rule.take():
                        return rule
        return None

    # --- the request log ---------------------------------------------------------------
    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return [dict(e) for e in self._log]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def requests_for(self, url: str) -> list[dict]:
        """Requests for this URL's host (or an alias of it) and path+query, any scheme."""
        host, target = _key(url)
        return [r for r in self.requests if r["target"] == target and _bare(r["host"]) == _bare(host)]

    def statuses_for(self, url: str) -> list[int]:
        return [r["status"] for r in self.requests_for(url)]

    def _record(self, entry: dict) -> None:
        with self._lock:
            self._log.append(entry)

    # --- a client for tests --------------------------------------------------------------
    def fetch(self, url: str, headers: dict | None = None, method: str = "GET", timeout: float = 10.0) -> tuple[int, dict, bytes]:
        """Request `url` from this server as a mapped crawler would: its Host, this address."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, target, headers={"Host": parts.netloc, **(headers or {})})
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()

    # --- serving --------------------------------------------------------------------------
    def _handle(self, handler: _Handler) -> None:
        host = _host_name(handler.headers.get("Host") or "127.0.0.1")
        if handler.path.startswith("/"):
            target = handler.path
        else:  # absolute-form request line (a client talking to a proxy)
            host, target = _key(handler.path)
        with self._lock:
            page = self._lookup(host, target)
        entry = {
            "time": time.monotonic(),
            "method": handler.command,
            "host": host,
            "target": target,
            "url": page.url if page else f"{self.scheme}://{host}{target}",
            "headers": {k: v for k, v in handler.headers.items()},
            "status": None,
            "rule": None,
        }
        handler.entry = entry
        rule = self._take_rule(host, target)
        entry["rule"] = rule.kind if rule else None
        self._record(entry)  # on arrival (status None until answered): a request still in flight is listed
        try:
            status = self._respond(handler, host, target, page, rule)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            status = -1
        except Exception as exc:  # a bad rule: answer 500 and say why in the log
            entry["error"] = f"{type(exc).__name__}: {exc}"
            try:
                status = self._send(handler, 500, f"fixture server error: {exc}")
            except OSError:
                status = -1
        if status == -1 or entry["status"] is None:
            entry["status"] = status
        self._commit(handler, entry["status"])

    def _commit(self, handler: _Handler, status: int) -> None:
        """Set the logged status before the answer leaves: a client that has the answer sees it."""
        with self._lock:
            handler.entry["status"] = status

    def _respond(self, handler: _Handler, host: str, target: str, page: Page | None, rule: Rule | None) -> int:
        p = rule.params if rule else {}
        kind = rule.kind if rule else None
        if kind == "reset":
            self._commit(handler, 0)
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return 0
        if kind == "slow":
            self._stop.wait(min(float(p.get("delay", 1.0)), MAX_SLEEP))
            if self._stop.is_set():
                self._commit(handler, 0)
                handler.close_connection = True
                return 0
        if kind == "status":
            status = int(p.get("status", 503))
            headers = {}
            if p.get("retry_after") is not None:
                headers["Retry-After"] = str(p["retry_after"])
            body = p.get("body", f"<html><body><h1>{status}</h1></body></html>")
            return self._send(handler, status, body, headers=headers)
        if kind in ("redirect", "redirect_loop"):
            default = f"{self.scheme}://{host}{target}" if kind == "redirect_loop" else None
            location = p.get("to") or default
            if not location:
                raise ValueError("redirect rule needs to=URL")
            return self._send(handler, int(p.get("status", 302)), "", headers={"Location": location})
        if kind == "cut" and page is not None:
            return self._send_cut(handler, page)
        if kind == "oversize":
            return self._send_oversize(handler, min(int(p.get("size", 9 * 1024 * 1024)), MAX_OVERSIZE), bool(p.get("declare_length", True)))
        if kind == "pdf":
            return self._send(handler, 200, p.get("body", PDF_BYTES), content_type="application/pdf")
        if kind == "bot_challenge":
            vendor = p.get("vendor", "cloudflare")
            body = CHALLENGE_PAGES[vendor].replace("{host}", host)
            return self._send(handler, int(p.get("status", 403)), body, headers=CHALLENGE_HEADERS[vendor])
        if kind == "login_wall":
            return self._send(handler, int(p.get("status", 200)), LOGIN_WALL_PAGE.format(title=p.get("title", "Bài viết dành cho thành viên")))
        if kind == "paywall":
            return self._send(handler, int(p.get("status", 200)), PAYWALL_PAGE.format(title=p.get("title", "Tín chỉ carbon: cơ hội cho doanh nghiệp")))
        if kind == "empty":
            return self._send(handler, 200, p.get("body", b""))
        if kind == "content_type":
            body = p.get("body", page.body if page else b"")
            return self._send(handler, int(p.get("status", 200)), body, content_type=p["content_type"])

        if target == "/robots.txt" and page is None:
            text = self._robots.get(_bare(host), "User-agent: *\nDisallow:\n")
            return self._send(handler, 200, text, content_type="text/plain; charset=utf-8")
        if page is None:
            return self._send(handler, 404, "<html><body><h1>404 Not Found</h1></body></html>")

        body, content_type = page.body, page.content_type
        if kind == "cp1258":
            text = p.get("text") or body.decode("utf-8", errors="replace")
            body = encode_cp1258(text, errors="replace")
            charset = p.get("charset", "iso-8859-1")
            content_type = f"text/html; charset={charset}" if charset else "text/html"
        elif kind == "truncated_utf8":
            data = p["text"].encode("utf-8") if p.get("text") else body
            body = _truncate_mid_character(data)
        headers = {"ETag": page.etag, "Last-Modified": _http_date(page.last_modified), **page.headers}
        if kind is None and page.status == 200 and self._not_modified(handler, page):
            return self._send(handler, 304, b"", headers=headers, content_type=None)
        return self._send(handler, page.status, body, headers=headers, content_type=content_type)

    @staticmethod
    def _not_modified(handler: _Handler, page: Page) -> bool:
        if handler.command not in ("GET", "HEAD"):
            return False
        inm = handler.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or page.etag in tags
        ims = handler.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
            return int(page.last_modified) <= since
        return False

    def _send(self, handler: _Handler, status: int, body: bytes | str, headers: dict | None = None, content_type: str | None = "text/html; charset=utf-8") -> int:
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        handler.send_response(status)
        if content_type and status != 304:
            handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if status not in (204, 304):
            handler.send_header("Content-Length", str(len(data)))
        self._commit(handler, status)
        handler.end_headers()
        if handler.command != "HEAD" and status not in (204, 304):
            handler.wfile.write(data)
        return status

    def _send_cut(self, handler: _Handler, page: Page) -> int:
        """A connection lost mid-body: the length promised, half the bytes sent."""
        handler.send_response(200)
        handler.send_header("Content-Type", page.content_type)
        handler.send_header("Content-Length", str(len(page.body)))
        self._commit(handler, 200)
        handler.end_headers()
        handler.close_connection = True
        try:
            handler.wfile.write(page.body[: len(page.body) // 2])
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return 200

    def _send_oversize(self, handler: _Handler, size: int, declare_length: bool) -> int:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            handler.send_header("Content-Length", str(size))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        self._commit(handler, 200)
        handler.end_headers()
        if handler.command == "HEAD":
            return 200
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        sent = 0
        try:
            while sent < size and not self._stop.is_set():
                piece = chunk[: size - sent]
                handler.wfile.write(piece)
                sent += len(piece)
        except OSError:  # the client gave up (as it should, past DOWNLOAD_MAXSIZE)
            handler.close_connection = True
        return 200


def _host_name(host_header: str) -> str:
    """`Host: example.vn:8080` -> `example.vn` (IPv6 literals kept whole)."""
    host = host_header.strip().rsplit("@", 1)[-1]
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def _truncate_mid_character(data: bytes) -> bytes:
    """UTF-8 bytes cut inside their last multi-byte character (what a dropped connection leaves)."""
    for i in range(len(data) - 1, -1, -1):
        if data[i] >= 0xC2 and data[i] <= 0xF4:  # a lead byte
            return data[: i + 1]
    return data + b"\xe1\xba"  # no multi-byte character: add half of one ("ạ")


@pytest.fixture
def fixture_server():
    """A started FixtureServer with every saved page; stopped after the test."""
    server = FixtureServer().start()
    try:
        yield server
    finally:
        server.stop()
