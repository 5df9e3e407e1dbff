"""The VCCorp/CNND CMS family: tuoitre.vn and thanhnien.vn.

Both papers run the same CMS: the article's parts carry `data-role`
attributes (`title`, `sapo`, `content`, `publishdate`, `author`, `tags`)
whatever the tag around them (the sapo was an `h2` and is a `p` or `div`,
the publish date was a `div` and is a `time`), so selectors key on those
first and on class names second. `CnndLayout` is the article page and
`CnndSite` the discovery (category listings and their timeline pages);
tuoitre.py and thanhnien.py subclass them.

Traps handled here (see the research notes):
- In-body widgets: photos (`figure[type=Photo]`, whose `img alt` is
  "<title> - Ảnh 1.", never the caption), captions (`PhotoCMS_Caption`),
  related-news boxes (`RelatedNewsBox`, `RelatedOneNews`: the only genuine
  related headlines on the page), info boxes (`ObjectBoxContent`, side
  boxes: not body), video descriptions, ad slots and scripts.
- Bylines printed in capitals (`NGỌC AN`, sometimes NFD), pseudo-authors
  (`TUỔI TRẺ ONLINE`; `meta[name=author]` is only ever the site), and
  "và 2 tác giả khác" beside the first name (the full list is a swiper).
- Machine-readable times carry seconds the page does not show: the minute
  is kept, so the stored time is the one printed on the page.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime, timedelta

from selectolax.lexbor import LexborNode

from ...analysis.dom import attr
from ...analysis.dom_text import text_without
from ...analysis.html import ld_names, ld_text
from ...analysis.text import clean_space, fold, iso_datetime, strip_separators, unique
from ...analysis.urls import canonical_url
from ..base import ArticleLayout, Page, Site
from ..html_page import HtmlPage

# Bylines that name the paper, a desk or a wire, never a person (compared accent-folded).
PSEUDO_AUTHORS = {
    fold(name)
    for name in (
        "Tuổi Trẻ Online", "Tuoi Tre Online", "Tuổi Trẻ", "Báo Tuổi Trẻ", "TTO", "tuoitre.vn",
        "Thanh Niên", "Báo Thanh Niên", "Thanh Niên Online", "TNO", "thanhnien.vn",
        "Media", "TTXVN", "Theo TTXVN", "Nhóm phóng viên", "PV", "Phóng viên",
    )
}
# Titles kept as printed when a capitalised byline is re-cased ("TS TRẦN HỮU HIỆP" -> "TS Trần Hữu Hiệp").
_HONORIFICS = {
    "ts", "pgs", "gs", "bs", "ls", "ks", "kts", "nsnd", "nsut", "nb", "pgsts", "gsts", "tsbs", "tskh", "bscki", "bsckii",
}
_MORE_AUTHORS = re.compile(r"\s*(?:và|cùng)\s+\d+\s+tác giả khác\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*")
_SAPO_PREFIX = re.compile(r"^\s*\(?(?:TTO|TNO|Tuổi Trẻ Online|Thanh Niên Online)\)?\s*[-–—:]\s*", re.IGNORECASE)


def name_case(name: str) -> str:
    """A byline printed in capitals as a name: `NGỌC AN` -> `Ngọc An`, titles kept."""
    name = clean_space(name)
    if not name.isupper():
        return name
    words = []
    for word in name.split(" "):
        key = fold(word).replace(".", "")
        if key in _HONORIFICS:
            words.append(word)
        elif key == "ths":
            words.append("ThS")
        else:
            words.append("-".join(part[:1] + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def is_pseudo_author(name: str) -> bool:
    return fold(name).strip(" .") in PSEUDO_AUTHORS


def split_byline(text: str) -> list[str]:
    """One byline text as names: email, "và 2 tác giả khác" and separators removed."""
    text = clean_space(text)
    text = re.sub(r"\s*\|.*$", "", text)  # "Phước Huỳnh | email@..." (thanhnien)
    text = re.sub(r"\S+@\S+", "", text)
    text = _MORE_AUTHORS.sub("", text)
    return [strip_separators(part) for part in _NAME_SPLIT.split(text) if strip_separators(part)]


def minute(value: str | None) -> str | None:
    """An ISO time cut to the minute (the page prints no seconds)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(second=0).isoformat()


def _apart(first: str, second: str) -> timedelta:
    return abs(datetime.fromisoformat(first) - datetime.fromisoformat(second))


class CnndLayout(ArticleLayout):
    """The article page of the VCCorp/CNND CMS (tuoitre.vn, thanhnien.vn)."""

    name = "v1"
    # thanhnien: `h1.detail-title > span[data-role=title]` plus empty `div`s;
    # tuoitre: `h1.detail-title[data-role=title]`; older pages `h1.article-title`.
    title_css = (
        'h1.detail-title [data-role="title"]', 'h1[data-role="title"]', "h1.detail-title",
        "h1.article-title", '[data-role="title"]',
    )
    title_drop_css = ("div", "script", "style", "button", "svg", "img")
    summary_css = (
        '[data-role="sapo"]', "h2.detail-sapo", "p.detail-sapo", "div.detail-sapo", ".detail-sapo", "h2.sapo",
    )
    # Never "all p of .detail-content": select the container, drop the widgets.
    body_css = (
        'div.detail-cmain [data-role="content"]', '[data-role="content"][itemprop="articleBody"]',
        'div.detail-content[itemprop="articleBody"]', "div.detail-content.afcbc-body", '[data-role="content"]',
        '[itemprop="articleBody"]', "#main-detail-body", "div.detail-content",
    )
    body_drop_css = (
        "script", "style", "noscript", "zone", "iframe",
        # photos, captions, credits (figures are skipped anyway; the div variants are not)
        "figure", "figcaption", ".PhotoCMS_Caption", ".VideoCMS_Caption", ".PhotoCMS_Author", "p[data-placeholder]",
        '[type="Photo"]', '[type="photo"]', '[type="photo-grid-album"]', '[type="PhotoGrid"]',
        # related-news widgets (read by `related`, not body)
        '[type="RelatedNewsBox"]', '[type="RelatedOneNews"]', '[type="RelatedNews"]', ".kbwscwl-relatedbox",
        "p.VCObjectBoxRelatedNewsItemSapo", ".readmore-body-box",
        # side/info boxes, video descriptions, polls
        '[id^="ObjectBoxContent"]', '.VCSortableInPreviewMode[type="content"]', '[type="VideoStream"]',
        '[type="Video"]', '[type="Vote"]', ".VCSortableInPreviewMode.video",
        # ads and trackers (some exist only in a browser DOM, some ship in the HTML)
        '[data-type="_mgwidget"]', "[data-check-position]", "#InreadPc", '[id^="zone-"]', "#adbro",
        '[id^="wrapper-inimage"]', '[id^="admzone"]', '[id^="taboola"]', ".sponsored-post", "span#hdExclusive",
        # bylines and tags, should a template put them inside the container
        ".detail-author-bot", ".box-author-detail", '[data-role="author"]', '[data-role="tags"]', "#tag-container",
    )
    author_css = (
        '[data-role="author"] .author-item-name a.name', ".author-item-name a.name",
        ".detail-author .author-info a.name", ".detail-author a.name", '[data-role="author"] a.name',
        ".detail-author-bot a.name", ".box-author-detail a.name",
        ".author-info p.name", 'p.name[data-role="author"]', '[data-role="author"] .name',
    )
    date_css = ('[data-role="publishdate"]', ".detail-time", "div.date-time")
    category_css = (
        '[data-role="cate-name"]', ".detail-cate a", "div.detail-top .detail-cate a",
        "div.line-cate-parrent a.category-name_ac",
    )
    tags_css = (
        '[data-role="tags"] a.item', '[data-role="tags"] a', "#tag-container a", ".detail-tab a", ".tags-detail a",
    )
    related_box_css = '[type="RelatedNewsBox"], [type="RelatedOneNews"], [type="RelatedNews"]'
    related_skip = {"doc ngay", "doc tiep", "xem them", "xem tiep", "tin lien quan"}

    # --- matching ---------------------------------------------------------------
    def matches(self, page: Page) -> bool:
        return page.first(self.body_css) is not None and bool(self.title(page))

    # --- title, lead -------------------------------------------------------------
    def title(self, page: Page) -> str:
        for css in self.title_css:
            for node in page.css(css):
                text = text_without(node, self.title_drop_css)
                if text:
                    return text
        return (
            ld_text(page.article_ld.get("headline"))
            or page.meta("og:title")
            or clean_space(html_lib.unescape(page.css("input#hdTitle::attr(value)").get("")))
        )

    def summary(self, page: Page) -> str:
        text = page.first_text(self.summary_css)
        if not text:
            text = (
                ld_text(page.article_ld.get("description"))
                or page.meta("og:description", "description")
                or clean_space(html_lib.unescape(page.css("input#hdSapo::attr(value)").get("")))
            )
        return _SAPO_PREFIX.sub("", text).strip()

    # --- people ---------------------------------------------------------------
    def _byline_names(self, page: Page, nodes, read: dict) -> list[str]:
        """The names `nodes` print; `read` keeps each node's, as several selectors match the same bylines."""
        names = []
        for node in nodes:
            found = read.get(node)
            if found is None:
                text = text_without(node, (".email", "span.morenameauthor", "img", "svg")) or attr(node, "title")
                found = read[node] = [n for n in split_byline(text) if not is_pseudo_author(n)]
            names.extend(found)
        return unique(names)

    def authors(self, page: Page) -> list[str]:
        """The fullest byline list on the page (the swiper, else the top, else the bottom byline)."""
        chosen: list[str] = []
        read: dict = {}
        for css in self.author_css:
            names = self._byline_names(page, page.css(css), read)
            if not names:
                continue
            if not chosen:
                chosen = names
            elif {n.casefold() for n in chosen} < {n.casefold() for n in names}:
                chosen = names
        if not chosen:
            ld = [n for n in ld_names(page.article_ld.get("author")) if not n.startswith("http")]
            meta = [n for value in page.metas("article:author") if not value.startswith("http") for n in split_byline(value)]
            chosen = [n for n in ld if not is_pseudo_author(n)] or [n for n in meta if not is_pseudo_author(n)]
        return unique(name_case(n) for n in chosen)

    # --- time -----------------------------------------------------------------
    def published(self, page: Page) -> str | None:
        """Machine-readable first (JSON-LD, meta, `datetime`, hidden input), then the printed date; to the minute.

        A machine value more than a day away from the printed date is a
        misread format (tuoitre's feeds print `M/d/yyyy`), not the article's time.
        """
        shown = iso_datetime(page.first_text(self.date_css))
        machine = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("article:published_time", "datePublished", "pubdate", "og:article:published_time"),
            page.css('[data-role="publishdate"]::attr(datetime), time[itemprop="datePublished"]::attr(datetime)').get(""),
            page.css("input#distributionDate::attr(value)").get(""),
        ]
        for candidate in machine:
            value = iso_datetime(candidate)
            if value and (shown is None or _apart(value, shown) <= timedelta(days=1)):
                return minute(value)
        return minute(shown)

    # --- section, tags ---------------------------------------------------------------
    def category(self, page: Page) -> str:
        for css in self.category_css:
            crumbs = [strip_separators(t) for t in page.all_texts([css])]
            crumbs = [c for c in crumbs if c and fold(c) != "trang chu"]
            if crumbs:
                return crumbs[-1]
        crumbs = self._ld_breadcrumb(page)
        if crumbs:
            return crumbs[-1]
        return (
            ld_text(page.article_ld.get("articleSection"))
            or page.meta("article:section")
            or clean_space(page.css("input#hdzoneName::attr(value)").get(""))
        )

    @staticmethod
    def _ld_breadcrumb(page: Page) -> list[str]:
        for obj in page.json_ld:
            if obj.get("@type") != "BreadcrumbList":
                continue
            items = obj.get("itemListElement") or []
            items = sorted((i for i in items if isinstance(i, dict)), key=lambda i: int(i.get("position") or 0))
            names = []
            for item in items:
                inner = item.get("item")
                name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else "")
                if name and fold(str(name)) != "trang chu":
                    names.append(clean_space(html_lib.unescape(str(name))))
            return names
        return []

    def tags(self, page: Page) -> list[str]:
        tags = super().tags(page)
        if not tags:
            tags = unique(clean_space(k) for k in page.meta("keywords").split(",") if clean_space(k))
        return tags

    # --- related --------------------------------------------------------------
    def related(self, page: Page) -> list[dict]:
        """Headlines of the in-body related boxes, in page order (all else on the page is promotion)."""
        scope = page.first(self.body_css)
        scope = page.root if scope is None else scope
        links, seen = [], {canonical_url(page.url)}
        for box in page.css_in(scope, self.related_box_css):
            items = page.css_in(box, "li") or [box]
            for item in items:
                url, headline = self._related_item(page, item)
                if not url or not headline:
                    continue
                url = page.absolute(url)
                if url not in seen:
                    seen.add(url)
                    links.append({"url": url, "headline": headline})
        return links

    def _related_item(self, page: Page, item: LexborNode) -> tuple[str, str]:
        hrefs = [h.strip() for h in page.css_in(item, "a::attr(href)").getall()]
        hrefs = [h for h in hrefs if h and not h.startswith(("javascript:", "#"))]
        url = attr(item, "data-url") or (hrefs[0] if hrefs else "")
        headline = clean_space(html_lib.unescape(attr(item, "data-title")))
        if not headline:
            for css in ("a.OneNewsTitle", ".kbwscwlrl-title a", "h4 a", "h3 a", "a.title", "h4", "h3", "a[title]", "a"):
                for node in page.css_in(item, css):
                    text = text_without(node, (".kbwscwlrl-next", "img", "span.icon"))
                    text = text or clean_space(attr(node, "title"))
                    if text and fold(text) not in self.related_skip:
                        headline = text
                        break
                if headline:
                    break
        return url.strip(), strip_separators(headline)


class CnndSite(Site):
    """Discovery shared by the CNND sites: category listings and their timeline pages."""

    timeline_template = ""  # "https://host/timeline/{zone}/trang-{page}.htm"
    # Story titles of the section's own lists (focus block, its thumbnails, the stream),
    # then any story card: a hint for order; `Site.listing_links` adds the rest of the
    # main column and leaves out the "most read" sidebars.
    listing_link_css = (
        ".list__focus .box-category-item a[href], .list__listing-main .box-category-item a[href], "
        ".list__stream-main .box-category-item a[href], .list__main .box-category-item a[href]",
        "a.box-category-link-title, h3.box-title-text a, h2.box-title-text a",
    )

    def listing_page(self, url: str, number: int) -> str:
        url = url.split("#")[0].split("?")[0]
        timeline = re.search(r"/(?:timeline|timelinelist)/(\d+)/", url)
        if timeline and self.timeline_template:
            return self.timeline_template.format(zone=timeline.group(1), page=number)
        section = re.sub(r"(?:/trang-\d+)?\.htm$", "", url)
        return f"{section}/trang-{number}.htm"

    def zone_ids(self, page: HtmlPage) -> list[str]:
        values = page.css(
            "input#hdZoneId::attr(value), [data-zoneid]::attr(data-zoneid), [data-zone-id]::attr(data-zone-id)"
        ).getall()
        return unique(v.strip() for v in values if v.strip().isdigit())

    def next_listing_page(self, html: str, url: str, number: int) -> str | None:
        """Page `number + 1`, as `<section>/trang-N.htm` or the zone's timeline page, if this page links to it."""
        page = HtmlPage(html, url)
        wanted = [self.canonical(self.listing_page(url, number + 1))]
        if self.timeline_template:
            wanted += [self.canonical(self.timeline_template.format(zone=z, page=number + 1)) for z in self.zone_ids(page)]
        hrefs = page.css("a::attr(href), link[rel=next]::attr(href)").getall()
        linked = {self.canonical(href, base=url) for href in hrefs if href.strip()}
        return next((w for w in wanted if w in linked), None)


__all__ = ["CnndLayout", "CnndSite", "is_pseudo_author", "minute", "name_case", "split_byline"]
