"""Find the quantities of a sentence: a number, its scale word and its unit.

A bare number is no fact: only one followed by a unit (or, for money, led
by a currency sign or a scale word in a sentence about money) is. Unit
prices (`20.000 đồng/lít`, `2 tỷ đồng mỗi MW`) are not amounts and are
skipped; a range (`1.000 - 1.500 MW`) gives both of its ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..analysis.scan import lower_same_length, word_matches, word_search
from . import units
from .numbers import clean_value, parse_number, pattern


@dataclass
class Quantity:
    kind: str
    value: float | int
    unit: str
    printed: str
    start: int
    end: int


_DIGITS = re.compile(r"\d+")
_PER_UNIT = re.compile(
    r"\s*/\s*(?!năm\b|year\b)[^\W\d]|\s+(?:mỗi|một|per|each|a)\s+(?!năm\b|year\b)[^\W\d]", re.IGNORECASE
)
# The price of one thing ("suất ăn có giá 150.000 đồng") is no amount; "giá trị" (value) is.
_PRICE_BEFORE = re.compile(r"(?i)(?<!\w)(?:giá(?!\s+trị)(?:\s+(?:là|khoảng|chỉ|từ|bán|niêm yết|mỗi))?|priced\s+at|price\s+of)\s*$")
# A rate per thing, said before the number ("Mỗi héc-ta rừng hấp thụ 10 tấn CO2") or
# just after its unit ("5 triệu đồng cho mỗi hộ"); per year or month stays an amount.
_THINGS = (r"(?:héc-ta|hécta|hecta|ha|hectares?|hộ(?:\s+gia\s+đình)?|households?|người|persons?|tấn|tonnes?|tons?|"
           r"kg|kWp|MWp?|MWh|kWh|tín\s+chỉ|credits?|xe|vehicles?)")  # a turbine's MW is its size, kept
# Matched at word starts in the lower-cased sentence (analysis/scan.py).
_PER_THING_BEFORE = re.compile(rf"(?:mỗi|each|every|per|a|one)\s+{_THINGS.lower()}(?!\w)[^,;.]*$")
_PER_THING_AFTER = re.compile(r"(?i)\s+(?:cho|for|to)\s+(?:mỗi|each|every)\s")
_NOT_MONEY_DONG = re.compile(r"\s+(?:hồ|chí|bào|bằng|ruộng|lòng|thời|nghiệp|minh)\b")
# How far before a number the words that change its meaning ("giá", a range's
# low end) are looked for: searching the whole sentence each time cost more
# than the rest of the quantity's reading. The guards of both patterns look
# at the characters before the window, so a cut-off number is not misread.
_LOOK_BACK = 48
_RANGE_LOW = {
    language: re.compile(rf"({pattern(language)})\s*(?:-|–|—|đến|tới|to)\s*$")
    for language in ("vi", "en")
}


@lru_cache(maxsize=4)
def _suffix_regex(language: str) -> re.Pattern:
    return re.compile(
        rf"(?P<num>{pattern(language)})\s*(?:(?P<scale>{units.scale_alternation(language)})(?!\w)\s*)?"
        rf"(?:{units.unit_alternation(language)})?(?!\w)"
    )


@lru_cache(maxsize=4)
def _prefix_regex(language: str) -> re.Pattern:
    signs = "|".join(re.escape(sign) for sign in sorted(units.PREFIX_CURRENCIES, key=len, reverse=True))
    scales = units.scale_alternation(language) + ("|m" if language == "en" else "")
    return re.compile(rf"(?P<sign>{signs})\s?(?P<num>{pattern(language, left=False)})(?:\s*(?P<scale>{scales})(?!\w))?")


def _number_matches(regex: re.Pattern, sentence: str):
    """`regex.finditer` for a pattern that opens with a number: tried only where a run of digits starts.

    A number never starts inside a run of digits (its left guard forbids it),
    and the guarded pattern would be tried at every character otherwise.
    """
    resume = 0
    for run in _DIGITS.finditer(sentence):
        if run.start() < resume:
            continue
        match = regex.match(sentence, run.start())
        if match:
            resume = match.end()
            yield match


def _unit_index(match: re.Match) -> int | None:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("u"):
            return int(name[1:])
    return None


def _is_unit_price(sentence: str, end: int, start: int | None = None) -> bool:
    if _PER_UNIT.match(sentence, end) or _PER_THING_AFTER.match(sentence, end):
        return True
    if start is None:
        return False
    return word_search(_PER_THING_BEFORE, lower_same_length(sentence), max(0, start - 80), start) is not None


def _prefixed(sentence: str, language: str) -> list[Quantity]:
    found = []
    if not any(sign in sentence for sign in units.PREFIX_CURRENCIES):
        return found  # no currency sign at all: the usual case
    for match in word_matches(_prefix_regex(language), sentence):
        if _is_unit_price(sentence, match.end(), match.start()):
            continue
        unit, factor = units.PREFIX_CURRENCIES[match.group("sign")]
        scale_word = match.group("scale")
        scale = 1e6 if scale_word == "m" else units.scale_of(language, scale_word)
        value = parse_number(match.group("num"), language) * scale * factor
        found.append(Quantity("money", clean_value(value), unit, match.group(0), match.start(), match.end()))
    return found


def find_quantities(sentence: str, language: str = "vi") -> list[Quantity]:
    """The quantities of one sentence, in reading order."""
    language = "en" if language == "en" else "vi"
    found = _prefixed(sentence, language)
    taken = [(q.start, q.end) for q in found]
    for match in _number_matches(_suffix_regex(language), sentence):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        index = _unit_index(match)
        scale_word = match.group("scale")
        if index is None:
            bare = scale_word and " ".join(scale_word.split()) in units.BARE_MONEY_SCALES[language]
            if not bare or not units.has_money_cue(sentence, language):
                continue
            kind, unit, factor = "money", "VND", 1.0
        else:
            kind, unit, factor = units.unit_of(language, index)
            if unit == "VND" and _NOT_MONEY_DONG.match(sentence, end):
                continue
        if _is_unit_price(sentence, end, start) or (
                kind == "money" and _PRICE_BEFORE.search(sentence, max(0, start - _LOOK_BACK), start)):
            continue
        scale = units.scale_of(language, scale_word) * factor
        value = clean_value(parse_number(match.group("num"), language) * scale)
        low = _RANGE_LOW[language].search(sentence, max(0, start - _LOOK_BACK), start)
        if low:
            low_value = clean_value(parse_number(low.group(1), language) * scale)
            found.append(Quantity(kind, low_value, unit, sentence[low.start():end], low.start(), low.end(1)))
        found.append(Quantity(kind, value, unit, match.group(0).rstrip(), start, start + len(match.group(0).rstrip())))
    return sorted(found, key=lambda q: q.start)
