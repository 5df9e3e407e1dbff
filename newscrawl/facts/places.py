"""Provinces and cities a text names, each mapped to its current province.

Vietnam merged 63 provinces into 34 in 2025. The names before and after,
and which old province went into which new one, come from the
`vietnamadminunits` package's data, so an article about Ninh Thuận in 2024
and one about Khánh Hòa in 2026 count together. Precision comes first: a
name after a surname (Nguyễn Hòa Bình), inside a longer name (Thái Bình
Dương) or naming a ward, district or street (phường Hòa Bình) is no
province, and Hồ Chí Minh counts only as the city (TP. Hồ Chí Minh).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

from ..analysis.scan import word_matches
from ..analysis.text import old_tone_style
from ..analysis.topics import trie_pattern
from .subjects import fold_keep

# Spellings the press uses that the package does not list, to the package's name.
ALIASES = {"Thừa Thiên Huế": "Huế", "Thừa Thiên - Huế": "Huế", "Đắc Lắc": "Đắk Lắk", "Daklak": "Đắk Lắk",
           "TP.HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh", "TP HCM": "Hồ Chí Minh", "TP. HCM": "Hồ Chí Minh",
           "HCMC": "Hồ Chí Minh", "HCM City": "Hồ Chí Minh", "Ho Chi Minh City": "Hồ Chí Minh",
           "Sài Gòn": "Hồ Chí Minh", "Saigon": "Hồ Chí Minh"}
# Names that are also a person's or a leader's: counted only after a city word.
CITY_WORD_ONLY = {"Hồ Chí Minh"}
_CITY_WORD = re.compile(r"(?:TP\.?|Tp\.?|tp\.?|[Tt]hành phố|City of)\s*$")
_SUBUNIT = re.compile(r"(?<!\w)(?:phường|xã|quận|huyện|thị xã|thị trấn|đường|(?<![Tt]hành )phố|sông|hẻm|ấp|thôn|bến xe|ga|"
                      r"ward|district|street|commune|river|station)\s*$", re.IGNORECASE)
_SURNAMES = set("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Văn Thị Đức Hữu Công "
                "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Van Thi Duc Huu".split())
_HONORIFICS = set("Mr Ms Mrs Dr ông bà anh chị Ông Bà Anh Chị".split())
_LONGER = re.compile(r"\s+(?:Dương|Duong)\b")  # Thái Bình Dương, the Pacific


def _package_data(name: str) -> dict:
    spec = importlib.util.find_spec("vietnamadminunits")  # read its data without importing its geo stack
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("vietnamadminunits is needed for place names (pip install vietnamadminunits)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return json.loads((folder / "data" / f"{name}.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]


@lru_cache(maxsize=1)
def province_map() -> dict[str, str]:
    """Every province name, old (63) and current (34), to its current name."""
    current = _package_data("parser_from_2025")
    legacy = _package_data("parser_legacy")
    merged_into = _package_data("converter_2025")
    names: dict[str, str] = {}
    for new_key, old_keys in merged_into.items():
        new_name = current[new_key]["provinceShort"]
        names[new_name] = new_name
        for old_key in old_keys:
            old_name = legacy[old_key]["provinceShort"]
            names.setdefault(old_name, new_name)
            for part in old_name.split(" - ")[1:] if " - " in old_name else []:
                names.setdefault(part, new_name)  # Bà Rịa - Vũng Tàu is also written Vũng Tàu
            if " - " in old_name:
                names.setdefault(old_name.split(" - ")[0], new_name)
    for alias, name in ALIASES.items():
        names[alias] = names[name]
    return names


def current_province(name: str) -> str | None:
    """The current province of a name as printed (old or new), or None."""
    names = province_map()
    return names.get(name) or names.get(old_tone_style(name))


@lru_cache(maxsize=2)
def _pattern(language: str) -> tuple[re.Pattern, dict[str, str]]:
    keys: dict[str, str] = {}
    for name in province_map():
        keys[old_tone_style(name)] = name
        if language == "en":
            plain = fold_keep_case(name)
            keys.setdefault(plain, name)
            words = plain.split()
            if len(words) > 1 and "-" not in plain:
                keys.setdefault(words[0] + "".join(w.lower() for w in words[1:]), name)  # Hanoi, Danang
    body = trie_pattern(keys).replace(r"\ ", r"\s+")  # longest name first, spaces as printed
    return re.compile(rf"(?:{body})(?!\w)"), keys  # at word starts, not after a dot: find_places


def fold_keep_case(text: str) -> str:
    """Accents off, case kept, same length."""
    folded = fold_keep(text)
    return "".join(f.upper() if c.isupper() else f for c, f in zip(text, folded))


def _rejected(text: str, start: int, end: int, name: str) -> bool:
    before = text[max(0, start - 24):start]
    if name in CITY_WORD_ONLY and not _CITY_WORD.search(before):
        return True
    if _SUBUNIT.search(before) or _LONGER.match(text, end):
        return True
    previous = before.split()[-1].rstrip(".") if before.split() else ""
    if previous in _HONORIFICS:
        return True
    return previous in _SURNAMES and not before.rstrip().endswith((",", ".", ";", ":"))


def find_places(text: str, language: str = "vi") -> list[dict]:
    """Each province mention: printed, current province, start, end."""
    pattern, keys = _pattern("en" if language == "en" else "vi")
    haystack = old_tone_style(text)
    if language == "en":
        haystack = fold_keep_case(haystack)
    found = []
    for match in word_matches(pattern, haystack, also="."):
        name = keys[" ".join(match.group(0).split())]
        start, end = match.span()
        if _rejected(haystack, start, end, name):
            continue
        found.append({"printed": text[start:end], "province": province_map()[name], "start": start, "end": end})
    return found
