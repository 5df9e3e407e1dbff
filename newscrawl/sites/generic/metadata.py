"""Article fields other than the body, for any page: title, lead, authors, dates, section, tags, language.

JSON-LD first, then OpenGraph and `<meta>` tags, then the page itself (`h1`,
`<time datetime>`, bylines, tag links). The headline is the page's `h1` when
it agrees with `og:title` / JSON-LD (so a " - Site name" suffix never
reaches the title) and the lead is the one the page shows, not `meta
description`, when the page shows one.
"""

from __future__ import annotations

import html as html_lib
import re

from ...analysis.html import ld_text
from ...analysis.text import clean_space, strip_separators, unique
from ..html_page import HtmlPage
from .nodes import _RELATED_CLASS, _VIETNAMESE, _attrs, _link_density, _norm, _select, _tag, _text
from .page import _Meta

# Elements that hold the lead: class / id tokens.
_LEAD_CLASS = re.compile(
    r"(^|[-_ ])(sapo|lead|leading|summary|standfirst|dek|excerpt|intro|chapo|description|"
    r"desc|subtitle|sub-title|subhead|tomtat|abstract)([-_ ]|$)",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·•:»«/]\s+|\s*\|\s*")


def _agrees(a: str, b: str) -> bool:
    """Do two headline-ish strings say the same thing (ignoring case, accents, suffixes)?"""
    fa, fb = _norm(a), _norm(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long_ = sorted((fa, fb), key=len)
    if long_.startswith(short) and len(short) >= 0.4 * len(long_):
        return True
    ta, tb = set(fa.split()), set(fb.split())
    overlap = len(ta & tb) / max(1, min(len(ta), len(tb)))
    return overlap >= 0.8 and min(len(ta), len(tb)) >= 3


def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    """`Headline - VnExpress` and `VnExpress | Headline` lose the site's name."""
    title = clean_space(title)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {_norm(n).replace(" ", "") for n in site_names if n}

    def is_site(part: str) -> bool:
        squashed = _norm(part).replace(" ", "")
        return bool(squashed) and any(
            squashed == n or (len(n) >= 4 and (n in squashed or squashed in n)) for n in names
        )

    # Drop site-name segments at either end; keep inner separators as they were.
    while len(parts) > 1 and is_site(parts[-1]):
        title = title[: title.rfind(parts[-1])].rstrip()
        title = re.sub(r"\s*[-|–—·•:»«/]\s*$", "", title)
        parts = parts[:-1]
    while len(parts) > 1 and is_site(parts[0]):
        title = title[title.find(parts[0]) + len(parts[0]):].lstrip()
        title = re.sub(r"^[-|–—·•:»«/]\s*", "", title)
        parts = parts[1:]
    return title.strip()


def _title(page: HtmlPage, meta: _Meta) -> tuple[str, object]:
    """The headline, and the `h1` element it came from (or None)."""
    declared = [
        ld_text(meta.article.get("headline")) or ld_text(meta.article.get("name")),
        page.meta("og:title"),
        page.meta("twitter:title"),
        next((_text(t) for t in _select(page.sel.root, "title")), ""),
    ]
    declared = [d for d in declared if d]
    cleaned = [_strip_site_suffix(d, meta.site_names) for d in declared]
    h1s = [(_text(h), h) for h in _select(page.sel.root, "h1")]
    h1s = [(t, node) for t, node in h1s if t]
    for text, node in h1s:
        if any(_agrees(text, d) for d in cleaned + declared):
            return strip_separators(text), node
    # Some templates keep h1 for the section name and print the headline in an h2.
    for heading in _select(page.sel.root, '[itemprop="headline"], h2, h3'):
        text = _text(heading)
        if text and heading.tag != "meta" and any(_agrees(text, d) for d in cleaned + declared):
            return strip_separators(text), heading
    if cleaned:
        return strip_separators(cleaned[0]), None
    if h1s:
        return strip_separators(h1s[0][0]), h1s[0][1]
    return "", None


def _descriptions(page: HtmlPage, meta: _Meta) -> list[str]:
    values = [
        ld_text(meta.article.get("description")),
        page.meta("og:description"),
        page.meta("description"),
        page.meta("twitter:description"),
    ]
    return unique(v for v in values if v)


def _lead_nodes(page: HtmlPage) -> list:
    """Elements that look like the page's lead, in document order."""
    found = []
    for node in page.sel.root.iter():
        if not isinstance(node.tag, str) or _tag(node) in ("meta", "html", "body", "a", "img", "script", "style"):
            continue
        attrs = _attrs(node)
        if (attrs and _LEAD_CLASS.search(attrs)) or node.get("itemprop") in ("description", "abstract"):
            found.append(node)
    return found


def _subtitle(title_node):
    """The headline's subtitle: a heading printed right after it (as in `<hgroup>`), long enough to be a standfirst."""
    node = None if title_node is None else title_node.getnext()
    while node is not None and not isinstance(node.tag, str):
        node = node.getnext()  # a comment between them
    if node is None or _tag(node) not in ("h2", "h3", "h4"):
        return None
    length = len(_text(node))
    return node if 30 <= length <= 600 and _link_density(node, length) <= 0.3 else None


def _summary(page: HtmlPage, meta: _Meta, title_node) -> tuple[str, object]:
    """The lead as the page shows it (and its element), else the meta description."""
    subtitle = _subtitle(title_node)
    if subtitle is not None and not _unlikely_ancestor(subtitle):
        return strip_separators(_text(subtitle)), subtitle
    descriptions = _descriptions(page, meta)
    candidates = []
    for node in _lead_nodes(page):
        if any(_tag(a) in ("a", "li", "nav", "aside", "footer") for a in node.iterancestors()):
            continue
        text = _text(node)
        if not 30 <= len(text) <= 1500 or _link_density(node, len(text)) > 0.3:
            continue
        if _unlikely_ancestor(node):
            continue
        candidates.append((text, node))
    for text, node in candidates:
        if any(_overlap(text, d) >= 0.6 for d in descriptions):
            return strip_separators(text), node
    # No description to agree with: the first lead-like element after the headline.
    if candidates and title_node is not None:
        order = {n: i for i, n in enumerate(page.sel.root.iter())}
        after = [(t, n) for t, n in candidates if order.get(n, 0) > order.get(title_node, 0)]
        if after and not descriptions:
            return strip_separators(after[0][0]), after[0][1]
    return (descriptions[0] if descriptions else ""), None


def _unlikely_ancestor(node) -> bool:
    for ancestor in node.iterancestors():
        attrs = _attrs(ancestor).lower()
        if attrs and _RELATED_CLASS.search(attrs):
            return True
    return False


def _overlap(a: str, b: str) -> float:
    """Share of the shorter text's words found in the longer one."""
    ta, tb = _norm(a).split(), _norm(b).split()
    if not ta or not tb:
        return 0.0
    short, long_ = sorted((ta, tb), key=len)
    pool = set(long_)
    return sum(1 for t in short if t in pool) / len(short)


def _category(page: HtmlPage, meta: _Meta, title: str) -> str:
    section = meta.article.get("articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), "")
    value = ld_text(section) if section else page.meta("article:section", "section", "category")
    if value:
        return strip_separators(value)
    items = meta.breadcrumbs.get("itemListElement") if meta.breadcrumbs else None
    names = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            name = ld_text(item.get("name")) or ld_text(item.get("item"))
            if name and not name.startswith("http"):
                names.append(name)
    if not names:
        for css in ('[class*="breadcrumb"] a', 'nav[aria-label*="readcrumb"] a', '[class*="breadcrumb"] li'):
            names = [t for t in (_text(n) for n in _select(page.sel.root, css)) if t]
            if names:
                break
    names = [n for n in names if not _agrees(n, title) and _norm(n) not in ("home", "trang chu", "homepage")]
    return strip_separators(names[-1]) if names else ""


def _tags(page: HtmlPage, meta: _Meta) -> list[str]:
    tags = page.metas("article:tag")
    if not tags:
        keywords = meta.article.get("keywords")
        if isinstance(keywords, str):
            tags = keywords.split(",")
        elif isinstance(keywords, list):
            tags = [part for k in keywords if isinstance(k, str) for part in k.split(",")]
    if not tags:
        for css in ('a[rel~="tag"]', '[class*="tags"] a', '[class*="tag-list"] a', '[class*="tag_"] a', ".tag a"):
            tags = [t for t in (_text(n) for n in _select(page.sel.root, css)) if t and len(t) < 60]
            if tags:
                break
    if not tags:
        tags = (page.meta("news_keywords") or page.meta("keywords")).split(",")
    return unique(strip_separators(clean_space(html_lib.unescape(t))).lstrip("#").strip() for t in tags if t)


def _language(page: HtmlPage, body: str) -> str:
    declared = (
        page.sel.xpath("/html/@lang").get("")
        or page.meta("og:locale", "language", "content-language", "dc.language")
        or page.css('meta[http-equiv="content-language"]::attr(content)').get("")
        or ld_text(page.article_ld.get("inLanguage"))
    )
    if declared.strip():
        return re.split(r"[-_]", declared.strip().lower())[0]
    sample = body[:3000]
    if not sample:
        return ""
    letters = sum(ch.isalpha() for ch in sample) or 1
    if len(_VIETNAMESE.findall(sample)) / letters > 0.02:
        return "vi"
    if sum(ch.isascii() for ch in sample if ch.isalpha()) / letters > 0.95:
        return "en"
    return ""
