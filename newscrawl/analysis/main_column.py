"""The links a reader sees in a section page's main column, in page order.

A short list of CSS selectors per site finds some of a section's stories
and misses others: the lead/focus block, thumbnail grids and the stream are
marked up differently, and each redesign moves them. What stays true is
that the section's stories are the links of the page that are not page
chrome. So a listing's links are every link of the page minus those inside:

- the page's `header`, `nav`, `footer` and `aside` elements (an `aside`
  even inside an article card: it holds related or promoted stories);
- an element whose class or id names chrome: header, footer, menus,
  navigation, breadcrumbs, sidebars and right-hand columns;
- site-wide boxes: "most read" / "đọc nhiều", "xem nhiều", trending,
  popular, "tin nổi bật", which list the same stories on every page, known
  by a class word or by the box's own heading (also one inside a title bar);
- a site's own site-wide boxes it names (`Site.listing_chrome_css`).

Why leave chrome out rather than pick "the container holding most article
links": a section's stories sit in several containers (lead, its side column,
thumbnail rows, the stream), and the densest one is the stream alone, which
is what the selectors already found. Chrome, on the other hand, is named
the same way on every site (semantic tags, header/menu/footer/sidebar
words, "đọc nhiều" headings), so removing it keeps every block of stories.

Class tokens are matched whole (after splitting on spaces), so a card's
`story__header` or `article-title` is not mistaken for the page header.
The site's own selectors still come first (`Site.listing_links`): they are a
hint for order and priority, not the limit of what is found.
"""

from __future__ import annotations

import re

from .text import fold

# Tags that are chrome wherever they sit (a `header` inside an `article` is the
# article's own heading and stays).
CHROME_TAGS = {"nav", "footer", "aside", "menu"}
# One class or id token that names page chrome, also behind a theme's short prefix
# (`td-footer-template-wrap`), never a card's part (`story__header`).
CHROME_TOKEN = re.compile(
    r"^(?:(?:site|main|top|page|global|mobile|sub)[-_]?|[a-z]{2,3}[-_]{1,2})?"
    r"(?:header|footer|nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|side[-_]bar|topbar)"
    r"(?:[-_](?:top|main|template|wrap|wrapper|inner|container|bar|list|menu|links?|fixed|mobile|desktop|left|right))*$"
    r"|^(?:col|column)[-_]?(?:right|sub|side)$|^(?:right|sub|side)[-_]?(?:col|column|content|side|box|bar)$",
    re.IGNORECASE,
)
# A token whose parts (split on - and _) hold one of these is chrome: `scrolling-nav`, `box-sidebar`.
CHROME_PART = {"nav", "navbar", "menu", "menubar", "breadcrumb", "breadcrumbs", "sidebar", "topbar"}
# Site-wide story boxes (matched inside a token: `box-most-read`, `tin-doc-nhieu`).
SITEWIDE_BOX = re.compile(
    r"most[-_]?(?:read|viewed|popular|shared)|doc[-_]?nhieu|xem[-_]?nhieu|trending|popular|"
    r"noi[-_]?bat[-_]?(?:toan[-_]?trang|trang[-_]?chu)|box[-_]?hot|hot[-_]?news|tin[-_]?hot|"
    r"top[-_]?stories[-_]?site",
    re.IGNORECASE,
)
# The whole heading of a box that is the same on every page (accent-folded): "Đọc nhiều",
# "Tin nóng", "Chủ đề nóng" / "Xu hướng" (trending topics), "Thông tin doanh nghiệp" (advertorials), "Xem thêm trên <paper>". Not
# "Tiêu điểm" or "Nổi bật": on a section page those head the section's own lead block.
SITEWIDE_HEADING = re.compile(
    r"(doc nhieu|xem nhieu|doc nhieu nhat|xem nhieu nhat|tin nong|most read|most viewed|most popular|"
    r"popular|trending|chu de nong|xu huong|thong tin doanh nghiep|tin doanh nghiep|quang cao|advertisement|xem them tren .{1,40})"
)
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _tokens(element) -> list[str]:
    extra = [element.get(a) for a in ("id", "data-source", "data-role") if element.get(a)]
    return (element.get("class") or "").split() + extra


def _heading_like(element) -> bool:
    classes = (element.get("class") or "").lower()
    return element.tag in HEADING_TAGS or "title" in classes or "heading" in classes


def _box_heading(element) -> str:
    """The text of a box's own heading: a heading or `*title*` child among its first two,
    or the heading inside a first child that is a bar without stories (`box-category-top`)."""
    for child in list(element)[:2]:
        if not isinstance(child.tag, str):
            continue
        if _heading_like(child):
            return fold(" ".join(child.itertext())).strip()
        if not child.findall(".//a"):
            inner = next((e for e in child.iter() if isinstance(e.tag, str) and e is not child and _heading_like(e)), None)
            if inner is not None:
                return fold(" ".join(inner.itertext())).strip()
    return ""


def is_chrome(element) -> bool:
    """Is this element page chrome (a header, menu, footer, sidebar or site-wide box)?"""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in CHROME_TAGS:
        return True
    if tag == "header" and not any(a.tag == "article" for a in element.iterancestors()):
        return True
    for token in _tokens(element):
        if CHROME_TOKEN.match(token) or SITEWIDE_BOX.search(token) or CHROME_PART & set(re.split(r"[-_]+", token.lower())):
            return True
    heading = _box_heading(element)
    # The whole heading, not its start: a story headed "Đọc nhiều hơn về..." is a story.
    return bool(heading) and SITEWIDE_HEADING.fullmatch(heading.rstrip(" :.")) is not None


def main_column_hrefs(root, boxes=()) -> list[str]:
    """`href`s of the links outside page chrome, in page order (repeats kept: the caller filters).

    `boxes` are more elements to leave out: a site's own site-wide boxes.
    """
    boxes = {id(box) for box in boxes}
    hrefs = []
    skip_under = None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if skip_under is not None:
            if any(a is skip_under for a in element.iterancestors()):
                continue
            skip_under = None
        if id(element) in boxes or is_chrome(element):
            skip_under = element
            continue
        if element.tag == "a" and element.get("href"):
            hrefs.append(element.get("href"))
    return hrefs
