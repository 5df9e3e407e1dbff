"""vnexpress.net (VnExpress): business, Net Zero and environment news.

Markup facts (from saved real pages, 2026; see notes/vnexpress_vneconomy.md):
- Two live detail templates: `h1.title-detail` and `p.description` either sit
  inside `article.fck_detail` ("v2", July 2026 page) or before it as siblings
  in `div.sidebar-1` ("v1", March 2026 page). Both are selected page-wide and
  removed from the body, never "first p of the body = lead".
- The byline is the last paragraph of the body, right-aligned
  (`<p class="Normal" style="text-align:right;"><strong>Hà Thu</strong>
  <em>(tổng hợp)</em></p>`): it becomes the authors and leaves the body.
  `meta[name=author]` and the JSON-LD author are the organisation, never a writer.
- Crossheads are `p.Normal` holding only a bold span: plain paragraphs here.
- Images are `figure.tplCaption` (older pages: `table.tplCaption`) with the
  caption in `p.Image`; captions are not body.
- Dates: JSON-LD / `meta[itemprop=datePublished]` carry seconds; the printed
  `span.date` (`Thứ ba, 7/7/2026, 19:37 (GMT+7)`, not zero-padded) is the
  fallback. The header's `#timeNow` is today's date: never read it.
- No tag links in the static HTML (`#_detail_listtag` is filled by JS): tags
  come from `meta[name=keywords]`, kept only where `meta[name=its_tag]` (the
  lower-cased subject tags) confirms them, which drops editorial taxonomies
  such as "Tin nóng". `meta[property=article:tag]` holds the topic + taxonomy.
- The "Xem thêm" box (`div[data-component-type=tin_xemthem]`) holds article
  ids only (headlines come from JS), so related headlines exist only where an
  in-body `ul.list-news` list is printed.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from selectolax.lexbor import LexborNode

from ..analysis.dom import TEXT, ancestors, attr
from ..analysis.dom_text import iter_blocks, node_text, text_without, without
from ..analysis.html import ld_names, ld_text
from ..analysis.text import VIETNAM_TZ, clean_space, fold, iso_datetime, strip_separators, unique
from . import register
from .base import SLUG, ArticleLayout, Page, Site

# Boxes inside the body container that are not article text.
BODY_DROP = (
    # headline and lead when they sit inside the container (v2)
    "h1", "p.description", "div.list_diendan", "div.neo-pin", "div.topbar-sticky",
    # images and their captions
    "figure", "table.tplCaption", "div.fig-picture", "p.Image", "div.desc_cation",
    # everything after the end marker: "Xem thêm" ids, comments, promotions
    "span#article-end ~ *", "div[data-component-type]",
    # in-body related list (read by `related`), sponsored, video, poll, paywall chrome
    "ul.list-news", "div.box-tinlienquanv2", "div.box_brief_info", "div.box_quangcao",
    "div.box_embed_video", "div.embed-container", "div.vote_rating_box",
    "div.paywall-paragraph-overlay", "a.paywall-readmore", ".ContractNo",
    "div.btn-loadmore", "div.banner-ads", "ins", "div.social", "div.footer-content",
)

_RIGHT_ALIGNED = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_BYLINE_CLASSES = {"author_mail", "author", "author_top"}
_NOT_A_NAME = re.compile(r"^(theo|nguồn|ảnh|video|đồ họa|đồ hoạ|clip|infographic|thực hiện)\b", re.IGNORECASE)
_ROLE_PREFIX = re.compile(r"^(bài(\s*(và|,)\s*ảnh)?|bài viết|nhóm thực hiện|thực hiện|nhóm phóng viên)\s*:\s*", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_TAXONOMY = re.compile(r"""['"]article_taxonomy['"]\s*:\s*['"]([^'"]*)['"]""")
_UNIX = re.compile(r"^\d{9,11}$")


def _bold_texts(node: LexborNode, bold: bool = False):
    """The texts under `node` inside a `strong` or `b` (XPath's `.//strong//text() | .//b//text()`)."""
    for child in node.iter(include_text=True):
        if child.tag == TEXT:
            if bold:
                yield child.text_content
        elif child.is_element_node:
            yield from _bold_texts(child, bold or child.tag in ("strong", "b"))


def _texts_in(node: LexborNode):
    if node.tag == TEXT:
        yield node.text_content
    elif node.is_element_node and node.tag not in ("script", "style"):
        for child in node.iter(include_text=True):
            yield from _texts_in(child)


def _texts_after(node: LexborNode):
    """The texts after `node` in its tree, not in scripts or styles (XPath's `following::text()`)."""
    while node is not None:
        sibling = node.next
        while sibling is not None:
            yield from _texts_in(sibling)
            sibling = sibling.next
        node = node.parent


def _looks_like_names(text: str) -> bool:
    words = [w for w in re.split(r"[\s\-–—,;]+", text) if w]
    return 0 < len(words) <= 8 and all(w[0].isupper() for w in words if w[0].isalpha())


def _is_byline(p, text: str) -> bool:
    """A short closing paragraph that is a byline, not prose."""
    if not text or len(text) > 120:
        return False
    classes = set(attr(p, "class").split())
    if classes & _BYLINE_CLASSES:
        return True
    if _RIGHT_ALIGNED.search(attr(p, "style")) or attr(p, "align").lower() == "right":
        return True
    # A last paragraph that is only a bold name ("Minh Sơn - Hải Hiền").
    bold = " ".join(clean_space(t) for t in _bold_texts(p))
    return clean_space(bold) == text and _looks_like_names(text) and not text.endswith((".", ":", "?", "!"))


def pop_bylines(root: LexborNode) -> list[str]:
    """Remove the closing byline paragraph(s) from `root` (a copy of the body); return their texts."""
    bylines: list[str] = []
    for _ in range(2):  # "Name" then, rarely, a separate "Theo Reuters" line
        candidates = [
            p for p in root.css("p")
            if not any(a.tag in ("table", "li", "blockquote", "figure") for a in ancestors(p))
        ]
        last = next((p for p in reversed(candidates) if node_text(p)), None)
        if last is None:
            break
        text = node_text(last)
        # It must close the body: no text after it.
        if any(t.strip() for t in _texts_after(last)) or not _is_byline(last, text):
            break
        bylines.insert(0, text)
        last.decompose()
    return bylines


def byline_names(text: str) -> list[str]:
    """`Hà Thu (tổng hợp)`, `Như Tâm (theo Reuters)`, `Minh Sơn - Hải Hiền` -> names."""
    text = _EMAIL.sub(" ", clean_space(text))
    text = re.sub(r"\([^)]*\)?", " ", text)  # roles and sources in brackets
    text = _ROLE_PREFIX.sub("", clean_space(text))
    names = []
    for part in re.split(r"\s+[-–—]\s+|\s*[,;/|]\s*|\s+và\s+", text):
        part = strip_separators(part).strip(" .:")
        if not part or _NOT_A_NAME.match(part) or len(part) > 50 or len(part.split()) > 6:
            continue
        names.append(part)
    return names


class VnexpressLayout(ArticleLayout):
    """What both detail templates share; subclasses differ in where the head sits."""

    title_css = ("h1.title-detail", "h1.title_news_detail", "section.page-detail h1")
    # The lead follows the headline in both templates; listing boxes on the
    # page also have `p.description`, so never take just any of them.
    summary_css = (
        "article.fck_detail > p.description",
        "div.sidebar-1 > p.description",
        "h1.title-detail ~ p.description",
        "div.sidebar_1 > p.description",
        "h1.title_news_detail ~ p.description",
    )
    body_css = ("article.fck_detail", "div.fck_detail", ".fck_detail")
    body_drop_css = BODY_DROP
    date_css = ("div.header-content span.date", "span.date", "span.time")
    category_css = ("div.header-content ul.breadcrumb li a", "ul.breadcrumb li a")
    related_css = (
        "article.fck_detail ul.list-news li a:not(.count_cmt)",
        ".fck_detail ul.list-news li a:not(.count_cmt)",
        "div.box-tinlienquanv2 .title-news a",
    )

    def matches(self, page: Page) -> bool:
        return page.first(self.title_css) is not None and page.first(self.body_css) is not None

    # --- body and byline: one pass, cached on the page ------------------------
    def _parts(self, page: Page) -> tuple[list[str], list[str]]:
        return page.once(("vnexpress parts", self.name), lambda: self._read_parts(page))

    def _read_parts(self, page: Page) -> tuple[list[str], list[str]]:
        container = page.first(self.body_css)
        if container is None:
            return [], []
        cleaned = without(container, self.body_drop_css)
        bylines = pop_bylines(cleaned)
        return list(iter_blocks(cleaned)), bylines

    def body(self, page: Page) -> list[str]:
        return self._parts(page)[0]

    def authors(self, page: Page) -> list[str]:
        names = [name for line in self._parts(page)[1] for name in byline_names(line)]
        if not names:
            # JSON-LD names a Person on some pages; the Organization is the paper.
            author = page.article_ld.get("author")
            people = [a for a in (author if isinstance(author, list) else [author]) if isinstance(a, dict) and a.get("@type") == "Person"]
            names = ld_names(people) if people else []
        return unique(n for n in names if fold(n) not in ("vnexpress", "bao vnexpress", "vnexpress.net"))

    # --- head fields --------------------------------------------------------------
    def title(self, page: Page) -> str:
        return (
            page.first_text(self.title_css)
            or ld_text(page.article_ld.get("headline"))
            or page.meta("og:title", "its_title")
        )

    def summary(self, page: Page) -> str:
        for css in self.summary_css:
            for node in page.css(css):
                # `Lâm Đồng` location stamps are glued to the lead's first word.
                text = text_without(node, ("span.location-stamp",))
                if text:
                    return text
        text = ld_text(page.article_ld.get("description")) or page.meta("og:description")
        if not text:
            text = re.sub(r"\s*-\s*VnExpress$", "", page.meta("description"))
        return text

    def published(self, page: Page) -> str | None:
        candidates = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("datePublished", "pubdate", "article:published_time"),
        ]
        unix = page.meta("its_publication")
        for candidate in candidates:
            value = iso_datetime(candidate)
            if value:
                return value
        if _UNIX.match(unix):
            return iso_datetime(datetime.fromtimestamp(int(unix), VIETNAM_TZ))
        return iso_datetime(page.first_text(self.date_css))

    def category(self, page: Page) -> str:
        crumbs = page.all_texts(self.category_css)
        if crumbs:
            return crumbs[-1]
        for obj in page.json_ld:
            if obj.get("@type") == "BreadcrumbList":
                items = [i for i in obj.get("itemListElement") or [] if isinstance(i, dict)]
                names = [n for n in (ld_text(i.get("item") if isinstance(i.get("item"), dict) else i.get("name")) for i in items) if n]
                if names:
                    return names[-1]
        return page.meta("articleSection", "article:section") or ld_text(page.article_ld.get("articleSection"))

    def tags(self, page: Page) -> list[str]:
        def split(value: str) -> list[str]:
            return [clean_space(v) for v in (value or "").split(",") if clean_space(v)]

        @cache
        def taxonomy() -> set[str]:
            """The page's section names, which `keywords` repeats (read only when needed, and once: scripts are long)."""
            names = set()
            for found in _TAXONOMY.findall(" ".join(page.css("script::text"))):
                names.update(fold(t) for t in split(found))
            return names

        keywords = split(page.meta("news_keywords", "keywords"))
        subject_tags = split(page.meta("its_tag"))
        if subject_tags:
            confirmed = {fold(t) for t in subject_tags}
            tags = [k for k in keywords if fold(k) in confirmed] or subject_tags
        else:
            sections = taxonomy()
            tags = [k for k in keywords if fold(k) not in sections and fold(k) != "tin nong"]
        if not tags:
            sections = taxonomy()
            topics = [t for tag in page.metas("article:tag") for t in split(tag)]
            tags = [t for t in topics if fold(t) not in sections and fold(t) != "tin nong"]
        return unique(tags)


class VnexpressV2(VnexpressLayout):
    """2026 template: headline and lead inside `article.fck_detail`."""

    name = "v2"

    def matches(self, page: Page) -> bool:
        return page.first((".fck_detail h1.title-detail", ".fck_detail h1")) is not None


class VnexpressV1(VnexpressLayout):
    """Template with headline and lead before `article.fck_detail` (special topics, older pages)."""

    name = "v1"


@register
class Vnexpress(Site):
    name = "vnexpress"
    description = "VnExpress: business, Net Zero and environment news"
    domains = ("vnexpress.net",)
    # Net Zero (Kinh doanh's green-transition section, in the real nav),
    # the environment column of Góc nhìn, and Kinh doanh itself (energy,
    # ESG, commodity stories); the topics stage keeps the green ones.
    start_urls = (
        "https://vnexpress.net/kinh-doanh/net-zero",
        "https://vnexpress.net/goc-nhin/moi-truong",
        "https://vnexpress.net/kinh-doanh",
    )
    # The sitemap index exists but its shards redirect crawlers: no sitemaps.
    sitemap_urls = ()
    feed_urls = (
        "https://vnexpress.net/rss/kinh-doanh.rss",
        "https://vnexpress.net/rss/thoi-su.rss",
    )
    # `/<slug>-<7 digits>.html`; author pages (`/tac-gia/...`) and topics are not articles.
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{6,9}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+(?:/[a-z0-9-]+){0,2}/?$")
    # One selector list so the union keeps page order: top story, grid, stream
    # (items with class `hidden` are real items); then looser fallbacks.
    listing_link_css = (
        "article.item-news .title-news a, article.article-item .title-news a, article.item-news .title_news a",
        "article.item-news a.thumb, article.article-item a.thumb",
        "div.container h3.title-news a, div.container h2.title-news a",
    )
    layouts = (VnexpressV2, VnexpressV1)

    def listing_page(self, url: str, number: int) -> str:
        section = re.sub(r"-p\d+$", "", url.split("#")[0].split("?")[0].rstrip("/"))
        return f"{section}-p{number}"
