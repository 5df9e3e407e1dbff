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

from ..analysis.scan import lower_same_length, word_matches
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
    return re.compile(rf"(?:{trie_pattern(terms)})(?!\w)"), terms  # at word starts: subject_mentions


@lru_cache(maxsize=1)
def subject_ids() -> frozenset[str]:
    data = json.loads(resources.files("newscrawl").joinpath("data/topics.json").read_text(encoding="utf-8"))
    return frozenset(subject["id"] for subject in data.get("subjects", []))


def subject_mentions(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, subject or topic id) of every term in the sentence."""
    pattern, terms = _matcher()
    return [(m.start(), m.end(), terms[m.group(0)]) for m in word_matches(pattern, fold_keep(sentence))]


# A break is punctuation, a spaced dash or a "but" word.
_PUNCTUATION_BREAK = re.compile(r"[,;:()\[\]–—]")
_WORD_BREAK = re.compile(r"(?:nhưng|trong khi|while|but)(?!\w)")  # at word starts
_DASH_BREAK = re.compile(r"\s-\s")


@lru_cache(maxsize=256)
def _breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    spans = [match.span() for match in _PUNCTUATION_BREAK.finditer(sentence)]
    if "-" in sentence:
        spans += [match.span() for match in _DASH_BREAK.finditer(sentence)]
    if any(word in sentence for word in ("nhưng", "trong khi", "while", "but")):
        spans += [match.span() for match in word_matches(_WORD_BREAK, sentence)]
    return tuple(sorted(spans))


def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding [start, end): between the nearest breaks around it.

    A range dash or a decimal comma inside the number is no break: only
    breaks ending before the quantity or starting after it count.
    """
    left, right = 0, len(sentence)
    for b_start, b_end in _breaks(sentence):
        if b_end <= start:
            left = b_end
        elif b_start >= end:
            right = b_start
            break
    return left, right


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


# Words that make a quantity a plan, or something done. Matched on the lower-cased
# sentence, at word starts (analysis/scan.py), as one prefix tree: a plain
# alternation of thirty words is tried word by word at every character.
PLAN_WORDS = (
    "sẽ", "dự kiến", "kế hoạch", "mục tiêu", "phấn đấu", "đặt mục tiêu", "đề xuất", "quy hoạch", "nghiên cứu",
    "tầm nhìn", "định hướng", "cam kết", "hướng tới", "dự án", "chuẩn bị", "đăng ký", "kêu gọi", "tối đa",
    "will", "plan", "plans", "planned", "target", "targets", "targeted", "aim", "aims", "expected", "proposed",
    "pledged", "commit", "commits", "committed", "would", "intend", "intends", "set to", "is to",
)
DONE_WORDS = (
    "đã", "đạt", "đạt được", "hoàn thành", "vận hành", "đưa vào", "phát điện", "hiện có", "hiện", "tăng", "giảm",
    "ghi nhận", "giải ngân", "was", "were", "has", "have", "had", "reached", "completed", "achieved", "operates",
    "operating", "installed", "recorded", "rose", "fell",
)
_PLANNED = re.compile(rf"(?:{trie_pattern(PLAN_WORDS)}|by \d{{4}})(?!\w)")
_DONE = re.compile(rf"(?:{trie_pattern(DONE_WORDS)})(?!\w)")
_TARGET_YEAR = re.compile(
    r"(?:đến(?: hết)?(?: năm)?|trước(?: năm)?|vào(?: năm)?|tới(?: năm)?|tầm nhìn(?: đến)?(?: năm)?|"
    r"giai đoạn \d{4}\s*[-–]\s*|by|before|until|in)\s*(20[2-9]\d)(?!\d)"
)


@lru_cache(maxsize=256)
def _spans(pattern: re.Pattern, sentence: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, last group or "") of the pattern's matches in the lower-cased sentence."""
    return tuple((m.start(), m.end(), m.group(m.lastindex or 0)) for m in word_matches(pattern, lower_same_length(sentence)))


def plan_of(sentence: str, start: int, end: int) -> tuple[bool, int | None]:
    """(planned, target year) of the quantity at [start, end)."""
    c_start, c_end = clause_span(sentence, start, end)

    def in_clause(span) -> bool:
        return c_start <= span[0] and span[1] <= c_end

    planned_words = _spans(_PLANNED, sentence)
    if any(in_clause(span) for span in planned_words):
        planned = True
    elif any(in_clause(span) for span in _spans(_DONE, sentence)):
        planned = False
    else:
        planned = bool(planned_words or _spans(_TARGET_YEAR, sentence))
    if not planned:
        return False, None
    years = [(y_start, y_end, int(year)) for y_start, y_end, year in _spans(_TARGET_YEAR, sentence)]
    in_the_clause = [(abs(y_start - start) // 4, year) for y_start, y_end, year in years if in_clause((y_start, y_end))]
    best = min(in_the_clause or [(abs(y_start - start), year) for y_start, _, year in years], default=None)
    return True, best[1] if best else None
