"""baodautu.vn (Báo Đầu tư): the seed's site.

No machine-readable date anywhere on its pages: the printed ` - dd/mm/yyyy
hh:mm` in `span.post-time` is the only source (the header's date is today's).
The title is a `div.title-detail`, not an `h1`. Category ids (`-d6/`) are
stable while the slug before them varies, so URLs are matched on the id.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG, ArticleLayout, Site


class BaodautuV1(ArticleLayout):
    name = "v1"
    title_css = ("div.title-detail", "h1.title-detail", "h1")
    summary_css = ("div.sapo_detail", "h2.sapo_detail")
    body_css = ("div#content_detail_news",)
    body_drop_css = (
        "table.MASTERCMS_TPL_TABLE", "td.media-caption", "div.list_news_relation_top",
        "div.news_relate_one", "div.tag_detail", "div.ads", "ins.adsbygoogle", "span#boxcauhoi",
    )
    author_css = ("div.author-share-top a.author", "a.author")
    date_css = ("div.author-share-top span.post-time", "span.post-time")
    category_css = ("div.fs16.text-uppercase a", "div.breadcrumb a")
    tags_css = ("div.tag_detail a.tag_detail_item", "div.tag_detail a")
    # "TIN LIÊN QUAN" (between lead and body), the one-story box after the
    # body, and the section's "more news" list; never "Tin nóng", "Xem thêm"
    # or the "Thông tin doanh nghiệp" promotions.
    related_css = (
        "div.list_news_relation_top a",
        "div.news_relate_one a",
        "div.list_news_relation_bottom a",
    )

    def authors(self, page):
        # meta AUTHOR is the site's name, never the writer: only the byline counts.
        return [name for name in page.all_texts(self.author_css) if name.lower() != "baodautu.vn"]


@register
class Baodautu(Site):
    name = "baodautu"
    description = "Báo Đầu tư: investment, business and green-economy news"
    domains = ("baodautu.vn",)
    # Sections that carry green-growth, ESG and energy-investment news; the
    # monthly sitemaps cover the rest and the topics stage keeps the green.
    start_urls = (
        "https://baodautu.vn/thoi-su-d1/",
        "https://baodautu.vn/dau-tu-d2/",
        "https://baodautu.vn/kinh-doanh-d3/",
    )
    # The index lists the monthly `sitemaps/news-<YYYY>-<M>.xml` files with their lastmod.
    sitemap_urls = ("https://baodautu.vn/sitemap.xml",)
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-d\d+\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+-d\d+/?(?:p\d+/?)?$")
    # One selector so the lead, its side column, the thumbnail rows, the editors' picks and
    # the stream keep page order.
    listing_link_css = ("div.news_focus a, div.list_thumb_news a, ul.list_news_home a, div.box_chon_loc a",)
    layouts = (BaodautuV1,)

    def listing_page(self, url: str, number: int) -> str:
        section = re.sub(r"/p\d+/?$", "", url.rstrip("/"))
        return f"{section}/p{number}"
