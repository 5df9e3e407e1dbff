"""Policy documents a text cites, one id per document.

Government symbols keep their printed shape (`06/2022/NĐ-CP`,
`500/QĐ-TTg`); Party documents get their official one (`57-NQ/TW`), which
the press also prints as `57/NQ-TW`; laws are `Luật <name> <year>` or their
symbol `72/2020/QH14`. English pages write ND/QD without the Đ, and
"Decree", "Decision", "Resolution". A named plan ("Quy hoạch điện VIII",
PDP8) takes the id of the decision the sentence says approved it, and every
other mention of it in the text follows.
"""

from __future__ import annotations

import re

from ..analysis.scan import word_matches
from ..analysis.text import old_tone_style

TYPES = {"NĐ": "Nghị định", "QĐ": "Quyết định", "NQ": "Nghị quyết", "TT": "Thông tư", "CT": "Chỉ thị",
         "KL": "Kết luận", "TB": "Thông báo", "TTLT": "Thông tư liên tịch", "CĐ": "Công điện", "QH": "Luật"}
_LEAD_TYPES = {"Nghị định", "Quyết định", "Nghị quyết", "Thông tư", "Chỉ thị", "Kết luận", "Thông báo", "Công điện"}
_UNACCENTED = {"ND": "NĐ", "QD": "QĐ", "CD": "CĐ"}
PARTY_ISSUERS = {"TW", "TƯ", "TU", "ĐU", "BCS"}
_TYPE_WORDS = (r"(?:Nghị\s+định|Quyết\s+định|Nghị\s+quyết|Thông\s+tư(?:\s+liên\s+tịch)?|Chỉ\s+thị|Kết\s+luận|"
               r"Thông\s+báo|Công\s+điện|Luật|Decree|Decision|Resolution|Circular|Directive|Conclusion|Law)"
               r"(?:\s+(?:số|No\.?|number))?\s*")
_SYMBOL = re.compile(
    rf"(?P<lead>{_TYPE_WORDS})?(?<![\w/.-])(?:"
    r"(?P<num>\d{1,5})(?:/(?P<year>(?:19|20)\d{2}))?/(?P<type>TTLT|[A-ZĐ]{2})-(?P<issuer>[A-ZĐƯ][A-Za-zĐđƯ]{0,9})"
    r"|(?P<pnum>\d{1,4})-(?P<ptype>NQ|CT|KL|QĐ|QD|TB)/(?P<pissuer>TW|TƯ|TU|ĐU|BCS)"
    r"|(?P<lnum>\d{1,3})/(?P<lyear>(?:19|20)\d{2})/(?P<lissuer>QH\d{2})"
    r")(?![\w/])"
)
# Every symbol has a number then `/` and a type or a year, or `-NQ/`: a quick scan for that
# spares most texts the full pattern, whose optional leading type word is tried everywhere.
_SYMBOL_HINT = re.compile(r"\d(?:/(?:TTLT|[A-ZĐ]{2}|(?:19|20)\d\d)|-(?:NQ|CT|KL|QĐ|QD|TB)/)")
# _LAW, _LAW_EN and _PLAN are scanned with word_matches (analysis/scan.py): no leading guard.
_LAW = re.compile(r"Luật\s+(?P<name>[A-ZĐ][^\W\d_]*(?:\s+[^\W\d_]+){0,6}?)\s+(?:năm\s+)?(?P<year>(?:19|20)\d{2})"
                  r"(?![\d/])")
_LAW_EN = re.compile(r"(?:the\s+)?Law\s+on\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Za-z]+){0,5}?)\s+(?:of\s+)?"
                     r"(?P<year>(?:19|20)\d{2})(?![\d/])")
_PLAN = re.compile(r"(?:Quy\s+hoạch\s+(?:phát\s+triển\s+)?[đĐ]iện\s+(?:VIII|8)|QHĐ\s*(?:VIII|8)|"
                   r"Power\s+Development\s+Plan\s+(?:VIII|8)|PDP\s*(?:VIII|8))(?!\w)")
PLAN_NAME = "Quy hoạch điện VIII"
_DATE_YEAR = re.compile(r"ngày\s+\d{1,2}[/-]\d{1,2}[/-]((?:19|20)\d{2})|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+"
                        r"((?:19|20)\d{2})|dated\s+\w+\s+\d{1,2},?\s+((?:19|20)\d{2})")
_APPROVES = re.compile(r"phê\s+duyệt|ban\s+hành|approv|\(\s*$|^\s*\)|theo\s*$|tại\s*$", re.IGNORECASE)


def _symbol_document(match: re.Match, text: str) -> dict:
    if match.group("lnum"):
        number, year, kind, issuer = int(match.group("lnum")), int(match.group("lyear")), "QH", match.group("lissuer")
        doc_id = f"{number}/{year}/{issuer}"
    elif match.group("pnum"):
        kind = _UNACCENTED.get(match.group("ptype"), match.group("ptype"))
        issuer = "TW" if match.group("pissuer") == "TƯ" else match.group("pissuer")
        number, year = int(match.group("pnum")), None
        doc_id = f"{number:02d}-{kind}/{issuer}"
    else:
        kind = _UNACCENTED.get(match.group("type"), match.group("type"))
        issuer = "TW" if match.group("issuer") == "TƯ" else match.group("issuer")
        number = int(match.group("num"))
        year = int(match.group("year")) if match.group("year") else None
        if issuer in PARTY_ISSUERS:  # 57/NQ-TW is how the press writes 57-NQ/TW
            doc_id = f"{number:02d}-{kind}/{issuer}"
        else:
            doc_id = f"{number:02d}/{year}/{kind}-{issuer}" if year else f"{number:02d}/{kind}-{issuer}"
    if year is None:
        dated = _DATE_YEAR.match(text, match.end()) or _DATE_YEAR.search(text[match.end():match.end() + 40])
        if dated:
            year = int(next(group for group in dated.groups() if group))
    if kind not in TYPES:
        return {}
    lead = " ".join((match.group("lead") or "").split()[:2])
    doc_type = lead if lead in _LEAD_TYPES else TYPES[kind]  # Nghị quyết 98/2023/QH15 is no law
    return {"printed": match.group(0), "id": doc_id, "number": number, "year": year, "type": doc_type,
            "issuer": issuer, "name": None, "start": match.start(), "end": match.end()}


def _sentence_case(name: str) -> str:
    words = " ".join(name.split())
    return words[:1].upper() + words[1:].lower()


def find_documents(text: str, language: str = "vi") -> list[dict]:
    """Each document mention: printed, id, number, year, type, issuer, name, start, end."""
    haystack = old_tone_style(text)
    symbols = _SYMBOL.finditer(haystack) if _SYMBOL_HINT.search(haystack) else ()
    found = [doc for match in symbols if (doc := _symbol_document(match, haystack))]
    laws = _LAW_EN if language == "en" else _LAW
    for match in word_matches(laws, haystack):
        if any(d["start"] <= match.start() < d["end"] for d in found):
            continue
        name = f"Luật {_sentence_case(match.group('name'))}" if language != "en" else \
            f"Law on {match.group('name').strip().lower()}"
        found.append({"printed": match.group(0), "id": f"{name} {match.group('year')}", "number": None,
                      "year": int(match.group("year")), "type": "Luật", "issuer": "QH", "name": name,
                      "start": match.start(), "end": match.end()})
    found.extend(_plans(haystack, found))
    found.sort(key=lambda d: d["start"])
    for doc in found:
        doc["printed"] = text[doc["start"]:doc["end"]].strip()
    return found


def _plans(text: str, symbols: list[dict]) -> list[dict]:
    """Mentions of the power plan, with the id of the decision that approved it."""
    plans = []
    linked = None
    for match in word_matches(_PLAN, text):
        for doc in symbols:
            if doc["type"] != "Quyết định":
                continue
            between = text[min(doc["end"], match.end()):max(doc["start"], match.start())]
            if len(between) <= 60 and "." not in between.replace("TP.", "") and (
                    _APPROVES.search(between) or not between.strip(" ,")):
                linked = doc
        plans.append({"printed": match.group(0), "id": PLAN_NAME, "number": None, "year": None,
                      "type": "Quy hoạch", "issuer": "TTg", "name": PLAN_NAME,
                      "start": match.start(), "end": match.end()})
    if linked:  # the text says which decision the plan is: every mention takes its id
        for plan in plans:
            plan.update(id=linked["id"], number=linked["number"], year=linked["year"], type=linked["type"],
                        issuer=linked["issuer"])
    return plans
