"""Rules every site layout's fields pass through: what old templates print inside the body.

Site parsers take the body from a container, and older templates put more
than the article's text in it: the headline again, the lead again (often with
the paper's prefix, `(TBKTSG) - `), and the byline as the last paragraph
(`Name`, `Name(theo Reuters)`, `MINH ANH - TTXVN`). These are page facts
of many sites and layouts, so they are one set of rules here, applied after
every layout's parse, rather than a fix per layout:

- a headline repeated as an opening paragraph is dropped;
- the lead repeated as an opening paragraph is dropped (compared without the
  paper's prefix, dashes, quotes and spacing); the summary keeps the lead as
  printed, prefix included;
- a closing byline is an author, not a paragraph.
"""

from __future__ import annotations

import re

from .clean import clean_name
from .text import clean_space, fold, match_key, unique

# The paper's own prefix before a lead: `(TBKTSG) - `, `(Dân trí) - `, `(VEN) – `.
PAPER_PREFIX = re.compile(r"^\s*\(\s*[^()]{2,30}\s*\)\s*[-–—:]\s*")
# Two to five words, each starting with a capital (Vietnamese names; all caps too).
_NAME = r"(?:[^\W\d_][^\W\d_'’.-]*(?:\s+[^\W\d_][^\W\d_'’.-]*){1,4})"
_NAMES = rf"{_NAME}(?:\s*(?:,|\bvà\b|&)\s*{_NAME})*"
# `Name(theo Reuters)`, `Name (Theo VnExpress, AFP)`, `Name tổng hợp`.
_CREDITED = re.compile(rf"^(?P<names>{_NAMES})\s*\(\s*(?:theo|tổng hợp|lược dịch|dịch)\b[^()]{{0,60}}\)\.?$", re.IGNORECASE)
# `MINH ANH - TTXVN`, `Thu Hằng - Vietnam+`: a name, a dash, an outlet of a word or two.
_DASHED = re.compile(rf"^(?P<names>{_NAMES})\s+[-–—]\s+(?P<outlet>[\w+./]{{2,20}}(?:\s[\w+./]{{2,20}})?)$")
# A bare name line: short, every word capitalised, nothing else.
_BARE = re.compile(rf"^(?P<names>{_NAMES})$")
MAX_BYLINE = 60
# First words of a source credit or a caption line (accent-folded).
CREDIT_WORDS = {"theo", "nguon", "anh", "video", "xem", "by", "source", "photo"}


def without_paper_prefix(text: str) -> str:
    return PAPER_PREFIX.sub("", text or "", count=1)


def _capitalised(names: str) -> bool:
    words = re.findall(r"[^\W\d_][^\W\d_'’.-]*", names)
    stop = {"và"}
    return bool(words) and all(w[0].isupper() for w in words if w.lower() not in stop)


def byline_names(paragraph: str) -> list[str]:
    """The authors a closing line names, or [] when the line is not a byline."""
    text = clean_space(paragraph)
    if not text or len(text) > MAX_BYLINE or text.endswith(("?", "!", ":")):
        return []
    if fold(text).split()[0].strip("(") in CREDIT_WORDS:
        return []  # `Theo Reuters`, `Nguồn: VTV`: where the story came from, not who wrote it
    match = _CREDITED.match(text) or _DASHED.match(text)
    if match is None:
        bare = _BARE.match(text.rstrip("."))
        # A bare line is a name only when short and every word is capitalised.
        match = bare if bare and len(text) <= 40 and len(text.split()) <= 8 else None
    if match is None or not _capitalised(match.group("names")):
        return []
    # Written as names ("MINH ANH" -> "Minh Anh"), as the clean stage stores bylines printed in capitals.
    return [clean_name(n) for n in re.split(r"\s*(?:,|\bvà\b|&)\s*", match.group("names")) if clean_space(n)]


def tidy_article(fields: dict) -> dict:
    """`fields` with the shared rules applied to body and authors (changed in place and returned)."""
    paragraphs = [p for p in (fields.get("body") or "").split("\n\n") if p]
    title_key = match_key(fields.get("title") or "")
    lead_key = match_key(without_paper_prefix(fields.get("summary") or ""))
    while paragraphs:
        first = match_key(without_paper_prefix(paragraphs[0]))
        if first and first in (title_key, lead_key):
            paragraphs.pop(0)
            continue
        break
    if len(paragraphs) > 1:
        names = byline_names(paragraphs[-1])
        if names:
            paragraphs.pop()
            fields["authors"] = unique(list(fields.get("authors") or []) + names)
    fields["body"] = "\n\n".join(paragraphs)
    return fields
