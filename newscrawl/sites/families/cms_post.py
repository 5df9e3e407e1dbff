"""The `cms-*` / `-post<id>` CMS family: nhandan.vn and vietnamplus.vn.

Both sites run the same vendor CMS (`cms-title`, `cms-desc`, `cms-body`,
`zce-content-body`, `-post<id>.html` URLs, monthly
`sitemaps/news-<YYYY>-<M>.xml`): `CmsArticleLayout` is its article page,
`CmsSite` its discovery, and cms_post_bylines.py tells bylines from wire
credits; nhandan.py and vietnamplus.py subclass the two classes. What the
pages hold (research notes, a real same-CMS page from tinnhanhchungkhoan.vn,
other crawlers' selectors):

- Headline `h1.article__title.cms-title`, lead `div|h2.article__sapo.cms-desc`,
  body `div.article__body.zce-content-body.cms-body`; the `<title>` and the
  meta description may be other sentences, so the shown h1 and lead win.
- Dates: `article:published_time`, JSON-LD and `time.time[datetime]` carry
  `+0700` (no colon); the shown text is `18/11/2026 07:45` or
  `Thứ Tư, 18-11-2026, 07:45`.
- Category: the `ul.breadcrumbs` lists the main section then *every sibling*
  sub-section, not the path; the leaf is the last JSON-LD BreadcrumbList
  item or the first of `article:section`'s comma list (leaf first).
- Tags: `div.article__tag` links, else `article:tag` (one comma list).
- Authors: `a.cms-author` / `div.article__author`; wire copy shows only a
  source credit (`TTXVN`, `(TTXVN/Vietnam+)`, `em.cms-source`), never an author.
- In the body: fact boxes (`div.notebox.cms-note`), ads (`sda_middle`,
  `ads_middle`, banners), picture tables with captions, share bars, audio
  players, in-body related boxes (`article-relate`) and trailing credits.
- Listings load more stories with a JS button (`button.control__loadmore`);
  a page-2 link is followed only when the page really has one.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ...analysis.dom import attr
from ...analysis.dom_text import paragraphs, text_of, text_without, without
from ...analysis.html import ld_text, text_of as selector_text
from ...analysis.text import clean_space, fold, iso_datetime, strip_separators, unique
from ...analysis.urls import canonical_url
from ..base import ArticleLayout, Page, Site
from ..html_page import HtmlPage
from .cms_post_bylines import CREDIT, credit_line, looks_like_name, names_from

# Tags a related box's own heading is written in (a direct child of the box).
_HEADING_TAGS = {"h2", "h3", "h4", "div", "span", "p"}
_HOME_CRUMBS = {"trang chu", "home", "nhan dan", "bao nhan dan", "vietnamplus", "vietnam+", "trang nhat"}


def _same_text(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\W_]+", " ", fold(text)).strip()

    return bool(a and b) and norm(a) == norm(b)


class CmsArticleLayout(ArticleLayout):
    """The `article__*` / `cms-*` article page of nhandan.vn and vietnamplus.vn."""

    name = "v1"
    title_css = ("h1.article__title", "h1.cms-title", "h1.article__header", ".article__title.cms-title", "h1.title-detail")
    summary_css = ("div.article__sapo", "h2.article__sapo", ".article__sapo", ".cms-desc", "h2.sapo", "div.sapo")
    body_css = (
        "div.article__body",
        "div.cms-body",
        "div.zce-content-body",
        "[itemprop='articleBody']",
    )
    body_drop_css = (
        # fact boxes and notes (kept out of the prose, as every box is)
        "div.notebox", ".cms-note", "table.notebox",
        # pictures, captions, videos, audio players
        "figure", "table.picture", "table.image", "td.caption", "p.imgdesc", ".imgdesc", ".PhotoCMS_Caption",
        ".article__avatar", ".cms-video", ".hidden-player", ".tts-player", ".video", ".cms-photo-caption",
        # ads and share bars
        "div.sda_middle", "div.sda_bottom", "div.rennab", "div.ads_middle", "div.banner", "[id^='adsWeb_']",
        "div.article__social", ".social", ".zalo-share-button",
        # in-body related boxes (their links are read by `related`)
        "div.article-relate", "div.related-news", "div.box-related", "div.box-relate", "div.cms-relate",
        "div.article__related", "div.article__list",
        "article.story",
        # credits, bylines and tags that some templates put inside the body
        "div.article__source", "div.article__author", "div.box-author", "div.article__tag",
        "script", "style",
    )
    author_css = (
        ".article__meta a.cms-author",
        ".article__meta .cms-author",
        ".article__author .cms-author",
        ".article__author p.name",
        ".article__author .name",
        "div.box-author .name",
        ".article__author",
        ".article__meta .author",
        "a.cms-author",
        ".cms-author",
    )
    # Parts of a byline block that are not names.
    author_drop_css = ("em.cms-source", ".cms-source", ".source", "span.label", "time", "script")
    date_css = (".article__meta time", ".article__meta .time", "time.time", ".article__meta")
    category_css = (
        "ul.breadcrumbs li.is-active a",
        ".breadcrumbs .active a",
        ".breadcrumbs h3.text",
        ".breadcrumbs li.cate.is-active a",
        "ul.breadcrumbs li.main-cate a",
        ".breadcrumbs a",
    )
    tags_css = ("div.article__tag .box-content a", "div.article__tag a", "div.box-tag a", ".article__tags a", "div.tag-list a")
    # Boxes whose links are genuinely related stories (in page order); a
    # heading saying "same section", "most read" or "latest" rules a box out.
    related_box_css = (
        "div.article-relate, div.related-news, div.box-related, div.box-relate, div.cms-relate, "
        "div.article__related, div.article__list, [data-source*='related']"
    )
    related_link_css = ("h2.story__heading a", "h3.story__heading a", ".story__heading a", ".story__title a", "a.story__title", "a[title]", "a")
    chrome_headings = re.compile(r"cung chuyen muc|doc nhieu|tin moi|xem nhieu|moi nhat|noi bat|quan tam|video|multimedia|podcast")
    # Without a shown lead, fall back to the meta description? (vietnamplus: no,
    # its description can be another sentence)
    summary_meta_fallback = True
    # The site's own host, so related links on `m.` / bare hosts come out canonical.
    canonical_host: str | None = None

    def matches(self, page: Page) -> bool:
        return page.first(self.body_css) is not None and bool(self.title(page))

    # --- text fields -------------------------------------------------------
    def summary(self, page: Page) -> str:
        lead = page.first_text(self.summary_css)
        if not lead and self.summary_meta_fallback:
            lead = ld_text(page.article_ld.get("description")) or page.meta("og:description", "description")
        return lead

    def body(self, page: Page) -> list[str]:
        found, _ = self._body_and_byline(page)
        # vietnamplus: the first paragraph can repeat the lead word for word.
        if found and _same_text(found[0], self.summary(page)):
            found.pop(0)
        return found

    def _body_and_byline(self, page: Page) -> tuple[list[str], list[str]]:
        """Body paragraphs without the trailing byline / credit lines, and the names those held.

        Trailing lines go when they are credits or bylines with a credit
        ("Minh Nguyệt (TTXVN/Vietnam+)", "(TTXVN)", "Theo TTXVN"), or when
        the body's last paragraph is a right-aligned name ("THANH HÀ").
        Read once per page (body and authors both ask); each caller gets its own lists.
        """
        found, names = page.once(("cms_post body", self.name), lambda: self._read_body_and_byline(page))
        return list(found), list(names)

    def _read_body_and_byline(self, page: Page) -> tuple[list[str], list[str]]:
        container = page.first(self.body_css)
        if container is None:
            return [], []
        found = paragraphs(container, self.body_drop_css)
        names: list[str] = []
        while found and credit_line(found[-1]) is not None:
            names = credit_line(found.pop()) + names
        if found and not names:
            cleaned = without(container, self.body_drop_css)
            # The last paragraph with any text (XPath's normalize-space(): NBSP is text).
            last = next((p for p in reversed(cleaned.css("p")) if p != cleaned and p.text(deep=True).strip(" \t\r\n")), None)
            if last is not None:
                style = (attr(last, "style") + " " + attr(last, "align")).replace(" ", "").lower()
                text = text_of(last)
                if ("text-align:right" in style or style.strip() == "right") and text == found[-1] and looks_like_name(text):
                    found.pop()
                    names = names_from(text)
        return found, names

    def authors(self, page: Page) -> list[str]:
        for css in self.author_css:
            names = []
            for node in page.css(css):
                names.extend(names_from(text_without(node, self.author_drop_css)))
            if names:
                return unique(names)
        names = []
        ld_authors = page.article_ld.get("author")
        for item in ld_authors if isinstance(ld_authors, list) else [ld_authors]:
            if isinstance(item, dict) and str(item.get("@type", "")).lower() == "organization":
                continue
            names.extend(names_from(ld_text(item)))
        if not names:
            names = names_from(page.meta("dable:author"))
        if not names:
            names = self._body_and_byline(page)[1]
        return unique(names)

    # --- metadata ----------------------------------------------------------
    def published(self, page: Page) -> str | None:
        candidates = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("article:published_time", "og:article:published_time"),
            page.css("meta.cms-date::attr(content), meta[itemprop='datePublished']::attr(content)").get(""),
            page.css(".article__meta time::attr(datetime), time.time::attr(datetime)").get(""),
            page.meta("pubdate", "datePublished"),
        ]
        candidates += [page.first_text(self.date_css)]
        for candidate in candidates:
            value = iso_datetime(html_lib.unescape(candidate or ""))
            if value:
                return value
        return None

    def category(self, page: Page) -> str:
        crumbs = self._ld_breadcrumbs(page)
        if crumbs:
            return crumbs[-1]
        # `article:section` is a comma list, leaf first ("Quy hoạch,Địa ốc").
        section = page.meta("article:section")
        if not section:
            section = ld_text(page.article_ld.get("articleSection"))
        if section:
            return clean_space(section.split(",")[0])
        # The CMS names the page's section in a JSON-LD WebSite object.
        for obj in page.json_ld:
            name = clean_space(str(obj.get("name") or "")) if obj.get("@type") == "WebSite" else ""
            if name and fold(name) not in _HOME_CRUMBS and not CREDIT.search(name):
                return name
        for css in self.category_css:
            texts = [t for t in (text_of(n) for n in page.css(css)) if t and fold(t) not in _HOME_CRUMBS]
            if texts:
                return texts[-1] if "main-cate" not in css else texts[0]
        return ""

    @staticmethod
    def _ld_breadcrumbs(page: Page) -> list[str]:
        for obj in page.json_ld:
            types = obj.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if "BreadcrumbList" not in types:
                continue
            items = [i for i in obj.get("itemListElement") or [] if isinstance(i, dict)]
            items.sort(key=lambda i: int(i.get("position") or 0) if str(i.get("position") or "0").isdigit() else 0)
            names = []
            title = fold(page.first_text(CmsArticleLayout.title_css))
            for item in items:
                inner = item.get("item")
                name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else "")
                name = clean_space(html_lib.unescape(str(name or "")))
                target = inner.get("@id", "") if isinstance(inner, dict) else str(inner or "")
                if re.search(r"-post\d+\.(?:html|vnp)", target) or (title and fold(name) == title):
                    continue  # the article itself as the last crumb
                if name and fold(name) not in _HOME_CRUMBS:
                    names.append(name)
            if names:
                return names
        return []

    def tags(self, page: Page) -> list[str]:
        tags = page.all_texts(self.tags_css)
        if not tags:
            tags = [part for value in page.metas("article:tag") for part in value.split(",")]
        if not tags:
            keywords = page.article_ld.get("keywords")
            if isinstance(keywords, str):
                keywords = keywords.split(",")
            tags = [k for k in keywords or [] if isinstance(k, str)]
        return unique(clean_space(t).lstrip("#").strip() for t in tags if clean_space(t).lstrip("#").strip())

    def related(self, page: Page) -> list[dict]:
        links, seen = [], {canonical_url(page.url, canonical_host=self.canonical_host)}
        for box in page.css(self.related_box_css):
            # The box's own heading: a direct child, never a story title inside it.
            heading = text_of(next((
                child for child in box.iter()
                if child.tag in _HEADING_TAGS and ("heading" in attr(child, "class") or "title" in attr(child, "class"))
            ), None))
            if heading and self.chrome_headings.search(fold(heading)):
                continue
            anchors = []
            for css in self.related_link_css:
                anchors = page.css_in(box, css)
                if anchors:
                    break
            for anchor in anchors:
                href = attr(anchor, "href")
                headline = strip_separators(html_lib.unescape(attr(anchor, "title")) or text_of(anchor))
                if not href or href.startswith(("javascript:", "#", "mailto:")) or not headline:
                    continue
                url = canonical_url(href, base=page.url, canonical_host=self.canonical_host)
                if url not in seen:
                    seen.add(url)
                    links.append({"url": url, "headline": headline})
        return links


class CmsSite(Site):
    """Discovery shared by the family: story lists, load-more listings, monthly sitemaps."""

    # Story lists of the section itself, the highlight's related ("refer") links in
    # page order after its lead; never the sidebar's "latest" / "most read" lists.
    listing_link_css = (
        "div.category-highlight .story__heading a, div.category-highlight .story__refer a",
        "div.category-timeline .story__heading a",
        "div[data-source^='zone-'] .story__heading a",
        "div.category-content .story__heading a",
    )
    # Only if none of those matched (a changed listing template).
    listing_fallback_css = (
        "div.main-column .story__heading a",
        "div.main-col .story__heading a",
        "article.story .story__heading a",
    )
    next_link_css = (
        "a[rel='next']",
        ".pagination a.next",
        ".pagination a.pagination__next",
        ".pagination__next a",
        "a.control__next",
    )

    def listing_links(self, html: str, url: str) -> list[str]:
        links = super().listing_links(html, url)
        if links:
            return links
        page = HtmlPage(html, url)
        found, seen = [], set()
        for css in self.listing_fallback_css:
            for href in page.css(css).css("::attr(href)").getall():
                link = self.canonical(href, base=url)
                if link not in seen and self.is_article(link):
                    seen.add(link)
                    found.append(link)
            if found:
                break
        return found

    def listing_page(self, url: str, number: int) -> str:
        parts = urlsplit(url)
        path = re.sub(r"/trang-?\d+(?:\.\w+)?$", "", parts.path)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(number))]
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))

    def next_listing_page(self, html: str, url: str, number: int) -> str | None:
        wanted = super().next_listing_page(html, url, number)
        if wanted:
            return wanted
        page = HtmlPage(html, url)
        here = self.canonical(url)
        candidates = [h for css in self.next_link_css for h in page.css(css).css("::attr(href)").getall()]
        for anchor in page.css(".pagination a, .pager a, nav.pagination a, ul.pagination a"):
            if selector_text(anchor) == str(number + 1):
                candidates.append(anchor.attrib.get("href", ""))
        for href in candidates:
            if not href or href.startswith(("javascript:", "#")):
                continue
            link = self.canonical(href, base=url)
            if link != here and self.owns(link) and not self.is_article(link):
                return link
        return None


__all__ = ["CmsArticleLayout", "CmsSite"]
