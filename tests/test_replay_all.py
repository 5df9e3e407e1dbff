"""`newscrawl crawl --replay`: every site's fixtures, end to end."""

import json

import pytest

from newscrawl.sites import all_sites

from .conftest import FIXTURES, query, run_cli, table_counts

BAODAUTU_WIRE = "https://baodautu.vn/ngan-sach-hoat-dong-co-quan-ve-khi-hau-cua-lien-hop-quoc-duoc-dieu-chinh-tang-them-10-d281720.html"
VNEXPRESS_COPY = "https://vnexpress.net/lien-hop-quoc-tang-10-ngan-sach-cho-co-quan-khi-hau-5080114.html"
VNEXPRESS_NEXT = "https://vnexpress.net/cac-nuoc-dang-phat-trien-doi-tang-tai-chinh-khi-hau-5080231.html"
VNEXPRESS_TOO_DEEP = "https://vnexpress.net/viet-nam-cap-nhat-dong-gop-do-quoc-gia-tu-quyet-dinh-5080012.html"


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    db = tmp_path_factory.mktemp("all") / "all.db"
    first = run_cli("crawl", "--replay", "--db", str(db), cwd=FIXTURES.parent)
    counts = table_counts(db)
    second = run_cli("crawl", "--replay", "--db", str(db), cwd=FIXTURES.parent)
    return {"db": db, "first": first, "second": second, "counts": (counts, table_counts(db))}


def expected_articles():
    for path in sorted(FIXTURES.rglob("*.expected.json")):
        if path.parent.name != "generic":
            yield json.loads(path.read_text(encoding="utf-8"))


def test_both_runs_succeed_with_no_misses(replay):
    for run in (replay["first"], replay["second"]):
        assert run.returncode == 0, run.stderr[-3000:]
        assert "had no saved page" not in run.stdout
    stats = json.loads(query(replay["db"], "SELECT stats FROM crawl_runs ORDER BY id LIMIT 1")[0][0])
    assert "newscrawl/replay/miss" not in stats


def test_every_site_stored_articles(replay):
    sites = {s for (s,) in query(replay["db"], "SELECT DISTINCT site FROM articles")}
    assert sites == {site.name for site in all_sites()} and len(sites) >= 7


def test_every_fixture_article_is_stored_with_its_fields_or_accounted_for(replay):
    db = replay["db"]
    for expected in expected_articles():
        url = expected["url"]
        row = query(db, "SELECT title, summary, body, authors, published, category, tags, site, parser, language FROM articles WHERE url = ?", [url])
        if not row:
            why = query(db, "SELECT reason FROM rejects WHERE url = ? UNION SELECT kind FROM duplicates WHERE url = ? "
                            "UNION SELECT reason FROM related_links WHERE url = ? AND reason = 'depth'", [url, url, url])
            assert why, f"{url} is neither stored, rejected, a duplicate nor beyond the related depth"
            continue
        title, summary, body, authors, published, category, tags, site, parser, language = row[0]
        stored = {"title": title, "summary": summary, "body": body, "authors": json.loads(authors), "published": published,
                  "category": category, "tags": json.loads(tags), "site": site, "parser": parser, "language": language}
        for field, value in stored.items():
            assert value == expected[field], f"{url}: {field}"
        links = query(db, "SELECT url, headline FROM related_links WHERE article_url = ? ORDER BY position", [url])
        assert [{"url": u, "headline": h} for u, h in links] == [{"url": r["url"], "headline": r["headline"]} for r in expected["related"]]


def test_syndicated_story_is_one_article_and_a_near_duplicate(replay):
    db = replay["db"]
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", [BAODAUTU_WIRE]) == [(1,)]
    assert not query(db, "SELECT 1 FROM articles WHERE url = ?", [VNEXPRESS_COPY])
    (of, kind, similarity), = query(db, "SELECT duplicate_of, kind, similarity FROM duplicates WHERE url = ?", [VNEXPRESS_COPY])
    assert of == BAODAUTU_WIRE and kind == "near" and 0.5 <= similarity < 1.0


def test_related_chain_crosses_sites_and_stops_at_the_limit(replay):
    db = replay["db"]
    assert query(db, "SELECT depth, found_via, found_via_url FROM articles WHERE url = ?", [VNEXPRESS_NEXT]) == [(2, "related", BAODAUTU_WIRE)]
    assert query(db, "SELECT followed, reason FROM related_links WHERE article_url = ? AND url = ?", [VNEXPRESS_NEXT, VNEXPRESS_TOO_DEEP]) == [(0, "depth")]


def test_replaying_again_changes_no_row_counts(replay):
    first, second = replay["counts"]
    assert first == second and first["articles"] >= 40


def test_crawling_one_site_marks_other_sites_offsite(tmp_path):
    db = tmp_path / "one.db"
    run = run_cli("crawl", "baodautu", "--replay", "--db", str(db), cwd=FIXTURES.parent)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = query(db, "SELECT followed, reason FROM related_links WHERE article_url = ? ORDER BY position", [BAODAUTU_WIRE])
    assert rows == [(0, "offsite"), (0, "offsite")]


def test_since_keeps_only_recent_articles(tmp_path, replay):
    db = tmp_path / "recent.db"
    run = run_cli("crawl", "--replay", "--db", str(db), "--since", "2026-11-01", cwd=FIXTURES.parent)
    assert run.returncode == 0, run.stderr[-2000:]
    published = [p for (p,) in query(db, "SELECT published FROM articles")]
    assert published and all(p >= "2026-11-01" for p in published)
    assert len(published) < replay["counts"][0]["articles"]
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs")[0][0])
    assert stats.get("newscrawl/article/before_since", 0) + stats.get("newscrawl/discovery/before_since", 0) > 0
