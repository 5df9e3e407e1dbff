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
        assert "Traceback" not in run.stderr
    # The second run re-reads the listings but follows no link to a stored article.
    assert "baodautu: 21 pages, 12 stored (12 new, 0 updated, 0 unchanged), 1 duplicates, rejects: missing_body 1, off_topic 1" in crawled["first"].stdout
    assert "baodautu: 11 pages, 3 stored (0 new, 0 updated, 3 unchanged), 1 duplicates, rejects: missing_body 1" in crawled["second"].stdout


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
    assert not query(crawled["db"], "SELECT 1 FROM related_links WHERE article_url = ? AND headline IN (%s)" % ",".join("?" * 6), [SEED_URL, *promoted])


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
    rows = query(crawled["db"], "SELECT url, reason, detail FROM rejects WHERE reason = 'missing_body'")
    assert rows == [(NO_BODY_URL, "missing_body", "baodautu/unmatched (no layout matched: markup changed?)")]


def test_second_replay_changes_no_row_counts(crawled):
    first, second = crawled["counts"]
    assert first == second == {"articles": 12, "related_links": 21, "rejects": 2, "duplicates": 1}
    runs = query(crawled["db"], "SELECT mode, status, coverage FROM crawl_runs ORDER BY id")
    assert [(m, s) for m, s, _ in runs] == [("replay", "finished"), ("replay", "finished")]
    # 15 pages parsed (12 stored, a duplicate, an off-topic page, one without a body).
    assert json.loads(runs[0][2])["baodautu"]["body"] == round(14 / 15, 3)


def test_scrapy_crawl_runs_the_same_spider(tmp_path):
    db = tmp_path / "scrapy.db"
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=baodautu",
         "-s", "NEWSCRAWL_REPLAY_DIR=fixtures", "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert table_counts(db)["articles"] == 12


def test_max_pages_bounds_a_crawl(tmp_path):
    db = tmp_path / "bounded.db"
    run = run_cli("crawl", "baodautu", "--replay", "fixtures", "--db", str(db), "--max-pages", "2")
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(query(db, "SELECT stats FROM crawl_runs")[0][0])["response_received_count"] <= 3


DEPTH_2_URL = "https://baodautu.vn/doanh-nghiep-det-may-xanh-hoa-chuoi-cung-ung-de-giu-don-hang-xuat-khau-d281310.html"
DEPTH_3_URL = "https://baodautu.vn/nha-may-det-lap-dien-mat-troi-ap-mai-cat-giam-mot-phan-nam-hoa-don-dien-d281120.html"
OFF_TOPIC_URL = "https://baodautu.vn/sun-casa-square-day-manh-thi-cong-d282001.html"


def test_related_headlines_are_followed_to_depth_two_and_no_further(crawled):
    db = crawled["db"]
    depths = dict(query(db, "SELECT depth, count(*) FROM articles GROUP BY depth"))
    assert depths == {0: 3, 1: 8, 2: 1}
    assert query(db, "SELECT depth, found_via, found_via_url FROM articles WHERE url = ?", [DEPTH_2_URL]) == [
        (2, "related", "https://baodautu.vn/so-hoa-don-bay-chien-luoc-cho-doanh-nghiep-viet-trong-hanh-trinh-chuyen-doi-xanh-d281833.html")]
    assert query(db, "SELECT followed, reason FROM related_links WHERE url = ?", [DEPTH_3_URL]) == [(0, "depth")]
    assert not query(db, "SELECT 1 FROM articles WHERE url = ?", [DEPTH_3_URL])


def test_every_unfollowed_link_says_why(crawled):
    db = crawled["db"]
    assert query(db, "SELECT count(*) FROM related_links WHERE followed = 0 AND (reason IS NULL OR reason = '')") == [(0,)]
    assert query(db, "SELECT count(*) FROM related_links WHERE followed = 1 AND reason IS NOT NULL") == [(0,)]
    reasons = {r for (r,) in query(db, "SELECT DISTINCT reason FROM related_links WHERE followed = 0")}
    assert reasons <= {"depth", "offsite", "already_stored", "duplicate", "off_topic_source"}
    assert {"depth", "off_topic_source", "already_stored"} <= reasons


def test_off_topic_page_is_rejected_with_its_score_and_not_followed(crawled):
    db = crawled["db"]
    reason, detail = query(db, "SELECT reason, detail FROM rejects WHERE url = ?", [OFF_TOPIC_URL])[0]
    assert reason == "off_topic" and detail.startswith("green_score 0.0 < 0.3")
    assert query(db, "SELECT followed, reason FROM related_links WHERE article_url = ?", [OFF_TOPIC_URL]) == [(0, "off_topic_source")]


def test_stored_articles_have_topics_and_scores(crawled):
    rows = query(crawled["db"], "SELECT topics, green_score FROM articles")
    assert rows and all(json.loads(t) and s >= 0.3 for t, s in rows)
    topics, score = query(crawled["db"], "SELECT topics, green_score FROM articles WHERE url = ?", [SEED_URL])[0]
    assert {"climate_policy", "green_industry", "renewable_energy"} <= set(json.loads(topics)) and score > 0.9


def test_a_redesign_that_empties_bodies_is_a_warning_and_a_failed_run(tmp_path):
    from .synthetic import build_site

    site = tmp_path / "site"
    build_site(site, articles=6, per_listing=6)
    for page in (site / "baodautu").glob("a*.html"):  # the body container was renamed
        page.write_text(page.read_text(encoding="utf-8").replace('id="content_detail_news"', 'id="noi_dung_bai"'), encoding="utf-8")
    db = tmp_path / "redesign.db"
    run = run_cli("crawl", "baodautu", "--replay", str(site), "--db", str(db))
    assert run.returncode == 1
    assert "WARNING: no baodautu article got a body: the site's markup may have changed" in run.stdout
    assert "rejects: missing_body 6" in run.stdout
    status, coverage = query(db, "SELECT status, coverage FROM crawl_runs")[0]
    assert status == "failed" and json.loads(coverage)["baodautu"]["body"] == 0.0


def test_parsing_in_the_crawl_process_stores_the_same_articles(crawled, tmp_path):
    """NEWSCRAWL_PARSE_WORKERS=0 parses inline; the result must not depend on where."""
    db = tmp_path / "inline.db"
    run = run_cli("crawl", "baodautu", "--replay", "fixtures", "--db", str(db), "--set", "NEWSCRAWL_PARSE_WORKERS=0")
    assert run.returncode == 0, run.stderr[-2000:]
    columns = "url, title, summary, body, authors, published, tags, topics, green_score, body_hash"
    assert query(db, f"SELECT {columns} FROM articles ORDER BY url") == query(crawled["db"], f"SELECT {columns} FROM articles ORDER BY url")


def test_a_dead_parse_worker_does_not_stop_the_crawl():
    """If the worker process dies, the crawl parses in its own process and goes on."""
    import asyncio
    import os
    import signal

    from scrapy.settings import Settings

    from newscrawl.crawl.analyser import PageAnalyser
    from newscrawl.pipelines.page import FetchedPage

    from .conftest import FIXTURES

    body = (FIXTURES / "baodautu" / "hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html").read_bytes()
    page = FetchedPage(SEED_URL, 200, {}, "text/html; charset=utf-8", body)
    settings = Settings()
    settings.setmodule("newscrawl.settings")

    async def scenario():
        analyser = PageAnalyser(1, settings)
        try:
            first = await analyser.analyse({"url": SEED_URL, "site": "baodautu"}, page)
            for process in analyser._pool._processes:
                os.kill(process.pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            second = await analyser.analyse({"url": SEED_URL, "site": "baodautu"}, page)
            return first, second, analyser._pool
        finally:
            analyser.close()

    first, second, pool = asyncio.run(scenario())
    assert first["body"] == second["body"] and first["body"].startswith("Phù hợp với xu thế toàn cầu") and pool is None
    assert second["topics"] and second["body_hash"] and second["band_keys"]
