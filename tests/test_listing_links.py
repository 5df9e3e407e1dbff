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


def listing_pages():
    """(site, section spec) for every saved section page of every registered site."""
    for site in all_sites():
        path = FIXTURES / site.name / "discovery.json"
        if path.exists():
            spec = json.loads(path.read_text(encoding="utf-8"))
            for listing in [spec["listing"], *spec.get("sections", [])]:
                yield site.name, listing


def saved_page(name: str, url: str) -> str:
    manifest = json.loads((FIXTURES / name / "manifest.json").read_text(encoding="utf-8"))["pages"]
    return (FIXTURES / name / next(e["file"] for e in manifest if e["url"] == url)).read_text(encoding="utf-8")


@pytest.mark.parametrize("name, spec", [pytest.param(n, s, id=f"{n}:{s['url'].split('/', 3)[-1]}") for n, s in listing_pages()])
def test_every_story_a_reader_sees_in_page_order_and_no_chrome_link(name, spec):
    """Each site's section pages hold article links in their header, menus, footer or most-read
    boxes; a listing must find every story of the main column, in page order, and none of those."""
    site = get_site(name)
    html = saved_page(name, spec["url"])
    every = []
    for href in Selector(text=html).css("a::attr(href)").getall():
        link = site.canonical(href, base=spec["url"])
        if site.is_article(link) and link not in every:
            every.append(link)
    chrome = [link for link in every if link not in spec["articles"]]
    assert chrome, f"{name}'s section page {spec['url']} has no chrome article links to leave out"
    # The expectation itself is in page order (a story's first link on the page).
    assert [link for link in every if link in spec["articles"]] == spec["articles"]
    found = site.listing_links(html, spec["url"])
    assert found == spec["articles"] and not set(found) & set(chrome)


def test_every_registered_site_has_a_listing_fixture_with_lead_thumbnails_and_stream():
    """A full section page (lead block, thumbnail lists, stream: ten stories or more) per site."""
    sizes = {}
    for name, spec in listing_pages():
        sizes[name] = max(sizes.get(name, 0), len(spec["articles"]))
    assert set(sizes) == {site.name for site in all_sites()}
    old_sites = {"baodautu", "vneconomy", "vnexpress", "tuoitre", "thanhnien", "nhandan", "vietnamplus", "vietnamnet", "thesaigontimes"}
    assert all(sizes[name] >= 10 for name in old_sites), sizes


def test_site_selectors_are_hints_for_order_not_the_limit():
    """What the selectors match comes first; the main column's other stories follow in page order."""

    class Hinted(type(get_site("baodautu"))):
        listing_link_css = ("div.stream h3 a",)

    found = Hinted().listing_links(PAGE, SECTION)
    assert found == [story(n) for n in (5, 6, 1, 2, 3, 4)]


def test_a_sites_own_sitewide_boxes_are_left_out():
    class Boxed(type(get_site("baodautu"))):
        listing_chrome_css = ("ul.thumbs",)

    assert Boxed().listing_links(PAGE, SECTION) == [story(n) for n in (1, 2, 5, 6)]


def test_a_most_read_box_headed_inside_its_title_bar_is_chrome():
    box = ('<div class="box-category"><div class="box-category-top"><h2 class="box-category-title-text">Đọc nhiều</h2></div>'
           f'<div class="box-category-middle"><a href="{story(7)}">x</a></div></div>')
    lead = f'<div class="list__focus"><div class="list__focus-top"><h2>Tiêu điểm</h2></div><div><a href="{story(8)}">y</a></div></div>'
    hrefs = main_column_hrefs(Selector(text=f"<html><body>{lead}{box}</body></html>").root)
    assert hrefs == [story(8)]


def test_a_theme_prefixed_footer_is_chrome_but_a_card_header_is_not():
    assert is_chrome(Selector(text='<div class="td-footer-template-wrap"></div>').css("div")[0].root)
    assert not is_chrome(Selector(text='<div class="story__header"></div>').css("div")[0].root)
