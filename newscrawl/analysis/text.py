"""Vietnamese text: Unicode form, tone-mark style, accent folding and dates.

Every stored field and every query goes through here so that the same word
always has one spelling for comparison, whatever the page sent (NFC or NFD,
`hoà` or `hòa`, `Đ` or `D`).
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import parsedate_to_datetime
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7))

_SPACES = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_space(text: str | None) -> str:
    """NFC, with every run of whitespace (incl. nbsp, zero-width) one space."""
    if not text:
        return ""
    text = nfc(text)
    if "\u200b" in text or "\u200c" in text or "\u200d" in text or "\ufeff" in text:
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())  # splits on what `\s` matches: the same result, in a third of the time


def unique(values) -> list:
    """Values in order without repeats (strings compared case-insensitively) or empties."""
    seen, out = set(), []
    for value in values:
        key = value.casefold() if isinstance(value, str) else repr(value)
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


SEPARATORS = "-–—|•·"
_DEBRIS_EDGES = re.compile(rf"^(?:[{SEPARATORS}]\s*)+|(?:\s*[{SEPARATORS}])+$")


def strip_separators(text: str) -> str:
    """`Headline -`, `- Headline` and lone `-` lines lose their separators."""
    text = clean_space(text)
    # The pattern can only match at an edge that is a separator: most texts skip it.
    if text and (text[0] in SEPARATORS or text[-1] in SEPARATORS):
        text = _DEBRIS_EDGES.sub("", text).strip()
    return text


# New-style ("hoà", "thuỷ") to old-style ("hòa", "thủy") tone placement, only in
# open syllables: "hoàn" is spelt the same in both styles, and "quý" keeps its
# mark because "qu" is one consonant.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_LETTER = r"[^\W\d_]"
_NEW_STYLE = re.compile(
    rf"([oO])(?<![qQ].)([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?!{_LETTER})"
    rf"|([uU])(?<![qQ].)([ỳýỷỹỵỲÝỶỸỴ])(?!{_LETTER})"
)


def _move_tone(match: re.Match) -> str:
    first, second = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    decomposed = unicodedata.normalize("NFD", second)
    tone = "".join(ch for ch in decomposed if ch in _TONES)
    bare = "".join(ch for ch in decomposed if ch not in _TONES)
    return nfc(first + tone) + nfc(bare)


@lru_cache(maxsize=16)
def old_tone_style(text: str) -> str:
    """Put tone marks where the older, more common convention puts them.

    Cached: the facts stage reads one article's text in this style three times
    (places, documents, organisations).
    """
    return _NEW_STYLE.sub(_move_tone, nfc(text))


_MARKS = re.compile("[\u0300-\u036f\u200b-\u200d\ufeff]+")


@lru_cache(maxsize=64)
def fold(text: str | None) -> str:
    """Accent-free, lower-case form for matching and search (đ -> d).

    Cached: one article's body is folded by several stages (dedupe, topics,
    near-duplicates), and bodies are long.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(_MARKS.sub("", decomposed).lower().split())


def match_key(text: str | None) -> str:
    """`fold` without punctuation: two texts that differ only in dashes, quotes or spacing match."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


# --- dates ----------------------------------------------------------------

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_CLOCK = re.compile(r"(?<![\d/.-])(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?![\d/])")
_RFC_2822 = re.compile(r"\b\d{1,2}\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+\d{2,4}\b", re.IGNORECASE)
_MERIDIEM = re.compile(r"\b([AaPp])\.?[Mm]\.?(?!\w)")
_GMT = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def _offset(text: str) -> timezone:
    match = _GMT.search(text)
    if not match:
        return VIETNAM_TZ
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    return timezone(sign * timedelta(minutes=minutes))


def _iso_offset(token: str | None) -> timezone:
    if not token:
        return VIETNAM_TZ
    if token == "Z":
        return timezone.utc
    token = token.replace(":", "")
    sign = -1 if token[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(token[1:3]), minutes=int(token[3:5])))


def _build(year, month, day, hour, minute, second, tz) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz)
    except ValueError:
        return None


def parse_datetime(text: str | None) -> datetime | None:
    """Any date the Vietnamese press prints, or ISO 8601, as an aware datetime.

    Day-first (`10/07/2023` is 10 July) unless the time carries AM/PM, the
    US format some feeds print; no offset means Vietnam time.
    Accepts `Thứ tư, 12/3/2025, 18:34 (GMT+7)`, `- 10/07/2023 08:46`,
    `18:53, 14/08/2026`, `05/10/2026 15:42 GMT+7` and ISO strings.
    """
    if not text:
        return None
    text = clean_space(text)
    if _RFC_2822.search(text):  # feeds: "Thu, 04 Sep 2026 02:43:00 GMT"
        try:
            parsed = parsedate_to_datetime(text)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)
        except (TypeError, ValueError):
            pass
    iso = _ISO.search(text)
    if iso:
        year, month, day, hour, minute, second, tz = iso.groups()
        return _build(year, month, day, hour, minute, second, _iso_offset(tz) if tz else _offset(text))
    date = _DAY_FIRST.search(text)
    if not date:
        return None
    day, month, year = date.groups()
    rest = text[: date.start()] + " " + text[date.end():]
    clock = _CLOCK.search(rest)
    hour, minute, second = clock.groups() if clock else (0, 0, 0)
    meridiem = _MERIDIEM.search(rest)
    if meridiem:
        # `11/5/2026 3:42:10 PM` is the US (.NET) format some feeds print:
        # the only case where the month comes first.
        day, month = month, day
        hour = int(hour) % 12 + (12 if meridiem.group(1).lower() == "p" else 0)
    return _build(year, month, day, hour, minute, second, _offset(text))


def iso_datetime(value: str | datetime | None) -> str | None:
    """ISO 8601 in Vietnam time (+07:00), seconds precision; None if unparseable.

    One offset for every stored time, so that times sort as strings.
    """
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM_TZ)
    return parsed.astimezone(VIETNAM_TZ).replace(microsecond=0).isoformat()


def iso_day(value: str) -> str:
    """A calendar day written YYYY-MM-DD (as `--since` and `since=` take it); ValueError otherwise."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD")
    return date.fromisoformat(text).isoformat()


def now_iso() -> str:
    return datetime.now(VIETNAM_TZ).replace(microsecond=0).isoformat()
