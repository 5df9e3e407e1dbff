"""vneconomy.vn (Kinh tế Việt Nam / VnEconomy): three article layouts.

- v3 (2026, seen on real pages): `h1.article-header__title`, body
  `main#article-editor[data-field=body]` whose first child is the lead
  (`h4.article-content__lead`) and then the hero figure; byline
  `span.article-meta__name` beside an avatar initial; time
  `time.article-meta__time` ("09:43, 04/09/2026", no `datetime`);
  breadcrumb leaf first; tags `div.tags a.tag`; only "Bài liên quan"
  (`div.related-detail_news`) is genuinely related. Head metadata and the
  JSON-LD body are HTML-entity encoded (`H&#xE0; Anh `, `&#x2B;07:00`): the
  base helpers unescape every JSON-LD and meta string.
- v2 ("news-type1", known from other scrapers only): `h1.name-detail`,
  `div.news-sapo`, `div[data-field=body]`, `p.date` ("04/09/2025, 09:43",
  date first), breadcrumb root first.
- v1 (known from other scrapers only): `h1.detail__title`,
  `.detail__summary` (a `div` or an `h2`), `div.detail__content`,
  `div.detail__time`.

Article and section URLs have the same shape (`/<slug>.htm`), so sections
are told apart by a list of known zone slugs and by slug length (headline
slugs are long); `-e<id>.htm` pages are event/topic hubs.
"""

from __future__ import annotations

import re

from ..analysis.dom import attr
from ..analysis.dom_text import paragraphs
from ..analysis.html import ld_names, ld_text
from ..analysis.text import clean_space, iso_datetime, strip_separators, unique
from ..analysis.urls import bare_host, host_of
from . import register
from .base import WORD, ArticleLayout, Page, Site, plain_slug

HOST = "vneconomy.vn"

# Section ("zone") slugs seen in the 2026 menus and footer, plus older ones;
# `/<zone>.htm` is a listing, never an article.
ZONES = frozenset("""
tieu-diem dau-tu tai-chinh kinh-te-so kinh-te-xanh thi-truong nhip-cau-doanh-nghiep dia-oc
kinh-te-the-gioi dan-sinh chung-khoan tieu-dung video automotive techconnect
chuyen-dong-xanh phap-ly-kinh-te-xanh thuong-hieu-xanh dien-dan-kinh-te-xanh
tai-chinh-ngan-hang thi-truong-von-tai-chinh thue-tai-chhinh thue-tai-chinh bao-hiem-tai-chinh
doanh-nghiep-niem-yet thi-truong-chung-khoan dau-tu-chung-khoan chung-khoan-quoc-te khung-phap-ly-chung-khoan
san-pham-thi-truong-kinh-te-so tai-san-so dich-vu-so start-up quan-tri-so
chinh-sach-bat-dong-san thi-truong-bat-dong-san du-an-bat-dong-san cafe-bds tu-van-bat-dong-san
thi-truong-xuat-nhap-khau khung-phap-ly-thi-truong thi-truong-cong-nghiep kin-te-thi-truong thi-truong-nong-san
the-gioi-kinh-te chuyen-dong-kinh-te-the-gioi-24h kinh-doanh-the-gioi
chuyen-dong-doanh-nghiep doi-thoai-doanh-nghiep ket-noi-doanh-nghiep doanh-nhan cong-ty-doanh-nghiep
an-pham the-guide tap-chi-kinh-te-viet-nam an-pham-tu-van-va-tieu-dung
multimedia emagazine infographics podcast anh photo
nha-dau-tu ha-tang-dau-tu dau-tu-dia-phuong dau-tu-ha-tang cong-nghe-startup
tieu-dung-du-lich suc-khoe thi-truong-tieu-dung tin-dung dep tieu-dung-giai-tri nha-tieu-dung am-thuc-tieu-dung
khung-phap-ly-dan-sinh bao-hiem-dan-sinh nhan-luc an-sinh y-te-dan-sinh
tin-moi tin-moi-nhat doanh-nghiep kinh-te vi-mo the-gioi o-to xe blog-chung-khoan
rss lien-he gioi-thieu tim-kiem search
""".split())

_SLUG = re.compile(rf"^https?://[^/?#]+/({WORD}(?:-{WORD})*)\.htm$")
_EVENT = re.compile(r"-e\d+$")
_MIN_WORDS = 4  # headline slugs; zone slugs not in ZONES are nearly always shorter

# Texts that are never a person: the site's name, times, avatar initials.
_NOT_A_NAME = re.compile(r"^(?:vneconomy(?:\.vn)?|tạp chí kinh tế việt nam|.|[\d:/,\s|-]+)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*[,;]\s*|\s+[-–]\s+|\s+và\s+")
# "Blog chứng khoán" and opinion pieces end with a fixed disclaimer paragraph.
_DISCLAIMER = re.compile(r"không (?:nhất thiết )?đại diện cho (?:quan điểm|ý kiến|lập trường) của (?:tạp chí )?vneconomy", re.IGNORECASE)

# Boxes of every layout that never belong to a body.
_COMMON_DROP = (
    "script", "style", "figure", "figcaption", "div.container-adv", "div.box-advertisement", "ins",
    "div.related-detail_news", "div.block-news-feed", "div.tags", "div.list-tag", "div.box-keyword",
    "div.article-meta__share", "div.share__menu", "div.list-detail-revert_item", "div.news-general",
    "div.block-readmore-news", "section.section-newest", "section.section-zone-event",
)


def slug_of(url: str) -> str | None:
    match = _SLUG.match(url.split("#")[0])
    return match.group(1) if match else None


def is_article_url(url: str) -> bool:
    """`/<headline-slug>.htm` on vneconomy.vn, not a zone, tag, event or video hub."""
    if bare_host(host_of(url)) != HOST:
        return False
    slug = slug_of(url.split("?")[0])
    if not slug:
        return False
    name = plain_slug(slug)
    return name not in ZONES and not _EVENT.search(name) and name.count("-") + 1 >= _MIN_WORDS


def split_names(names) -> list[str]:
    out = []
    for name in names:
        for part in _NAME_SPLIT.split(clean_space(name)):
            part = strip_separators(part)
            if part and not _NOT_A_NAME.match(part) and not part.startswith("http"):
                out.append(part)
    return unique(out)


class VneconomyLayout(ArticleLayout):
    """What the three layouts share: fallbacks and the traps of the site."""

    # The printed category trail: is the leaf its first or its last crumb?
    breadcrumb_leaf_first: bool = False
    # Where a machine date may sit inside the article header (never page-wide:
    # sidebars carry other stories' times).
    time_attr_css: tuple = ()
    body_drop_css = _COMMON_DROP

    def summary(self, page: Page) -> str:
        # og:description and JSON-LD description carry the lead; meta description is SEO text.
        return page.first_text(self.summary_css) or ld_text(page.article_ld.get("description")) or page.meta("og:description")

    def body(self, page: Page) -> list[str]:
        container = page.first(self.body_css)
        if container is None:
            return []
        summary = clean_space(self.summary(page))
        kept = []
        for text in paragraphs(container, self.body_drop_css):
            if _DISCLAIMER.search(text) or (not kept and summary and text == summary):
                continue
            kept.append(text)
        return kept

    def authors(self, page: Page) -> list[str]:
        names = split_names(page.all_texts(self.author_css)) if self.author_css else []
        if names:
            return names
        return split_names(ld_names(page.article_ld.get("author")) + [page.meta("author", "article:author", "dable:author")])

    def published(self, page: Page) -> str | None:
        candidates = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("article:published_time", "datePublished", "pubdate", "og:article:published_time"),
        ]
        candidates += [attr(node, "datetime") for css in self.time_attr_css for node in page.css(css)]
        candidates += [page.first_text(self.date_css)] if self.date_css else []
        for candidate in candidates:
            value = iso_datetime(candidate)
            if value:
                return value
        return None

    def category(self, page: Page) -> str:
        for css in self.category_css:
            crumbs = [c for c in (strip_separators(t) for t in page.all_texts((css,))) if c and c.lower() != "trang chủ"]
            if crumbs:
                return crumbs[0] if self.breadcrumb_leaf_first else crumbs[-1]
        section = ld_text(page.article_ld.get("articleSection")) or page.meta("article:section")
        if section:
            return section
        crumbs = [obj for obj in page.json_ld if obj.get("@type") == "BreadcrumbList"]
        items = crumbs[0].get("itemListElement", []) if crumbs else []
        names = [ld_text(i.get("name") or i.get("item")) for i in items if isinstance(i, dict)]
        names = [n for n in names[1:-1] if n]  # drop "Trang chủ" and the article itself
        return names[-1] if names else ""

    def tags(self, page: Page) -> list[str]:
        tags = page.all_texts(self.tags_css) if self.tags_css else []
        if not tags:
            # One ", "-joined value on this site. `keywords` are SEO words, not tags.
            tags = [t for value in page.metas("article:tag") for t in value.split(",")]
        return unique(clean_space(t).lstrip("#").strip() for t in tags if t.strip())

    def related(self, page: Page) -> list[dict]:
        return [link for link in super().related(page) if is_article_url(link["url"])]


class VneconomyV3(VneconomyLayout):
    """2026 redesign (Hemera CMS)."""

    name = "v3"
    title_css = ("h1.article-header__title", 'h1[data-field="title"]', "header.article-header h1")
    summary_css = ("h4.article-content__lead", '[data-field="sapo"]', ".article-content__lead")
    body_css = ("main#article-editor", "main.article-editor", 'main[data-field="body"]', "div.article-editor")
    body_drop_css = ("h4.article-content__lead", '[data-field="sapo"]', '[data-field="avatar"]') + _COMMON_DROP
    author_css = ("div.article-meta__author span.article-meta__name", "span.article-meta__name", ".author-credit__name")
    date_css = ('time.article-meta__time', 'time[data-field="distributionDate"]', "div.article-meta__content time")
    time_attr_css = ("header.article-header time[datetime]", "div.article-meta time[datetime]")
    breadcrumb_leaf_first = True
    category_css = (
        'span[data-field="zone"]',
        "div.article-detail-section__main nav.breadcrumb a.is-active .block-see-more--text",
        "div.article-detail-section__main nav.breadcrumb .block-see-more--text",
    )
    tags_css = ("div.tags a.tag span.tag-name", "div.list-tag a.tag", 'div.tags a[href*="/tag/"]')
    related_css = ("div.related-detail_news article h3 a", "div.related-detail_news h3 a", "div.related-detail_news .new-item__content a")


class VneconomyV2(VneconomyLayout):
    """"news-type1" detail page (2021-2025, per other scrapers)."""

    name = "v2"
    title_css = ("h1.name-detail", "h2.name-detail")
    summary_css = ("div.news-sapo", 'div[data-field="sapo"]')
    body_css = ('div[data-field="body"]', "div.ct-edtior-web.news-type1", "div.ct-edtior-web")
    body_drop_css = ("div.news-sapo", '[data-field="sapo"]', "div.date-detail", "p.name") + _COMMON_DROP
    author_css = ("div.date-detail p.name", "div.author-detail p.name", "div.detail-page p.name")
    date_css = ('p.date[data-field="distributionDate"]', "div.date-detail p.date", ".date-detail .date")
    time_attr_css = ("div.date-detail time[datetime]",)
    category_css = ("div.breadcrumb a.text-breadcrumb", "div.breadcrumb a")
    tags_css = ("div.box-keyword a", "div.tag-detail a")
    related_css = ("div.list-detail-revert_item a", "div.box-relate a")


class VneconomyV1(VneconomyLayout):
    """`detail__` BEM page (per other scrapers)."""

    name = "v1"
    title_css = ("h1.detail__title", "h2.detail__title")
    summary_css = (".detail__summary",)
    body_css = ("div.detail__content",)
    body_drop_css = (".detail__summary", "div.detail__related", "div.detail__tag", "div.detail__tags", "div.detail__author") + _COMMON_DROP
    author_css = ("div.detail__author", ".detail__meta .detail__author-name")
    date_css = ("div.detail__time", ".detail__meta .detail__time", ".detail__time")
    time_attr_css = ("div.detail__meta time[datetime]", ".detail__time time[datetime]")
    category_css = ("div.detail__category a", "div.detail__category", "div.breadcrumb a")
    tags_css = ("div.detail__tag a", "div.detail__tags a")
    related_css = ("div.detail__related a", "div.detail__relate a")


@register
class Vneconomy(Site):
    name = "vneconomy"
    description = "VnEconomy (Tạp chí Kinh tế Việt Nam): economy, finance and its green-economy section"
    domains = (HOST,)
    # "Kinh tế xanh" and its four sub-sections.
    start_urls = (
        "https://vneconomy.vn/kinh-te-xanh.htm",
        "https://vneconomy.vn/chuyen-dong-xanh.htm",
        "https://vneconomy.vn/phap-ly-kinh-te-xanh.htm",
        "https://vneconomy.vn/thuong-hieu-xanh.htm",
        "https://vneconomy.vn/dien-dan-kinh-te-xanh.htm",
    )
    sitemap_urls = ("https://vneconomy.vn/sitemap/latest-news.xml",)
    # Zone feeds are `/<zone>.rss`, 50 items, pubDate in GMT.
    feed_urls = ("https://vneconomy.vn/kinh-te-xanh.rss",)
    article_url = re.compile(rf"^https?://[^/]+/{WORD}(?:-{WORD}){{3,}}\.htm$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+\.htm(?:\?page=\d+)?$")
    # Headline links of story cards (2026 cards, "news-type1" and older
    # "story" markup); the page's chrome boxes are removed first.
    listing_link_css = (
        "article h1 a", "article h2 a", "article h3 a", "article a",
        "div.featured-row_item a", "a.link-layer-imt", "h3.name-item a", "h3.name a",
        "header.story__header a", "h2.story__title a",
    )
    # Its own site-wide boxes: newest, "don't miss", video slider, events, ads, read-more.
    listing_chrome_css = (
        "section.section-newest", "div.section-dont-miss", "#slider-vnetv", "section.section-zone-event",
        "div.container-adv", "div.block-readmore-news",
    )
    layouts = (VneconomyV3, VneconomyV2, VneconomyV1)

    def is_article(self, url: str) -> bool:
        return super().is_article(url) and is_article_url(self.canonical(url))

    def listing_page(self, url: str, number: int) -> str:
        return f"{url.split('?')[0].split('#')[0]}?page={number}"

