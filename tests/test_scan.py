"""Word-start scans give exactly what the guarded patterns (`(?<!\\w)...`) give."""

import random
import re

from newscrawl.analysis.scan import lower_same_length, starts_word, word_matches, word_search
from newscrawl.facts.organisations import _LEGAL_START, _legal_starts

PIECES = ["an", "anh", "a", "b", "ban", "Ban", ".", "-", "(", " ", "  ", "_", "1", "đ", "Đà", "ab-c", "x"]


def _texts(count=400, seed=3):
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def _spans(matches):
    return [m.span() for m in matches]


def test_word_matches_equal_the_guarded_finditer():
    for body in (r"an(?:h)?(?!\w)", r"a|an|ban", r"b?an", r"\w+", r"(?:Ban|ban)\s+a", r""):
        for also in ("", ".", "-("):
            guard = r"(?<![\w" + re.escape(also) + "])" if also else r"(?<!\w)"
            guarded = re.compile(guard + "(?:" + body + ")")
            plain = re.compile(body)
            for text in _texts():
                assert _spans(word_matches(plain, text, also=also)) == _spans(guarded.finditer(text)), (body, also, text)


def test_word_search_with_a_window_sees_the_characters_before_it():
    assert word_search(re.compile("ab"), "xab", 1) is None  # "ab" is glued to the x before the window
    assert word_search(re.compile("ab"), "x ab", 1).span() == (2, 4)
    assert starts_word("x ab", 2) and not starts_word("xab", 1) and starts_word("ab", 0)
    assert not starts_word("a.b", 2, also=".")


def test_lower_same_length_keeps_every_position():
    assert lower_same_length("Điện GIÓ") == "điện gió"
    text = "İstanbul ĐÀ"  # İ lowers to two characters: kept as it is
    assert len(lower_same_length(text)) == len(text) and lower_same_length(text).endswith("đà")


def test_legal_forms_are_found_as_the_case_blind_pattern_finds_them():
    rng = random.Random(5)
    words = ["Công ty", "công ty", "CÔNG TY", "Tổng công ty", "Ngân hàng", "ngân hàng TMCP", "Tập Đoàn", "xCông ty",
             "Ban quản lý", "khu", "Điện", "Xanh", "của", "1", ",", "Quỹ", "Viện", "hiệp hội", "  "]
    guarded = re.compile(r"(?<!\w)" + _LEGAL_START.pattern)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
        assert _spans(_legal_starts(text)) == _spans(guarded.finditer(text)), text
