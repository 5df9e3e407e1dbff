"""Green facts from page to row: the four tables, replaced on re-extraction, the views, the command, the report."""

from __future__ import annotations

import json

from newscrawl.pipelines.facts import attach_provinces
from newscrawl.store.schema import open_database

from .conftest import FIXTURES, SEED_URL, query, run_cli
from .test_search import replay_db  # noqa: F401  (the crawled fixtures, a module fixture)

NINH_THUAN = "https://vietnamnet.vn/vn/kinh-doanh/dau-tu/ninh-thuan-don-lan-song-dau-tu-dien-mat-troi-521877.html"


def test_a_replay_fills_the_four_tables(replay_db):  # noqa: F811
    for table in ("facts", "places", "documents", "organisations"):
        assert query(replay_db, f"SELECT count(*) FROM {table}")[0][0] > 0, table
    seed = query(replay_db, "SELECT kind, value, unit, printed, subject, planned, province FROM facts WHERE article_url = ? ORDER BY position", [SEED_URL])
    assert ("capacity", 3000.0, "MW", "3.000 MW", "offshore_wind", 1, "Hải Phòng") in seed
    assert ("area", 15777.0, "ha", "15.777 ha", "industrial_parks", 1, "Hải Phòng") in seed
    assert ("percent", 29.7, "%", "29,7%", "digital_economy", 0, "Hải Phòng") in seed
    documents = {d for (d,) in query(replay_db, "SELECT printed FROM documents WHERE article_url = ?", [SEED_URL])}
    assert {"Nghị quyết 57/NQ-TW", "Nghị quyết 03/NQ-TU"} <= documents


def test_a_pre_2025_province_is_filed_under_the_current_one(replay_db):  # noqa: F811
    places = query(replay_db, "SELECT printed, province FROM places WHERE article_url = ?", [NINH_THUAN])
    assert ("Ninh Thuận", "Khánh Hòa") in places
    assert query(replay_db, "SELECT province FROM facts WHERE article_url = ? AND kind = 'capacity'", [NINH_THUAN]) == [("Khánh Hòa",)]


def test_storing_again_replaces_an_articles_rows(replay_db, tmp_path):  # noqa: F811
    db = tmp_path / "copy.db"
    db.write_bytes(replay_db.read_bytes())
    seed_rows = "SELECT position, kind, value, unit, printed, subject, province FROM facts WHERE article_url = ? ORDER BY position"
    before = query(db, seed_rows, [SEED_URL])
    with open_database(db).conn as conn:
        conn.execute("DELETE FROM facts WHERE article_url = ?", [SEED_URL])
        conn.execute("INSERT INTO facts (article_url, position, kind, value, unit, printed) VALUES (?, 99, 'money', 1, 'VND', 'stale')", [SEED_URL])
    done = run_cli("reparse", "--db", str(db), "--archive", "fixtures", cwd=FIXTURES.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert query(db, seed_rows, [SEED_URL]) == before  # the article's rows, and only them, again
    assert not query(db, "SELECT 1 FROM facts WHERE printed = 'stale'")


def test_views_answer_the_analysts_questions(replay_db):  # noqa: F811
    db = open_database(replay_db)  # the fixture applied the analyst schema (views)
    capacity = list(db.query("SELECT * FROM capacity_by_province_technology_year WHERE province = 'Hải Phòng'"))
    assert capacity == [{"year": "2025", "province": "Hải Phòng", "technology": "offshore_wind", "unit": "MW", "reported": 3000.0,
                         "mentions": 1, "articles": 1, "planned_mentions": 1}]
    assert list(db.query("SELECT count(*) AS n FROM money_by_province_sector"))[0]["n"] > 0
    cited = {r["doc_id"] for r in db.query("SELECT doc_id FROM documents_per_month")}
    assert {"57-NQ/TW", "03-NQ/TU"} <= cited
    assert list(db.query("SELECT articles FROM organisations_by_topic WHERE organisation LIKE 'Ban Quản lý khu kinh tế Hải Phòng'"))
    db.close()


def test_facts_command_by_kind_and_old_province_name(replay_db):  # noqa: F811
    done = run_cli("facts", "--db", str(replay_db), "--kind", "capacity", "--province", "ninh thuan", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["printed"], r["province"], r["url"]) for r in rows] == [("900 MW", "Khánh Hòa", NINH_THUAN)]
    text = run_cli("facts", "--db", str(replay_db), "--kind", "capacity", "--province", "Hải Phòng")
    assert "3.000 MW" in text.stdout and "offshore_wind" in text.stdout and "planned" in text.stdout
    unknown = run_cli("facts", "--db", str(replay_db), "--province", "Atlantis")
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr and "Traceback" not in unknown.stderr


def test_report_has_the_capacity_chart_and_the_cited_documents(replay_db, tmp_path):  # noqa: F811
    out = tmp_path / "r.html"
    done = run_cli("report", "--db", str(replay_db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "Reported capacity by technology" in page and 'aria-label="Reported capacity by technology (MW)"' in page
    assert "offshore wind" in page and "Nghị quyết 57/NQ-TW" in page


def test_province_of_a_fact_in_its_sentence_else_the_articles_only_one_else_none():
    text = "Khánh Hòa có 500 MW điện mặt trời. Dự án mới thêm 200 MW. Việt Nam đặt mục tiêu 6.000 MW điện gió ngoài khơi."
    found = {"facts": [{"sentence": "Khánh Hòa có 500 MW điện mặt trời.", "start": 13},
                       {"sentence": "Dự án mới thêm 200 MW.", "start": 50},
                       {"sentence": "Việt Nam đặt mục tiêu 6.000 MW điện gió ngoài khơi.", "start": 80}],
             "places": [{"printed": "Khánh Hòa", "province": "Khánh Hòa", "start": 0}]}
    assert [f["province"] for f in attach_provinces(text, found)["facts"]] == ["Khánh Hòa", "Khánh Hòa", None]
    two = dict(found, places=found["places"] + [{"printed": "Đà Nẵng", "province": "Đà Nẵng", "start": 200}])
    assert [f["province"] for f in attach_provinces(text, two)["facts"]] == ["Khánh Hòa", None, None]
