"""znews.vn: one URL per post id, whatever slug a link carries."""

from __future__ import annotations

from newscrawl import extract_article
from newscrawl.sites import get_site, site_for_url

from .conftest import FIXTURES

SITE = get_site("znews")
SLUG_URL = "https://znews.vn/ngan-hang-don-dap-cap-von-cho-du-an-dien-mat-troi-mai-nha-post1623401.html"
SHORT_URL = "https://znews.vn/znews-post1623401.html"
PAGE = FIXTURES / "znews" / "ngan-hang-don-dap-cap-von-cho-du-an-dien-mat-troi-mai-nha-post1623401.html"


def test_the_slug_url_and_the_short_og_url_are_one_article():
    assert site_for_url(SLUG_URL) is SITE
    assert SITE.canonical(SLUG_URL) == SITE.canonical(SHORT_URL) == SHORT_URL
    assert SITE.canonical("http://znews.vn/ten-khac-cua-bai-post1623401.html?utm_source=zalo") == SHORT_URL
    assert SITE.is_article(SLUG_URL) and SITE.is_article(SHORT_URL)
    assert SITE.is_listing("https://znews.vn/kinh-doanh-tai-chinh.html") and not SITE.is_article("https://znews.vn/kinh-doanh-tai-chinh.html")


def test_fields_from_either_url_are_the_same_with_related_links_in_the_short_form():
    html = PAGE.read_text(encoding="utf-8")
    by_slug, by_short = extract_article(html, SLUG_URL), extract_article(html, SHORT_URL)
    assert by_slug == by_short and by_slug["url"] == SHORT_URL
    assert by_slug["published"] == "2026-11-19T08:45:12+07:00" and by_slug["authors"] == ["Minh Khôi"]
    assert [link["url"] for link in by_slug["related"]] == ["https://znews.vn/znews-post1623488.html"]
    assert "Tin cũ cùng chủ đề" not in by_slug["body"] and "Ảnh:" not in by_slug["body"]


def test_a_hint_selector_matching_inside_the_most_read_box_does_not_count():
    html = (FIXTURES / "znews" / "kinh-doanh-tai-chinh.html").read_text(encoding="utf-8")
    found = SITE.listing_links(html, "https://znews.vn/kinh-doanh-tai-chinh.html")
    assert "https://znews.vn/znews-post1623100.html" not in found and len(found) == 3
    assert SITE.next_listing_page(html, "https://znews.vn/kinh-doanh-tai-chinh.html", 1) == "https://znews.vn/kinh-doanh-tai-chinh/trang2.html"
