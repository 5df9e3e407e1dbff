"""Rules every site layout shares: headline and lead not repeated in the body, a closing byline is an author."""

from __future__ import annotations

import pytest

from newscrawl import extract_article
from newscrawl.analysis.article_rules import byline_names, tidy_article

from .conftest import FIXTURES

BODY = [
    "Tỉnh Bình Thuận vừa cấp phép khảo sát cho ba dự án điện gió ngoài khơi với tổng công suất dự kiến 6.000 MW.",
    "Các nhà đầu tư phải hoàn thành khảo sát gió, địa chất và môi trường biển trong vòng ba năm.",
]


@pytest.mark.parametrize("line, names", [
    ("Thanh Hà(theo Reuters)", ["Thanh Hà"]),
    ("Thanh Hà (Theo VnExpress, AFP)", ["Thanh Hà"]),
    ("MINH ANH - TTXVN", ["Minh Anh"]),
    ("Thu Hằng - Vietnam+", ["Thu Hằng"]),
    ("Nguyễn Văn Minh", ["Nguyễn Văn Minh"]),
    ("Hoàng Hà, Minh Khang", ["Hoàng Hà", "Minh Khang"]),
    ("Lê Hoàng và Ngọc Lan", ["Lê Hoàng", "Ngọc Lan"]),
])
def test_closing_byline_forms(line, names):
    assert byline_names(line) == names


@pytest.mark.parametrize("line", [
    "Dự án dự kiến vận hành vào năm 2030.",  # a sentence
    "Các chuyên gia cho rằng cần thêm thời gian (theo Reuters)",  # a sentence with a credit
    "Theo Reuters",  # a source credit, no writer
    "(Theo VTV)",
    "Xem thêm: Điện gió ngoài khơi",
    "Điện gió ngoài khơi đang chờ cơ chế giá",  # lower-case words: a headline-like sentence
    "Bộ Công Thương - Hà Nội, ngày 12 tháng 3",
])
def test_lines_that_are_not_bylines(line):
    assert byline_names(line) == []


def test_closing_byline_moves_to_authors_without_repeats():
    fields = tidy_article({"title": "T", "summary": "", "body": "\n\n".join(BODY + ["Minh Anh(theo Reuters)"]), "authors": ["minh anh"]})
    assert fields["body"].split("\n\n") == BODY and fields["authors"] == ["minh anh"]
    fields = tidy_article({"title": "T", "summary": "", "body": "\n\n".join(BODY + ["MINH ANH - TTXVN"]), "authors": []})
    assert fields["body"].split("\n\n") == BODY and fields["authors"] == ["Minh Anh"]


def test_a_one_paragraph_body_is_never_taken_for_a_byline():
    fields = tidy_article({"title": "T", "summary": "", "body": "Nguyễn Văn Minh", "authors": []})
    assert fields["body"] == "Nguyễn Văn Minh" and fields["authors"] == []


def test_headline_and_lead_repeated_in_the_body_are_dropped_the_lead_keeps_its_prefix():
    title = "Bình Thuận cấp phép khảo sát điện gió ngoài khơi"
    lead = "(Dân trí) - Ba dự án điện gió ngoài khơi được phép khảo sát biển trong ba năm."
    body = [title.upper() + ".", "Ba dự án điện gió ngoài khơi được phép khảo sát biển trong ba năm", *BODY]
    fields = tidy_article({"title": title, "summary": lead, "body": "\n\n".join(body), "authors": []})
    assert fields["body"].split("\n\n") == BODY
    assert fields["summary"] == lead


def test_a_first_paragraph_that_only_starts_like_the_lead_stays():
    lead = "Ba dự án điện gió ngoài khơi được phép khảo sát."
    body = ["Ba dự án điện gió ngoài khơi được phép khảo sát, nhưng nhà đầu tư vẫn chờ cơ chế giá điện.", *BODY]
    fields = tidy_article({"title": "T", "summary": lead, "body": "\n\n".join(body), "authors": []})
    assert fields["body"].split("\n\n") == body


def test_vietnamnet_2019_page_with_headline_lead_and_credited_byline_in_the_body():
    page = FIXTURES / "vietnamnet" / "gia-dien-gio-ngoai-khoi-chau-au-giam-manh-530112.html"
    url = "https://vietnamnet.vn/vn/kinh-doanh/dau-tu/gia-dien-gio-ngoai-khoi-chau-au-giam-manh-530112.html"
    got = extract_article(page.read_text(encoding="utf-8"), url)
    paragraphs = got["body"].split("\n\n")
    assert got["parser"] == "vietnamnet/v2" and got["authors"] == ["Thanh Hà"]
    assert paragraphs[0].startswith("Theo báo cáo mới của một tổ chức nghiên cứu năng lượng")
    assert paragraphs[-1].startswith("Các chuyên gia cho rằng Việt Nam") and len(paragraphs) == 3
    assert got["title"] not in got["body"] and got["summary"] not in got["body"]
    assert got["published"] == "2019-04-02T07:15:00+07:00"  # the printed date, not the month-first JSON-LD


def test_thesaigontimes_2018_page_with_prefixed_lead_and_dashed_byline_in_the_body():
    page = FIXTURES / "thesaigontimes" / "275033-nha-may-dien-rac-dau-tien-cua-tphcm-sap-van-hanh.html"
    url = "https://thesaigontimes.vn/275033/nha-may-dien-rac-dau-tien-cua-tphcm-sap-van-hanh.html"
    got = extract_article(page.read_text(encoding="utf-8"), url)
    assert got["parser"] == "thesaigontimes/v2"
    assert got["summary"].startswith("(TBKTSG) - Nhà máy đốt rác phát điện")
    assert got["body"].split("\n\n")[0].startswith("Theo chủ đầu tư, nhà máy sử dụng công nghệ lò đốt")
    assert "TBKTSG" not in got["body"] and got["authors"] == ["Lê Hoàng"]
