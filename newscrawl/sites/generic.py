"""Any news page: metadata from JSON-LD / OpenGraph / meta tags, body by density.

For hosts no site module claims. Pure like every parser (`html, url -> dict`).

Metadata: JSON-LD (`NewsArticle` and kin, `@graph`, arrays; malformed blocks
are repaired by `json_ld_objects`), then OpenGraph and `<meta>` tags, then
the page itself (`h1`, `<time datetime>`, bylines, tag links). The headline
is the page's `h1` when it agrees with `og:title` / JSON-LD (so a
" - Site name" suffix never reaches the title) and the lead is the one the
page shows, not `meta description`, when the page shows one.

Body, in order of trust (the parser field says which one answered):

- `generic/itemprop`: an `itemprop="articleBody"` container;
- `generic/container`: a container that common CMSs use for the article text
  (`div.entry-content`, `article.fck_detail`, `div.detail-content`, ...);
- `generic/jsonld`: the container whose text matches JSON-LD `articleBody`,
  or that text itself when no container matches;
- `generic/density`: the element that holds the most running text (a
  Readability-style score: paragraph length and commas, summed into parents,
  scaled down by link density);
- `generic/trafilatura`: trafilatura's extraction (precision mode), used only
  when none of the above finds a body of a credible size (`MIN_BODY`) and
  trafilatura finds more. Measured on real pages (benchmarks/extract_quality.py)
  the container/density answer beats trafilatura's, so it is the fallback,
  not the first choice; it is imported lazily and optional.

Whatever container wins, the same cleaning applies: boxes whose class or id
says related / share / comment / caption / byline / ads are removed, link
lists and picture tables are dropped, `Xem thêm:` / `Read more:` lines become
related links, and subheadings stay paragraphs of their own.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from ..analysis.html import BLOCK_TAGS, SKIP_TAGS, inline_text, iter_blocks, ld_names, ld_text, remove_keeping_tail, text_of
from ..analysis.text import clean_space, fold, iso_datetime, strip_separators, unique
from ..analysis.urls import bare_host, canonical_url, host_of
from .base import ARTICLE_TYPES, Page

# --- class / id vocabulary ------------------------------------------------------

# Substrings of a class or id that mark page chrome, wherever they appear.
_UNLIKELY_SUBSTRINGS = (
    "comment", "related", "relate-", "relation", "lienquan", "lien-quan", "lien_quan",
    "sharing", "share-", "-share", "_share", "share_", "social", "sidebar", "advert", "newsletter",
    "breadcrumb", "readmore", "read-more", "read_more", "xemthem", "xem-them", "xem_them",
    "taboola", "outbrain", "sponsor", "subscri", "recommend", "popular", "mostread",
    "most-read", "most_read", "trending", "cookie", "popup", "modal", "banner", "widget",
    "masthead", "signup", "sign-up", "login", "paywall", "disclaimer", "copyright",
    "tin-khac", "tinkhac", "tin-cung", "box-tin", "boxtin", "box_tin", "more-news", "morenews",
    "author-info", "author-box", "authorbox", "byline", "caption",
    "toolbar", "pagination", "skip-link", "wp-block-buttons", "jp-relatedposts", "sharedaddy",
    "addthis", "fb-comments", "fb-like", "imgdesc", "img-desc", "img_desc", "image-desc", "image_desc",
    "photo-desc", "photocms", "image-note", "note-image",
)
# Whole class / id tokens (split on `-`, `_`, spaces) that mark chrome.
_UNLIKELY_TOKENS = {
    "ad", "ads", "adv", "advs", "tag", "tags", "nav", "navbar", "menu", "meta", "footer",
    "header", "share", "promo", "promotion", "author", "authors", "figure", "photo", "thumb",
    "thumbnail", "keyword", "keywords", "topic", "topics", "navigation", "breaking", "hot",
    "notification", "quangcao", "qc", "banner", "sapo", "lead", "summary", "date", "time",
    "sidebar", "aside", "related", "feedback", "survey", "gallery", "hidden", "print", "credit",
    "credits", "vote", "rating", "pager", "caption", "captions", "image", "video", "embed", "insert",
}
# ...unless the same attribute also says it holds the article.
_LIKELY = re.compile(
    r"article|body|content|entry|main|post|story|text|detail|chitiet|noidung|news-?content|fck",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|main|page|post|text|blog|story|detail|chitiet|noidung|fck",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|"
    r"promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
    r"lienquan|lien-quan|xemthem|author|byline|caption|nav|menu",
    re.IGNORECASE,
)

# Containers that common CMSs use for the article text (tried in order).
CONTAINER_CSS = (
    "article.fck_detail", "div.fck_detail", "div#content_detail_news", "div.detail-content",
    "div.detail__content", "div.article__body", "div.article-body", "div.article__content",
    "div.article-content", "div.content-detail", "div.maincontent", "div.main-content-detail",
    "div.entry-content", "div.post-content", "div.td-post-content", "div.post-body",
    "div.story-body", "div.story__body", "div.news-content", "div.detail-content-body",
    "div.single-content", "div.content-news", "section.article-body", "div.body-content",
    "div[data-field='body']", "div#main-detail", "div.cms-body", "div.contentdetail",
    "main#article-editor",
)

_ANY_CONTAINER = ", ".join(CONTAINER_CSS)

# Elements that hold the lead: class / id tokens.
_LEAD_CLASS = re.compile(
    r"(^|[-_ ])(sapo|lead|leading|summary|standfirst|dek|excerpt|intro|chapo|description|"
    r"desc|subtitle|sub-title|subhead|tomtat|abstract)([-_ ]|$)",
    re.IGNORECASE,
)
# Box headings and classes that say "related".
RELATED_HEADING = re.compile(
    r"^(tin|bai|bai viet|tin tuc)? ?lien quan|^related|^read more|^read also|^more (on|from|about)|"
    r"^xem them|^doc them|^tin cung chuyen muc|^cung chuyen muc|^see also|^you (may|might) also|"
    r"^further reading|^also read|^recommended"
)
_RELATED_CLASS = re.compile(
    r"related|relate-|relation|lienquan|lien-quan|lien_quan|readmore|read-more|read_more|"
    r"xemthem|xem-them|xem_them|see-also|seealso|more-news|morenews|tin-cung|tincung|"
    r"jp-relatedposts|yarpp",
    re.IGNORECASE,
)
# A body line that only points elsewhere: "Xem thêm: <headline>".
_POINTER_LINE = re.compile(
    r"^(xem them|doc them|tin lien quan|bai lien quan|read more|read also|see also|related|"
    r"also read|more)\s*[:>»\-–]",
)
# Lines that are chrome wherever they sit (matched accent-folded, whole line).
_CHROME_LINE = re.compile(
    r"^(tin lien quan|bai lien quan|tin cung chuyen muc|xem them|doc them|tu khoa|chu de|"
    r"chia se|chia se bai viet|binh luan|gui binh luan|quang cao|advertisement|advertising|"
    r"share|share this|share this article|share on .{1,20}|tweet|email|print|comments?|"
    r"related|related articles|related stories|read more|sign up|subscribe|follow us.{0,40}|"
    r"theo doi .{0,40} tren google news|tai ung dung .{0,40}|link goc|nguon:?|"
    r"(anh|video|do hoa|infographic|photo|image)( minh hoa)?:?|loading.{0,3}|"
    r"(\d+ )?(comments?|binh luan)|copyright .{0,80}|© .{0,80}|ban quyen .{0,80})\.?$"
)
_BYLINE = re.compile(
    r"^(by|theo|tac gia|bai|bai va anh|anh|photo|photos|text|reporting by|written by|"
    r"posted by|nguon|source)\s*[:\-–]?\s+\S",
)
_DATE_LIKE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·•:»«/]\s+|\s*\|\s*")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INLINE = {"b", "strong", "span", "i", "em", "u", "font", "small", "br", "img", "svg", "i"}
_NOT_ARTICLE_PATH = re.compile(r"/(tags?|topics?|category|categories|chu-de|tu-khoa|author|tac-gia|search)(/|$)", re.I)
_PARAGRAPH_TAGS = {"p", "pre", "td", "blockquote", "li", "dd"}
# Pictures stay until the body is chosen (a table holding one is a captioned photo).
_DROP_TAGS = (SKIP_TAGS - {"img", "picture", "source"}) | {"nav", "aside", "footer", "header", "menu", "dialog"}
_NAME = re.compile(r"^[^\W\d_][^\s\d]*(?: [^\W\d_][^\s\d]*){1,4}$")

# A body is credible from this many characters on.
MIN_BODY = 250


# --- small helpers --------------------------------------------------------------

def _tag(node) -> str:
    tag = node.tag
    return tag.lower() if isinstance(tag, str) else ""


def _attrs(node) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}".strip()


def _tokens(attrs: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", attrs.lower()) if t}


def _is_unlikely(node) -> bool:
    attrs = _attrs(node)
    if not attrs or node.get("itemprop") == "articleBody":
        return False
    lowered = attrs.lower()
    hit = any(s in lowered for s in _UNLIKELY_SUBSTRINGS) or bool(_tokens(lowered) & _UNLIKELY_TOKENS)
    if not hit:
        return False
    # "article-related" is a related box; "article-content has-share" is the body.
    if _LIKELY.search(lowered) and not _RELATED_CLASS.search(lowered):
        return len(_text(node)) < 200
    return True


def _is_hidden(node) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return (
        "display:none" in style
        or "visibility:hidden" in style
        or node.get("hidden") is not None
        or node.get("aria-hidden") == "true"
    )


def _text(node) -> str:
    """Visible text of an element (scripts and media skipped), one space between words."""
    return inline_text(node) if _tag(node) else ""


def _link_text_length(node) -> int:
    return sum(len(clean_space("".join(a.itertext()))) for a in node.iter("a"))


def _link_density(node, text_length: int | None = None) -> float:
    length = _text_length(node) if text_length is None else text_length
    return _link_text_length(node) / length if length else 0.0


def _text_length(node) -> int:
    return len(_text(node))


def _agrees(a: str, b: str) -> bool:
    """Do two headline-ish strings say the same thing (ignoring case, accents, suffixes)?"""
    fa, fb = _norm(a), _norm(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long_ = sorted((fa, fb), key=len)
    if long_.startswith(short) and len(short) >= 0.4 * len(long_):
        return True
    ta, tb = set(fa.split()), set(fb.split())
    overlap = len(ta & tb) / max(1, min(len(ta), len(tb)))
    return overlap >= 0.8 and min(len(ta), len(tb)) >= 3


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def _host_stem(url: str) -> str:
    host = bare_host(host_of(url))
    parts = host.split(".")
    return parts[0] if parts else host


# --- metadata ---------------------------------------------------------------------

class _Page(Page):
    """A Page whose `<meta>` tags are read once into a map (names matched case-blind)."""

    @cached_property
    def _metas(self) -> dict:
        found: dict = {}
        for node in self.sel.root.iter("meta"):
            content = node.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop"):
                key = (node.get(attr) or "").strip().lower()
                if key:
                    found.setdefault((attr, key), []).append(content)
        return found

    def meta(self, *names: str) -> str:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                values = self._metas.get((attr, name.lower()))
                if values:
                    return clean_space(html_lib.unescape(values[0]))
        return ""

    def metas(self, name: str) -> list[str]:
        values = self._metas.get(("property", name.lower()), []) + self._metas.get(("name", name.lower()), [])
        return [clean_space(html_lib.unescape(v)) for v in values]


class _Meta:
    """The page's machine-readable metadata, merged: JSON-LD first, then meta tags."""

    def __init__(self, page: Page):
        self.page = page
        objects = page.json_ld
        self.article = page.article_ld or self._nested_article(objects)
        self.webpage = next((o for o in objects if _types(o) & {"WebPage", "ItemPage"}), {})
        self.breadcrumbs = next((o for o in objects if "BreadcrumbList" in _types(o)), {})
        publisher = self.article.get("publisher") if isinstance(self.article.get("publisher"), dict) else {}
        website = next((o for o in objects if "WebSite" in _types(o)), {})
        self.site_names = unique(
            n for n in (
                page.meta("og:site_name", "application-name", "apple-mobile-web-app-title"),
                ld_text(publisher.get("name")) if publisher else "",
                ld_text(website.get("name")),
                _host_stem(page.url),
                bare_host(host_of(page.url)),
            ) if n
        )

    @staticmethod
    def _nested_article(objects) -> dict:
        """An article hiding in `mainEntity` / `mainEntityOfPage` of a WebPage."""
        for obj in objects:
            for key in ("mainEntity", "mainEntityOfPage"):
                inner = obj.get(key)
                if isinstance(inner, dict) and _types(inner) & (ARTICLE_TYPES - {"WebPage"}):
                    return inner
        return {}


def _types(obj: dict) -> set[str]:
    types = obj.get("@type")
    return {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}


def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    """`Headline - VnExpress` and `VnExpress | Headline` lose the site's name."""
    title = clean_space(title)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {_norm(n).replace(" ", "") for n in site_names if n}

    def is_site(part: str) -> bool:
        squashed = _norm(part).replace(" ", "")
        return bool(squashed) and any(
            squashed == n or (len(n) >= 4 and (n in squashed or squashed in n)) for n in names
        )

    # Drop site-name segments at either end; keep inner separators as they were.
    while len(parts) > 1 and is_site(parts[-1]):
        title = title[: title.rfind(parts[-1])].rstrip()
        title = re.sub(r"\s*[-|–—·•:»«/]\s*$", "", title)
        parts = parts[:-1]
    while len(parts) > 1 and is_site(parts[0]):
        title = title[title.find(parts[0]) + len(parts[0]):].lstrip()
        title = re.sub(r"^[-|–—·•:»«/]\s*", "", title)
        parts = parts[1:]
    return title.strip()


def _title(page: Page, meta: _Meta) -> tuple[str, object]:
    """The headline, and the `h1` element it came from (or None)."""
    declared = [
        ld_text(meta.article.get("headline")) or ld_text(meta.article.get("name")),
        page.meta("og:title"),
        page.meta("twitter:title"),
        text_of(page.css("title")[0]) if page.css("title") else "",
    ]
    declared = [d for d in declared if d]
    cleaned = [_strip_site_suffix(d, meta.site_names) for d in declared]
    h1s = [(text_of(h), h.root) for h in page.css("h1")]
    h1s = [(t, node) for t, node in h1s if t]
    for text, node in h1s:
        if any(_agrees(text, d) for d in cleaned + declared):
            return strip_separators(text), node
    # Some templates keep h1 for the section name and print the headline in an h2.
    for heading in page.css('[itemprop="headline"], h2, h3'):
        text = text_of(heading)
        if text and heading.root.tag != "meta" and any(_agrees(text, d) for d in cleaned + declared):
            return strip_separators(text), heading.root
    if cleaned:
        return strip_separators(cleaned[0]), None
    if h1s:
        return strip_separators(h1s[0][0]), h1s[0][1]
    return "", None


def _descriptions(page: Page, meta: _Meta) -> list[str]:
    values = [
        ld_text(meta.article.get("description")),
        page.meta("og:description"),
        page.meta("description"),
        page.meta("twitter:description"),
    ]
    return unique(v for v in values if v)


def _lead_nodes(page: Page) -> list:
    """Elements that look like the page's lead, in document order."""
    found = []
    for node in page.sel.root.iter():
        if not isinstance(node.tag, str) or _tag(node) in ("meta", "html", "body", "a", "img", "script", "style"):
            continue
        attrs = _attrs(node)
        if (attrs and _LEAD_CLASS.search(attrs)) or node.get("itemprop") in ("description", "abstract"):
            found.append(node)
    return found


def _summary(page: Page, meta: _Meta, title_node) -> tuple[str, object]:
    """The lead as the page shows it (and its element), else the meta description."""
    descriptions = _descriptions(page, meta)
    candidates = []
    for node in _lead_nodes(page):
        if any(_tag(a) in ("a", "li", "nav", "aside", "footer") for a in node.iterancestors()):
            continue
        text = _text(node)
        if not 30 <= len(text) <= 1500 or _link_density(node, len(text)) > 0.3:
            continue
        if _unlikely_ancestor(node):
            continue
        candidates.append((text, node))
    for text, node in candidates:
        if any(_overlap(text, d) >= 0.6 for d in descriptions):
            return strip_separators(text), node
    # No description to agree with: the first lead-like element after the headline.
    if candidates and title_node is not None:
        order = {n: i for i, n in enumerate(page.sel.root.iter())}
        after = [(t, n) for t, n in candidates if order.get(n, 0) > order.get(title_node, 0)]
        if after and not descriptions:
            return strip_separators(after[0][0]), after[0][1]
    return (descriptions[0] if descriptions else ""), None


def _unlikely_ancestor(node) -> bool:
    for ancestor in node.iterancestors():
        attrs = _attrs(ancestor).lower()
        if attrs and _RELATED_CLASS.search(attrs):
            return True
    return False


def _overlap(a: str, b: str) -> float:
    """Share of the shorter text's words found in the longer one."""
    ta, tb = _norm(a).split(), _norm(b).split()
    if not ta or not tb:
        return 0.0
    short, long_ = sorted((ta, tb), key=len)
    pool = set(long_)
    return sum(1 for t in short if t in pool) / len(short)


def _authors(page: Page, meta: _Meta) -> list[str]:
    names = ld_names(meta.article.get("author"))
    if not names:
        for value in (page.meta("author", "article:author", "dable:author", "sailthru.author", "parsely-author"),):
            if value and not value.startswith("http"):
                names = ld_names(value)
    if not names:
        for css in ('[itemprop="author"] [itemprop="name"]', '[rel="author"]', '[itemprop="author"]',
                    ".author-name", ".byline a", ".author a", ".byline", "p.author", "span.author", "div.author"):
            texts = [text_of(n) for n in page.css(css)]
            texts = [re.sub(r"^(by|theo|tác giả)\s*:?\s+", "", t, flags=re.IGNORECASE) for t in texts if t and len(t) < 60]
            if texts:
                names = texts
                break
    site = {_norm(n).replace(" ", "") for n in meta.site_names}
    kept = []
    for name in names:
        name = strip_separators(name)
        if not name or name.startswith("http") or _norm(name).replace(" ", "") in site or len(name) > 60:
            continue
        kept.append(name)
    return unique(kept)


def _published(page: Page, meta: _Meta, title_node=None) -> str | None:
    sel = page.sel
    candidates = [
        ld_text(meta.article.get("datePublished")),
        page.meta("article:published_time", "og:article:published_time", "datePublished", "pubdate",
                  "publishdate", "publish-date", "date", "dc.date", "DC.date.issued", "sailthru.date",
                  "parsely-pub-date", "article.published", "cXenseParse:recs:publishtime"),
        sel.css('[itemprop="datePublished"]::attr(datetime), [itemprop="datePublished"]::attr(content)').get(""),
        sel.css("time[pubdate]::attr(datetime)").get(""),
        sel.css("time[datetime]::attr(datetime)").get(""),
        ld_text(meta.webpage.get("datePublished")),
        ld_text(meta.article.get("dateCreated")),
        page.meta("article:modified_time", "og:updated_time"),
        ld_text(meta.article.get("dateModified")),
    ]
    for candidate in candidates:
        value = iso_datetime(candidate) if candidate else None
        if value:
            return value
    # The date printed on the page, in an element that says it holds one; the first
    # after the headline wins (a header's "today" sits before it).
    printed, after_title, seen_title = [], [], title_node is None
    for node in sel.root.iter():
        if node is title_node:
            seen_title = True
        if not isinstance(node.tag, str) or _tag(node) in ("html", "body", "script", "style"):
            continue
        attrs = _attrs(node).lower()
        if attrs and re.search(r"date|time|publish|posted|ngay|thoigian", attrs) and not re.search(r"now|today|current|clock|weather", attrs):
            text = _text(node)
            if len(text) <= 80 and _DATE_LIKE.search(text):
                value = iso_datetime(text)
                if value:
                    (after_title if seen_title else printed).append(value)
    # After the headline the first date is the article's; before it, the nearest.
    if after_title:
        return after_title[0]
    return printed[-1] if printed else None


def _category(page: Page, meta: _Meta, title: str) -> str:
    section = meta.article.get("articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), "")
    value = ld_text(section) if section else page.meta("article:section", "section", "category")
    if value:
        return strip_separators(value)
    items = meta.breadcrumbs.get("itemListElement") if meta.breadcrumbs else None
    names = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            name = ld_text(item.get("name")) or ld_text(item.get("item"))
            if name and not name.startswith("http"):
                names.append(name)
    if not names:
        for css in ('[class*="breadcrumb"] a', 'nav[aria-label*="readcrumb"] a', '[class*="breadcrumb"] li'):
            names = [t for t in (text_of(n) for n in page.css(css)) if t]
            if names:
                break
    names = [n for n in names if not _agrees(n, title) and _norm(n) not in ("home", "trang chu", "homepage")]
    return strip_separators(names[-1]) if names else ""


def _tags(page: Page, meta: _Meta) -> list[str]:
    tags = page.metas("article:tag")
    if not tags:
        keywords = meta.article.get("keywords")
        if isinstance(keywords, str):
            tags = keywords.split(",")
        elif isinstance(keywords, list):
            tags = [part for k in keywords if isinstance(k, str) for part in k.split(",")]
    if not tags:
        for css in ('a[rel~="tag"]', '[class*="tags"] a', '[class*="tag-list"] a', '[class*="tag_"] a', ".tag a"):
            tags = [t for t in (text_of(n) for n in page.css(css)) if t and len(t) < 60]
            if tags:
                break
    if not tags:
        tags = (page.meta("news_keywords") or page.meta("keywords")).split(",")
    return unique(strip_separators(clean_space(html_lib.unescape(t))).lstrip("#").strip() for t in tags if t)


def _language(page: Page, body: str) -> str:
    declared = (
        page.sel.xpath("/html/@lang").get("")
        or page.meta("og:locale", "language", "content-language", "dc.language")
        or page.css('meta[http-equiv="content-language"]::attr(content)').get("")
        or ld_text(page.article_ld.get("inLanguage"))
    )
    if declared.strip():
        return re.split(r"[-_]", declared.strip().lower())[0]
    sample = body[:3000]
    if not sample:
        return ""
    letters = sum(ch.isalpha() for ch in sample) or 1
    if len(_VIETNAMESE.findall(sample)) / letters > 0.02:
        return "vi"
    if sum(ch.isascii() for ch in sample if ch.isalpha()) / letters > 0.95:
        return "en"
    return ""


# --- related links --------------------------------------------------------------

def _related_boxes(root) -> list:
    """Elements that are 'related' boxes: by class / id, or by their heading's text."""
    boxes = []
    for node in root.iter():
        if not isinstance(node.tag, str) or _tag(node) in ("html", "body", "a", "script", "style", "meta", "link"):
            continue
        attrs = _attrs(node)
        if attrs and _RELATED_CLASS.search(attrs) and node.find(".//a") is not None:
            boxes.append(node)
            continue
        if _tag(node) in _HEADINGS or _tag(node) in ("div", "span", "strong", "p", "b", "header", "label"):
            if any(_tag(child) not in _INLINE for child in node):
                continue  # a heading carries its text itself
            own = clean_space("".join(node.itertext()))
            if 3 <= len(own) <= 40 and RELATED_HEADING.search(_norm(own)) and node.find(".//a") is None:
                box = node.getparent()
                # Climb until the box holds links besides the heading.
                for _ in range(3):
                    if box is None or box.find(".//a") is not None:
                        break
                    box = box.getparent()
                if box is None or _tag(box) in ("body", "html"):
                    continue
                length = _text_length(box)
                if length < 5000 and _link_density(box, length) >= 0.3:
                    boxes.append(box)
    # Keep outermost boxes only.
    chosen = []
    for box in boxes:
        if not any(other is not box and _is_ancestor(other, box) for other in boxes):
            if box not in chosen:
                chosen.append(box)
    return chosen


def _is_ancestor(ancestor, node) -> bool:
    return any(a is ancestor for a in node.iterancestors())


def _links_of(nodes, page: Page) -> list[dict]:
    out, seen = [], {canonical_url(page.url)}
    for node in nodes:
        anchors = [node] if _tag(node) == "a" else node.iter("a")
        for anchor in anchors:
            href = (anchor.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
                continue
            headline = strip_separators(anchor.get("title") or clean_space("".join(anchor.itertext())))
            if len(headline) < 15 or RELATED_HEADING.search(_norm(headline)):
                continue
            url = canonical_url(href, base=page.url)
            path = urlsplit(url).path
            if not url.startswith("http") or url in seen or path in ("", "/") or _NOT_ARTICLE_PATH.search(path):
                continue
            seen.add(url)
            out.append({"url": url, "headline": headline})
    return out


# --- body -------------------------------------------------------------------------

def _prune(root, keep=()) -> None:
    """Remove scripts, navigation, hidden nodes and chrome boxes from `root` in place."""
    keep_ids = {id(k) for k in keep}
    doomed = []
    for node in root.iter():
        if id(node) in keep_ids:
            continue
        tag = _tag(node)
        if not tag:
            if isinstance(node, (etree._Comment, etree._ProcessingInstruction)):
                doomed.append(node)
            continue
        if tag in ("html", "body"):
            continue
        if tag == "form" and len("".join(node.itertext())) > 500:
            node.tag = "div"  # ASP.NET wraps the whole page in one <form>
            continue
        if tag == "figure" and node.find(".//table") is not None:
            continue  # CKEditor wraps tables in <figure class="table">: unwrapped below
        if tag in _DROP_TAGS or _is_hidden(node):
            doomed.append(node)
        elif tag not in ("article", "main") and _is_unlikely(node):
            if not any(_is_ancestor(node, k) for k in keep):
                doomed.append(node)
    for node in doomed:
        if node.getparent() is not None:
            remove_keeping_tail(node)
    for figure in list(root.iter("figure")):
        table = figure.find(".//table")
        if table is not None and figure.getparent() is not None:
            table.tail = figure.tail
            figure.getparent().replace(figure, table)


def _clean_container(container) -> None:
    """Inside the chosen container: drop link lists, picture tables, byline-only boxes."""
    for node in list(container.iter("table")):
        if node.getparent() is None:
            continue
        text = _text(node)
        if node.find(".//img") is not None and len(text) < 300:
            remove_keeping_tail(node)  # a picture with its caption
    for node in list(container.iter("p", "div")):
        # A centred line in italics under a picture is its caption.
        style = (node.get("style") or "").replace(" ", "").lower()
        centred = node.get("align") == "center" or "text-align:center" in style
        if centred and len(node) and not (node.text or "").strip() and all(
            _tag(c) in ("em", "i") and not (c.tail or "").strip() for c in node
        ) and len(_text(node)) < 300:
            remove_keeping_tail(node)
    for node in list(container.iter("article", "aside")):
        if node is not container and node.getparent() is not None and _text_length(node) < 600:
            remove_keeping_tail(node)  # an embedded teaser for another story
    for node in list(container.iter("ul", "ol", "div", "section", "p", "table")):
        if node is container or node.getparent() is None or not _is_in(node, container):
            continue
        length = _text_length(node)
        if not length:
            continue
        density = _link_density(node, length)
        if _tag(node) in ("ul", "ol", "div", "section", "table") and density > 0.5 and (length < 1000 or density > 0.8):
            remove_keeping_tail(node)
        elif _tag(node) == "p" and density > 0.8 and length < 300:
            remove_keeping_tail(node)


def _is_in(node, container) -> bool:
    return node is container or any(a is container for a in node.iterancestors())


def _score_candidates(root) -> dict:
    """Readability-style scores: each paragraph's worth, summed into its ancestors."""
    scores: dict = {}

    def base(node) -> float:
        tag = _tag(node)
        value = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}.get(tag, 0)
        if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
            value -= 3
        elif tag in _HEADINGS or tag == "th":
            value -= 5
        attrs = _attrs(node)
        if attrs:
            if _NEGATIVE.search(attrs):
                value -= 25
            if _POSITIVE.search(attrs):
                value += 25
        if node.get("itemprop") == "articleBody":
            value += 50
        return value

    for node in root.iter():
        tag = _tag(node)
        if tag in _PARAGRAPH_TAGS or (tag == "div" and not _has_block_child(node)):
            text = _text(node)
            if len(text) < 25:
                continue
            worth = 1 + len(re.findall(r"[,،、，;]", text)) + min(len(text) // 100, 3)
            for level, ancestor in enumerate(node.iterancestors()):
                if level > 4 or _tag(ancestor) in ("html", "body"):
                    break
                if ancestor not in scores:
                    scores[ancestor] = base(ancestor)
                scores[ancestor] += worth / (1 if level == 0 else 2 if level == 1 else level * 3)
    for node in list(scores):
        scores[node] *= 1 - _link_density(node)
    return scores


def _has_block_child(node) -> bool:
    return any(_tag(child) in BLOCK_TAGS for child in node.iterdescendants())


def _density_container(root):
    scores = _score_candidates(root)
    if not scores:
        return None
    top = max(scores, key=scores.get)
    # A parent that gathers several strong candidates is the real article.
    parent = top.getparent()
    if parent is not None and parent in scores and _tag(parent) not in ("html", "body"):
        strong = [n for n in parent if n in scores and scores[n] >= scores[top] * 0.3]
        if len(strong) >= 2:
            top = parent
    return top


def _blocks(container) -> list[str]:
    return [clean_space(t) for t in iter_blocks(container) if clean_space(t)]


def _container_text(node) -> str:
    return " ".join(_blocks(node))


def _filter_paragraphs(paragraphs: list[str], title: str, summary: str, authors: list[str]) -> list[str]:
    kept = []
    author_keys = {_norm(a) for a in authors}
    last = len(paragraphs) - 1
    for index, text in enumerate(paragraphs):
        folded = _norm(text)
        if not folded:
            continue
        if _CHROME_LINE.match(folded) or _POINTER_LINE.match(fold(text)):
            continue
        if title and _norm(title) == folded:
            continue
        if summary and (_norm(summary) == folded or (len(text) > 60 and _norm(summary).startswith(folded))):
            continue
        near_edge = index <= 1 or index >= last - 1
        if near_edge and len(text) < 80:
            if folded in author_keys or _BYLINE.match(fold(text)) or (
                _DATE_LIKE.search(text) and len(text) < 60 and iso_datetime(text)
            ):
                continue
        kept.append(text)
    # Consecutive duplicates (a lead repeated, a heading printed twice).
    out = []
    for text in kept:
        if not out or out[-1] != text:
            out.append(text)
    return out


def _pointer_links(container, page: Page) -> list[dict]:
    """`Xem thêm: <a>headline</a>` lines inside the body are related links."""
    found = []
    for node in container.iter("p", "div", "li", "strong", "b", "em"):
        text = fold(_text(node))
        if _POINTER_LINE.match(text) and node.find(".//a") is not None:
            found.append(node)
    return _links_of(found, page)


def _trafilatura_paragraphs(html: str, url: str, precision: bool = True) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # optional: the crawl works without it
        return []
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, include_images=False,
        favor_precision=precision, favor_recall=not precision, deduplicate=False,
    )
    paragraphs = []
    for line in (text or "").split("\n"):
        line = clean_space(re.sub(r"^\s*[-*•]\s+", "", line))
        cells = re.fullmatch(r"\|(.*)\|", line)
        if cells and cells.group(1).count(" | ") == 0:
            line = clean_space(cells.group(1))  # a layout table's one-cell row
        if line:
            paragraphs.append(line)
    return paragraphs


def _tokens_of(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _f1(candidate: str, reference: str) -> float:
    from collections import Counter

    a, b = Counter(_tokens_of(candidate)), Counter(_tokens_of(reference))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _ld_paragraphs(value) -> list[str]:
    """JSON-LD articleBody as paragraphs (its line breaks kept, any markup dropped)."""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return []
    text = html_lib.unescape(re.sub(r"<(?:br|/p|/h\d|/li|/div)\s*/?>", "\n", value, flags=re.IGNORECASE))
    text = re.sub(r"<[^>]+>", " ", text)
    return [line for line in (clean_space(part) for part in re.split(r"\n+", text)) if line]


class _Body:
    """Finds the body; remembers which method answered."""

    def __init__(self, page: Page, html: str, title: str, title_node, summary: str, lead_node, authors, meta):
        self.page, self.html = page, html
        self.title, self.title_node = title, title_node
        self.summary, self.lead_node = summary, lead_node
        self.authors, self.meta = authors, meta
        self.pointer_links: list[dict] = []
        self.bold_lead = ""

    def _strong_containers(self) -> tuple[list, str]:
        root = self.page.sel.root
        found = root.xpath('//*[@itemprop="articleBody"]')
        if found:
            return found, "itemprop"
        if not self.page.css(_ANY_CONTAINER):
            return [], ""
        for css in CONTAINER_CSS:
            found = [s.root for s in self.page.css(css)]
            if found:
                return found, "container"
        return [], ""

    def _paragraphs(self, container) -> list[str]:
        self.pointer_links = _pointer_links(container, self.page)
        _clean_container(container)
        self._take_signature(container)
        first = next((n for n in container.iter("p") if _text(n)), None)
        if first is not None and len(first) and not (first.text or "").strip() and all(
            _tag(c) in ("b", "strong") and not (c.tail or "").strip() for c in first
        ) and 60 <= len(_text(first)) <= 800:
            self.bold_lead = _text(first)
        lead = self.summary if self.lead_node is not None else ""
        return _filter_paragraphs(_blocks(container), self.title, lead, self.authors)

    def _take_signature(self, container) -> None:
        """A closing right-aligned or bold-only short name is the byline (Vietnamese style)."""
        blocks = [n for n in container.iter("p", "div") if len(n) == 0 or all(_tag(c) in _INLINE for c in n)]
        blocks = [n for n in blocks if _text(n)]
        if not blocks:
            return
        last = blocks[-1]
        text = _text(last)
        style = (last.get("style") or "").replace(" ", "").lower()
        right = last.get("align") == "right" or "text-align:right" in style
        bold = all(_tag(c) in ("b", "strong") for c in last) and len(last) > 0 and not (last.text or "").strip()
        names = [n for n in re.split(r"\s+[-–]\s+|\s*,\s*|\s+(?:và|and)\s+", text) if n]
        if len(text) <= 60 and (right or bold) and names and all(
            _NAME.match(n) and all(w[0].isupper() for w in n.split()) for n in names
        ):
            if not self.authors:
                self.authors.extend(names)
            remove_keeping_tail(last)

    def find(self) -> tuple[list[str], str]:
        root = self.page.sel.root
        ld_body = clean_space(ld_text(self.meta.article.get("articleBody")))
        # The lead and the headline are fields of their own, never body text.
        for node in (self.lead_node, self.title_node):
            if node is not None and node.getparent() is not None:
                remove_keeping_tail(node)
        strong, how = self._strong_containers()
        _prune(root, keep=strong)
        strong = [n for n in strong if _is_in(n, root)]
        container = max(strong, key=_text_length) if strong else None
        if container is not None and _text_length(container) < MIN_BODY:
            container = None
        if container is None and len(ld_body) >= MIN_BODY:
            container, how = self._match_ld(root, ld_body), "jsonld"
            if container is None:
                return _ld_paragraphs(self.meta.article.get("articleBody")), "jsonld"
        if container is None:
            container, how = _density_container(root), "density"
        paragraphs = self._paragraphs(container) if container is not None else []
        if len("\n\n".join(paragraphs)) < MIN_BODY:
            # A weak or small answer: trafilatura's extraction competes.
            other = _filter_paragraphs(_trafilatura_paragraphs(self.html, self.page.url), self.title, "", self.authors)
            if len("\n\n".join(other)) > len("\n\n".join(paragraphs)):
                return other, "trafilatura"
        return paragraphs, how

    def _match_ld(self, root, ld_body: str):
        """The element whose text best matches JSON-LD articleBody, if one matches well."""
        scores = _score_candidates(root)
        best, best_f1 = None, 0.0
        for node in sorted(scores, key=scores.get, reverse=True)[:15]:
            f1 = _f1(_container_text(node), ld_body)
            if f1 > best_f1:
                best, best_f1 = node, f1
        return best if best_f1 >= 0.7 else None


# --- the parser --------------------------------------------------------------------

def parse_generic(html: str, url: str) -> dict:
    """Article fields of any page, for hosts without a site module."""
    page = _Page(html, url)
    meta = _Meta(page)
    title, title_node = _title(page, meta)
    summary, lead_node = _summary(page, meta, title_node)
    authors = _authors(page, meta)
    published = _published(page, meta, title_node)
    category = _category(page, meta, title)
    tags = _tags(page, meta)
    related = _links_of(_related_boxes(page.sel.root), page)
    body_finder = _Body(page, html, title, title_node, summary, lead_node, authors, meta)
    paragraphs, how = body_finder.find()  # prunes the tree: metadata first
    seen = {link["url"] for link in related}
    related += [link for link in body_finder.pointer_links if link["url"] not in seen]
    if not summary and body_finder.bold_lead:
        summary = body_finder.bold_lead  # a bold opening paragraph is the lead (sapo)
    if summary and paragraphs and _norm(paragraphs[0]) == _norm(summary):
        paragraphs = paragraphs[1:]  # the lead printed again as the first paragraph
    body = "\n\n".join(paragraphs)
    return {
        "url": canonical_url(url),
        "site": bare_host(host_of(url)),
        "title": title,
        "summary": summary,
        "body": body,
        "authors": authors,
        "published": published,
        "category": category,
        "tags": tags,
        "related": related,
        "language": _language(page, body),
        "parser": f"generic/{how}",
    }
