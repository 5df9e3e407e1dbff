"""decode_html: mislabelled, legacy, truncated and BOM-prefixed Vietnamese pages."""

import random
import unicodedata

import pytest
from scrapy.http import HtmlResponse

from newscrawl.analysis.encoding import declared_charset, decode_html, encode_cp1258

TITLE = "Năng lượng tái tạo: Việt Nam đẩy mạnh điện gió ngoài khơi"
BODY = (
    "Thị trường tín chỉ carbon đang mở ra cơ hội mới cho doanh nghiệp. "
    "Ủy ban nhân dân tỉnh Quảng Ngãi đã phê duyệt đề án thu gom rác thải nhựa ven biển; "
    "người dân ở xã Bình Hải được hướng dẫn phân loại rác tại nguồn."
)


def page(charset_meta: str | None = None, title: str = TITLE, body: str = BODY) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<!DOCTYPE html><html lang=\"vi\"><head>{meta}<title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"


def all_vietnamese_letters() -> str:
    bases = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = [unicodedata.normalize("NFC", unicodedata.normalize("NFD", b) + t) for b in bases for t in tones]
    text = "".join(letters) + "đ"
    return text + " " + text.upper()


# --- plain and mislabelled UTF-8 -----------------------------------------------------


def test_utf8_labelled_right():
    html = page("utf-8")
    assert decode_html(html.encode("utf-8"), "text/html; charset=utf-8") == (html, "utf-8")


@pytest.mark.parametrize("header", ["text/html; charset=ISO-8859-1", "text/html; charset=windows-1252", "text/html; charset=latin1", "windows-1258", "text/html"])
def test_utf8_body_with_a_wrong_header_is_utf8(header):
    html = page()
    text, codec = decode_html(html.encode("utf-8"), header)
    assert (text, codec) == (html, "utf-8")
    # What Scrapy's own decoding makes of the same bytes: mojibake (why the spider needs this).
    if "charset" in header:
        scrapy_text = HtmlResponse("https://example.vn/", body=html.encode("utf-8"), headers={"Content-Type": header}).text
        assert TITLE not in scrapy_text


def test_utf8_body_with_a_wrong_meta_is_utf8():
    html = page("windows-1252")
    assert decode_html(html.encode("utf-8"), None) == (html, "utf-8")


def test_decomposed_utf8_comes_back_nfc():
    html = unicodedata.normalize("NFD", page("utf-8"))
    text, codec = decode_html(html.encode("utf-8"), "text/html; charset=utf-8")
    assert codec == "utf-8" and text == unicodedata.normalize("NFC", html) and TITLE in text


# --- Windows-1258 ------------------------------------------------------------------------


def test_encode_cp1258_uses_combining_tones_like_windows():
    # ế is not in the code page: ê (0xEA) + combining acute (0xEC); á is (0xE1).
    assert encode_cp1258("ế") == b"\xea\xec"
    assert encode_cp1258("á") == b"\xe1"
    assert encode_cp1258("Việt") == b"Vi\xea\xf2t"
    assert encode_cp1258("đ") == b"\xf0"


def test_every_vietnamese_letter_survives_a_cp1258_round_trip():
    letters = all_vietnamese_letters()
    data = encode_cp1258(letters)
    text, codec = decode_html(data, "text/html; charset=windows-1258")
    assert codec == "cp1258"
    assert text == letters
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.combining(ch) for ch in text)


@pytest.mark.parametrize(
    "header, meta",
    [
        ("text/html; charset=windows-1258", None),   # labelled right
        ("text/html; charset=ISO-8859-1", None),     # header says Latin-1
        ("text/html; charset=iso-8859-15", None),    # or Latin-9
        ("text/html", None),                         # no charset anywhere
        (None, "utf-8"),                             # meta says UTF-8
        ("text/html; charset=utf-8", "utf-8"),       # both say UTF-8
        ("text/html; charset=windows-1252", "windows-1252"),
    ],
)
def test_cp1258_body_whatever_the_labels_say(header, meta):
    html = page(meta)
    text, codec = decode_html(encode_cp1258(html), header)
    assert codec == "cp1258"
    assert text == html
    assert TITLE in text and "Ủy ban nhân dân tỉnh Quảng Ngãi" in text


def test_genuine_windows_1252_is_not_taken_for_vietnamese():
    html = "<html><head><title>Café</title></head><body><p>Résumé — naïve “déjà vu” über façade</p></body></html>"
    assert decode_html(html.encode("cp1252"), "text/html; charset=windows-1252") == (html, "cp1252")
    assert decode_html(html.encode("cp1252"), None) == (html, "cp1252")


def test_a_non_western_label_is_believed():
    html = "<html><body><p>Привет, мир: новости экономики</p></body></html>"
    assert decode_html(html.encode("cp1251"), "text/html; charset=windows-1251") == (html, "cp1251")


# --- truncated UTF-8, stray bytes, BOMs ---------------------------------------------------


@pytest.mark.parametrize("cut", [1, 2])
def test_truncated_utf8_drops_only_the_broken_last_character(cut):
    html = page("utf-8") + "Bình Hải ạ"
    data = html.encode("utf-8")
    assert data.endswith("ạ".encode("utf-8")) and len("ạ".encode("utf-8")) == 3
    text, codec = decode_html(data[:-cut], "text/html; charset=ISO-8859-1")
    assert codec == "utf-8"
    assert text == html[:-1]
    assert "\ufffd" not in text


def test_one_stray_byte_in_a_long_utf8_page_stays_utf8():
    html = page("utf-8", body=BODY * 5)
    data = html.encode("utf-8").replace(b"<h1>", b"<h1>\xa0", 1)
    text, codec = decode_html(data, "text/html; charset=iso-8859-1")
    assert codec == "utf-8"
    assert text.count("\ufffd") == 1 and BODY in text


def test_utf8_bom_wins_over_a_wrong_header():
    html = page("windows-1252")
    text, codec = decode_html(b"\xef\xbb\xbf" + html.encode("utf-8"), "text/html; charset=windows-1252")
    assert (text, codec) == (html, "utf-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_boms(codec):
    html = page()
    bom = "\ufeff".encode(codec)
    text, used = decode_html(bom + html.encode(codec), "text/html; charset=utf-8")
    assert (text, used) == (html, codec)


# --- never crash --------------------------------------------------------------------------


def test_empty_body():
    assert decode_html(b"", None) == ("", "utf-8")
    assert decode_html(b"", "text/html; charset=bogus") == ("", "utf-8")


@pytest.mark.parametrize("declared", [None, "", "text/html; charset=x-unknown-charset", "text/html; charset=", b"text/html; charset=windows-1258", "utf-8", "text/html; charset=\"utf-16\""])
def test_random_bytes_never_raise(declared):
    rng = random.Random(1258)
    for size in (1, 2, 3, 7, 64, 1000, 5000):
        for _ in range(20):
            data = bytes(rng.randrange(256) for _ in range(size))
            text, codec = decode_html(data, declared)
            assert isinstance(text, str) and isinstance(codec, str)


def test_pdf_bytes_do_not_raise():
    text, codec = decode_html(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n\x00\x81\x8d", "application/pdf")
    assert text.startswith("%PDF-1.4") and codec


def test_declared_charset_reads_headers_and_labels():
    assert declared_charset("text/html; charset=ISO-8859-1") == "cp1252"  # the WHATWG reading of the label
    assert declared_charset("windows-1258") == "cp1258"
    assert declared_charset(b"text/html; charset=UTF-8") == "utf-8"
    assert declared_charset("text/html") is None
    assert declared_charset("text/html; charset=nonsense") is None
    assert declared_charset(None) is None
