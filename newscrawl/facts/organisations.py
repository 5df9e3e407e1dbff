"""Companies and agencies named with a legal-form or agency word.

Precision first: a name counts only after a legal form (Tập đoàn, Tổng công
ty, Công ty CP, Ngân hàng...), as a ministry or department from the closed
list below, as `UBND tỉnh <province>`, or as one of the acronyms the press
uses for the big state groups (EVN, PVN, PV Power...). Two spellings of one
organisation get one name: `Công ty CP` is `Công ty Cổ phần`, `Bộ TN&MT` is
`Bộ Tài nguyên và Môi trường`, and `X (ABC)` teaches that ABC is X.
"""

from __future__ import annotations

import re

from ..analysis.scan import lower_same_length, starts_word, word_matches
from ..analysis.text import old_tone_style
from ..analysis.topics import trie_pattern
from .places import current_province, find_places

MINISTRIES = ["Công Thương", "Tài nguyên và Môi trường", "Nông nghiệp và Môi trường",
              "Nông nghiệp và Phát triển nông thôn", "Tài chính", "Kế hoạch và Đầu tư", "Xây dựng",
              "Giao thông vận tải", "Khoa học và Công nghệ", "Ngoại giao", "Tư pháp", "Y tế", "Nội vụ"]
_SHORT = {"TN&MT": "Tài nguyên và Môi trường", "TNMT": "Tài nguyên và Môi trường",
          "NN&PTNT": "Nông nghiệp và Phát triển nông thôn", "NN&MT": "Nông nghiệp và Môi trường",
          "KH&ĐT": "Kế hoạch và Đầu tư", "KH&CN": "Khoa học và Công nghệ", "GTVT": "Giao thông vận tải",
          "Công thương": "Công Thương"}
# Acronyms and English names the press uses alone, to one Vietnamese name.
KNOWN = {
    "EVN": "Tập đoàn Điện lực Việt Nam", "Vietnam Electricity": "Tập đoàn Điện lực Việt Nam",
    "EVNNPT": "Tổng công ty Truyền tải điện Quốc gia", "PVN": "Tập đoàn Dầu khí Việt Nam",
    "Petrovietnam": "Tập đoàn Dầu khí Việt Nam", "PetroVietnam": "Tập đoàn Dầu khí Việt Nam",
    "PV Power": "Tổng công ty Điện lực Dầu khí Việt Nam", "PV GAS": "Tổng công ty Khí Việt Nam",
    "TKV": "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam", "Vinacomin": "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam",
    "World Bank": "Ngân hàng Thế giới", "Asian Development Bank": "Ngân hàng Phát triển châu Á",
    "ADB": "Ngân hàng Phát triển châu Á", "MoIT": "Bộ Công Thương", "MOIT": "Bộ Công Thương",
    "Ministry of Industry and Trade": "Bộ Công Thương",
    "Ministry of Natural Resources and Environment": "Bộ Tài nguyên và Môi trường",
    "MONRE": "Bộ Tài nguyên và Môi trường", "Ministry of Agriculture and Environment": "Bộ Nông nghiệp và Môi trường",
    "Ministry of Finance": "Bộ Tài chính", "Ministry of Planning and Investment": "Bộ Kế hoạch và Đầu tư",
    "Ministry of Construction": "Bộ Xây dựng", "State Bank of Vietnam": "Ngân hàng Nhà nước Việt Nam",
    "Ngân hàng Nhà nước": "Ngân hàng Nhà nước Việt Nam",
}
_LEGAL = {"tập đoàn": "Tập đoàn", "tổng công ty": "Tổng công ty", "công ty cổ phần": "Công ty Cổ phần",
          "công ty cp": "Công ty Cổ phần", "công ty tnhh mtv": "Công ty TNHH MTV", "công ty tnhh": "Công ty TNHH",
          "công ty": "Công ty", "ngân hàng tmcp": "Ngân hàng TMCP", "ngân hàng": "Ngân hàng",
          "hiệp hội": "Hiệp hội", "viện": "Viện", "quỹ": "Quỹ", "ban quản lý": "Ban Quản lý"}
_LEGAL_RE = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _LEGAL), key=len, reverse=True))
_WORD = r"[^\W_][\w&.'-]*"
_STOP = set("cho biết đã sẽ đang vừa là của với tại được có trong theo để về năm ngày từ đến khi thì này các "
            "những một cũng vào ra ở không mới hiện và hoặc như nhằm cùng sau trước bị do vì nên đạt "
            "tăng giảm ký lắp".split())
_ABBREVIATIONS = {"TP", "Tp", "CP", "Co", "Ltd", "Corp", "Inc", "St"}
_CAPITAL_PREFIX = ("Bộ", "Sở", "Tập", "Tổng", "Công", "UBND", "Ngân", "Ủy")
_MINISTRY_RE = "|".join(re.escape(m) for m in sorted(MINISTRIES + list(_SHORT), key=len, reverse=True))
# The patterns below are scanned with word_matches (analysis/scan.py), which checks
# that each starts a word: no leading (?<!\w) in them.
_AGENCY = re.compile(rf"(?P<kind>Bộ|Sở)\s+(?P<dept>{_MINISTRY_RE})(?!\w)")
_UBND = re.compile(r"(?P<body>UBND|HĐND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân)\s+(?P<level>tỉnh|thành\s+phố|TP\.?)?\s*")
_LEGAL_START = re.compile(rf"(?P<legal>(?i:{_LEGAL_RE}))\s+(?=[A-ZĐÀ-Ỹ0-9])")
# Where _LEGAL_START may match: a legal form in the lower-cased text (a fast scan; see _legal_starts).
_LEGAL_CANDIDATE = re.compile(trie_pattern(_LEGAL).replace(r"\ ", r"\s+"))
_BQL = re.compile(r"Ban\s+[Qq]uản\s+lý\s+(?:các\s+)?(?:khu\s+(?:công\s+nghệ\s+cao|công\s+nghiệp|kinh\s+tế|chế\s+xuất)"
                  r"(?:\s+và\s+khu\s+kinh\s+tế)?|KCN|KKT)\s+(?=[A-ZĐÀ-Ỹ])")
# Lowercase syllables that end a compound inside a name (Thế giới, Quốc gia, Điện lực, Dầu khí).
_NAME_ENDINGS = set("giới gia tế lực khí sản trường nghiệp thông hội nước may".split())
_EN_SUFFIX = re.compile(r"((?:[A-Z][a-z]+\s+){1,4})(Group|Corporation|Joint\s+Stock\s+Company|JSC)(?!\w)")
_KNOWN = re.compile(rf"(?:{trie_pattern(KNOWN)})(?![\w-])")
_PAREN = re.compile(r"\s*\(\s*(?P<abbr>[A-ZĐ][A-Za-zĐ0-9&]{1,11})\s*\)")


def _is_capital(token: str) -> bool:
    return token[:1].isupper() or (token.isdigit() and len(token) <= 2)


def _name_tokens(text: str, start: int) -> int:
    """End of a proper name starting at `start`: capitalised words, with short lowercase runs inside."""
    tokens = list(re.finditer(_WORD, text[start:start + 160]))
    end, lower_run, previous_end = None, 0, 0
    for index, token in enumerate(tokens):
        gap = text[start + previous_end:start + token.start()]
        if index and (gap.strip() or "\n" in gap):
            break  # punctuation ends the name
        word = token.group(0).rstrip(".")
        if word.isdigit() and lower_run > 1:
            break  # "Khí Việt Nam nhập khẩu 1 triệu tấn": an amount, not "Phát điện 3"
        if _is_capital(word):
            if lower_run and word.startswith(_CAPITAL_PREFIX) and word != "Công":
                break  # "EVN và Bộ Công Thương": a second organisation
            end, lower_run = start + token.start() + len(word), 0
            if token.group(0).endswith(".") and word not in _ABBREVIATIONS:
                break  # a full stop ends the sentence and the name
        elif word.lower() in _STOP and not (word == "và" and index + 1 < len(tokens) and tokens[index + 1].group(0)
                                              [:1].isupper() and not tokens[index + 1].group(0).isupper()
                                              and not tokens[index + 1].group(0).startswith(_CAPITAL_PREFIX)):
            break
        elif word[:1].isdigit():
            break  # an amount ("Hòa Phát đầu tư 8.000 tỷ") ends the name
        else:
            lower_run += 1
            if lower_run == 1 and word in _NAME_ENDINGS and end == start + token.start() - len(gap):
                end, lower_run = start + token.start() + len(word), 0
            elif lower_run > 4:
                break
        previous_end = token.start() + len(token.group(0))
        if index >= 9:
            break
    return end if end is not None else start


def _clean(name: str) -> str:
    return " ".join(name.replace("Tổng Công ty", "Tổng công ty").split())


def _legal_starts(text: str):
    """`_LEGAL_START`'s matches at word starts, tried only where the lower-cased text has a legal form.

    Its case-blind group makes a plain scan try every position; the
    candidates come from a case-free scan of the lower-cased text instead.
    """
    lowered = lower_same_length(text)
    position = 0
    while candidate := _LEGAL_CANDIDATE.search(lowered, position):
        match = _LEGAL_START.match(text, candidate.start()) if starts_word(text, candidate.start()) else None
        if match:
            yield match
            position = match.end()
        else:
            position = candidate.start() + 1


def _legal_names(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _legal_starts(text):
        legal = _LEGAL[" ".join(match.group("legal").lower().split())]
        end = _name_tokens(text, match.end())
        if end <= match.end():
            continue
        tail = text[match.end():end]
        if legal == "Ban Quản lý" and not re.match(r"(?i)(?:các\s+)?(?:khu|dự án)", tail):
            continue
        found.append((match.start(), end, _clean(f"{legal} {tail}")))
    return found


def _agencies(text: str, places: list[dict]) -> list[tuple[int, int, str]]:
    found = []
    for match in word_matches(_BQL, text):
        end = _name_tokens(text, match.end())
        if end > match.end():
            found.append((match.start(), end, _clean(text[match.start():end])))
    for match in word_matches(_AGENCY, text):
        dept = _SHORT.get(match.group("dept"), match.group("dept"))
        name, end = f"{match.group('kind')} {dept}", match.end()
        if match.group("kind") == "Sở":
            place = next((p for p in places if 0 <= p["start"] - end <= 12 and
                          re.fullmatch(r"\s*(?:tỉnh|thành phố|TP\.?)?\s*", text[end:p["start"]])), None)
            if place:
                name, end = f"{name} {place['province'] if place['printed'] == 'TP.HCM' else place['printed']}", place["end"]
        found.append((match.start(), end, name))
    for match in word_matches(_UBND, text):
        level_start = match.start("level") if match.group("level") else match.end()
        place = next((p for p in places if level_start <= p["start"] <= match.end()), None)
        if place:
            city = match.group("level") and not match.group("level").startswith("tỉnh")
            level = "TP." if city or place["province"] in {"Hồ Chí Minh"} else "tỉnh"
            body = "HĐND" if match.group("body") in ("HĐND", "Hội đồng nhân dân") else "UBND"
            found.append((match.start(), place["end"], f"{body} {level} {current_name(place['printed'])}"))
    return found


def current_name(printed: str) -> str:
    """A province as printed, with only its spelling normalised (TP.HCM -> Hồ Chí Minh)."""
    return current_province(printed) if printed.startswith(("TP", "HCM", "Sài")) else old_tone_style(printed)


def find_organisations(text: str, language: str = "vi", places: list[dict] | None = None) -> list[dict]:
    """Each organisation mention: printed, normalised name, start, end."""
    haystack = old_tone_style(text)
    places = find_places(text, language) if places is None else places
    spans = _agencies(haystack, places) + [(s, e, KNOWN.get(n, n)) for s, e, n in _legal_names(haystack)]
    for match in word_matches(_KNOWN, haystack, also="-"):
        spans.append((match.start(), match.end(), KNOWN[match.group(0)]))
    if language == "en":
        for match in word_matches(_EN_SUFFIX, haystack, also="-"):
            if not match.group(1).startswith(("The ", "A ")):
                spans.append((match.start(), match.end(), " ".join(match.group(0).split())))
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue  # inside a longer name already taken
        kept.append(span)
    learned = {}
    for start, end, name in kept:
        paren = _PAREN.match(haystack, end)
        if paren and paren.group("abbr") not in KNOWN:
            learned[paren.group("abbr")] = name
    for abbr, name in learned.items():
        for match in word_matches(re.compile(rf"{re.escape(abbr)}(?![\w-])"), haystack, also="(-"):
            if not any(s <= match.start() < e for s, e, _ in kept):
                kept.append((match.start(), match.end(), name))
    kept.sort()
    return [{"printed": text[s:e], "name": name, "start": s, "end": e} for s, e, name in kept]
