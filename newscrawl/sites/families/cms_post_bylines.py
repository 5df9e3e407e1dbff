"""Bylines and wire credits on the `cms-*` / `-post<id>` CMS (nhandan.vn, vietnamplus.vn).

Wire copy on these sites shows a credit (`TTXVN`, `(TTXVN/Vietnam+)`,
`Theo TTXVN`) where a byline would be, alone or beside the names
(`Minh Nguyệt (TTXVN/Vietnam+)`), often as the body's last line. These
rules tell names from credits and a trailing byline line from prose; the
family's layout (cms_post.py) uses them for authors and to end the body.
"""

from __future__ import annotations

import re

from ...analysis.text import clean_space, strip_separators

# Wire services and the sites themselves: credits, never authors.
_CREDIT_WORDS = (
    r"TTXVN|TTX|VNA|Vietnam\s?\+|VietnamPlus|Vietnam Plus|vietnamplus\.vn|Nhân\s?Dân|nhandan\.vn|"
    r"Báo Nhân Dân|Báo Nhân Dân điện tử|Nhân Dân điện tử|Thông tấn xã Việt Nam|Reuters|AFP|AP|Xinhua|Tân Hoa xã|Kyodo|Yonhap|Sputnik|Bernama"
)
CREDIT = re.compile(rf"(?<!\w)(?:{_CREDIT_WORDS})(?!\w)", re.IGNORECASE)
# A paragraph that is only a credit or a byline with a credit:
# "(TTXVN/Vietnam+)", "Minh Nguyệt (TTXVN/Vietnam+)", "Theo TTXVN", "Nguồn: Vietnam+".
_CREDIT_LINE = re.compile(r"^(?P<names>[^()]{0,80}?)\s*\((?P<credit>[^()]{1,60})\)\s*\.?$")
_SOURCE_LINE = re.compile(rf"^(?:theo|nguồn|nguon)\s*:?\s*(?:{_CREDIT_WORDS})(?:\s*[/,-]\s*(?:{_CREDIT_WORDS}))*\s*\.?$", re.IGNORECASE)
# Labels before bylines: "Tác giả", "Bài và ảnh:", "Nhóm phóng viên:"...
_AUTHOR_LABEL = re.compile(
    r"^(?:tác giả|bài và ảnh|bài, ảnh|bài|ảnh|thực hiện|nhóm phóng viên|nhóm pv|phóng viên|pv|ghi chép|ghi)\s*:?\s+",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*|\s+và\s+|\s*\|\s*")


def names_from(text: str) -> list[str]:
    """Author names from a byline text: labels, credits and separators removed."""
    text = clean_space(text)
    text = re.sub(r"\([^()]*\)", " ", text)  # "(TTXVN/Vietnam+)" and "(tổng hợp)"
    text = clean_space(_AUTHOR_LABEL.sub("", text))
    names = []
    for part in _NAME_SPLIT.split(text):
        part = strip_separators(_AUTHOR_LABEL.sub("", part.strip()))
        if not part or len(part) > 60 or part.startswith("http") or "@" in part:
            continue
        if CREDIT.sub("", part).strip(" +/.-") == "":
            continue  # "TTXVN", "Vietnam+", "Báo Nhân Dân"
        names.append(part)
    return names


def looks_like_name(text: str) -> bool:
    """One to five capitalised words without digits ("Minh Nguyệt", "THANH TÂM")."""
    words = text.split()
    return 0 < len(words) <= 5 and all(w[0].isupper() and not any(c.isdigit() for c in w) for w in words)


def credit_line(text: str) -> list[str] | None:
    """None if `text` is prose; else the names a trailing byline/credit line holds ([] for a bare credit)."""
    text = clean_space(text)
    if len(text) > 120:
        return None
    if _SOURCE_LINE.match(text) or (CREDIT.search(text) and CREDIT.sub("", text).strip(" ()/+.,-&") == ""):
        return []  # "Theo TTXVN", "TTXVN", "(TTXVN/Vietnam+)"
    match = _CREDIT_LINE.match(text)
    if not match:
        return None
    credit = re.sub(r"^\s*(?:theo|nguồn:?)\s+", "", match.group("credit"), flags=re.IGNORECASE)
    if not CREDIT.search(credit) or CREDIT.sub("", credit).strip(" /+.,-&") != "":
        return None  # "(theo Bộ Công Thương)", "(đồng/kWh)": prose
    names = names_from(match.group("names"))
    if not all(looks_like_name(name) for name in names):
        return None  # "Xuất khẩu tăng 5% (TTXVN)": a sentence, not a byline
    return names


__all__ = ["CREDIT", "credit_line", "looks_like_name", "names_from"]
