"""Regex scans that start only where a word starts, without the slow leading guard.

Python's regex engine jumps straight to the places where a pattern can begin
(a literal prefix, a set of first characters) unless the pattern opens with
an assertion: `(?<!\\w)Luật` is tried at every position of the text, some
twenty times slower on an article than `Luật`. The facts and topics stages
scan every article with dozens of such patterns, so here the guard is checked
in Python instead: search without it, drop a match that follows a word
character, search again one character on. The matches are the ones the
guarded pattern gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def starts_word(text: str, index: int, also: str = "") -> bool:
    """Is text[index] not preceded by a word character (`\\w`) or one of `also`?"""
    if index == 0:
        return True
    before = text[index - 1]
    return not (before.isalnum() or before == "_" or before in also)


def word_matches(pattern: re.Pattern, text: str, pos: int = 0, endpos: int | None = None,
                 also: str = "") -> Iterator[re.Match]:
    """`pattern.finditer`, keeping only matches not preceded by a word character (or one of `also`)."""
    endpos = len(text) if endpos is None else endpos
    while pos <= endpos:
        match = pattern.search(text, pos, endpos)
        if match is None:
            return
        start, end = match.span()
        if not starts_word(text, start, also):
            pos = start + 1
            continue
        yield match
        pos = end if end > start else start + 1


def word_search(pattern: re.Pattern, text: str, pos: int = 0, endpos: int | None = None,
                also: str = "") -> re.Match | None:
    """The first match of `word_matches`, or None."""
    return next(word_matches(pattern, text, pos, endpos, also), None)


def lower_same_length(text: str) -> str:
    """Lower case with every character kept in place, so positions carry over.

    A few characters lower to two (`İ`); those are left as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)
