"""The generic extractor: hand-written pages from unknown hosts, and small inline cases."""

from __future__ import annotations

import json

import pytest

from newscrawl import extract_article
from newscrawl.items import PARSED_FIELDS
from newscrawl.sites.generic import parse_generic

from .conftest import FIXTURES

GENERIC = FIXTURES / "generic"
MANIFEST = json.loads((GENERIC / "manifest.json").read_text(encoding="utf-8"))["pages"]


def _page(entry):
    html = (GENERIC / entry["file"]).read_text(encoding="utf-8")
    expected = json.loads((GENERIC / entry["file"].replace(".html", ".expected.json")).read_text(encoding="utf-8"))
    return html, expected


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"].split(".")[0][:40])
def test_fixture_matches_expected(entry):
    html, expected = _page(entry)
    got = parse_generic(html, entry["url"])
    assert sorted(expected) == sorted(PARSED_FIELDS)
    for field in PARSED_FIELDS:
        assert got[field] == expected[field], f"{field} differs"


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"].split(".")[0][:40])
def test_extract_article_falls_back_to_generic(entry):
    html, expected = _page(entry)
    assert extract_article(html, entry["url"]) == parse_generic(html, entry["url"])
    assert expected["parser"].startswith("generic/")


def test_fixture_bodies_leave_out_chrome():
    for entry in MANIFEST:
        html, expected = _page(entry)
        body = expected["body"]
        for chrome in ("Share on", "Chia sẻ", "Photo: Green Ledger", "Ảnh: Minh Khoa", "Sign up",
                       "Bài viết liên quan", "Tin liên quan", "Xem thêm", "Đăng bởi", "Để lại bình luận"):
            assert chrome not in body, f"{entry['file']}: {chrome!r} in body"
        assert expected["related"], entry["file"]


def test_fixture_subheadings_are_paragraphs_of_their_own():
    _, expected = _page(MANIFEST[0])
    paragraphs = expected["body"].split("\n\n")
    assert "Vietnam's first corporate deals" in paragraphs
    assert "Risks ahead" in paragraphs


ARTICLE_TEXT = (
    "<p>The city council approved a plan on Tuesday to cover every school roof with solar panels by 2030, "
    "a project officials say will cut the schools' power bills by a third.</p>"
    "<p>Funding will come from a green bond, the first the city has issued, and from savings on electricity, "
    "which the council expects to reach several million a year once all panels are connected.</p>"
    "<h2>What happens next</h2>"
    "<p>Contractors will be chosen early next year, and the first twenty schools should be fitted before the summer "
    "holidays, when work on the roofs disturbs fewer classes.</p>"
)


def _html(head: str, body: str = ARTICLE_TEXT, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head>{head}</head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f'<article><h1>School roofs to go solar</h1><div class="story">{body}</div></article>'
        '<footer>© Example News</footer></body></html>'
    )


def test_json_ld_graph():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example News"},
            {"@type": ["NewsArticle"], "headline": "School roofs to go solar", "datePublished": "2026-03-02T08:00:00Z",
             "author": {"@type": "Person", "name": "Ana Lima"}, "articleSection": "Cities",
             "keywords": "solar, schools"},
        ],
    }
    head = f'<title>School roofs to go solar - Example News</title><script type="application/ld+json">{json.dumps(ld)}</script>'
    got = parse_generic(_html(head), "https://news.example.org/cities/school-roofs-solar")
    assert got["title"] == "School roofs to go solar"
    assert got["published"] == "2026-03-02T08:00:00+00:00"  # the page's own offset (stored as +07:00)
    assert got["authors"] == ["Ana Lima"]
    assert got["category"] == "Cities"
    assert got["tags"] == ["solar", "schools"]
    assert got["body"].split("\n\n")[2] == "What happens next"


def test_malformed_json_ld_is_repaired_or_skipped():
    broken = """<script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "School roofs to go solar",
      "datePublished": "2026-03-02T08:00:00+07:00",
      "author": [{"@type": "Person", "name": "Ana Lima"},],
    }</script><script type="application/ld+json">{this is not json</script>"""
    got = parse_generic(_html(broken), "https://news.example.org/a")
    assert got["published"] == "2026-03-02T08:00:00+07:00"
    assert got["authors"] == ["Ana Lima"]
    assert got["title"] == "School roofs to go solar"


def test_opengraph_only():
    head = (
        '<title>School roofs to go solar | Example News</title>'
        '<meta property="og:title" content="School roofs to go solar">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="og:description" content="The council approved a solar plan for school roofs.">'
        '<meta property="article:published_time" content="2026-03-02T10:15:00+07:00">'
        '<meta property="article:section" content="Cities">'
        '<meta property="article:tag" content="solar"><meta property="article:tag" content="schools">'
        '<meta name="author" content="Ana Lima">'
    )
    got = parse_generic(_html(head), "https://news.example.org/a?utm_source=x")
    assert got["url"] == "https://news.example.org/a"
    assert got["site"] == "news.example.org"
    assert got["title"] == "School roofs to go solar"
    assert got["summary"] == "The council approved a solar plan for school roofs."
    assert got["published"] == "2026-03-02T10:15:00+07:00"
    assert got["category"] == "Cities"
    assert got["tags"] == ["solar", "schools"]
    assert got["authors"] == ["Ana Lima"]
    assert got["language"] == "en"


def test_unknown_host_without_metadata_gets_title_body_and_date():
    html = (
        "<html><head><title>Trường học lắp điện mặt trời - Báo Phường</title></head><body>"
        "<div class='menu'><a href='/'>Trang chủ</a></div>"
        "<h1>Trường học lắp điện mặt trời</h1><time datetime='2026-05-04T07:30'>04/05/2026</time>"
        "<div class='noidung'><p>Hội đồng nhân dân thành phố vừa thông qua kế hoạch lắp điện mặt trời trên mái "
        "toàn bộ trường học công lập, dự kiến giảm một phần ba tiền điện của các trường.</p>"
        "<p>Nguồn vốn đến từ trái phiếu xanh đầu tiên của thành phố và từ khoản tiết kiệm tiền điện, ước tính "
        "vài tỷ đồng mỗi năm khi toàn bộ hệ thống được đấu nối.</p></div></body></html>"
    )
    got = extract_article(html, "https://baophuong.example.vn/truong-hoc-lap-dien-mat-troi.html")
    assert got["parser"].startswith("generic/")
    assert got["title"] == "Trường học lắp điện mặt trời"
    assert got["published"] == "2026-05-04T07:30:00+07:00"
    assert got["body"].startswith("Hội đồng nhân dân thành phố")
    assert "Trang chủ" not in got["body"]
    assert got["language"] == "vi"
    assert set(got) == set(PARSED_FIELDS)


def test_h1_wins_over_a_suffixed_title_and_a_page_lead_over_meta_description():
    head = (
        '<title>School roofs to go solar - Example News</title>'
        '<meta property="og:title" content="School roofs to go solar - Example News">'
        '<meta name="description" content="A plan for school roofs.">'
    )
    lead = '<p class="lead">A plan for school roofs, approved on Tuesday, covers every public school.</p>'
    standfirst = _html(head).replace("</h1>", "</h1>" + lead)  # printed under the headline, outside the text
    got = parse_generic(standfirst, "https://news.example.org/a")
    assert got["title"] == "School roofs to go solar"
    assert got["summary"] == "A plan for school roofs, approved on Tuesday, covers every public school."
    assert not got["body"].startswith("A plan for school roofs")


def test_a_lead_printed_as_the_first_paragraph_of_the_text_stays_in_the_body():
    head = '<meta name="description" content="A plan for school roofs.">'
    body = '<p class="lead">A plan for school roofs, approved on Tuesday, covers every public school.</p>' + ARTICLE_TEXT
    got = parse_generic(_html(head, body), "https://news.example.org/a")
    assert got["body"].startswith("A plan for school roofs, approved on Tuesday")
    assert got["summary"] == ""  # the description says what the body says: not shown twice
    bold = ARTICLE_TEXT.replace("<p>The city council", "<p><strong>The city council", 1).replace(
        "by a third.</p>", "by a third.</strong></p>", 1)
    got = parse_generic(_html("", bold), "https://news.example.org/a")
    assert got["body"].startswith("The city council approved") and got["summary"] == ""


def test_related_boxes_and_pointer_lines_become_related_links():
    body = ARTICLE_TEXT + (
        '<p>Xem thêm: <a href="/bai-khac-ve-dien-mat-troi.html">Bài khác về điện mặt trời mái nhà</a></p>'
        '<div class="box"><h3>Tin liên quan</h3><ul>'
        '<li><a href="/tin-1.html">Hà Nội lắp thêm trạm sạc xe điện</a></li>'
        '<li><a href="/tin-2.html">Giá điện mặt trời mái nhà giảm mạnh</a></li></ul></div>'
    )
    got = parse_generic(_html("", body), "https://news.example.org/a")
    urls = [link["url"] for link in got["related"]]
    assert urls == [
        "https://news.example.org/tin-1.html",
        "https://news.example.org/tin-2.html",
        "https://news.example.org/bai-khac-ve-dien-mat-troi.html",
    ]
    assert "Xem thêm" not in got["body"] and "Tin liên quan" not in got["body"]


def test_empty_page_returns_every_field():
    got = parse_generic("", "https://nothing.example/")
    assert set(got) == set(PARSED_FIELDS)
    assert got["body"] == "" and got["authors"] == [] and got["related"] == []
    assert got["published"] is None


def test_json_ld_article_body_when_the_page_has_no_usable_container():
    ld = {
        "@type": "NewsArticle",
        "headline": "School roofs to go solar",
        "articleBody": "The council approved a plan to cover every school roof with solar panels by 2030."
        "\nFunding will come from the city's first green bond and from savings on electricity bills."
        "\nContractors will be chosen early next year, and work starts before the summer holidays.",
    }
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
        "<body><h1>School roofs to go solar</h1><div id='app'></div></body></html>"
    )
    got = parse_generic(html, "https://news.example.org/a")
    assert got["parser"] == "generic/jsonld"
    assert got["body"].split("\n\n") == [
        "The council approved a plan to cover every school roof with solar panels by 2030.",
        "Funding will come from the city's first green bond and from savings on electricity bills.",
        "Contractors will be chosen early next year, and work starts before the summer holidays.",
    ]
