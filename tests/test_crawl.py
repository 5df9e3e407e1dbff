"""The whole replay crawl of baodautu.vn, as an operator runs it."""

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SEED_SCRAPE, SEED_URL, query, run_cli, table_counts

CARBON_URL = "https://baodautu.vn/tin-chi-carbon-cuoc-choi-moi-cua-nen-kinh-te-xanh-viet-nam-d281902.html"
ORIGINAL_URL = "https://baodautu.vn/dong-nam-bo-tang-toc-phat-trien-khu-cong-nghiep-sinh-thai-d281516.html"
COPY_URL = "https://baodautu.vn/vung-dong-nam-bo-day-nhanh-xay-dung-khu-cong-nghiep-sinh-thai-d281760.html"
NO_BODY_URL = "https://baodautu.vn/hoan-thien-khung-phap-ly-cho-thi-truong-tin-chi-carbon-rung-d281204.html"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two replay runs into one database; the counts after each."""
    db = tmp_path_factory.mktemp("crawl") / "news.db"
    first = run_cli("crawl", "baodautu", "--replay", "fixtures", "--db", str(db))
    counts_first = table_counts(db)
    second = run_cli("crawl", "baodautu", "--replay", "fixtures", "--db", str(db))
    return {"db": db, "first": first, "second": second, "counts": (counts_first, table_counts(db))}


def seed_lines():
    return SEED_SCRAPE.read_text(encoding="utf-8").split("\n")


def test_runs_succeed_and_print_a_summary(crawled):
    for run in (crawled["first"], crawled["second"]):
        assert run.returncode == 0, run.stderr[-3000:]
        assert "baodautu: 3 stored, 1 duplicates, rejects: missing_body 1" in run.stdout
        assert "Traceback" not in run.stderr


def test_seed_body_is_the_scrape_paragraph_for_paragraph(crawled):
    body, title = query(crawled["db"], "SELECT body, title FROM articles WHERE url = ?", [SEED_URL])[0]
    assert title == "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững"
    assert body.split("\n\n") == seed_lines()[12:25]
    assert body.split("\n\n")[0] == "Phù hợp với xu thế toàn cầu" and "Tầm nhìn chiến lược" in body.split("\n\n")
    assert body.endswith("kinh tế số và xã hội số.")


def test_seed_metadata(crawled):
    row = query(crawled["db"], "SELECT summary, authors, published, category, tags, site, parser, language, found_via FROM articles WHERE url = ?", [SEED_URL])[0]
    summary, authors, published, category, tags, site, parser, language, found_via = row
    assert summary.startswith("Hải Phòng đặt chuyển đổi số song hành với chuyển đổi xanh")
    assert json.loads(authors) == ["Minh Anh"] and published == "2025-06-30T08:46:00+07:00"
    assert category == "Thời sự" and "Hải Phòng" in json.loads(tags)
    assert (site, parser, language, found_via) == ("baodautu", "baodautu/v1", "vi", "listing")


def test_related_links_are_the_eleven_green_headlines_in_page_order(crawled):
    lines = seed_lines()
    rows = query(crawled["db"], "SELECT position, headline, url FROM related_links WHERE article_url = ? ORDER BY position", [SEED_URL])
    headlines = [h for _, h, _ in rows]
    first_box = [lines[i].removesuffix(" -") for i in (2, 4, 6, 8, 10, 11)]
    more_news = [line.removesuffix(" -") for line in lines[27:34]]
    assert headlines == first_box + [h for h in more_news if h not in first_box]
    assert len(headlines) == 11 and [p for p, _, _ in rows] == list(range(1, 12))
    assert all(url.startswith("https://baodautu.vn/") and url.endswith(".html") for _, _, url in rows)
    promoted = [lines[i] for i in (35, 37, 39, 41, 43, 45)]
    assert not set(promoted) & set(headlines)
    assert not query(crawled["db"], "SELECT 1 FROM related_links WHERE headline IN (%s)" % ",".join("?" * 6), promoted)


def test_no_stored_text_has_separator_debris(crawled):
    db = crawled["db"]
    texts = [t for row in query(db, "SELECT title, summary, body, category FROM articles") for t in row]
    texts += [h for (h,) in query(db, "SELECT headline FROM related_links")]
    paragraphs = [p for text in texts for p in text.split("\n\n")]
    assert paragraphs and not [p for p in paragraphs if p.strip() in ("-", "–") or p.rstrip().endswith((" -", " –")) or p != p.strip()]


def test_tracking_url_and_copied_body_end_as_one_article_each(crawled):
    db = crawled["db"]
    assert query(db, "SELECT count(*) FROM articles WHERE url LIKE '%d281902%'") == [(1,)]
    assert query(db, "SELECT url FROM articles WHERE url LIKE '%d281902%'") == [(CARBON_URL,)]
    assert query(db, "SELECT url, duplicate_of, kind, similarity FROM duplicates") == [(COPY_URL, ORIGINAL_URL, "exact", 1.0)]
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", [ORIGINAL_URL]) == [(1,)]


def test_page_without_body_is_a_reject_with_its_reason(crawled):
    rows = query(crawled["db"], "SELECT url, reason, detail FROM rejects")
    assert rows == [(NO_BODY_URL, "missing_body", "baodautu/unmatched (no layout matched: markup changed?)")]


def test_second_replay_changes_no_row_counts(crawled):
    first, second = crawled["counts"]
    assert first == second == {"articles": 3, "related_links": 14, "rejects": 1, "duplicates": 1}
    runs = query(crawled["db"], "SELECT mode, status, coverage FROM crawl_runs ORDER BY id")
    assert [(m, s) for m, s, _ in runs] == [("replay", "ok"), ("replay", "ok")]
    assert json.loads(runs[0][2])["baodautu"]["body"] == 1.0


def test_scrapy_crawl_runs_the_same_spider(tmp_path):
    db = tmp_path / "scrapy.db"
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=baodautu",
         "-s", "NEWSCRAWL_REPLAY_DIR=fixtures", "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert table_counts(db)["articles"] == 3


def test_max_pages_bounds_a_crawl(tmp_path):
    db = tmp_path / "bounded.db"
    run = run_cli("crawl", "baodautu", "--replay", "fixtures", "--db", str(db), "--max-pages", "2")
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(query(db, "SELECT stats FROM crawl_runs")[0][0])["response_received_count"] <= 3
