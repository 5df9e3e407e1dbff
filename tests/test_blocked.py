"""blocked_reason: challenges, walls and empty pages, and never a real article."""

import pytest
from scrapy.http import Headers

from newscrawl.analysis.blocked import BOT_CHALLENGE, EMPTY_PAGE, LOGIN_WALL, PAYWALL, blocked_reason
from newscrawl.analysis.encoding import decode_html

from .conftest import manifest_entries
from .server import CHALLENGE_HEADERS, CHALLENGE_PAGES, LOGIN_WALL_PAGE, PAYWALL_PAGE

PARAGRAPHS = [
    "Thị trường tín chỉ carbon đang mở ra cơ hội mới cho doanh nghiệp Việt Nam trong lộ trình giảm phát thải khí nhà kính.",
    "Theo Bộ Tài nguyên và Môi trường, sàn giao dịch tín chỉ carbon thí điểm sẽ vận hành từ năm 2025 và chính thức từ năm 2028.",
    "Các doanh nghiệp trong lĩnh vực năng lượng, xi măng và thép sẽ phải kiểm kê phát thải và xây dựng kế hoạch giảm phát thải.",
    "Chuyên gia cho rằng doanh nghiệp cần chuẩn bị sớm về nhân lực, dữ liệu và công nghệ đo đạc để không bị động khi thị trường vận hành.",
    "Nhiều ngân hàng thương mại cũng đã bắt đầu thiết kế các gói tín dụng xanh gắn với mục tiêu giảm phát thải của khách hàng.",
    "Ở cấp địa phương, nhiều tỉnh đã ban hành kế hoạch hành động về tăng trưởng xanh giai đoạn 2021 - 2030, tầm nhìn 2050.",
    "Bên cạnh đó, các dự án trồng rừng và bảo vệ rừng có thể tạo ra tín chỉ carbon để bán trên thị trường tự nguyện quốc tế.",
    "Tuy nhiên, để đảm bảo chất lượng tín chỉ, quy trình đo đạc, báo cáo và thẩm định cần minh bạch và theo chuẩn quốc tế.",
    "Các chuyên gia khuyến nghị Nhà nước sớm hoàn thiện khung pháp lý, đặc biệt là quy định về quyền sở hữu tín chỉ carbon.",
    "Doanh nghiệp nhỏ và vừa cần được hỗ trợ về tài chính và kỹ thuật để tham gia thị trường một cách hiệu quả và bền vững.",
]


def article(extra_body: str = "", footer: str = "", head: str = "", paragraphs=PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tín chỉ carbon</title>{head}</head><body>"
        "<header><nav><a href=\"/\">Trang chủ</a> <a href=\"/dang-nhap\">Đăng nhập</a> <a href=\"/dang-ky\">Đăng ký</a></nav></header>"
        f"<article><h1>Tín chỉ carbon: cơ hội cho doanh nghiệp Việt</h1>{body}{extra_body}</article>"
        f"<footer>{footer}</footer></body></html>"
    )


# --- bot challenges --------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", sorted(CHALLENGE_PAGES))
def test_vendor_challenge_pages(vendor):
    html = CHALLENGE_PAGES[vendor].replace("{host}", "baodautu.vn")
    assert blocked_reason(403, CHALLENGE_HEADERS[vendor], html) == BOT_CHALLENGE
    assert blocked_reason(503, {}, html) == BOT_CHALLENGE


def test_cloudflare_by_header_alone():
    assert blocked_reason(403, {"cf-mitigated": "challenge"}, "<html></html>") == BOT_CHALLENGE
    assert blocked_reason(403, Headers({"CF-Mitigated": "challenge"}), b"") == BOT_CHALLENGE
    assert blocked_reason(403, [(b"cf-mitigated", b"challenge")], "") == BOT_CHALLENGE


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>",
        "<html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>",
        "<html><head><title>Checking your browser before accessing vneconomy.vn</title></head><body>Please wait</body></html>",
        "<html><body><h1>Request unsuccessful. Incapsula incident ID: 123000-456</h1></body></html>",
        "<html><body><iframe src=\"https://geo.captcha-delivery.com/captcha/?initialCid=x\"></iframe></body></html>",
        "<html><body><div id=\"px-captcha\"></div><p>Press &amp; Hold to confirm you are a human</p></body></html>",
    ],
)
def test_challenge_markup(html):
    assert blocked_reason(200, {}, html) == BOT_CHALLENGE


def test_a_captcha_on_a_short_error_page_is_a_challenge():
    html = "<html><body><h1>Vui lòng xác nhận</h1><div class=\"g-recaptcha\"></div></body></html>"
    assert blocked_reason(429, {}, html) == BOT_CHALLENGE


def test_plain_403_from_a_cdn_is_a_challenge_but_a_plain_404_is_nothing():
    assert blocked_reason(403, {"Server": "cloudflare"}, "<html><body>Forbidden</body></html>") == BOT_CHALLENGE
    assert blocked_reason(404, {"Server": "nginx"}, "<html><body>Không tìm thấy trang</body></html>") is None


def test_an_article_with_vendor_scripts_and_a_comment_captcha_is_not_a_challenge():
    head = (
        "<script src=\"/cdn-cgi/challenge-platform/h/b/scripts/jsd/main.js\"></script>"
        "<script src=\"https://js.datadome.co/tags.js\"></script><script>window._pxAppId='PX123';</script>"
    )
    comments = "<section class=\"comments\"><p>Gửi bình luận</p><div class=\"g-recaptcha\" data-sitekey=\"k\"></div></section>"
    assert blocked_reason(200, {"Server": "cloudflare"}, article(comments, head=head)) is None


def test_cloudflare_origin_error_is_not_a_challenge():
    # A 522 page is the origin being down (for retries), not a bot check.
    html = "<html><head><title>baodautu.vn | 522: Connection timed out</title></head><body><div id=\"cf-wrapper\"><div class=\"cf-error-details\">Connection timed out</div></div></body></html>"
    assert blocked_reason(522, {"Server": "cloudflare"}, html) is None


# --- login walls and paywalls ----------------------------------------------------------------


def test_fixture_server_walls():
    assert blocked_reason(200, {}, LOGIN_WALL_PAGE.format(title="Bài viết dành cho thành viên")) == LOGIN_WALL
    assert blocked_reason(200, {}, PAYWALL_PAGE.format(title="Tín chỉ carbon")) == PAYWALL


@pytest.mark.parametrize(
    "wall",
    [
        "<div class=\"box\"><p>Bạn cần đăng nhập để đọc tiếp bài viết này.</p><a href=\"/dang-nhap\">Đăng nhập</a></div>",
        "<div><p>Vui lòng đăng nhập để xem toàn bộ nội dung.</p></div>",
        "<div><p>Đăng nhập để đọc</p></div>",
        "<div><p>Please log in to continue reading.</p></div>",
        "<div><p>You must be logged in to view this article.</p></div>",
    ],
)
def test_login_walls(wall):
    assert blocked_reason(200, {}, article(wall, paragraphs=PARAGRAPHS[:2])) == LOGIN_WALL


@pytest.mark.parametrize(
    "wall",
    [
        "<div class=\"premium\"><p>Nội dung này chỉ dành cho hội viên. Đăng ký gói Premium để đọc tiếp.</p></div>",
        "<div><p>Đăng ký gói để đọc toàn bộ bài viết</p></div>",
        "<div><p>Bài viết dành riêng cho độc giả trả phí.</p></div>",
        "<div><p>Subscribe to continue reading. Already a subscriber? Sign in</p></div>",
        "<div><p>This article is for subscribers only.</p></div>",
    ],
)
def test_paywalls(wall):
    assert blocked_reason(200, {}, article(wall, paragraphs=PARAGRAPHS[:2])) == PAYWALL


def test_schema_org_not_free_teaser_is_a_paywall():
    head = '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree": "False"}</script>'
    assert blocked_reason(200, {}, article(head=head, paragraphs=PARAGRAPHS[:2])) == PAYWALL


def test_status_codes_and_login_redirects():
    assert blocked_reason(401, {}, "<html><body>Unauthorized</body></html>") == LOGIN_WALL
    assert blocked_reason(402, {}, "<html><body>Payment required</body></html>") == PAYWALL
    assert blocked_reason(200, {}, article(), url="https://thesaigontimes.vn/dang-nhap/?redirect=/bai-viet") == LOGIN_WALL
    assert blocked_reason(200, {}, article(), url="https://thesaigontimes.vn/dang-nhap-thanh-cong-la-gi/") is None


# --- a real article is never flagged ---------------------------------------------------------


def test_article_with_login_links_in_its_footer_is_not_flagged():
    footer = (
        "<p>Đăng nhập | Đăng ký | Bạn cần đăng nhập để đọc báo in (e-paper)</p>"
        "<p>Đăng ký gói đọc báo in: liên hệ tòa soạn</p><p>© Báo Đầu tư</p>"
    )
    assert blocked_reason(200, {}, article(footer=footer)) is None


def test_short_article_with_comment_login_and_newsletter_prompts_is_not_flagged():
    comments = (
        "<section class=\"comments\"><p>Bạn cần đăng nhập để bình luận.</p>"
        "<p>Vui lòng đăng nhập để gửi ý kiến của bạn</p><p>Please log in to comment.</p></section>"
        "<div class=\"newsletter\"><p>Đăng ký nhận bản tin: đăng ký gói tin miễn phí qua email mỗi sáng</p></div>"
    )
    html = article(comments, footer="<a href=\"/dang-nhap\">Đăng nhập</a>", paragraphs=PARAGRAPHS[:3])
    assert blocked_reason(200, {}, html) is None


def test_full_article_that_is_about_paywalls_is_not_flagged():
    topic = PARAGRAPHS + [
        "Nhiều tờ báo đã áp dụng mô hình thu phí, yêu cầu bạn đọc đăng ký gói hội viên để đọc toàn bộ bài viết chuyên sâu.",
        "Theo khảo sát, độc giả sẵn sàng trả phí nếu nội dung dành cho hội viên thực sự khác biệt và có giá trị cao.",
    ]
    assert blocked_reason(200, {}, article(paragraphs=topic)) is None


def test_every_saved_html_page_is_a_page():
    checked = 0
    for entry in manifest_entries():
        if not entry["path"].suffix == ".html":
            continue
        text, _ = decode_html(entry["path"].read_bytes(), entry["headers"].get("Content-Type"))
        assert blocked_reason(entry.get("status", 200), entry["headers"], text) is None, entry["url"]
        checked += 1
    assert checked > 50


# --- empty pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n  ",
        "<html><head><title>Báo</title></head><body></body></html>",
        "<!DOCTYPE html><html><head><script src=\"/app.js\"></script></head><body><div id=\"root\"></div><script>window.__STATE__={\"articles\":[\"dài dòng văn tự tiếng Việt có dấu rất nhiều chữ\"]}</script></body></html>",
        "<html><body><p>&nbsp;</p><!-- tin bài sẽ được tải sau, nội dung rất dài nằm trong chú thích --></body></html>",
    ],
)
def test_empty_200s(html):
    assert blocked_reason(200, {"Content-Type": "text/html"}, html) == EMPTY_PAGE


def test_short_but_real_pages_and_non_200s_are_not_empty():
    assert blocked_reason(200, {}, "<html><body><h1>Hà Nội đón đợt không khí lạnh mạnh, nhiệt độ giảm sâu</h1></body></html>") is None
    assert blocked_reason(204, {}, "") is None
    assert blocked_reason(404, {}, "") is None
    assert blocked_reason(304, {}, "") is None
