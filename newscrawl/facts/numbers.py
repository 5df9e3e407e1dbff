"""Numbers as Vietnamese and English pages print them.

Vietnamese groups thousands with dots and writes decimals with a comma
(`1.500` is fifteen hundred, `3,5` three and a half); English does the
opposite (`1,500`, `3.5`). A number stands alone: the `2` of `CO2`, the
digits of `d282157` or of a phone number `0912.345.678` are not numbers.
"""

from __future__ import annotations

import re

# Thousands groups need exactly three digits; a lone separator followed by
# one to two digits (or by more than three) is a decimal mark.
# At most 15 digits before the decimal mark: longer runs are no amount (and no float).
_VI = r"\d{1,3}(?:\.\d{3}){1,4}(?:,\d{1,6})?|\d{1,15}\.\d{1,2}(?!\d)|\d{1,15}(?:,\d{1,6})?"  # 3.5 MW: a decimal point
_EN = r"\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?"
# Not glued to a letter, digit or separator on the left (CO2, d282157,
# 0912.345.678, COP-26, the 5 of 15/5), nor followed by more digits or a date/fraction
# slash; a unit may follow glued (3.000MW) and a range's dash may precede.
_LEFT = r"(?<![\w.,])(?<!\d/)(?<![^\W\d]-)"
_RIGHT = r"(?!\d|[.,]\d|/)"

NUMBER = {
    "vi": re.compile(f"{_LEFT}(?:{_VI}){_RIGHT}"),
    "en": re.compile(f"{_LEFT}(?:{_EN}){_RIGHT}"),
}


def pattern(language: str, left: bool = True) -> str:
    """The regex text of one number in this language, for larger patterns.

    Without the left guard for a number glued to a currency sign (VND50).
    """
    return f"{_LEFT if left else ''}(?:{_VI if language != 'en' else _EN}){_RIGHT}"


def parse_number(printed: str, language: str = "vi") -> float:
    """The value of a number printed in this language's format.

    >>> parse_number("1.500"), parse_number("3,5"), parse_number("1,500", "en")
    (1500.0, 3.5, 1500.0)
    """
    text = printed.strip()
    thousands, decimal = (",", ".") if language == "en" else (".", ",")
    if thousands in text:
        head, _, rest = text.partition(decimal)
        groups = head.split(thousands)
        if all(len(group) == 3 for group in groups[1:]):
            text = "".join(groups) + (decimal + rest if rest else "")
        else:  # "3.5" on a Vietnamese page: a decimal point, not thousands
            text = text.replace(thousands, decimal, 1)
    return float(text.replace(decimal, "."))


def clean_value(value: float) -> float | int:
    """Whole values as ints (1500, not 1500.0); others rounded past float noise."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded
