"""Section pages: every story a reader sees in the main column, none of the page chrome's."""

from __future__ import annotations

import json

import pytest
from parsel import Selector

from newscrawl.analysis.main_column import is_chrome, main_column_hrefs
from newscrawl.sites import all_sites, get_site

from .conftest import FIXTURES

SECTION = "https://baodautu.vn/thoi-su-d1/"


def story(n: int) -> str:
    return f"https://baodautu.vn/cau-chuyen-xanh-so-{n}-d2900{n:02d}.html"


PAGE = f"""<html><body>
<header class="site-header"><a href="{story(90)}">Tin trên đầu trang</a><nav><a href="/dau-tu-d2/">Đầu tư</a></nav></header>
<div class="scrolling-nav"><a href="{story(91)}">Chủ đề nóng</a></div>
<div class="container"><div class="row">
 <div class="col-left"><div class="title_box">Tin nóng</div><ul><li><a href="{story(92)}">Giá vàng</a></li></ul></div>
 <div class="col-main">
  <section class="focus"><article class="story"><div class="story__header"><h2><a href="{story(1)}">Tiêu điểm</a></h2></div>
   <div class="story__refer"><a href="{story(2)}">Bài liên quan trong khối tiêu điểm</a></div>
   <aside class="promo"><a href="{story(93)}">Bài quảng bá</a></aside></article></section>
  <ul class="thumbs"><li><a class="thumb" href="{story(3)}"><img src="x.jpg"></a><h3><a href="{story(3)}">Ảnh nhỏ</a></h3></li>
   <li><h3><a href="{story(4)}">Ảnh nhỏ 2</a></h3></li></ul>
  <div class="stream"><article><h3><a href="{story(5)}">Dòng tin 1</a></h3></article><article><h3><a href="{story(6)}">Dòng tin 2</a></h3></article></div>
  <section class="long_form_home"><div class="title_box">Thông tin doanh nghiệp</div><a href="{story(94)}">Bài PR</a></section>
 </div>
 <div class="sidebar"><a href="{story(95)}">Bên lề</a></div>
 <div class="sub-column"><div class="tab-box"><h3 class="box-heading">Đọc nhiều</h3><a href="{story(96)}">Đọc nhiều 1</a></div></div>
 <div class="box-most-read"><a href="{story(97)}">Xem nhiều</a></div>
</div></div>
<footer><a href="{story(98)}">Chân trang</a></footer></body></html>"""


def test_main_column_links_in_page_order_without_chrome():
    found = get_site("baodautu").listing_links(PAGE, SECTION)
    assert found == [story(n) for n in (1, 2, 3, 4, 5, 6)]


@pytest.mark.parametrize("html, chrome", [
    ('<header class="site-header"></header>', True),
    ('<article><header class="story__header"></header></article>', False),
    ('<div class="story__header"></div>', False),
    ('<div class="article-title"></div>', False),
    ('<div class="menu-top"></div>', True),
    ('<div class="box-sidebar"></div>', True),
    ('<div class="col-right"></div>', True),
    ('<div class="tin-doc-nhieu"></div>', True),
    ('<div data-source="mostread-news-1207"></div>', True),
    ('<div class="box"><h4 class="title">Xem nhiều</h4></div>', True),
    ('<div class="box"><h4 class="title">Tin mới</h4></div>', False),
    ('<div class="box"><h4>Kinh tế xanh</h4></div>', False),
])
def test_what_counts_as_chrome(html, chrome):
    element = Selector(text=f"<html><body>{html}</body></html>").css("body > *")[0].root
    if element.tag == "article":
        element = element[0]
    assert is_chrome(element) is chrome


def test_main_column_hrefs_skip_whole_chrome_subtrees():
    root = Selector(text=PAGE).root
    hrefs = main_column_hrefs(root)
    assert story(2) in hrefs and all(story(n) not in hrefs for n in range(90, 99))


def listing_fixtures():
    for site in all_sites():
        path = FIXTURES / site.name / "discovery.json"
        if path.exists():
            yield site.name


@pytest.mark.parametrize("name", list(listing_fixtures()))
def test_every_sites_listing_fixture_has_chrome_links_that_are_left_out(name):
    """Each site's section page holds article links in its header, menus, footer or most-read
    boxes; a listing must find every story of the main column and none of those."""
    site = get_site(name)
    spec = json.loads((FIXTURES / name / "discovery.json").read_text(encoding="utf-8"))["listing"]
    manifest = json.loads((FIXTURES / name / "manifest.json").read_text(encoding="utf-8"))["pages"]
    html = (FIXTURES / name / next(e["file"] for e in manifest if e["url"] == spec["url"])).read_text(encoding="utf-8")
    every = []
    for href in Selector(text=html).css("a::attr(href)").getall():
        link = site.canonical(href, base=spec["url"])
        if site.is_article(link) and link not in every:
            every.append(link)
    chrome = [link for link in every if link not in spec["articles"]]
    assert chrome, f"{name}'s listing fixture has no chrome article links to leave out"
    found = site.listing_links(html, spec["url"])
    assert found == spec["articles"] and not set(found) & set(chrome)


def test_every_registered_site_has_a_listing_fixture():
    assert {site.name for site in all_sites()} == set(listing_fixtures())
