"""vietnamnet.vn (Báo VietNamNet): two layouts.

- v1 (2022-2026 CMS): `h1.content-detail-title`, `h2.content-detail-sapo`,
  body `div#maincontent.maincontent`. Inside the body sits a CKEditor box of
  related stories (`div.ck-cms-insert-neww-group`, note the "neww"): its links
  are related headlines, its text is not body. JSON-LD dates carry a space
  before the offset (`2026-07-30T15:11:00.000 +07:00`). The breadcrumb's first
  section `<li>` nests a dropdown listing every section, so only the direct
  `li > a` links count. Listings mark paid items with `isPr="True"`.
- v2 (2019 archive, `/vn/<section>/...-<id>.html`): `h1.title`,
  `div.ArticleLead`, `div#ArticleContent`; the byline is the last,
  right-aligned paragraph of the body; the JSON-LD date is not ISO (a .NET
  `M/d/yyyy h:mm:ss tt` string), so the printed `span.ArticleDate` wins.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from . import register
from ..analysis.dom import TEXT, attr
from ..analysis.dom_text import iter_blocks, paragraphs, text_of, unwrap, without
from ..analysis.html import ld_names, ld_text
from ..analysis.text import iso_datetime, strip_separators, unique
from ..analysis.urls import canonical_url
from .base import WORD, ArticleLayout, Page, Site
from .html_page import HtmlPage

# Site-level names that the page offers where a writer's name would go.
SITE_NAMES = {"vietnamnet news", "vietnamnet", "vietnamnet.vn", "báo vietnamnet", "vnn"}


def _is_site_name(name: str) -> bool:
    return name.strip().casefold() in SITE_NAMES


def breadcrumb_leaf(page: Page) -> str:
    """The last named item of the JSON-LD BreadcrumbList (never the home item)."""
    for obj in page.json_ld:
        if obj.get("@type") != "BreadcrumbList":
            continue
        items = obj.get("itemListElement") or []
        items = sorted((i for i in items if isinstance(i, dict)), key=lambda i: int(i.get("position") or 0))
        names = [ld_text(i.get("name") or i.get("item")) for i in items]
        names = [n for n in names if n and not n.startswith("http") and n.casefold() != "trang chủ"]
        if names:
            return names[-1]
    return ""


def _site_links(links: list[dict]) -> list[dict]:
    """Related links on the site's own host (`www.` and mobile hosts folded), one per URL."""
    out, seen = [], set()
    for link in links:
        url = canonical_url(link["url"], canonical_host="vietnamnet.vn")
        if url not in seen:
            seen.add(url)
            out.append({**link, "url": url})
    return out


class VietnamnetV1(ArticleLayout):
    name = "v1"
    title_css = ("h1.content-detail-title", "div.content-detail h1")
    summary_css = ("h2.content-detail-sapo", "div.content-detail-sapo", "p.content-detail-sapo")
    body_css = ("div#maincontent", "div.maincontent", "div.main-content")
    body_drop_css = (
        "div.ck-cms-insert-neww-group", "div.ck-cms-insert-news-group", "article.ck-cms-insert-news",
        "div.vmcadszone", "div.banner-advertisement", "div.vnn-share-social", "div.related-news",
        "div.tag-cotnent", "div.tag-content", "div.article-detail-author-wrapper",
        "script", "style", "iframe",
    )
    author_css = (
        "div.article-detail-author span.name a",
        "div.article-detail-author span.name",
        "p.article-detail-author__info span.name",
    )
    date_css = ("div.bread-crumb-detail__time", "div.publish-date")
    # Direct `li > a` only: the first section's <li> nests a dropdown of every section.
    category_css = ("div.bread-crumb-detail > ul > li > a",)
    tags_css = ("div.tag-cotnent ul li h3 a", "div.tag-content ul li h3 a", "div.tag-cotnent a", "div.tag-content a")
    # The in-body CKEditor box first (it comes first on the page), then the box after the body.
    related_css = (
        "div.ck-cms-insert-neww-group div.insert-wiki-title a",
        "div.ck-cms-insert-neww-group article.ck-cms-insert-news > a",
        "div.related-news ul li h3 a",
        "div.related-news ul li a",
    )

    def related(self, page: Page) -> list[dict]:
        return _site_links(super().related(page))

    def body(self, page: Page) -> list[str]:
        container = page.first(self.body_css)
        if container is None:
            return []
        if not page.css_in(container, "figure.table"):  # no table to unwrap: no copy to make
            return paragraphs(container, self.body_drop_css)
        cleaned = without(container, self.body_drop_css)
        unwrap(cleaned, "figure.table")
        return list(iter_blocks(cleaned))

    def authors(self, page: Page) -> list[str]:
        names = [n for n in page.all_texts(self.author_css) if not n.casefold().startswith("xem các bài")]
        if not names:
            names = ld_names(page.article_ld.get("author"))
        return unique(strip_separators(n) for n in names if n and not n.startswith("http") and not _is_site_name(n))

    def category(self, page: Page) -> str:
        crumbs = [c for c in page.all_texts(self.category_css) if c.casefold() != "trang chủ"]
        if crumbs:
            return crumbs[-1]
        return breadcrumb_leaf(page) or ld_text(page.article_ld.get("articleSection")) or page.meta("article:section")


class VietnamnetV2(ArticleLayout):
    """The 2019 template (`ArticleDetail` / `ArticleContent`), still served for archive URLs."""

    name = "v2"
    title_css = ("h1.title", "div.ArticleDetail h1", "h1.ArticleTitle")
    summary_css = ("div.ArticleLead", "p.ArticleLead", "div.ArticleDetail h2")
    body_css = ("div#ArticleContent", "div.ArticleContent")
    body_drop_css = (
        "div.inner-article", "div.article-relate", "div.box-related", "table.FCKImage", "td.image_desc",
        "p.image_desc", "div.ArticleRelate", "div#BoxTag", "div.VnnAdsPos", "div.vmcadszone",
        "script", "style", "iframe",
    )
    date_css = ("span.ArticleDate", "div.ArticleDateTime", "div.ArticleDate")
    category_css = ("ul.breadcrumb li a", "div.breadcrumb a", "div.top-cate-head-title a")
    tags_css = ("div#BoxTag div.tagBoxContent ul li a", "div.tagBoxContent li a", "div#BoxTag a")
    related_css = ("div#ArticleContent div.inner-article a", "div.article-relate a", "div.box-related a")
    _RIGHT = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)

    def related(self, page: Page) -> list[dict]:
        return _site_links(super().related(page))

    def _byline_node(self, container: LexborNode) -> LexborNode | None:
        """The last non-empty paragraph of the body when it is a short right-aligned name line."""
        paragraphs = [p for p in container.iter() if p.tag == "p" and text_of(p)]
        if not paragraphs:
            return None
        last = paragraphs[-1]
        right = self._RIGHT.search(attr(last, "style")) or attr(last, "align").lower() == "right"
        if right and len(text_of(last)) <= 80:
            return last
        return None

    def body(self, page: Page) -> list[str]:
        container = page.first(self.body_css)
        if container is None:
            return []
        cleaned = without(container, self.body_drop_css)
        byline = self._byline_node(cleaned)
        if byline is not None:
            # The byline goes with the text after it (lxml's `remove`: an element and its tail).
            while byline.next is not None and byline.next.tag == TEXT:
                byline.next.decompose()
            byline.decompose()
        unwrap(cleaned, "figure.table")
        return list(iter_blocks(cleaned))

    def authors(self, page: Page) -> list[str]:
        container = page.first(self.body_css)
        names: list[str] = []
        if container is not None:
            byline = self._byline_node(without(container, self.body_drop_css))
            text = text_of(byline) if byline is not None else ""
            # "(Theo VTV)" and similar are source credits, not writers.
            if text and not re.match(r"^\(?\s*(theo|nguồn)\b", text, re.IGNORECASE):
                names = [n for n in re.split(r"\s*[,;]\s*|\s+-\s+", text.strip("() ")) if n]
        if not names:
            names = ld_names(page.article_ld.get("author"))
        return unique(strip_separators(n) for n in names if n and not n.startswith("http") and not _is_site_name(n))

    def published(self, page: Page) -> str | None:
        # The printed date first: the JSON-LD date of this template is month-first.
        printed = iso_datetime(page.first_text(self.date_css))
        if printed:
            return printed
        for candidate in (ld_text(page.article_ld.get("datePublished")), page.meta("article:published_time", "pubdate")):
            if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", candidate or ""):
                value = iso_datetime(candidate)
                if value:
                    return value
        return None

    def category(self, page: Page) -> str:
        crumbs = [c for c in page.all_texts(self.category_css) if c.casefold() != "trang chủ"]
        if crumbs:
            return crumbs[-1]
        return breadcrumb_leaf(page) or ld_text(page.article_ld.get("articleSection")) or page.meta("article:section")


# A listing card: `div.verticalPost` or `div.horizontalPost` (not their `__main` children).
_CARD = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in ("verticalPost", "horizontalPost"))


@register
class Vietnamnet(Site):
    name = "vietnamnet"
    description = "Báo VietNamNet: business, Net Zero and green-transition news"
    domains = ("vietnamnet.vn",)
    # Net Zero (green transition), Kinh doanh (business) and its Đầu tư (investment) sub-section.
    start_urls = (
        "https://vietnamnet.vn/net-zero",
        "https://vietnamnet.vn/kinh-doanh",
        "https://vietnamnet.vn/kinh-doanh/dau-tu",
    )
    # Feeds follow `/<section>.rss` (linked from article heads); items are not in time order.
    feed_urls = (
        "https://vietnamnet.vn/kinh-doanh.rss",
        "https://vietnamnet.vn/net-zero.rss",
    )
    # `/<slug>-<id>.html` (2022-); `/vn/<section>/[<sub>/]<slug>-<id>.html` (2019 archive).
    # Tag (`-tag<digits>`), author (`/tac-gia/`), event (`-sk<hex>`) and English (`/en/`) pages never match.
    article_url = re.compile(rf"^https?://[^/]+/(?:vn/(?:[a-z0-9-]+/){{1,3}})?{WORD}(?:-{WORD})*-\d{{5,8}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/(?!tac-gia/|en/|tim-kiem)[a-z0-9-]+(?:/[a-z0-9-]+)?(?:-page\d+)?/?$")
    listing_link_css = (
        ".vnn-title a",
        "div.verticalPost h2 a", "div.verticalPost h3 a",
        "div.horizontalPost h2 a", "div.horizontalPost h3 a",
    )
    layouts = (VietnamnetV1, VietnamnetV2)

    def listing_page(self, url: str, number: int) -> str:
        # Page numbers are 0-based in the URL: `/kinh-doanh-page0` is page 1, `-page1` page 2.
        section = re.sub(r"-page\d+$", "", url.split("?")[0].split("#")[0].rstrip("/"))
        return f"{section}-page{number - 1}"

    def listing_links(self, html: str, url: str) -> list[str]:
        """Article links of a section page, paid items (`isPr="True"`) left out."""
        page = HtmlPage(html, url)
        promoted = set()
        for node in page.sel.xpath("//*[@ispr]"):
            if node.attrib.get("ispr", "").strip().lower() == "true":
                container = node.xpath(f"./ancestor::div[{_CARD}][1]") or [node]
                for href in container[0].css("a::attr(href)").getall():
                    promoted.add(self.canonical(href, base=url))
        return [link for link in super().listing_links(html, url) if link not in promoted]
