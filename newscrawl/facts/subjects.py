"""What a quantity is about, whether it is planned or done, and by when.

The subject is the technology or sector term nearest the number, from the
`subjects` of the taxonomy file (`data/topics.json`); where none is near,
a topic term of the same file names the topic instead. Plan or done is read
in the number's clause first ("đạt 29,7%" is done even in a sentence that
also states a target), then in its sentence.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from ..analysis.topics import trie_pattern


def _fold_table() -> dict[int, str]:
    table = {}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if len(base) == 1:
            table[code] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


_FOLD = _fold_table()


def fold_keep(text: str) -> str:
    """Accent-free lower case of the same length, so positions carry over."""
    return text.translate(_FOLD)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, str]]:
    data = json.loads(resources.files("newscrawl").joinpath("data/topics.json").read_text(encoding="utf-8"))
    terms: dict[str, str] = {}
    for topic in data["topics"]:
        for term in topic["terms"]:
            terms.setdefault(fold_keep(term), topic["id"])
    for subject in data.get("subjects", []):  # specific subjects win over topic terms
        for term in subject["terms"]:
            terms[fold_keep(term)] = subject["id"]
    return re.compile(rf"(?<!\w)(?:{trie_pattern(terms)})(?!\w)"), terms


@lru_cache(maxsize=1)
def subject_ids() -> frozenset[str]:
    data = json.loads(resources.files("newscrawl").joinpath("data/topics.json").read_text(encoding="utf-8"))
    return frozenset(subject["id"] for subject in data.get("subjects", []))


def subject_mentions(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, subject or topic id) of every term in the sentence."""
    pattern, terms = _matcher()
    return [(m.start(), m.end(), terms[m.group(0)]) for m in pattern.finditer(fold_keep(sentence))]


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]|\s-\s|\bnhưng\b|\btrong khi\b|\bwhile\b|\bbut\b")


@lru_cache(maxsize=256)
def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding [start, end): between the nearest breaks around it."""
    left = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = match.end()
    after = _CLAUSE_BREAK.search(sentence, end)
    # A range dash or a decimal comma inside a number is no break: the
    # quantity's own span is skipped by starting the search at its end.
    return left, after.start() if after else len(sentence)


def subject_of(sentence: str, start: int, end: int, mentions) -> str | None:
    """The nearest subject term: in the clause first, then in the sentence."""
    clause = clause_span(sentence, start, end)
    specific = subject_ids()

    def distance(mention):
        m_start, m_end, _ = mention
        return start - m_end if m_end <= start else (m_start - end) * 1.5  # before the number reads better

    for scope in (clause, (0, len(sentence))):
        inside = [m for m in mentions if m[0] >= scope[0] and m[1] <= scope[1]]
        for pool in ([m for m in inside if m[2] in specific], inside):
            if pool:
                return min(pool, key=distance)[2]
    return None


_PLANNED = re.compile(
    r"(?i)(?<!\w)(?:sẽ|dự kiến|kế hoạch|mục tiêu|phấn đấu|đặt mục tiêu|đề xuất|quy hoạch|nghiên cứu|"
    r"tầm nhìn|định hướng|cam kết|hướng tới|dự án|chuẩn bị|đăng ký|kêu gọi|tối đa|"
    r"will|plans?|planned|target(?:s|ed)?|aims?|expected|proposed|pledged|commit(?:s|ted)?|"
    r"would|intends?|set to|is to|by \d{4})(?!\w)"
)
_DONE = re.compile(
    r"(?i)(?<!\w)(?:đã|đạt|đạt được|hoàn thành|vận hành|đưa vào|phát điện|hiện có|hiện|"
    r"tăng|giảm|ghi nhận|giải ngân|was|were|has|have|had|reached|completed|achieved|"
    r"operates|operating|installed|recorded|rose|fell)(?!\w)"
)
_TARGET_YEAR = re.compile(
    r"(?i)(?<!\w)(?:đến(?: hết)?(?: năm)?|trước(?: năm)?|vào(?: năm)?|tới(?: năm)?|tầm nhìn(?: đến)?(?: năm)?|"
    r"giai đoạn \d{4}\s*[-–]\s*|by|before|until|in)\s*(20[2-9]\d)(?!\d)"
)


def plan_of(sentence: str, start: int, end: int) -> tuple[bool, int | None]:
    """(planned, target year) of the quantity at [start, end)."""
    c_start, c_end = clause_span(sentence, start, end)
    clause = sentence[c_start:c_end]
    if _PLANNED.search(clause):
        planned = True
    elif _DONE.search(clause):
        planned = False
    else:
        planned = bool(_PLANNED.search(sentence) or _TARGET_YEAR.search(sentence))
    if not planned:
        return False, None
    years = [(abs(m.start() - start), int(m.group(1))) for m in _TARGET_YEAR.finditer(sentence)]
    in_clause = [(abs(m.start() - start) // 4, int(m.group(1))) for m in _TARGET_YEAR.finditer(clause)]
    best = min(in_clause or years, default=None)
    return True, best[1] if best else None
