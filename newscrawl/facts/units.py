"""Units and scale words, and what each normalises to.

Every printed unit maps to one of the five kinds and its canonical unit:
capacity in MW (kW, GW and the peak units kWp/MWp/GWp alike), energy in
MWh (storage and generation kept apart from capacity), money in VND or
USD, emissions in tCO2e, area in ha (km2 counted in hectares), shares in %.
"""

from __future__ import annotations

import re

from ..analysis.scan import lower_same_length, word_search

# Rough euro-to-dollar rate so that euro pledges sum with dollar ones; the
# amount as printed stays in the fact's `printed`.
EUR_TO_USD = 1.1

SCALES = {
    "vi": {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "nghìn tỉ": 1e12, "ngàn tỉ": 1e12, "tỷ": 1e9, "tỉ": 1e9,
           "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3},
    "en": {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "thousand": 1e3},
}

# Printed unit (regex) -> (kind, canonical unit, factor). Longer forms first.
_CAPACITY = [
    (r"[Kk]Wp", "capacity", "MW", 1e-3), (r"MWp", "capacity", "MW", 1.0), (r"GWp", "capacity", "MW", 1e3),
    (r"[Kk]Wh", "capacity", "MWh", 1e-3), (r"MWh", "capacity", "MWh", 1.0), (r"GWh", "capacity", "MWh", 1e3),
    (r"TWh", "capacity", "MWh", 1e6),
    (r"[Kk]W", "capacity", "MW", 1e-3), (r"MW", "capacity", "MW", 1.0), (r"GW", "capacity", "MW", 1e3),
    (r"megawatts?", "capacity", "MW", 1.0), (r"gigawatts?", "capacity", "MW", 1e3),
    (r"kilowatts?", "capacity", "MW", 1e-3),
]
_CO2 = r"(?:CO2|CO₂)(?:e|-e|eq)?"
_EMISSIONS_VI = [
    (rf"tấn\s+(?:khí\s+)?(?:{_CO2}|các-bon|carbon|cacbon|khí\s+nhà\s+kính)(?:\s+tương\s+đương)?",
     "emissions", "tCO2e", 1.0),
    (rf"t{_CO2}", "emissions", "tCO2e", 1.0), (rf"Mt{_CO2}", "emissions", "tCO2e", 1e6),
]
_EMISSIONS_EN = [
    (rf"(?:metric\s+)?(?:tonnes|tons|tonne|ton)\s+of\s+(?:{_CO2}|carbon\s+dioxide|carbon|greenhouse\s+gas(?:es)?)"
     r"(?:\s+equivalent)?(?:\s+emissions)?", "emissions", "tCO2e", 1.0),
    (rf"(?:tonnes|tons)\s+{_CO2}", "emissions", "tCO2e", 1.0),
    (rf"t{_CO2}", "emissions", "tCO2e", 1.0), (rf"Mt{_CO2}", "emissions", "tCO2e", 1e6),
]
_AREA_VI = [
    (r"(?:ha|héc-ta|hécta|héc\s+ta|hecta)", "area", "ha", 1.0),
    (r"(?:km2|km²|ki-lô-mét\s+vuông|kilômét\s+vuông)", "area", "ha", 100.0),
]
_AREA_EN = [
    (r"(?:hectares?|ha)", "area", "ha", 1.0),
    (r"(?:km2|km²|square\s+kilometres?|square\s+kilometers?|sq\s+km)", "area", "ha", 100.0),
]
_MONEY_VI = [
    (r"(?:đồng|VNĐ|VND|đ)", "money", "VND", 1.0),
    (r"(?:USD|đô\s+la\s+Mỹ|đô\s+la|đôla|US\$)", "money", "USD", 1.0),
    (r"(?:EUR|euro|Euro)", "money", "USD", EUR_TO_USD),
]
_MONEY_EN = [
    (r"(?:dong|VND)", "money", "VND", 1.0),
    (r"(?:USD|US\s+dollars|dollars)", "money", "USD", 1.0),
    (r"(?:EUR|euros?)", "money", "USD", EUR_TO_USD),
]
_PERCENT = {"vi": [(r"(?:%|phần\s+trăm)", "percent", "%", 1.0)],
            "en": [(r"(?:%|percent|per\s+cent)", "percent", "%", 1.0)]}

UNITS = {
    "vi": _CAPACITY + _EMISSIONS_VI + _AREA_VI + _MONEY_VI + _PERCENT["vi"],
    "en": _CAPACITY + _EMISSIONS_EN + _AREA_EN + _MONEY_EN + _PERCENT["en"],
}

# Currency written before the number (English pages, some Vietnamese ones).
PREFIX_CURRENCIES = {"US$": ("USD", 1.0), "$": ("USD", 1.0), "USD": ("USD", 1.0), "VND": ("VND", 1.0),
                     "€": ("USD", EUR_TO_USD), "EUR": ("USD", EUR_TO_USD)}

# Scale words that make an amount money even with no currency after them
# ("vốn 50.000 tỷ"), when the sentence speaks of money.
BARE_MONEY_SCALES = {"vi": {"tỷ", "tỉ", "nghìn tỷ", "ngàn tỷ", "nghìn tỉ", "ngàn tỉ"}, "en": set()}
# Matched on the lower-cased sentence at word starts (has_money_cue).
MONEY_CUES = {
    "vi": re.compile(r"(?:vốn|đầu tư|kinh phí|chi phí|ngân sách|doanh thu|giá trị|tài trợ|"
                     r"huy động|giải ngân|cho vay|tín dụng|trái phiếu|gói|khoản|dành|chi|bố trí|phân bổ|rót|tổng mức)\b"),
    "en": re.compile(r"(?!)"),
}


def has_money_cue(sentence: str, language: str) -> bool:
    """Does the sentence speak of money (capital, investment, budget...)?"""
    return word_search(MONEY_CUES[language], lower_same_length(sentence)) is not None


def unit_alternation(language: str) -> str:
    """One regex group per unit, in table order, named u0, u1, ..."""
    return "|".join(f"(?P<u{i}>{regex})" for i, (regex, *_rest) in enumerate(UNITS[language]))


def unit_of(language: str, index: int) -> tuple[str, str, float]:
    """(kind, canonical unit, factor) of the unit matched by group u<index>."""
    _regex, kind, unit, factor = UNITS[language][index]
    return kind, unit, factor


def scale_alternation(language: str) -> str:
    words = sorted(SCALES[language], key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


def scale_of(language: str, printed: str | None) -> float:
    if not printed:
        return 1.0
    return SCALES[language][" ".join(printed.split()).lower()]
