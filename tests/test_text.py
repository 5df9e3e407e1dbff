import random
import re
import unicodedata

import pytest

from newscrawl.analysis.text import clean_space, fold, iso_datetime, nfc, old_tone_style


def test_nfd_input_becomes_nfc():
    decomposed = unicodedata.normalize("NFD", "Hải Phòng chuyển đổi số")
    assert decomposed != "Hải Phòng chuyển đổi số"
    assert nfc(decomposed) == "Hải Phòng chuyển đổi số"
    assert clean_space("  Hải\u00a0 Phòng\u200b \n") == "Hải Phòng"


def test_clean_space_equals_one_space_for_every_whitespace_run():
    """The split-and-join path gives what the whitespace pattern gives, on every kind of space."""
    rng = random.Random(5)
    pieces = ["a", "Hải", "đ", ".", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2009", "\u3000",
              "\u200b", "\u200c", "\u200d", "\ufeff", "\x1c", "\x85", "\u2028", "\u202f"]
    pattern = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert clean_space(text) == pattern.sub(" ", nfc(text)).strip(), repr(text)


def test_fold_removes_marks_and_d_stroke():
    assert fold("Điện gió ĐỒNG Tín chỉ carbon") == "dien gio dong tin chi carbon"
    assert fold(unicodedata.normalize("NFD", "chuyển đổi")) == "chuyen doi"


@pytest.mark.parametrize(
    "new, old",
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("Hoà Bình", "Hòa Bình"), ("khoẻ", "khỏe"), ("quý", "quý"), ("hoàn", "hoàn"), ("quỷ", "quỷ")],
)
def test_old_tone_style(new, old):
    assert old_tone_style(new) == old


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thứ tư, 12/3/2025, 18:34 (GMT+7)", "2025-03-12T18:34:00+07:00"),
        ("- 10/07/2023 08:46", "2023-07-10T08:46:00+07:00"),
        (" - 07/03/2026 08:47", "2026-03-07T08:47:00+07:00"),
        ("18:53, 14/08/2026", "2026-08-14T18:53:00+07:00"),
        ("05/10/2026 15:42 GMT+7", "2026-10-05T15:42:00+07:00"),
        ("2025-06-30T08:46:00+07:00", "2025-06-30T08:46:00+07:00"),
        ("2025-06-30T01:46:00Z", "2025-06-30T08:46:00+07:00"),
        ("2026-09-05T09:18:48+0700", "2026-09-05T09:18:48+07:00"),
        ("2026-07-30T15:11:00.000 +07:00", "2026-07-30T15:11:00+07:00"),
        ("Thu, 04 Sep 2026 02:43:00 GMT", "2026-09-04T09:43:00+07:00"),
        ("Thứ Hai, 01/09/2025 - 14:05", "2025-09-01T14:05:00+07:00"),
        ("14/08/2026", "2026-08-14T00:00:00+07:00"),
        ("11/5/2026 3:42:10 PM", "2026-11-05T15:42:10+07:00"),
        ("11/5/2026 12:05:00 AM", "2026-11-05T00:05:00+07:00"),
        ("Sat, 27 Jan 24 08:30:00 +0700", "2024-01-27T08:30:00+07:00"),
    ],
)
def test_dates_become_iso_with_offset(text, expected):
    assert iso_datetime(text) == expected


@pytest.mark.parametrize("text", ["", None, "không có ngày", "31/02/2025 10:00", "99/99/2025"])
def test_unparseable_dates_are_none(text):
    assert iso_datetime(text) is None


def test_day_first_always():
    assert iso_datetime("03/04/2025") == "2025-04-03T00:00:00+07:00"
