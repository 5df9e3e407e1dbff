"""Selectors answered from a page's index give exactly what parsel's XPath gives.

The page below is written to trip a CSS engine: class lists split by tabs and
newlines (and one joined by a no-break space, which is not a separator),
repeated classes, nested matches, attribute values that differ by case or
by a prefix, elements matched by two groups of one selector, and comments
and `<br>`s between elements.
"""

from lxml import etree
from parsel import Selector
import pytest

from newscrawl.analysis.css import Index, query
from newscrawl.analysis.html import parse_html, text_of, without

PAGE = """<!DOCTYPE html>
<html lang="vi"><head>
<meta property="og:title" content="Tiêu đề">
<meta itemprop="datePublished" content="2026-01-02T03:04:05+07:00">
<script type="application/ld+json">{"@type": "NewsArticle"}</script>
<style>.x {}</style>
</head><body>
<div id="main" class="page	wrap
 main">
  <h1 class="title detail-title" data-role="title"><span data-role="title">Tiêu đề</span> <div>chrome</div></h1>
  <div class="sapo detail-sapo" data-role="sapo">Mở đầu <b>đậm</b></div>
  <div class="detail-content body" data-role="content" itemprop="articleBody">
    <p>Đoạn một<br>dòng hai</p>
    <!-- a comment -->
    <figure type="Photo" class="fig"><img src="a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>
    Giữa hai khối
    <div class="box box" type="RelatedNewsBox" data-url="/a-1.html" data-title="Tin liên quan">
      <ul><li><a href="/b-2.html" title="Bài B">B</a></li><li><a href="/c-3.html">Bài C</a></li></ul>
      <div class="box inner"><a class="name" href="/d-4.html">D</a></div>
    </div>
    <p class="note" style="text-align:right">TÁC GIẢ</p>
    <div class="ads" id="adsWeb_1">quảng cáo</div><div id="adsweb_2" class="ads">quảng cáo</div>
    <p class="a&#160;b">khoảng trắng cứng</p>
    <p lang="en-US" class="en">English</p>
    <script>var x = 1;</script>
  </div>
  <div class="detail-author"><div class="author-info"><a class="name" href="/tac-gia/x">NGỌC AN</a>
    <span class="email">a@b.vn</span></div></div>
  <div data-role="tags"><a class="item" href="/t1">Tag 1</a><a href="/t2">Tag 2</a></div>
  <time datetime="2026-01-02T03:04:00+07:00" class="time">02/01/2026</time>
</div>
<div class="footer"><a class="name" href="/z">Z</a></div>
</body></html>
"""

SELECTORS = [
    "h1", "div", "a", "p", "*", "figure", "zone", "li a",
    ".box", "div.box", ".box.inner", ".inner.box", ".box .inner", ".box > .inner", ".box > ul > li > a",
    "#main", "div#main", "#main .name", "#nope", "#adsWeb_1", "[id^='adsWeb_']", "[id^='adsweb_']",
    ".page", ".wrap", ".main", ".a", ".b", ".a\\a0 b", ".missing", "p.note", "p.en",
    '[data-role="title"]', 'h1.detail-title [data-role="title"]', 'h1[data-role="title"]', '[data-role="content"]',
    'div.detail-content[itemprop="articleBody"]', '[itemprop="articleBody"]', "[type='Photo']", "[type='photo']",
    "[type]", "[lang|=en]", "[lang|=vi]", "[class~=box]", "[class~=inn]", "[class*=ox]", "[class$=inner]",
    "[class^=det]", "[class!=box]", "[data-url]", "[data-url='']", "[class*='']",
    ".detail-author .author-info a.name", ".detail-author a.name", ".author-info > a.name", "div > .name",
    "[data-role='tags'] a.item", "[data-role='tags'] a", "div .box a", "div div div a",
    "h1, .sapo", ".sapo, h1", ".box, .inner", ".inner, .box, ul", "a.name, .author-info a, .box a",
    "meta[itemprop='datePublished']::attr(content)", "time::attr(datetime), .time::attr(datetime)",
    "a::attr(href)", "a::attr(title)", ".box::attr(data-title), h1::attr(data-role)", "a::attr(HREF)",
    # answered by the XPath (the index cannot tell these), still the same results
    "p::text", "li:first-child a", "a:not(.name)", "figure + div", "p ~ div", ".box ~ *", "span#x ~ *",
    "script[type='application/ld+json']::text", "[class!='']", "*::text",
]


def _css(root, css):
    """What parsel returns for `css` on `root`: elements, or strings."""
    return [match.root for match in Selector(root=root, type="html").css(css)]


@pytest.fixture(scope="module")
def root():
    return parse_html(PAGE).root


@pytest.mark.parametrize("css", SELECTORS)
def test_whole_page_matches_are_the_xpaths(root, css):
    expected = _css(root, css)
    got = query(css)(root, Index(root))
    assert len(got) == len(expected) and all(a is b or a == b for a, b in zip(got, expected))


@pytest.mark.parametrize("css", SELECTORS)
def test_matches_under_an_element_are_the_xpaths(root, css):
    index = Index(root)
    for context in root.iter(etree.Element):
        expected = _css(context, css)
        got = query(css)(context, index)
        assert len(got) == len(expected) and all(a is b or a == b for a, b in zip(got, expected)), context.tag


def test_the_index_is_not_used_for_a_copy(root):
    """A copy's elements are not the page's: its matches are searched for in the copy."""
    copied = Selector(root=root).css("div.detail-content")[0]
    clone = without(copied, ())
    got = query(".box a")(clone.root, Index(root))
    assert [a.get("href") for a in got] == ["/b-2.html", "/c-3.html", "/d-4.html"]
    assert all(a.getroottree().getroot() is clone.root for a in got)


DROPS = [
    ("script", "figure", ".box", "[type='Photo']", "p:last-child", "#adsWeb_1", "[id^='adsweb_']"),
    ("p.note", "li:first-child", ".inner", ".box > ul", "div.box a", "br"),
    (".ads", "p ~ div", "p", "span", "b"),
    ("zone", ".missing", "#nope"),
]


@pytest.mark.parametrize("drops", DROPS)
@pytest.mark.parametrize("container_css", ["div.detail-content", "#main", "h1", ".box", "body"])
def test_without_reads_drops_from_the_index_with_the_same_result(root, container_css, drops):
    container = Selector(root=root, type="html").css(container_css)[0]
    plain = without(container, drops)
    indexed = without(container, drops, Index(root))
    assert etree.tostring(indexed.root, encoding=str) == etree.tostring(plain.root, encoding=str)
    assert text_of(indexed) == text_of(plain)
    # The page itself is never changed.
    assert Selector(root=root).css(container_css)[0].root is container.root
    assert len(root.xpath("//script")) == 2


def test_page_is_parsed_as_parsel_parses_it():
    """Same tree as `Selector(text=...)`: same serialisation; XML and JSON still go to parsel."""
    for text in (PAGE, "  <p>bare\x00 fragment</p>  ", "", "<?xml version='1.0'?><rss><item>a</item></rss>", '{"a": 1}'):
        ours, theirs = parse_html(text), Selector(text=text)
        assert ours.type == theirs.type
        if theirs.type != "json":
            assert etree.tostring(ours.root) == etree.tostring(theirs.root)
