"""Is this response a page at all, or a wall in front of one?

A crawl that stores a Cloudflare "Just a moment..." page, a login form or a
subscription teaser as an article has lost the article without noticing.
`blocked_reason(status, headers, body_text)` names what stands in the way:

- `bot_challenge`: an anti-bot interstitial (Cloudflare, DDoS-Guard, Sucuri,
  Imperva/Incapsula, DataDome, PerimeterX, Akamai, a bare captcha page);
- `login_wall`: the page asks the reader to log in before showing the text;
- `paywall`: the page asks the reader to subscribe or pay to read on;
- `empty_page`: a 200 with no meaningful text (an empty body, an empty
  JavaScript shell);

or returns None for an ordinary page. It is deliberately conservative: a
wall phrase alone is not enough, because real articles carry "Đăng nhập"
links in their headers and "Bạn cần đăng nhập để bình luận" above their
comment boxes. A login wall or paywall needs a specific phrase *and* a page
whose own text is short (a teaser), or an unambiguous marker such as
`"isAccessibleForFree": false` or a 401. Vendor fingerprints for bot
challenges are specific enough to trust on any status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["blocked_reason", "BOT_CHALLENGE", "LOGIN_WALL", "PAYWALL", "EMPTY_PAGE", "REASONS"]

BOT_CHALLENGE = "bot_challenge"
LOGIN_WALL = "login_wall"
PAYWALL = "paywall"
EMPTY_PAGE = "empty_page"
REASONS = (BOT_CHALLENGE, LOGIN_WALL, PAYWALL, EMPTY_PAGE)

# Visible article text under this many characters (in paragraphs of at least
# _PARAGRAPH_CHARS) is a teaser: a wall phrase on such a page is the wall.
TEASER_CHARS = 1000
_PARAGRAPH_CHARS = 60
# A 2xx page with fewer letters than this has no meaningful text.
EMPTY_LETTERS = 40
# Only this much of a body is inspected (walls and challenges are small pages).
_SCAN_CHARS = 400_000

# Everything below matches lower-cased text (one `str.lower()` per page is far
# cheaper than IGNORECASE alternations), and each pattern runs only when a
# cheap substring test says it could match.

# Fingerprints of anti-bot vendors' challenge and block pages: markup no article
# carries. (Not their bot-detection scripts: Cloudflare's /cdn-cgi/challenge-platform/,
# DataDome, PerimeterX and Incapsula scripts also sit on ordinary pages.)
_CHALLENGE_MARKERS = (
    "cf-chl-", "window._cf_chl_opt", "cf-browser-verification",
    "ddos protection by ddos-guard", "check.ddos-guard.net",
    "incapsula incident id", "request unsuccessful. incapsula",
    "geo.captcha-delivery.com", "ct.captcha-delivery.com",
    'id="px-captcha', "id='px-captcha", "errors.edgesuite.net",
)
_CHALLENGE_TITLE = re.compile(
    r"just a moment\.*|attention required!? \| cloudflare|access denied \| .*cloudflare|ddos-guard|"
    r"sucuri website firewall.*|checking your browser.*|please wait\.*\s*\|?\s*ddos.*|vui lòng chờ\.*|đang xác minh.*"
)
_TITLE = re.compile(r"<title[^>]*>([^<]{0,300})</title")
# Phrases a challenge page says to people, but a real page may too (a comment
# form's captcha): trusted only on a short page.
_CHALLENGE_PHRASES = re.compile(
    r"checking your browser|verify(?:ing)? (?:that )?you are (?:a )?human|are you a robot|"
    r"enable javascript and cookies to continue|please complete the security check|"
    r"xác minh bạn (?:là|không phải là) (?:con )?(?:người|robot)|kiểm tra trình duyệt|captcha"
)
# Vendor scripts: on ordinary pages too, so they count only on a short error page.
_CHALLENGE_SCRIPTS = ("/cdn-cgi/challenge-platform/", "challenges.cloudflare.com/turnstile", "ddos-guard", "sucuri", "_incapsula_resource", "datadome", "perimeterx")
# Headers set only on a challenge or block response (not DataDome's `x-datadome`, sent on every page).
_CHALLENGE_HEADERS = (("cf-mitigated", "challenge"), ("x-sucuri-block", ""))
_CHALLENGE_SERVERS = ("ddos-guard", "sucuri", "cloudflare", "akamaighost", "incapsula")

_LOGIN_ANCHORS = ("đăng nhập", "đăng ký", "log in", "login", "sign in", "signin", "logged in", "register", "members")
_LOGIN_PHRASES = re.compile(
    r"đăng nhập (?:để|mới) (?:đọc|xem|tiếp tục|truy cập)|đăng ký (?:tài khoản )?(?:miễn phí )?để (?:đọc|xem)|"
    r"(?:bạn|quý (?:độc giả|vị)) (?:cần|phải|vui lòng) đăng nhập|vui lòng đăng nhập(?! để (?:bình luận|gửi))|"
    r"(?:log ?in|sign ?in|register) to (?:continue|read|view|access|keep reading)|"
    r"please (?:log ?in|sign ?in)(?! to (?:comment|post|reply))|you (?:must|need to) (?:be logged in|log ?in|sign ?in)|"
    r"login required|members? only content"
)
# Payment words only: "để đọc tiếp" (to read on) is said by login walls too.
_PAYWALL_ANCHORS = ("gói", "hội viên", "trả phí", "thuê bao", "premium", "subscri", "free ")
_PAYWALL_PHRASES = re.compile(
    r"đăng ký gói|mua gói|gói (?:cước|hội viên|thành viên|premium|vip)|"
    r"(?:đăng ký|nâng cấp|trở thành) (?:tài khoản )?(?:hội viên|premium|vip|trả phí|thành viên trả phí)|"
    r"dành (?:riêng )?cho (?:hội viên|thuê bao|(?:độc giả|bạn đọc|thành viên|tài khoản) (?:trả phí|premium|vip))|"
    r"(?:subscribe|become a (?:member|subscriber)) to (?:continue|read|keep reading|unlock|access)|"
    r"(?:for|exclusive to) (?:paid )?subscribers(?: only)?|subscribers? only|"
    r"(?:you(?:'ve| have) (?:read|reached) (?:all|your)[^.]{0,30}free (?:articles|stories))|"
    r"already a subscriber\?|start your (?:free )?(?:trial|subscription)"
)
# Schema.org paywall markup: Google's documented way to say "this text is gated".
_NOT_FREE = re.compile(r"[\"']?isaccessibleforfree[\"']?\s*[:=]\s*[\"']?(?:false|no|0)\b")
_WALL_MARKUP = re.compile(
    r"(?:class|id)=[\"'][^\"']*\b(?:paywall|pay-wall|premium-(?:wall|lock|gate)|subscription-wall|"
    r"regwall|login-wall|loginwall|meter-wall|piano-(?:offer|paywall)|tp-modal)\b"
)
# Where comment boxes and newsletter prompts live: wall phrases there mean nothing.
_COMMENT_CONTEXT = re.compile(r"bình luận|ý kiến|comment|newsletter|bản tin")
_LOGIN_URL = re.compile(r"/(?:dang-nhap|login|signin|sign-in|log-in|account/login|user/login)(?:[/?.#]|$)", re.IGNORECASE)

_DROP_BLOCKS = re.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>", re.DOTALL)
_CHROME_BLOCKS = re.compile(r"<(header|nav|footer|aside)\b[^>]*>.*?</\1\s*>", re.DOTALL)
_PARAGRAPH = re.compile(r"<(p|h1|h2|h3|li|blockquote|td)\b[^>]*>(.{0,8000}?)</\1\s*>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0);")
_SPACE = re.compile(r"\s+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _header(headers: Any, name: str) -> str:
    """A header's value as text from a dict, a Scrapy `Headers` or a list of pairs."""
    if not headers:
        return ""
    items = headers.items() if isinstance(headers, Mapping) or hasattr(headers, "items") else headers
    for key, value in items:
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != name:
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else b""
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def _text(html: str) -> str:
    return _SPACE.sub(" ", _ENTITY.sub(" ", _TAG.sub(" ", html))).strip()


def _has(text: str, needles) -> bool:
    return any(n in text for n in needles)


def _is_wall_text(text: str) -> bool:
    return (_has(text, _LOGIN_ANCHORS) and _LOGIN_PHRASES.search(text) is not None) or (
        _has(text, _PAYWALL_ANCHORS) and _PAYWALL_PHRASES.search(text) is not None
    )


def _page_parts(html: str) -> tuple[str, str, int]:
    """Of lower-cased HTML: (visible text, text outside header/nav/footer/aside, characters in long paragraphs)."""
    if "<!--" in html:
        html = _COMMENT.sub(" ", html)
    body = _DROP_BLOCKS.sub(" ", html)
    visible = _text(body)
    content_html = _CHROME_BLOCKS.sub(" ", body)
    content = _text(content_html)
    article_chars = 0
    for match in _PARAGRAPH.finditer(content_html):
        paragraph = _text(match.group(2))
        if len(paragraph) >= _PARAGRAPH_CHARS and not _is_wall_text(paragraph):
            article_chars += len(paragraph)
    return visible, content, article_chars


def _wall_phrase(anchors, pattern: re.Pattern, text: str) -> bool:
    """A wall phrase that is not about commenting or newsletters."""
    if not _has(text, anchors):
        return False
    for match in pattern.finditer(text):
        context = text[max(0, match.start() - 40): match.end() + 40]
        if not _COMMENT_CONTEXT.search(context):
            return True
    return False


def _has_letters(text: str, enough: int) -> bool:
    """At least `enough` letters? Stops counting there (a real page has thousands)."""
    count = 0
    for match in _LETTER_RUN.finditer(text):
        count += len(match.group())
        if count >= enough:
            return True
    return False


def blocked_reason(status: int, headers: Any = None, body_text: str | bytes | None = "", url: str | None = None) -> str | None:
    """`bot_challenge`, `login_wall`, `paywall`, `empty_page`, or None for a real page.

    `headers` may be a dict, a Scrapy `Headers` object or a list of pairs;
    `body_text` is the decoded HTML (bytes are decoded as UTF-8); `url`, if
    given, is the final URL (a redirect to a login page is a login wall).
    """
    if isinstance(body_text, bytes):
        body_text = body_text.decode("utf-8", errors="replace")
    html = (body_text or "")[:_SCAN_CHARS].lower()
    status = int(status or 0)

    # 1. Bot challenges: vendor headers, titles and markup; captcha talk on a short page.
    for name, value in _CHALLENGE_HEADERS:
        found = _header(headers, name).lower()
        if found and value in found:
            return BOT_CHALLENGE
    title = _TITLE.search(html)
    if (title and _CHALLENGE_TITLE.fullmatch(title.group(1).strip())) or _has(html, _CHALLENGE_MARKERS):
        return BOT_CHALLENGE
    parts: list = []

    def page_parts() -> tuple[str, str, int]:
        """Computed at most once, and only when a cheap test says it matters."""
        if not parts:
            parts.extend(_page_parts(html))
        return parts[0], parts[1], parts[2]

    error = status in (403, 429, 503)
    challenge_hint = _CHALLENGE_PHRASES.search(html) or (error and _has(html, _CHALLENGE_SCRIPTS)) or (
        status == 403 and _has(_header(headers, "server").lower(), _CHALLENGE_SERVERS))
    if challenge_hint:
        visible, _, article_chars = page_parts()
        if len(visible) < 2000 and article_chars < 200:
            if (error or len(visible) < 600) and _CHALLENGE_PHRASES.search(html):
                return BOT_CHALLENGE
            if error and _has(html, _CHALLENGE_SCRIPTS):
                return BOT_CHALLENGE
            if status == 403 and _has(_header(headers, "server").lower(), _CHALLENGE_SERVERS):
                return BOT_CHALLENGE

    # 2. Login walls and paywalls: a specific phrase on a teaser, or paywall markup.
    if status == 401 or (url and _LOGIN_URL.search(url)):
        return LOGIN_WALL
    if status == 402:
        return PAYWALL
    wall_hint = _has(html, _PAYWALL_ANCHORS) or _has(html, _LOGIN_ANCHORS) or "isaccessibleforfree" in html
    if (status < 400 or status == 403) and wall_hint:
        _, content, article_chars = page_parts()
        teaser = article_chars < TEASER_CHARS
        pay = _wall_phrase(_PAYWALL_ANCHORS, _PAYWALL_PHRASES, content)
        if "isaccessibleforfree" in html and _NOT_FREE.search(html) and (teaser or pay or _WALL_MARKUP.search(html)):
            return PAYWALL
        if teaser and pay:
            return PAYWALL
        if teaser and _wall_phrase(_LOGIN_ANCHORS, _LOGIN_PHRASES, content):
            return LOGIN_WALL

    # 3. A 2xx page with nothing to read.
    if 200 <= status < 300 and status != 204:
        visible = parts[0] if parts else _text(_DROP_BLOCKS.sub(" ", _COMMENT.sub(" ", html) if "<!--" in html else html))
        if not _has_letters(visible, EMPTY_LETTERS):
            return EMPTY_PAGE
    return None
