"""thesaigontimes.vn (Kinh tế Sài Gòn, KTSG): two layouts.

- v1 (WordPress, tagDiv "Newspaper" theme, 2021-): `h1.tdb-title-text`,
  `time.entry-date[datetime]`, body `div.tdb_single_content div.tdb-block-inner`.
  Every tagDiv block has a `tdb-block-inner`, so the body selector must go
  through `tdb_single_content`; blocks also carry per-page numeric classes
  (`tdi_72`) that are never used here. The lead is the first paragraph of the
  content (bold, or an `h6` in some templates) and opens with the paper's
  prefix `(KTSG Online) –`, kept as printed. The writer is in a
  custom `content-tacgia` block; the WordPress user (`tdb-author-name`) is
  often the desk, e.g. "KTSG Online".
- v2 (ASP.NET site, until 2021; archive URLs `/<id>/<slug>.html`): title
  `span#ctl00_cphContent_lblTitleHtml`, date `span.Date` printed as
  `Thứ Năm,  21/6/2018, 10:20`, author `span.ReferenceSourceTG` with a
  trailing `(*)`, body `span#ctl00_cphContent_lblContentHtml`.

Discovery: section listings paginate as `/<section>/page/<N>/`; the Yoast
sitemap index `sitemap_index.xml` lists `post-sitemap<N>.xml` (highest N newest).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from . import register
from ..analysis.dom import TEXT
from ..analysis.dom_text import iter_blocks, text_of, unwrap, without
from ..analysis.html import ld_names, ld_text
from ..analysis.text import clean_space, iso_datetime, strip_separators, unique
from ..analysis.urls import canonical_url
from .base import SLUG, WORD, ArticleLayout, Page, Site, plain_slug
from .html_page import HtmlPage

# `(KTSG Online) – `, `(TBKTSG Online) - `, `(KTSG) - ` at the start of a lead.
CREDIT = re.compile(r"^\s*\(\s*(?:TB)?KTSG(?:\s+Online)?\s*\)\s*[-–—:]?\s*", re.IGNORECASE)
# Desk and site names that stand where a writer's name would go.
SITE_NAMES = {
    "ktsg", "ktsg online", "tbktsg", "tbktsg online", "thesaigontimes", "thesaigontimes.vn",
    "the saigon times", "saigon times", "kinh tế sài gòn", "kinh tế sài gòn online", "admin",
}


def _is_site_name(name: str) -> bool:
    return name.strip().casefold() in SITE_NAMES


def _names(texts) -> list[str]:
    names = []
    for text in texts:
        text = re.sub(r"^\s*(tác giả|bài|bài và ảnh|by)\s*:\s*", "", clean_space(text), flags=re.IGNORECASE)
        text = text.replace("(*)", "").strip(" ()")
        names.extend(n for n in re.split(r"\s*[,;]\s*|\s+-\s+|\s+và\s+", text) if n)
    return names


def _site_links(links: list[dict]) -> list[dict]:
    """Related links on the site's own host (`www.` and mobile hosts folded), one per URL."""
    out, seen = [], set()
    for link in links:
        url = canonical_url(link["url"], canonical_host="thesaigontimes.vn")
        if url not in seen:
            seen.add(url)
            out.append({**link, "url": url})
    return out


class SaigonTimesV1(ArticleLayout):
    """WordPress + tagDiv Newspaper (the site since 2021)."""

    name = "v1"
    title_css = ("h1.tdb-title-text", "h1.entry-title", "div.td-post-header h1")
    body_css = (
        "div.tdb_single_content div.tdb-block-inner",
        "div.tdb_single_content",
        "div.td-post-content",
    )
    body_drop_css = (
        "div.td-a-ad", "div.td-g-rec", "div.td-a-rec", "ins.adsbygoogle", "div.code-block",
        "div.wp-caption", "p.wp-caption-text", "figcaption", "div.sharedaddy", "div.td-post-sharing",
        "div.tdb_single_tags", "ul.tdb-tags", "div.content-tacgia", "div.td_block_related_posts",
        "script", "style", "iframe", "noscript",
    )
    author_css = (
        "div.content-tacgia p", "div.content-tacgia a", "div.content-tacgia span.tdb-author-name",
        "div.content-tacgia",
    )
    wp_author_css = ("a.tdb-author-name", "div.tdb-author-name-wrap a", "span.td-post-author-name a")
    date_css = ("div.tdb_single_date time", "time.entry-date", "span.td-post-date time")
    category_css = ("div.tdb-breadcrumbs a.tdb-entry-crumb", "div.entry-crumbs a.entry-crumb")
    tags_css = ("ul.tdb-tags li a", "div.tdb_single_tags a", "ul.td-tags li a")
    # tagDiv's "related posts" block of the single template; never the sidebar's
    # "Tin mới"/"Đọc nhiều" modules or the previous/next-post links.
    related_css = (
        "div.tdb_single_related h3.entry-title a",
        "div.td_block_related_posts h3.entry-title a",
        "div.td-related-row h3 a",
    )

    def related(self, page: Page) -> list[dict]:
        return _site_links(super().related(page))

    # --- lead and body ----------------------------------------------------------
    def _lead_node(self, container: LexborNode) -> LexborNode | None:
        """The lead: the content's first text block when it is an `h6`, or a paragraph that is bold or credited."""
        for node in container.iter():
            tag = node.tag
            if not node.is_element_node or tag in ("figure", "script", "style", "img", "picture") or not text_of(node):
                continue
            text = text_of(node)
            if tag == "h6":
                return node
            if tag == "p":
                bold = clean_space(" ".join(
                    piece.text_content for child in node.iter() if child.tag in ("strong", "b")
                    for piece in child.traverse(include_text=True) if piece.tag == TEXT
                ))
                if CREDIT.match(text) or bold == text:
                    return node
            return None
        return None

    def _content(self, page: Page) -> LexborNode | None:
        container = page.first(self.body_css)
        if container is None:
            return None
        return without(container, self.body_drop_css)

    def _parts(self, page: Page) -> tuple[str, list[str]]:
        """The lead and the body paragraphs after it, read from one copy of the content (once per page)."""
        return page.once(("saigontimes parts", self.name), lambda: self._read_parts(page))

    def _read_parts(self, page: Page) -> tuple[str, list[str]]:
        content = self._content(page)
        lead = self._lead_node(content) if content is not None else None
        summary = text_of(lead) if lead is not None else ""  # the paper's prefix kept as printed
        if content is None:
            return summary, []
        if lead is not None:
            lead.decompose()
        unwrap(content, "figure.wp-block-table")
        return summary, list(iter_blocks(content))

    def summary(self, page: Page) -> str:
        return self._parts(page)[0]

    def body(self, page: Page) -> list[str]:
        return self._parts(page)[1]

    # --- metadata ---------------------------------------------------------------
    def authors(self, page: Page) -> list[str]:
        names = _names(page.all_texts(self.author_css))
        if not names:
            names = _names(page.all_texts(self.wp_author_css))
        if not names:
            names = ld_names(page.article_ld.get("author")) or _names([page.meta("author")])
        return unique(strip_separators(n) for n in names if n and not n.startswith("http") and not _is_site_name(n))

    def published(self, page: Page) -> str | None:
        # Sidebar modules carry `time.entry-date` too: the single-date block before any `time`.
        candidates = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("article:published_time"),
            page.css("div.tdb_single_date time::attr(datetime)").get(""),
            page.css("time.entry-date::attr(datetime)").get(""),
            page.first_text(self.date_css),
        ]
        for candidate in candidates:
            value = iso_datetime(candidate)
            if value:
                return value
        return None

    def category(self, page: Page) -> str:
        crumbs = [c for c in page.all_texts(self.category_css) if c.casefold() not in {"trang chủ", "home"}]
        if crumbs:
            return crumbs[-1]
        categories = page.all_texts(("a.tdb-entry-category",))
        if categories:
            return categories[0]
        return ld_text(page.article_ld.get("articleSection")) or page.meta("article:section")


class SaigonTimesV2(ArticleLayout):
    """The ASP.NET site (2005-2021), still answering archive URLs `/<id>/<slug>.html`."""

    name = "v2"
    title_css = ("span#ctl00_cphContent_lblTitleHtml", "h1 span.Title", "p.SGTOTitle", "span.m_Title")
    summary_css = ("span#ctl00_cphContent_lblSummaryHtml", ".SGTOSummary", "span.m_Summary")
    body_css = ("span#ctl00_cphContent_lblContentHtml", "div#ARTICLEVIEW .Content", "span.m_Content")
    body_drop_css = ("table.sgtoimagemiddle", "table.sgtoimageright", "table.sgtoimageleft", "script", "style", "iframe")
    author_css = ("span#ctl00_cphContent_Lbl_Author", "span.ReferenceSourceTG", "span.ReferenceSource", "span.m_ReferenceSourceTG")
    date_css = ("span#ctl00_cphContent_lblCreateDate", "span.Date", "span.m_DateCreated")
    category_css = ("a.ArticleHeader",)
    related_css = ("div#ctl00_cphContent_Article_LienQuan div.Item1 a", "div#ctl00_cphContent_Article_LienQuan a")

    def related(self, page: Page) -> list[dict]:
        return _site_links(super().related(page))

    def authors(self, page: Page) -> list[str]:
        names = _names(page.all_texts(self.author_css))
        return unique(strip_separators(n) for n in names if n and not _is_site_name(n))

    def published(self, page: Page) -> str | None:
        return iso_datetime(page.first_text(self.date_css)) or super().published(page)

    def tags(self, page: Page) -> list[str]:
        # The old pages' keywords meta is the site's, not the article's.
        return []


# First path segments that are sections, not stories (stories are one long slug).
SECTIONS = {
    "tai-chinh-ngan-hang", "doanh-nhan-doanh-nghiep", "van-hoa-xa-hoi", "kinh-te-vi-mo",
    "thoi-su-kinh-te", "dia-oc-xay-dung", "quan-tri-doanh-nghiep", "kinh-te-so", "tieu-diem",
    "chinh-sach-moi", "thoi-bao-kinh-te-sai-gon", "ban-doc-viet", "goc-nhin-chuyen-gia",
}


@register
class SaigonTimes(Site):
    name = "thesaigontimes"
    description = "Kinh tế Sài Gòn (KTSG Online): business, finance and enterprise news"
    domains = ("thesaigontimes.vn",)
    start_urls = (
        "https://thesaigontimes.vn/kinh-doanh/",
        "https://thesaigontimes.vn/tai-chinh-ngan-hang/",
        "https://thesaigontimes.vn/doanh-nhan-doanh-nghiep/",
    )
    # Yoast index -> post-sitemap<N>.xml (and category/page sitemaps, whose URLs are not stories).
    sitemap_urls = ("https://thesaigontimes.vn/sitemap_index.xml",)
    feed_urls = ("https://thesaigontimes.vn/feed/",)
    # WordPress stories: one slug of 3+ words with a trailing slash; archive: `/<id>/<Slug>.html`.
    _STORY = re.compile(rf"^https?://[^/]+/({WORD}(?:-{WORD}){{2,}})/?$")
    article_url = re.compile(rf"^https?://[^/]+/(?:{WORD}(?:-{WORD}){{2,}}/?|\d{{4,7}}/{SLUG}\.html)$")
    listing_url = re.compile(r"^https?://[^/]+/(?!wp-|feed|tag/|author/)[a-z0-9-]+(?:/[a-z0-9-]+)?(?:/page/\d+)?/?$")
    # The section's featured grid, its main column (`td-pb-span8`: thumbnail rows) and
    # its own loop, in page order; sidebars ("Đọc nhiều", "Tin mới")
    # are flex blocks of the same module markup, so the generic selectors are
    # only a fallback for templates without a `tdb_loop`.
    listing_link_css = (
        "div.td_block_big_grid_fl h3.entry-title a, div.td-category-grid h3.entry-title a, "
        "div.td-pb-span8 h3.entry-title a, div.tdb_loop h3.entry-title a, div.tdb_loop div.td-module-meta-info h3 a",
    )
    fallback_link_css = (
        "div.td-main-content div.td_module_wrap h3 a",
        "div.td_module_flex h3.entry-title a",
        "h3.td-module-title a",
    )
    layouts = (SaigonTimesV1, SaigonTimesV2)

    def fetch_url(self, canonical: str) -> str:
        """WordPress permalinks end in `/`; files (`.html` of 2018, `.xml`) do not."""
        path = canonical.split("?")[0]
        last = path.rsplit("/", 1)[-1]
        return canonical if path.endswith("/") or "." in last else canonical.replace(path, path + "/", 1)

    def is_article(self, url: str) -> bool:
        if not super().is_article(url):
            return False
        match = self._STORY.match(url.split("?")[0].split("#")[0])
        return not (match and plain_slug(match.group(1)) in SECTIONS)

    def is_listing(self, url: str) -> bool:
        path = url.split("?")[0].split("#")[0]
        match = self._STORY.match(path)
        if match and plain_slug(match.group(1)) in SECTIONS:
            return self.owns(url)
        return super().is_listing(url)

    def listing_links(self, html: str, url: str) -> list[str]:
        links = super().listing_links(html, url)
        if links:
            return links
        page = HtmlPage(html, url)
        seen: set[str] = set()
        for css in self.fallback_link_css:
            for href in page.css(css).css("::attr(href)").getall():
                link = self.canonical(href, base=url)
                if link not in seen and self.is_article(link):
                    seen.add(link)
                    links.append(link)
        return links

    def listing_page(self, url: str, number: int) -> str:
        section = re.sub(r"/page/\d+/?$", "", url.split("?")[0].split("#")[0].rstrip("/"))
        return f"{section}/page/{number}/"
