"""Element tests and text measures that every part of the generic parser shares.

Metadata, related links, chrome removal, density scoring and body choice all
ask the same questions of an lxml element (its tag, its class and id, its
visible text, how much of that text is links); they are answered once here.
"""

from __future__ import annotations

import re

from ...analysis.css import query
from ...analysis.html import HEADINGS, inline_text, iter_blocks
from ...analysis.text import clean_space, match_key as _norm  # noqa: F401 - _norm: the generic modules' name for it

# Classes and ids that say "related".
_RELATED_CLASS = re.compile(
    r"related|relate-|relation|lienquan|lien-quan|lien_quan|readmore|read-more|read_more|"
    r"xemthem|xem-them|xem_them|see-also|seealso|more-news|morenews|tin-cung|tincung|"
    r"jp-relatedposts|yarpp",
    re.IGNORECASE,
)
# Letters only Vietnamese writes: the language of a page that does not declare one, the sapo convention.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
_HEADINGS = HEADINGS
_INLINE = {"b", "strong", "span", "i", "em", "u", "font", "small", "br", "img", "svg", "i"}


def _select(root, css: str) -> list:
    """Elements under `root` matching `css`: the compiled query, no Selector wrapping."""
    return query(css)(root)


def _tag(node) -> str:
    tag = node.tag
    return tag.lower() if isinstance(tag, str) else ""


def _attrs(node) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}".strip()


def _text(node) -> str:
    """Visible text of an element (scripts and media skipped), one space between words."""
    return inline_text(node) if _tag(node) else ""


def _link_text_length(node) -> int:
    return sum(len(clean_space("".join(a.itertext()))) for a in node.iter("a"))


def _link_density(node, text_length: int | None = None) -> float:
    length = _text_length(node) if text_length is None else text_length
    return _link_text_length(node) / length if length else 0.0


def _text_length(node) -> int:
    return len(_text(node))


def _is_ancestor(ancestor, node) -> bool:
    return any(a is ancestor for a in node.iterancestors())


def _is_in(node, container) -> bool:
    return node is container or any(a is container for a in node.iterancestors())


def _blocks(container) -> list[str]:
    return [clean_space(t) for t in iter_blocks(container) if clean_space(t)]
