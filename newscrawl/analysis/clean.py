"""Cleaning article fields: NFC text, one space, no separator debris, no chrome paragraphs.

Naive scrapes of Vietnamese news carry lone `-` lines, headlines ending in
` -`, "TIN LIÊN QUAN" headers and share/comment prompts; they go here, once,
for every site. Text inside a paragraph (`2021 - 2030`) is left alone.
"""

from __future__ import annotations

import re

from .text import SEPARATORS, clean_space, fold, strip_separators, unique

# Paragraphs that are page chrome wherever they appear (matched accent-folded).
BOILERPLATE = re.compile(
    r"^(tin lien quan|bai lien quan|tin cung chuyen muc|xem them|doc them|tu khoa|chu de|"
    r"chia se|chia se bai viet|binh luan|gui binh luan|theo doi .{0,40} tren google news|"
    r"quang cao|advertisement|tai ung dung .{0,40}|link goc|nguon:?|ban quyen .{0,80}|"
    r"(anh|video|do hoa|infographic)( minh hoa)?)[.:]?$"
)
_LONGEST_BOILERPLATE = 160  # longer paragraphs are text, whatever they start with
_SEPARATORS_ONLY = re.compile(r"^[\s\-–—|•·*_=~.]*$")
_TRAILING_SEPARATOR = re.compile(r"\s+[-–—|]+$")


def strip_trailing_separator(text: str) -> str:
    """`Headline -` -> `Headline` (the pattern is only tried on text that ends in one)."""
    edge = text[:-1] if text.endswith("\n") else text  # `$` also matches before a final newline
    return _TRAILING_SEPARATOR.sub("", text) if edge and edge[-1] in SEPARATORS else text


def clean_paragraph(text: str) -> str:
    """A body paragraph without edge debris, or '' when it is debris or chrome."""
    text = strip_trailing_separator(clean_space(text))
    if _SEPARATORS_ONLY.match(text) or (len(text) <= _LONGEST_BOILERPLATE and BOILERPLATE.match(fold(text))):
        return ""
    return text


def clean_body(body: str, summary: str = "") -> str:
    paragraphs = [clean_paragraph(p) for p in re.split(r"\n\s*\n", body or "")]
    kept: list[str] = []
    for paragraph in paragraphs:
        if paragraph and (not kept or kept[-1] != paragraph):
            kept.append(paragraph)
    # Some sites repeat the lead as the first body paragraph.
    if kept and summary and fold(kept[0]) == fold(summary):
        kept.pop(0)
    return "\n\n".join(kept)


def clean_name(name: str) -> str:
    name = strip_separators(name)
    # Bylines printed in capitals ("NGỌC AN") are stored as names ("Ngọc An").
    return name.title() if name.isupper() else name


def clean_fields(adapter) -> None:
    """Clean an article's fields in place (a dict or an ItemAdapter); idempotent."""
    for field in ("title", "summary", "category"):
        adapter[field] = strip_separators(adapter.get(field) or "")
    adapter["summary"] = strip_trailing_separator(adapter["summary"])
    adapter["body"] = clean_body(adapter.get("body") or "", adapter["summary"])
    adapter["authors"] = unique(clean_name(a) for a in adapter.get("authors") or [])
    adapter["tags"] = unique(strip_separators(t).lstrip("#").strip() for t in adapter.get("tags") or [])
    related, seen = [], set()
    for link in adapter.get("related") or []:
        headline = strip_separators(link.get("headline") or "")
        if headline and link.get("url") and link["url"] not in seen:
            seen.add(link["url"])
            related.append(dict(link, headline=headline))
    adapter["related"] = related
