"""dantri.com.vn's 2026 layout: data-slot hooks, the `(Dân trí) - ` lead, URL rules."""

from __future__ import annotations

import re

from newscrawl import extract_article
from newscrawl.sites import get_site, site_for_url

from .conftest import FIXTURES

SITE = get_site("dantri")
CBAM = "https://dantri.com.vn/kinh-doanh/esg-viet-nam/doanh-nghiep-thep-chay-dua-giam-phat-thai-truoc-co-che-cbam-20261120143005117.htm"
CBAM_PAGE = FIXTURES / "dantri" / "doanh-nghiep-thep-chay-dua-giam-phat-thai-truoc-co-che-cbam-20261120143005117.html"


def test_article_and_listing_urls():
    assert site_for_url(CBAM) is SITE and SITE.is_article(CBAM)
    assert SITE.is_article("https://dantri.com.vn/thoi-su/ha-noi-trong-them-cay-xanh-20261201080000123.htm")
    for listing in ("https://dantri.com.vn/thoi-su/moi-truong.htm", "https://dantri.com.vn/kinh-doanh/esg-viet-nam/trang-3.htm"):
        assert SITE.is_listing(listing) and not SITE.is_article(listing)
    # A 13-digit id is not dantri's 17-digit timestamp id.
    assert not SITE.is_article("https://dantri.com.vn/kinh-doanh/bai-viet-1234567890123.htm")
    assert SITE.listing_page("https://dantri.com.vn/thoi-su/moi-truong.htm", 2) == "https://dantri.com.vn/thoi-su/moi-truong/trang-2.htm"
    assert SITE.listing_page("https://dantri.com.vn/thoi-su/moi-truong/trang-2.htm", 3) == "https://dantri.com.vn/thoi-su/moi-truong/trang-3.htm"


def test_lead_keeps_the_papers_prefix_and_body_drops_asides_ads_and_captions():
    html = CBAM_PAGE.read_text(encoding="utf-8")
    got = extract_article(html, CBAM)
    assert got["summary"].startswith("(Dân trí) - Từ năm 2026, thép xuất khẩu sang châu Âu")
    assert got["body"].startswith("Nhiều doanh nghiệp thép lớn đã công bố lộ trình")
    for chrome in ("Quảng cáo", "Ảnh minh họa", "Tín chỉ carbon rừng mở nguồn thu mới"):
        assert chrome not in got["body"]
    assert "(Dân trí)" not in got["body"]
    assert got["authors"] == ["Minh Hà", "Thanh Tùng"] and got["parser"] == "dantri/v2026"


def test_the_printed_time_is_vietnam_time_when_json_ld_is_missing():
    html = CBAM_PAGE.read_text(encoding="utf-8")
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    html = re.sub(r'<meta property="article:published_time"[^>]*>', "", html)
    assert extract_article(html, CBAM)["published"] == "2026-11-20T14:30:00+07:00"
