"""Site layouts' selectors and walkers on lexbor trees give what parsel and the lxml walkers give.

The page below is written to trip a CSS engine: class lists split by tabs and
newlines (and one joined by a no-break space, which is not a separator),
repeated classes, nested matches, attribute values that differ by case or
by a prefix, elements matched by two groups of one selector, and comments
and `<br>`s between elements. Each selector is asked of the whole page and
of every element as the context, on both engines; elements are compared by
their place in the tree (the engines make different objects).
"""

import copy

from lxml import etree
from parsel import Selector
import pytest

from newscrawl.analysis import dom, dom_text
from newscrawl.analysis.html import inline_text, iter_blocks, parse_html, remove_keeping_tail

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
    'div.detail-content[itemprop="articleBody"]', '[itemprop="articleBody"]', "[type='Photo']",     "[type]", "[lang|=en]", "[lang|=vi]", "[class~=box]", "[class~=inn]", "[class*=ox]", "[class$=inner]",
    "[class^=det]", "[data-url]", "[data-url='']", "[class*='']",
    ".detail-author .author-info a.name", ".detail-author a.name", ".author-info > a.name", "div > .name",
    "[data-role='tags'] a.item", "[data-role='tags'] a", "div .box a", "div div div a",
    "h1, .sapo", ".sapo, h1", ".box, .inner", ".inner, .box, ul", "a.name, .author-info a, .box a",
    "meta[itemprop='datePublished']::attr(content)", "time::attr(datetime), .time::attr(datetime)",
    "a::attr(href)", "a::attr(title)", "a::attr(HREF)",
    # pseudo-classes, siblings, `::text`
    "p::text", "li:first-child a", "a:not(.name)", "figure + div", "p ~ div", ".box ~ *", "span#x ~ *",
    "script[type='application/ld+json']::text", "*::text",
]



def _place(node) -> tuple:
    """Where an element is: each ancestor's tag and its place among its parent's elements, from the root."""
    path = []
    if isinstance(node, etree._Element):
        while node is not None:
            parent = node.getparent()
            siblings = [c for c in parent if isinstance(c.tag, str)] if parent is not None else [node]
            path.append((node.tag, siblings.index(node)))
            node = parent
    else:
        while node is not None and node.is_element_node:
            parent = node.parent
            siblings = [c for c in parent.iter() if c.is_element_node] if parent is not None else [node]
            path.append((node.tag, siblings.index(node)))
            node = parent
    return tuple(reversed(path))


def _key(match):
    """An element's place, or a string with its spaces collapsed: the parsers differ only in how
    many newlines they keep after `</body>`."""
    return " ".join(match.split()) if isinstance(match, str) else _place(match)


def _same(got, expected) -> bool:
    return [_key(g) for g in got] == [_key(e) for e in expected]


@pytest.fixture(scope="module")
def trees():
    return parse_html(PAGE).root, dom.parse_document(PAGE)


@pytest.mark.parametrize("css", SELECTORS)
def test_whole_page_matches_are_parsels(trees, css):
    root, tree = trees
    expected = [m.root for m in Selector(root=root, type="html").css(css)]
    assert _same(dom.select(tree, css), expected)


@pytest.mark.parametrize("css", SELECTORS)
def test_matches_under_an_element_are_parsels(trees, css):
    """Under an element every step of a chained selector lies within it (`#main .name` asked of
    `.author-info` finds nothing), and the element itself can match, as parsel reads it."""
    root, tree = trees
    contexts = {_place(node): node for node in tree.root.traverse() if node.is_element_node}
    for element in root.iter(etree.Element):
        expected = [m.root for m in Selector(root=element, type="html").css(css)]
        got = dom.select_in(contexts[_place(element)], css)
        assert _same(got, expected), _place(element)


def _lxml_copy(container, drops):
    """The lxml reading: a copy of the container, each drop removed in turn (its tail kept)."""
    clone = copy.deepcopy(container)
    for css in drops:
        for match in Selector(root=clone, type="html").css(css):
            remove_keeping_tail(match.root)
    return clone


DROPS = [
    ("script", "figure", ".box", "[type='Photo']", "p:last-child", "#adsWeb_1", "[id^='adsweb_']"),
    ("p.note", "li:first-child", ".inner", ".box > ul", "div.box a", "br"),
    (".ads", "p ~ div", "p", "span", "b"),
    ("zone", ".missing", "#nope"),
]




@pytest.mark.parametrize("drops", DROPS)
@pytest.mark.parametrize("container_css", ["div.detail-content", "#main", "h1", ".box", "body"])
def test_paragraphs_are_the_lxml_walkers(trees, container_css, drops):
    """Paragraphs and texts with boxes dropped, read from the page (a set of dropped boxes) or from a
    copy (a sibling selector after the first), are the lxml walker's on a copy with the boxes removed."""
    root, tree = trees
    copied = _lxml_copy(Selector(root=root, type="html").css(container_css)[0].root, drops)
    container = tree.css_first(container_css)
    assert dom_text.paragraphs(container, drops) == list(iter_blocks(copied))
    assert list(dom_text.iter_blocks(dom_text.without(container, drops))) == list(iter_blocks(copied))
    assert dom_text.text_without(container, drops) == inline_text(copied)
    # The page itself is never changed.
    assert len(tree.css("script")) == 2 and tree.css_first(container_css) == container


def test_sibling_drops_after_a_removal_are_read_from_a_copy(trees):
    """Once the figure is gone the first paragraph stands next to the box: only removing in turn tells."""
    _, tree = trees
    container = tree.css_first("div.detail-content")
    assert dom_text.dropped_under(container, ("figure", "p + div")) is None
    assert "Bài B" not in " ".join(dom_text.paragraphs(container, ("figure", "p + div")))
    assert dom_text.dropped_under(container, ("p + div", "figure")) is not None


def test_what_lexbor_reads_otherwise_is_said():
    """cssselect's `!=`, and groups ending in different pseudo-elements, are a clear error; the values
    of `type` match whatever their case, as the HTML standard has it (parsel's XPath: exact case)."""
    tree = dom.parse_document(PAGE)
    for css in ("[class!=box]", "[class!='']", ".box::attr(data-title), h1::attr(data-role)"):
        with pytest.raises(ValueError, match="selector"):
            dom.select(tree, css)
    assert [dom.attr(n, "type") for n in dom.select(tree, "[type='photo']")] == ["Photo"]


def test_attributes_and_pseudo_elements_read_as_parsel_reads_them():
    tree = dom.parse_document('<p><input disabled value="a"><a href="/x" title="">A</a> tail</p>\x00')
    node = tree.css_first("input")
    assert dom.attr(node, "disabled") == "" and dom.attr(node, "missing", "none") == "none"
    assert dom.select(tree, "a::attr(title)") == [""]
    assert dom.select(tree, "p::text") == [" tail"]
    with pytest.raises(ValueError, match="same pseudo-element"):
        dom.select(tree, "a::attr(href), p::text")
    assert "\x00" not in tree.html


def test_page_is_parsed_as_parsel_parses_it():
    """The lxml page (generic extractor, listings): same tree as `Selector(text=...)`; XML and JSON go to parsel."""
    for text in (PAGE, "  <p>bare\x00 fragment</p>  ", "", "<?xml version='1.0'?><rss><item>a</item></rss>", '{"a": 1}'):
        ours, theirs = parse_html(text), Selector(text=text)
        assert ours.type == theirs.type
        if theirs.type != "json":
            assert etree.tostring(ours.root) == etree.tostring(theirs.root)
