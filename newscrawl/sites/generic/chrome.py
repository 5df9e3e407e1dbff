"""Page chrome, and taking it out: of the page, of the chosen container, of its lines.

Whatever container wins, the same cleaning applies: boxes whose class or id
says related / share / comment / caption / byline / ads are removed, and so
are boxes a label calls the author's or a list of other stories; link lists
and picture tables are dropped; lines that are only chrome ("Chia sẻ",
"Xem thêm: ...", a byline or a date at the edges), reader prompts, the
paper's disclaimers and appeals, and an author's bio at the end leave the body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from ...analysis.html import SKIP_TAGS, remove_keeping_tail
from ...analysis.text import clean_space, fold, iso_datetime
from .nodes import _DATE_LIKE, _HEADINGS, _RELATED_CLASS, _attrs, _is_in, _link_density, _norm, _tag, _text, _text_length

# --- class / id vocabulary ------------------------------------------------------

# Substrings of a class or id that mark page chrome, wherever they appear.
_UNLIKELY_SUBSTRINGS = (
    "comment", "related", "relate-", "relation", "lienquan", "lien-quan", "lien_quan",
    "sharing", "share-", "-share", "_share", "share_", "social", "sidebar", "advert", "newsletter",
    "breadcrumb", "readmore", "read-more", "read_more", "xemthem", "xem-them", "xem_them",
    "taboola", "outbrain", "sponsor", "subscri", "recommend", "popular", "mostread",
    "most-read", "most_read", "trending", "cookie", "popup", "modal", "banner", "widget",
    "masthead", "signup", "sign-up", "login", "paywall", "disclaimer", "copyright",
    "tin-khac", "tinkhac", "tin-cung", "box-tin", "boxtin", "box_tin", "more-news", "morenews",
    "author-info", "author-box", "authorbox", "byline", "caption",
    "toolbar", "pagination", "skip-link", "wp-block-buttons", "jp-relatedposts", "sharedaddy",
    "addthis", "fb-comments", "fb-like", "imgdesc", "img-desc", "img_desc", "image-desc", "image_desc",
    "photo-desc", "photocms", "image-note", "note-image",
    "pullquote", "pull-quote", "pull_quote", "pullout",  # a line of the story printed again, large
)
# Whole class / id tokens (split on `-`, `_`, spaces) that mark chrome.
_UNLIKELY_TOKENS = {
    "ad", "ads", "adv", "advs", "tag", "tags", "nav", "navbar", "menu", "meta", "footer",
    "header", "share", "promo", "promotion", "author", "authors", "figure", "photo", "thumb",
    "thumbnail", "keyword", "keywords", "topic", "topics", "navigation", "breaking", "hot",
    "notification", "quangcao", "qc", "banner", "sapo", "lead", "summary", "date", "time",
    "sidebar", "aside", "related", "feedback", "survey", "gallery", "hidden", "print", "credit",
    "credits", "vote", "rating", "pager", "caption", "captions", "image", "video", "embed", "insert",
}
# ...unless the same attribute also says it holds the article.
_LIKELY = re.compile(
    r"article|body|content|entry|main|post|story|text|detail|chitiet|noidung|news-?content|fck",
    re.IGNORECASE,
)
# A body line that only points elsewhere: "Xem thêm: <headline>".
_POINTER_LINE = re.compile(
    r"^(xem them|doc them|tin lien quan|bai lien quan|read more|read also|see also|related|"
    r"also read|more|le puede interesar|te puede interesar|puede interesarte|vea tambien|ver tambien|"
    r"lea tambien|lee tambien|puedes ver|mira|leia tambem|veja tambem|leia mais|a lire aussi|lire aussi|"
    r"voir aussi|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|czytaj tez|czytaj takze|"
    r"czytaj wiecej|zobacz tez|zobacz takze|dowiedz sie wiecej|leggi anche|vedi anche)\s*[:>»\-–]",
)
# Lines that speak to the reader instead of telling the story: subscription and
# app prompts, ad labels, photo credits (matched accent-folded, at the start of a short line).
_PROMO_LINE = re.compile(
    r"^((subscribe|sign up|never miss|don['’]?t miss|download (the|our)|follow us|siguenos|suscribete)\b|"
    r"for the latest .{0,60}(download|subscribe|sign up|follow)|to (view|read) the full (story|article)|"
    r"to continue reading|if you['’]?re (seeing this message|already a subscriber)|"
    r"puede escribirnos|we want to hear what you think|(\S+ ){1,3}abonnieren$|"
    r"(anzeige|advertisement|publicidad|werbung|reklama)\b|\(?((photo|image|foto) )?"
    r"(credits?|creditos?)( (photos?|fotos?|images?))? ?:)"
)
# The paper's notes on a piece rather than its text: an opinion or a reader's blog, ads among the links
# (matched accent-folded, at the start of a line of a few sentences).
_DISCLAIMER_LINE = re.compile(
    r"^((the )?(views|opinions) expressed (in this \w+ )?are (those of the|the author)|"
    r"(dieser|der) beitrag gibt (ausschliesslich )?die meinung de[rs] (autors|autorin)|"
    r"bei diesem beitrag handelt es sich um (ein|einen) (blog|gastbeitrag)|"
    r"(las opiniones|este articulo) .{0,40}(son|es) (de )?(exclusiva )?responsabilidad|"
    r"bai viet (the hien|la) quan diem (rieng )?cua tac gia|"
    r"this (post|article|page|story) (contains|may contain) (references to products|affiliate links))"
)
MAX_DISCLAIMER = 400
# An appeal to pay for the paper, wherever it sits in a line of that size.
_APPEAL = re.compile(
    r"\b(hazte (miembro|socio)|support (our|independent|quality) journalism|become a (member|subscriber|supporter) "
    r"(today|now)|jetzt (mitglied|abonnent|abonnentin) werden|unterstutzen sie (unseren|unabhangigen) journalismus|"
    r"unterstutze unsere arbeit|unterstutzen sie unsere arbeit)\b"
)
# A teaser for another story ends in its link: "... Seht selbst! Weiterlesen" (accent-folded).
_TEASER_END = re.compile(r"\b(weiterlesen|mehr lesen|read more|continue reading|leer mas|seguir leyendo|lire la suite|"
                         r"leia mais|czytaj dalej|doc tiep|xem tiep|xem them)\W*$")
# Lines that are chrome wherever they sit (matched accent-folded, whole line).
_CHROME_LINE = re.compile(
    r"^(tin lien quan|bai lien quan|tin cung chuyen muc|xem them|doc them|tu khoa|chu de|"
    r"chia se|chia se bai viet|binh luan|gui binh luan|quang cao|advertisement|advertising|"
    r"share|share this|share this article|share on .{1,20}|tweet|email|print|comments?|"
    r"related|related articles|related stories|read more|sign up|subscribe|follow us.{0,40}|"
    r"theo doi .{0,40} tren google news|tai ung dung .{0,40}|link goc|nguon:?|"
    r"(anh|video|do hoa|infographic|photo|image)( minh hoa)?:?|loading.{0,3}|"
    r"(\d+ )?(comments?|binh luan)|copyright .{0,80}|© .{0,80}|ban quyen .{0,80}|notas relacionadas|"
    r"lesen sie auch( die folgenden beitrage)?|czytaj (tez|takze)|quellen (ausblenden|anzeigen)|"
    r"noch keine bewertungen( loading)?|mehr zum thema|uber den autor(in)?|about the author)\.?$"
)
# A picture's caption ending in its credit: "Marco Odermatt in Peking. © AFP / Name".
_CREDITED_CAPTION = re.compile(r"©\s*[^.!?]{2,60}$")
# Share widgets printed as text ("Share this on WhatsApp", "Chia sẻ qua Zalo",
# "Facebook Twitter Zalo Email"): matched accent-folded, whole line, in any of the
# languages the press shares in.
_PLATFORM = r"(whatsapp|zalo|facebook|messenger|twitter|x|linkedin|telegram|e-?mail|pinterest|reddit|viber|threads|flipboard|copy link|sao chep lien ket)"
_SHARE_LINE = re.compile(
    rf"^((share|chia se|teilen|compartir|compartilhe|partager|condividi|udostepnij)"
    rf"( (this|it|the|bai viet|tin|article|story|post|now|ngay|auf|en|sur|na|su|this article|this story|this post)){{0,3}}"
    rf"( (on|via|to|with|qua|len|tren|auf|per|en|por|sur|su|na|w))? {_PLATFORM}( (now|ngay))?"
    rf"|((auf|on|en|sur|su|na) )?{_PLATFORM} (teilen|share|compartir|partager|condividi|chia se)"
    rf"|{_PLATFORM}( {_PLATFORM})+)\.?$"
)
_BYLINE = re.compile(
    r"^(by|theo|tac gia|bai|bai va anh|anh|photo|photos|text|reporting by|written by|"
    r"posted by|nguon|source)\s*[:\-–]?\s+\S",
)
# Pictures stay until the body is chosen (a table holding one is a captioned photo).
_DROP_TAGS = (SKIP_TAGS - {"img", "picture", "source"}) | {"nav", "aside", "footer", "header", "menu", "dialog"}


def _tokens(attrs: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", attrs.lower()) if t}


# A "paywall" box with this much paragraph text is the story's gated part, not a prompt to subscribe.
MIN_GATED_TEXT = 600
_UNLIKELY_SEARCH = re.compile("|".join(re.escape(s) for s in _UNLIKELY_SUBSTRINGS))


def _is_unlikely(node) -> bool:
    # A heading's id is mostly a slug of its own words (`id="nav_nur_die_folie"`, `id="video-cua-ngay"`):
    # only its class says what it is.
    attrs = node.get("class", "").strip() if node.tag in _HEADINGS else _attrs(node)
    if not attrs or node.get("itemprop") == "articleBody":
        return False
    verdict = _chrome_attrs(attrs)
    if verdict == "maybe":  # chrome words beside article words: chrome only when short
        return len(clean_space("".join(node.itertext()))) < 200
    if verdict == "chrome" and "paywall" in attrs.lower() and len(node.findall(".//p")) >= 2:
        # The story's gated part, in the page for subscribers (a prompt to subscribe is short).
        return sum(len(_text(p)) for p in node.iter("p")) < MIN_GATED_TEXT
    return verdict == "chrome"


@lru_cache(maxsize=4096)
def _chrome_attrs(attrs: str) -> str:
    """What a class/id string says of its element: "chrome", "maybe" or "" (cached: pages repeat their classes)."""
    lowered = attrs.lower()
    if not (_UNLIKELY_SEARCH.search(lowered) or _tokens(lowered) & _UNLIKELY_TOKENS):
        return ""
    # "article-related" is a related box; "article-content has-share" is the body.
    return "maybe" if _LIKELY.search(lowered) and not _RELATED_CLASS.search(lowered) else "chrome"


# Labels over boxes that are not the story, accent-folded: one introducing the author
# ("Autor:innen", "AUTOR", "About the author"), one listing other stories ("Neueste Artikel", "Tin liên quan").
_AUTHOR_LABEL = re.compile(
    r"^(about the authors?|the authors?|authors?|autor(in|innen|en|:innen|\*innen|/in)?|uber (den autor|die autorin)|"
    r"sobre (el|la) autora?|a propos de l'auteur|l'auteur|o autorze|o autorce|(ve |gioi thieu )?tac gia):?$"
)
_STORIES_LABEL = re.compile(
    r"^(neueste (artikel|beitrage|nachrichten)|weitere (artikel|beitrage|nachrichten)|mehr artikel|meistgelesen|"
    r"das konnte sie auch interessieren|latest( news| articles| stories| posts)?|most (read|popular|viewed)|"
    r"related( articles| stories| news| posts| content)?|more (news|stories|articles)|you (may|might) also like|"
    r"read next|lo (ultimo|mas leido)|mas (leidas|noticias)|noticias relacionadas|tambien te puede interesar|"
    r"les plus lus|najnowsze|najczesciej czytane|tin (moi|moi nhat|lien quan|khac|noi bat|cung chuyen muc)|"
    r"doc nhieu|xem nhieu|doc nhieu nhat|cung chuyen muc|bai viet lien quan):?$"
)
_LABEL_CLASSES = {"header", "heading", "title", "label"}
MAX_AUTHOR_BOX = 1200


def _labelled_boxes(root) -> list:
    """Boxes a label says are not the story: an author's name and bio, a list of other stories.

    The label is a heading, or a box of its own called header / heading /
    title / label (a byline's "Autor:" inside a sentence is neither), and it
    opens its parent: that parent is the box, unless it holds the headline.
    An author box holds little more than a bio; a story list holds links.
    """
    boxes = []
    for label in root.iter("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong"):
        heading = label.tag in _HEADINGS
        if not heading and (not label.text or len(label.text) > 80 or not label.get("class")):
            continue  # most elements: no label of their own, or no class to call them one
        text = _text(label) if heading else clean_space(label.text)
        if not text or len(text) > 40 or not text[0].isalpha():
            continue
        folded = fold(text)
        author = bool(_AUTHOR_LABEL.match(folded))
        if not author and not _STORIES_LABEL.match(folded):
            continue
        if not heading and not _tokens(_attrs(label).lower()) & _LABEL_CLASSES:
            continue
        box = label.getparent()
        if box is None or _tag(box) in ("html", "body", "main", "article") or box.find(".//h1") is not None:
            continue  # a page's main column or article is never a side box, whatever heads it
        box_text = _text(box)
        if not box_text.startswith(text):
            continue  # the label does not open the box: it sits inside something else, maybe the story
        if (len(box_text) <= MAX_AUTHOR_BOX) if author else _lists_stories(box, box_text):
            boxes.append(box)
    return boxes


def _lists_stories(box, box_text: str) -> bool:
    """Mostly links, or a link for every paragraph (teasers with their blurbs): a story column has fewer."""
    links = len(box.findall(".//a[@href]"))
    return links >= 2 and (_link_density(box, len(box_text)) >= 0.3 or links >= len(box.findall(".//p")))


def _is_hidden(node) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return (
        "display:none" in style
        or "visibility:hidden" in style
        or node.get("hidden") is not None
        or node.get("aria-hidden") == "true"
    )


def _prune(root, keep=()) -> None:
    """Remove scripts, navigation, hidden nodes and chrome boxes from `root` in place."""
    keep_ids = {id(k) for k in keep}
    holding = {a for k in keep for a in k.iterancestors()}  # removing these would remove a kept container
    doomed = []
    for node in root.iter():
        if id(node) in keep_ids:
            continue
        tag = _tag(node)
        if not tag:
            if isinstance(node, (etree._Comment, etree._ProcessingInstruction)):
                doomed.append(node)
            continue
        if tag in ("html", "body"):
            continue
        if tag == "form" and len("".join(node.itertext())) > 500:
            node.tag = "div"  # ASP.NET wraps the whole page in one <form>
            continue
        if tag == "figure" and node.find(".//table") is not None:
            continue  # CKEditor wraps tables in <figure class="table">: unwrapped below
        if tag in _DROP_TAGS or _is_hidden(node):
            doomed.append(node)
        elif tag not in ("article", "main") and node not in holding and _is_unlikely(node):
            doomed.append(node)
    doomed += [box for box in _labelled_boxes(root) if id(box) not in keep_ids and box not in holding]
    for node in doomed:
        if node.getparent() is not None:
            remove_keeping_tail(node)
    for figure in list(root.iter("figure")):
        table = figure.find(".//table")
        if table is not None and figure.getparent() is not None:
            table.tail = figure.tail
            figure.getparent().replace(figure, table)


def _clean_container(container) -> None:
    """Inside the chosen container: drop link lists, picture tables, byline-only boxes."""
    for node in list(container.iter("table")):
        if node.getparent() is None:
            continue
        text = _text(node)
        if node.find(".//img") is not None and len(text) < 300:
            remove_keeping_tail(node)  # a picture with its caption
    for node in list(container.iter("p", "div")):
        # A centred line in italics under a picture is its caption.
        style = (node.get("style") or "").replace(" ", "").lower()
        centred = node.get("align") == "center" or "text-align:center" in style
        if centred and len(node) and not (node.text or "").strip() and all(
            _tag(c) in ("em", "i") and not (c.tail or "").strip() for c in node
        ) and len(_text(node)) < 300:
            remove_keeping_tail(node)
    for node in list(container.iter("article", "aside")):
        if node is not container and node.getparent() is not None and _text_length(node) < 600:
            remove_keeping_tail(node)  # an embedded teaser for another story
    for node in list(container.iter("ul", "ol", "div", "section", "p", "table")):
        if node is container or node.getparent() is None or not _is_in(node, container):
            continue
        length = _text_length(node)
        if not length:
            continue
        density = _link_density(node, length)
        if _tag(node) in ("ul", "ol", "div", "section", "table") and density > 0.5 and (length < 1000 or density > 0.8):
            remove_keeping_tail(node)
        elif _tag(node) == "p" and density > 0.8 and length < 300:
            remove_keeping_tail(node)


def _filter_paragraphs(paragraphs: list[str], title: str, summary: str, authors: list[str]) -> list[str]:
    # "Über den Autor" among the last lines opens the author's bio: the story ended before it.
    for index in range(max(0, len(paragraphs) - 3), len(paragraphs)):
        if index and _AUTHOR_LABEL.match(fold(paragraphs[index])):
            paragraphs = paragraphs[:index]
            break
    kept = []
    author_keys = {_norm(a) for a in authors}
    last = len(paragraphs) - 1
    for index, text in enumerate(paragraphs):
        folded = _norm(text)
        if not folded:
            continue
        if _CHROME_LINE.match(folded) or _SHARE_LINE.match(folded) or _POINTER_LINE.match(fold(text)):
            continue
        if len(text) < 250 and (_PROMO_LINE.match(fold(text)) or _CREDITED_CAPTION.search(text)):
            continue
        if len(text) < MAX_DISCLAIMER and (_DISCLAIMER_LINE.match(fold(text)) or _APPEAL.search(fold(text))
                                           or _TEASER_END.search(fold(text))):
            continue
        if title and _norm(title) == folded:
            continue
        if summary and (_norm(summary) == folded or (len(text) > 60 and _norm(summary).startswith(folded))):
            continue
        near_edge = index <= 1 or index >= last - 1
        if near_edge and len(text) < 80:
            if folded in author_keys or _BYLINE.match(fold(text)) or (
                _DATE_LIKE.search(text) and len(text) < 60 and iso_datetime(text)
            ):
                continue
        kept.append(text)
    # Consecutive duplicates (a lead repeated, a heading printed twice).
    out = []
    for text in kept:
        if not out or out[-1] != text:
            out.append(text)
    return out
