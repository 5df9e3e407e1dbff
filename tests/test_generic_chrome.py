"""Generic pages: share widgets go, links inside a paragraph keep their text, promo boxes go."""

from __future__ import annotations

import pytest

from newscrawl.sites.generic import parse_generic

URL = "https://nang-luong-sach.example.vn/tin/dien-mat-troi-mai-nha-778899.html"
OPENING = ("Tổng công suất điện mặt trời mái nhà tự sản tự tiêu đã đạt 1.200 MW trong năm nay, "
           "tăng mạnh so với cùng kỳ năm trước nhờ cơ chế mới.")
MIDDLE = ("cho biết các khu công nghiệp ở phía Nam dẫn đầu về số dự án, nhờ nhu cầu giảm phát thải "
          "của các nhà nhập khẩu châu Âu.")
CLOSING = ("Giới chuyên gia nhận định cơ chế mua bán điện trực tiếp sẽ mở thêm dư địa cho doanh nghiệp "
           "đầu tư năng lượng sạch trong những năm tới.")


def page(inside: str) -> str:
    return f"""<html lang="vi"><head><title>Điện mặt trời mái nhà</title></head><body>
    <header><a href="/">Năng lượng sạch</a></header>
    <article><h1>Điện mặt trời mái nhà tăng tốc</h1><div class="article-content">
    <p>{OPENING}</p>{inside}<p>{CLOSING}</p></div></article></body></html>"""


@pytest.mark.parametrize("widget", [
    "<p>Share this on WhatsApp</p>",
    "<p>Chia sẻ qua Zalo</p>",
    "<div>Facebook Twitter Zalo Email</div>",
    "<p><a href='#'>Auf Facebook teilen</a></p>",
    "<p>Share via Email</p>",
])
def test_share_widget_text_is_not_body(widget):
    got = parse_generic(page(widget), URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_a_sentence_about_a_platform_stays():
    sentence = "Facebook cho biết sẽ mua điện tái tạo từ các dự án điện gió tại Việt Nam."
    got = parse_generic(page(f"<p>{sentence}</p>"), URL)
    assert got["body"].split("\n\n") == [OPENING, sentence, CLOSING]


def test_a_link_inside_a_paragraph_keeps_its_text():
    # The subject of the sentence is a link to a tag page: without it the sentence loses its subject.
    inside = f'<p><a href="/tag/bo-cong-thuong">Bộ Công Thương</a> {MIDDLE}</p>'
    got = parse_generic(page(inside), URL)
    assert got["body"].split("\n\n") == [OPENING, f"Bộ Công Thương {MIDDLE}", CLOSING]


def test_a_promo_box_between_paragraphs_is_dropped():
    promo = ('<div class="box-promo"><a href="/dang-ky">Đăng ký nhận bản tin năng lượng xanh mỗi sáng</a>'
             '<p>Miễn phí cho bạn đọc mới</p></div>')
    got = parse_generic(page(f"{promo}<p>Sở Công Thương {MIDDLE}</p>"), URL)
    assert got["body"].split("\n\n") == [OPENING, f"Sở Công Thương {MIDDLE}", CLOSING]


@pytest.mark.parametrize("line", [
    "<p>LE PUEDE INTERESAR: <a href='/otra-nota'>Otra nota sobre energía solar</a></p>",
    "<p><strong>Lesen Sie auch:</strong> Solarparks auf Ackerland</p>",
    "<p>Czytaj też: Farmy wiatrowe na Bałtyku</p>",
    "<p>NOTAS RELACIONADAS</p>",
    "<h3>Mehr zum Thema</h3>",
    "<p>Subscribe now to our e-paper for the full story.</p>",
    "<p>Never miss the latest news by signing up to our newsletter today!</p>",
    "<p>For the latest stories download our apps for iOS and Android.</p>",
    "<p>ANZEIGE - Jetzt Angebote vergleichen</p>",
    "<p>(Credit: Ana Lima / Green Ledger)</p>",
    "<p>Solar panels on a warehouse roof in Long An. © AFP / MINH KHOA</p>",
    "<p>If you’re seeing this message but you’re already a subscriber, log in for access to this story.</p>",
    "<p>Puede escribirnos a redaccion@example.net o seguirnos en Facebook y Twitter.</p>",
    "<p>Dieser Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion.</p>",
    "<p>The views expressed in this column are those of the author and not of Green Ledger.</p>",
    "<p>Bài viết thể hiện quan điểm riêng của tác giả.</p>",
])
def test_pointers_prompts_and_photo_credits_in_any_language_are_not_body(line):
    got = parse_generic(page(line), URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_sentences_that_mention_subscribers_or_credit_stay():
    sentences = ["Subscribers to the green tariff rose by a third this year, the utility said.",
                 "The views expressed at the hearing were divided between the two provinces.",
                 "Credit Suisse đã rút khỏi hai dự án điện than trong năm nay."]
    got = parse_generic(page("".join(f"<p>{s}</p>" for s in sentences)), URL)
    assert got["body"].split("\n\n") == [OPENING, *sentences, CLOSING]
