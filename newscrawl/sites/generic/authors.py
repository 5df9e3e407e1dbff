"""The authors of any page: JSON-LD, then author `<meta>` tags, then the byline printed on the page.

Each source is cleaned before the next is tried, so that a source naming only
the site (a publisher in the author slot, "No Author", a theme's credit) does
not hide a byline further down. Precision first: a site name, a profile slug
or a placeholder is not an author.
"""

from __future__ import annotations

import re

from ...analysis.html import ld_names
from ...analysis.text import clean_space, strip_separators, unique
from ..html_page import HtmlPage
from .nodes import _norm, _select, _text
from .page import _Meta, _types

# "By", "Von", "Por", "Par", "Theo", "Tác giả", "Door", "Di" opening a byline.
_BY = re.compile(r"^(?:by|von|por|par|theo|tác giả|door|di|av|af|written by|posted by|erstellt von|autor(?:in)?|author)"
                 r"\s*:?\s+", re.IGNORECASE)
# Several names in one byline.
_AND = re.compile(r"\s*[,;&]\s*|\s+(?:and|und|và)\s+", re.IGNORECASE)
# Section and tag links that share a byline's line.
_TAG_LINK = re.compile(r"\btag\b|categor|/thema/|/tag/|/section/", re.IGNORECASE)
# "View all posts by X", a profile link's title.
_ALL_POSTS = re.compile(r"^(?:view all posts by|all posts by|zeige alle beiträge von|alle beiträge von|"
                        r"ver todas las entradas de|voir tous les articles de)\s+", re.IGNORECASE)
# Words that fill an author slot without naming anyone.
_PLACEHOLDER = re.compile(r"^(?:no author|unknown|admin(?:istrator)?|anonymous|guest)$",
                          re.IGNORECASE)
# Byline elements on the page, most specific first.
_BYLINE_CSS = (
    '[itemprop="author"] [itemprop="name"]', 'a[rel="author"]', '[itemprop="author"]', ".author-name",
    ".byline a", ".author a", ".byline", "p.author", "span.author", "div.author",
)
# Yoast and similar write the author into the first Twitter label.
# A printed byline: "By Ana Lima", "von Ulrike", "Por Raúl Espina y ..." (names are capitalised words).
_NAME_WORD = r"(?:[A-ZÀ-ÞĀ-ſ][\w'’.-]*|de|da|del|la|le|van|von|der|den|di|du|dos|y)"
_BYLINE_TEXT = re.compile(
    rf"^(?:by|von|por|par|erstellt von|written by|posted by)\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
    rf"(?:\s*(?:,|&|and|und|y)\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})*)$", re.IGNORECASE)
_BYLINE_HOLDER = re.compile(r"author|byline|autor|writer|credit|contributor", re.IGNORECASE)
_PROFILE_LINK = re.compile(r"/(?:author|autor|autoren|profil|profile|redaktion|mitarbeiter|people|staff)/", re.IGNORECASE)
_WRITTEN_BY = re.compile(r"written by|geschrieben von|verfasst von|escrito por|écrit par|autor", re.IGNORECASE)


def _slug_name(name: str) -> str:
    """`edilson.la.rosa` (a profile slug in an author tag) as `Edilson La Rosa`."""
    if " " not in name and re.fullmatch(r"[a-z]+(?:[._-][a-z]+)+", name):
        return " ".join(part.capitalize() for part in re.split(r"[._-]", name))
    return name


def _split(text: str) -> list[str]:
    """A byline as names: `By A and B`, `A, B`, `A / B`; handles (`@x`) and trailing arrows dropped."""
    text = clean_space(re.sub(r"@\w+|[→»]", " ", text))
    text = _BY.sub("", _ALL_POSTS.sub("", text))
    return [strip_separators(part) for part in _AND.split(text) if part and part.strip()]


class _Authors:
    """Names from the page's sources, each cleaned of site names and placeholders."""

    def __init__(self, page: HtmlPage, meta: _Meta):
        self.page, self.meta = page, meta
        self.site = {_norm(n).replace(" ", "") for n in meta.site_names}
        # One-word site names of five letters or more: "OÖ Volksblatt" names the site volksblatt.at.
        self.site_words = {n for n in (_norm(s) for s in meta.site_names) if len(n) >= 5 and " " not in n}
        self.ids = {o.get("@id"): o for o in page.json_ld if isinstance(o.get("@id"), str)}

    def _resolve(self, value):
        """JSON-LD authors given as `{"@id": ...}` references to a Person elsewhere in the graph."""
        items = value if isinstance(value, list) else [value]
        resolved = []
        for item in items:
            if isinstance(item, dict) and not item.get("name") and item.get("@id") in self.ids:
                item = self.ids[item["@id"]]
            resolved.append(item)
        return resolved

    def _is_site(self, name: str, organisation: bool = False) -> bool:
        folded = _norm(name)
        squashed = folded.replace(" ", "")
        if squashed in self.site:
            return True
        words = folded.split()
        if any(w in self.site_words for w in words) and all(w in self.site_words or len(w) <= 2 for w in words):
            return True  # "OÖ Volksblatt": the site's name with an initial or two
        # An organisation in the author slot that carries the site's name is the site.
        return organisation and any(len(s) >= 5 and (s in squashed or squashed in s) for s in self.site)

    def _kept(self, names, organisation: bool = False) -> list[str]:
        kept = []
        for name in names:
            if self._is_site(clean_space(name), organisation):
                continue  # "Jobs & Hire" is the site, not two people
            for part in _split(name):
                part = _slug_name(part)
                if (not part or part.startswith("http") or len(part) > 60 or _PLACEHOLDER.match(part)
                        or not re.search(r"[^\W\d_]", part) or self._is_site(part, organisation)):
                    continue
                kept.append(part)
        return unique(kept)

    def from_json_ld(self) -> list[str]:
        kept = []
        # schema.org's `creator` names the authors where a CMS leaves `author` out.
        article = self.meta.article
        for item in self._resolve(article.get("author") or article.get("creator")):
            types = _types(item) if isinstance(item, dict) else set()
            organisation = "Organization" in types and "Person" not in types
            kept += self._kept(ld_names(item), organisation)
        return unique(kept)

    def from_meta(self) -> list[str]:
        page = self.page
        value = page.meta("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
                          "sailthru.author", "dable:author")
        names = self._kept([value]) if value and not value.startswith("http") else []
        if names:
            return names
        if _WRITTEN_BY.search(page.meta("twitter:label1")):
            return self._kept([page.meta("twitter:data1")])
        return []

    def from_byline(self) -> list[str]:
        """Byline elements; past four names the matches are teasers' bylines or links: the first is the article's."""
        for css in _BYLINE_CSS:
            nodes = _select(self.page.sel.root, css)
            nodes = [n for n in nodes if not any(_TAG_LINK.search(" ".join(a.attrib.values())) for a in n.iter("a"))
                     and not any(a.tag == "footer" for a in n.iterancestors())]  # a theme's credit, not a byline
            texts = [t for t in (_text(n) for n in nodes) if t and len(t) < 80]
            names = self._kept(texts)
            if len(names) > 4:
                names = self._kept(texts[:1])
            if names:
                return names
        return []

    def from_byline_text(self) -> list[str]:
        """The first short "By X" line in an author-ish element or around a link to an author page."""
        for node in self.page.sel.root.iter("p", "div", "span", "li", "address", "small"):
            text = clean_space("".join(node.itertext()))  # plain lxml elements: no text_content()
            if len(text) > 80:
                continue
            match = _BYLINE_TEXT.match(strip_separators(text))  # "erstellt von Dominique —"
            if not match:
                continue
            attrs = " ".join(v for v in (node.get("class"), node.get("id")) if v)
            linked = any(_PROFILE_LINK.search(a.get("href") or "") for a in node.iter("a"))
            if _BYLINE_HOLDER.search(attrs) or linked:
                names = self._kept([match.group(1)])
                if names:
                    return names
        return []


def _authors(page: HtmlPage, meta: _Meta) -> list[str]:
    """The first source that names someone; a meta tag that lists more of the same names wins."""
    finder = _Authors(page, meta)
    from_ld, from_meta = finder.from_json_ld(), finder.from_meta()
    if from_ld and set(from_ld) < set(from_meta):
        return from_meta
    names = from_ld or from_meta
    if not names:
        return finder.from_byline() or finder.from_byline_text()
    if all(" " not in name for name in names):
        # A first name alone in the metadata ("Todd"): the printed byline may give the whole name.
        printed = finder.from_byline() or finder.from_byline_text()
        names = [next((full for full in printed if full.startswith(name + " ")), name) for name in names]
    return names
