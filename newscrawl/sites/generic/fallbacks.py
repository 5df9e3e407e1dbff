"""Bodies from elsewhere than a container: JSON-LD `articleBody`, then trafilatura.

When no known container holds a body of credible size, the page's JSON-LD
`articleBody` points at the element whose text it matches (or is the body
itself when none matches). trafilatura (precision mode) is the last resort,
used only when everything else finds less: measured on real pages
(benchmarks/extract_quality.py) the container/density answer beats its
extraction. It is imported lazily and optional.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter

from ...analysis.text import clean_space, fold
from .density import _score_candidates
from .nodes import _blocks


def _container_text(node) -> str:
    return " ".join(_blocks(node))


def _tokens_of(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _precision_recall(candidate: str, reference: Counter) -> tuple[float, float]:
    """Shares of the candidate's words in the reference, and of the reference's words in the candidate."""
    words = Counter(_tokens_of(candidate))
    common = sum((words & reference).values())
    if not common:
        return 0.0, 0.0
    return common / sum(words.values()), common / sum(reference.values())


def _ld_paragraphs(value) -> list[str]:
    """JSON-LD articleBody as paragraphs (its line breaks kept, any markup dropped)."""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return []
    text = html_lib.unescape(re.sub(r"<(?:br|/p|/h\d|/li|/div)\s*/?>", "\n", value, flags=re.IGNORECASE))
    text = re.sub(r"<[^>]+>", " ", text)
    return [line for line in (clean_space(part) for part in re.split(r"\n+", text)) if line]


def _match_ld(root, ld_body: str):
    """The element whose text best matches JSON-LD articleBody, if one matches well.

    Many sites cut articleBody to the opening paragraphs: the best-scoring
    element that holds nearly all of it is then the full text.
    """
    scores = _score_candidates(root)
    reference = Counter(_tokens_of(ld_body))  # counted once, not per candidate
    best, best_f1 = None, 0.0
    for node in sorted(scores, key=scores.get, reverse=True)[:15]:
        text = _container_text(node)
        precision, recall = _precision_recall(text, reference)
        if len(text) > len(ld_body) and recall >= 0.9:
            return node
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best, best_f1 = node, f1
    return best if best_f1 >= 0.7 else None


def _trafilatura_paragraphs(html: str, url: str, paragraph_text: int, precision: bool = True) -> list[str]:
    """trafilatura's text as paragraphs: its own extractor first, its slow fallbacks only where they can help.

    The fallbacks (readability, jusText) cost ten times the fast pass; they
    run only when the fast pass comes back empty on a page whose `<p>`
    elements hold a story's worth of text (`paragraph_text` characters).
    """
    try:
        import trafilatura
    except ImportError:  # optional: the crawl works without it
        return []
    options = dict(url=url, include_comments=False, include_tables=True, include_images=False,
                   favor_precision=precision, favor_recall=not precision, deduplicate=False)
    text = trafilatura.extract(html, fast=True, **options)
    if not text and paragraph_text >= 1000:
        text = trafilatura.extract(html, **options)
    paragraphs = []
    for line in (text or "").split("\n"):
        line = clean_space(re.sub(r"^\s*[-*•]\s+", "", line))
        cells = re.fullmatch(r"\|(.*)\|", line)
        if cells and cells.group(1).count(" | ") == 0:
            line = clean_space(cells.group(1))  # a layout table's one-cell row
        if line:
            paragraphs.append(line)
    return paragraphs
