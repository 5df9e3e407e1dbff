"""cafef.vn: a republished story keeps the paper it credits as `source_outlet`."""

from __future__ import annotations

import re
import sqlite3

from newscrawl import extract_article
from newscrawl.store.schema import open_database

from .conftest import FIXTURES, query, run_cli

WIND = "https://cafef.vn/tap-doan-nang-luong-ky-hop-dong-mua-dien-gio-cho-khu-cong-nghiep-188261118093015221.chn"
WIND_PAGE = FIXTURES / "cafef" / "tap-doan-nang-luong-ky-hop-dong-mua-dien-gio-cho-khu-cong-nghiep-188261118093015221.html"
CEMENT = "https://cafef.vn/doanh-nghiep-xi-mang-dau-tu-thu-hoi-nhiet-thai-phat-dien-188261121080044915.chn"
CEMENT_PAGE = FIXTURES / "cafef" / "doanh-nghiep-xi-mang-dau-tu-thu-hoi-nhiet-thai-phat-dien-188261121080044915.html"


def test_source_outlet_writer_and_widgets():
    got = extract_article(WIND_PAGE.read_text(encoding="utf-8"), WIND)
    assert got["source_outlet"] == "Báo Đầu tư" and got["authors"] == ["Minh Anh"]
    assert "VN-INDEX" not in got["body"] and "TIN MỚI" not in got["body"] and "Giá xăng giảm" not in got["body"]
    assert got["published"] == "2026-11-18T09:30:15+07:00"  # meta without a zone is Vietnam time
    # "Theo Báo Công Thương" credits the source paper, not a writer.
    cement = extract_article(CEMENT_PAGE.read_text(encoding="utf-8"), CEMENT)
    assert cement["authors"] == [] and cement["source_outlet"] == "Báo Công Thương"


def test_printed_date_with_a_24_hour_clock_and_an_am_pm_suffix():
    html = re.sub(r'<meta property="article:published_time"[^>]*>', "", WIND_PAGE.read_text(encoding="utf-8"))
    html = html.replace("18-11-2026 - 09:30 AM", "18-11-2026 - 21:30 PM")
    assert extract_article(html, WIND)["published"] == "2026-11-18T21:30:00+07:00"


def test_replay_stores_the_source_outlet(tmp_path):
    db = tmp_path / "cafef.db"
    done = run_cli("crawl", "cafef", "--replay", "--db", str(db), cwd=FIXTURES.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = dict(query(db, "SELECT url, source_outlet FROM articles"))
    assert rows[WIND] == "Báo Đầu tư" and len(rows) == 3
    assert sorted(rows.values()) == ["", "Báo Công Thương", "Báo Đầu tư"]


def test_a_database_made_before_the_column_gains_it(tmp_path):
    path = tmp_path / "old.db"
    open_database(path).conn.close()
    with sqlite3.connect(path) as conn:  # as a database from before the column was added
        conn.execute("ALTER TABLE articles DROP COLUMN source_outlet")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_source_outlet'")
    db = open_database(path)
    assert "source_outlet" in db["articles"].columns_dict
