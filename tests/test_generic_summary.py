"""A meta description that repeats the body is not a separate summary (generic pages)."""

from __future__ import annotations

from newscrawl.sites.generic import parse_generic

URL = "https://tin-xanh.example.vn/bai-viet/dien-gio-ngoai-khoi-123456.html"

PARAGRAPHS = [
    "Tỉnh Quảng Trị vừa đề xuất bổ sung dự án điện gió ngoài khơi công suất 2.000 MW vào quy hoạch điện "
    "của vùng Bắc Trung Bộ, với tổng vốn đầu tư dự kiến khoảng 5 tỷ USD.",
    "Theo Sở Công Thương, dự án sẽ được triển khai theo hai giai đoạn, giai đoạn đầu hoàn thành trước năm "
    "2030 và kết nối với lưới điện quốc gia qua trạm biến áp 500 kV.",
    "Các chuyên gia cho rằng điện gió ngoài khơi là nguồn điện sạch có tiềm năng lớn nhất của Việt Nam, "
    "nhưng cần khung pháp lý rõ ràng về khảo sát biển và giá điện để thu hút nhà đầu tư.",
]


def page(description: str, lead_html: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<html lang="vi"><head><title>Điện gió ngoài khơi</title>
    <meta name="description" content="{description}"></head><body>
    <header><nav><a href="/">Trang chủ</a></nav></header>
    <article><h1>Quảng Trị đề xuất dự án điện gió ngoài khơi 2.000 MW</h1>{lead_html}
    <div class="article-content">{body}</div></article>
    <footer>Bản quyền thuộc về Tin Xanh</footer></body></html>"""


def test_description_that_is_the_first_paragraph_in_other_punctuation_is_not_a_summary():
    # Straight quotes, a hyphen for the dash, doubled spaces: the same words as the opening.
    description = PARAGRAPHS[0].replace("điện gió", "&quot;điện gió&quot;", 1).replace(", với", " - với").replace(" ", "  ", 3)
    got = parse_generic(page(description), URL)
    assert got["summary"] == ""
    assert got["body"].split("\n\n") == PARAGRAPHS  # the opening stays in the body


def test_description_that_is_the_whole_article_is_not_a_summary():
    description = " ".join(PARAGRAPHS).replace(", ", " – ")
    got = parse_generic(page(description), URL)
    assert got["summary"] == "" and got["body"].split("\n\n") == PARAGRAPHS


def test_description_cut_short_with_an_ellipsis_is_not_a_summary():
    got = parse_generic(page(PARAGRAPHS[0][:90] + "..."), URL)
    assert got["summary"] == "" and got["body"].split("\n\n")[0] == PARAGRAPHS[0]


def test_a_description_of_its_own_is_the_summary():
    description = "Dự án điện gió ngoài khơi đầu tiên của miền Trung được đề xuất đưa vào quy hoạch."
    got = parse_generic(page(description), URL)
    assert got["summary"] == description
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_a_visible_lead_stays_the_summary_and_is_not_repeated():
    lead = "Quảng Trị muốn đưa điện gió ngoài khơi vào quy hoạch điện, mở đường cho dòng vốn xanh."
    got = parse_generic(page(lead, f'<p class="sapo">{lead}</p>'), URL)
    assert got["summary"] == lead
    assert lead not in got["body"] and got["body"].split("\n\n") == PARAGRAPHS


def test_a_subtitle_printed_under_the_headline_is_the_summary():
    subtitle = "Dự án 5 tỷ USD sẽ kết nối với lưới điện quốc gia qua trạm biến áp 500 kV trước năm 2030"
    html = page("Mô tả riêng cho công cụ tìm kiếm, không in trên trang.", f"<h2>{subtitle}</h2>")
    got = parse_generic(html.replace("<article><h1>", "<article><hgroup><h1>").replace(f"</h2>", "</h2></hgroup>", 1), URL)
    assert got["summary"] == subtitle
    assert got["body"].split("\n\n") == PARAGRAPHS


def test_a_crosshead_after_the_headline_is_not_a_summary():
    html = page("Mô tả riêng cho công cụ tìm kiếm.", "<h2>Bối cảnh</h2>")
    got = parse_generic(html, URL)
    assert got["summary"] == "Mô tả riêng cho công cụ tìm kiếm."
