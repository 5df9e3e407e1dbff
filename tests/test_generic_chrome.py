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
    "<p>Bei diesem Beitrag handelt es sich um ein Blog aus der Leser-Community</p>",
    "<p>The views expressed in this column are those of the author and not of Green Ledger.</p>",
    "<p>Bài viết thể hiện quan điểm riêng của tác giả.</p>",
    "<p>We want to hear what you think about this article. Submit a letter to the editor.</p>",
    "<p>This post contains references to products from one or more of our advertisers. We may receive compensation "
    "when you click on links to those products. Terms apply to the offers listed on this page. For an explanation "
    "of our Advertising Policy, visit this page.</p>",
    "<div>Mùa hè là mùa du lịch, và các khu nghỉ dưỡng ven biển đã kín phòng đến tháng Chín. Đọc tiếp</div>",
    "<p>Sommerzeit ist Urlaubszeit, das lässt sich niemand zweimal sagen. Seht selbst! <a href='/x'>Weiterlesen</a></p>",
    "<p>Green Ledger ist unabhängig. Unterstütze unsere Arbeit und abonniere das Magazin ab 19,90 Euro im Jahr!</p>",
    "<p>Green Ledger abonnieren</p>",
    "<p>Hacemos periodismo desde hace 106 años. Y ahora el periodismo es fundamental. HAZTE MIEMBRO Y DISFRUTA "
    "DE BENEFICIOS EXCLUSIVOS</p>",
])
def test_pointers_prompts_and_photo_credits_in_any_language_are_not_body(line):
    got = parse_generic(page(line), URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_sentences_that_mention_subscribers_or_credit_stay():
    sentences = ["Subscribers to the green tariff rose by a third this year, the utility said.",
                 "The views expressed at the hearing were divided between the two provinces.",
                 "Vietnam will become a member of the new carbon market alliance next year, the ministry said.",
                 "Credit Suisse đã rút khỏi hai dự án điện than trong năm nay."]
    got = parse_generic(page("".join(f"<p>{s}</p>" for s in sentences)), URL)
    assert got["body"].split("\n\n") == [OPENING, *sentences, CLOSING]


BIO = ("Nguyễn Minh Khoa là phóng viên mảng năng lượng từ năm 2015, trước đó làm kỹ sư tại một nhà máy thủy điện "
       "ở Tây Nguyên. Anh tốt nghiệp Đại học Bách khoa Hà Nội và từng tham gia nhiều khóa đào tạo về báo chí dữ liệu.")


@pytest.mark.parametrize("box", [
    f"<div class='highlight'><div class='content wide'><div class='header'>TÁC GIẢ</div><h3>Nguyễn Minh Khoa</h3>"
    f"<p>{BIO}</p></div></div>",
    f"<section><h2>About the author</h2><p><a href='/author/khoa'>Nguyễn Minh Khoa</a></p><p>{BIO}</p></section>",
])
def test_a_box_introducing_the_author_is_not_body(box):
    got = parse_generic(page(box), URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_a_short_story_is_not_taken_from_the_author_box_or_the_latest_stories_beside_it():
    # No class says what is what: the story is short, the bio and the teaser list are longer.
    teasers = "".join(f"<div><a href='/tin/{i}.html'>Tin số {i} về thị trường điện</a><p>{MIDDLE} {i}</p></div>"
                      for i in range(4))
    html = f"""<html lang="vi"><head><title>Điện mặt trời mái nhà</title></head><body><main>
    <h1>Điện mặt trời mái nhà tăng tốc</h1><div class="x1"><p>{OPENING}</p><p>{CLOSING}</p></div>
    <div class="x2"><h2>Tác giả</h2><div class="c"><a href="/tac-gia/khoa">Nguyễn Minh Khoa</a>
    <div class="t"><p>{BIO}</p><p>{BIO.replace("2015", "2016")}</p></div></div></div>
    <div class="x3"><h2>Tin mới nhất</h2>{teasers}</div></main></body></html>"""
    got = parse_generic(html, URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_a_related_heading_inside_the_story_does_not_take_the_story_with_it():
    related = "<h3>Tin liên quan</h3><ul><li><a href='/a.html'>Điện gió ngoài khơi</a></li><li><a href='/b.html'>Tín chỉ carbon</a></li></ul>"
    got = parse_generic(page(related), URL)
    paragraphs = got["body"].split("\n\n")
    assert paragraphs[0] == OPENING and paragraphs[-1] == CLOSING


@pytest.mark.parametrize("heading", [
    "<h3 class='subheading' id='nav_dien_gio_ngoai_khoi_1'>Điện gió ngoài khơi</h3>",
    "<h2 id='video-va-hinh-anh-tu-cong-truong'>Điện gió ngoài khơi</h2>",
])
def test_a_crosshead_whose_id_is_a_slug_stays(heading):
    got = parse_generic(page(heading), URL)
    assert got["body"].split("\n\n") == [OPENING, "Điện gió ngoài khơi", CLOSING]


def test_an_author_label_among_the_last_lines_ends_the_story():
    bio = f"<p><strong>Về tác giả</strong></p><p>{BIO}</p><p>Nếu bạn thích bài viết, hãy mời tác giả một ly cà phê.</p>"
    html = page("").replace(f"<p>{CLOSING}</p>", f"<p>{CLOSING}</p>{bio}")
    got = parse_generic(html, URL)
    assert got["body"].split("\n\n") == [OPENING, CLOSING]


def test_a_main_column_opened_by_a_latest_news_ticker_keeps_its_story():
    ticker = "<h2>Tin mới nhất</h2><ul><li><a href='/a.html'>Điện gió</a></li><li><a href='/b.html'>Tín chỉ carbon</a></li></ul>"
    html = f"""<html lang="vi"><head><title>Điện mặt trời mái nhà</title></head><body>
    <header><h1>Điện mặt trời mái nhà tăng tốc</h1></header>
    <main>{ticker}<div class="x"><p>{OPENING}</p><p>{MIDDLE}</p><p>{CLOSING}</p></div></main></body></html>"""
    for column in (html, html.replace("<main>", "<div class='col'>").replace("</main>", "</div>")):
        got = parse_generic(column, URL)
        assert got["body"].split("\n\n") == [OPENING, MIDDLE, CLOSING]
