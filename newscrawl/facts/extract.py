"""The facts of one text: quantities with their meaning, places, documents, organisations.

Pure: text in, dict out, no network or database, so the page stages can
call it on every article and tests can call it on a sentence.
"""

from __future__ import annotations

import re

from ..analysis.text import nfc
from .documents import find_documents
from .organisations import find_organisations
from .places import find_places
from .quantities import find_quantities
from .subjects import plan_of, subject_mentions, subject_of

# Names of companies: a province inside one (Công ty CP Năng lượng Xanh Phú Yên)
# is part of the name, not a place the text speaks of; an agency's is its seat.
COMPANY_FORMS = ("Công ty", "Tập đoàn", "Tổng công ty", "Ngân hàng", "Quỹ", "Hiệp hội", "Viện")

# Words after which a full stop is no sentence end (TP. Hải Phòng, Mr. Lam).
_ABBREVIATIONS = {"TP", "Tp", "tp", "TS", "ThS", "PGS", "GS", "Mr", "Ms", "Mrs", "Dr", "St", "Co", "Ltd", "No",
                  "Corp", "Inc", "vs", "etc", "TT", "Q", "P"}
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-ZĐÀ-Ỹ0-9])|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a break after an abbreviation is no end."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].rstrip(".") if before else ""
        if match.group(0).strip() == "" and "\n" not in match.group(0) and last in _ABBREVIATIONS:
            continue
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _facts(text: str, language: str) -> list[dict]:
    facts = []
    for s_start, s_end in split_sentences(text):
        sentence = text[s_start:s_end]
        if not _DIGIT.search(sentence):
            continue  # every quantity has a digit: most sentences of an article have none
        found = find_quantities(sentence, language)
        mentions = subject_mentions(sentence) if found else []
        for quantity in found:
            subject = subject_of(sentence, quantity.start, quantity.end, mentions)
            if quantity.kind == "percent" and subject is None:
                continue  # a share of nothing green ("giá vé giảm 30%") is no fact
            planned, target_year = plan_of(sentence, quantity.start, quantity.end)
            facts.append({
                "kind": quantity.kind, "value": quantity.value, "unit": quantity.unit,
                "printed": quantity.printed, "subject": subject, "target_year": target_year,
                "planned": planned, "sentence": sentence.strip(),
                "start": s_start + quantity.start, "end": s_start + quantity.end,
            })
    return facts


def extract_facts(text: str, language: str = "vi") -> dict:
    """Facts, places, documents and organisations of a text (an article body).

    Positions (`start`, `end`) are character offsets into the NFC form of
    `text`, which is what newscrawl stores.
    """
    text = nfc(text or "")
    language = "en" if (language or "").lower().startswith("en") else "vi"
    places = find_places(text, language)
    organisations = find_organisations(text, language, places)
    companies = [(o["start"], o["end"]) for o in organisations if o["name"].startswith(COMPANY_FORMS)]
    return {
        "facts": _facts(text, language),
        "places": [p for p in places if not any(s <= p["start"] < e for s, e in companies)],
        "documents": find_documents(text, language),
        "organisations": organisations,
    }
