"""Search latency and index size on a synthetic database of 100k articles.

Articles are stitched from the sentences of the fixtures' expected bodies
(real Vietnamese n-gram statistics), with a few shuffled syllables per
article so no two are alike. The database is the project's schema
(`store.schema.open_database`) with `apply_analyst_schema`, filled with plain
INSERTs so the triggers index every row as the crawler's writes would.

Timed: `newscrawl.analyst.search.search()` end to end (match, bm25 rank, snippets,
limit 20) over accented and accent-free queries, also with filters.
Baselines in the same run, on the same file:
  * raw FTS: the same FTS5 table over the *unfolded* text (no đ folding),
    built with FTS5's own 'rebuild'; same SQL shape. Its hit counts show
    what accent-free queries miss without the folded copy.
  * LIKE scan: `title/summary/body LIKE '%query%'` (accented, case-sensitive
    outside ASCII) over every row.

    python benchmarks/search_latency.py [--articles 100000] [--db /tmp/search_bench.db] [--reuse] [--repeat 5]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.analyst.search import MAX_RANKED, build_match, search  # noqa: E402
from newscrawl.store.search_index import apply_analyst_schema, search_index_status  # noqa: E402
from newscrawl.store.schema import open_database  # noqa: E402

QUERIES = [
    "tín chỉ carbon", "tin chi carbon", "điện gió", "dien gio", "hoà", "hòa",
    "chuyển đổi số Hải Phòng", "chuyen doi so hai phong", "doanh nghiệp", "năng lượng tái tạo",
    '"điện mặt trời mái nhà"', "ngan hang tin dung xanh", "xe buýt điện", "carbon OR các-bon",
    "phát thải -carbon", "thủy sản", "Đan Mạch",
]
FILTERED = [
    ("dien gio", {"site": "nhandan"}),
    ("tín chỉ carbon", {"topic": "carbon_markets"}),
    ("doanh nghiep", {"since": "2026-06-01"}),
]
SITES = ["baodautu", "nhandan", "thanhnien", "thesaigontimes", "tuoitre", "vietnamnet", "vietnamplus", "vneconomy", "vnexpress"]
TOPICS = ["carbon_markets", "renewable_energy", "green_finance_esg", "circular_economy", "climate_policy", "clean_transport"]


def corpus() -> tuple[list[dict], list[str], list[str]]:
    """The fixtures' articles as lists of sentences, all sentences, all syllables."""
    docs, sentences, syllables = [], [], []
    for path in sorted(glob.glob(str(ROOT / "fixtures" / "*" / "*.expected.json"))):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        split = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", data.get("body") or "") if len(s.split()) >= 4]
        if data.get("title") and split:
            docs.append({"title": data["title"], "summary": data.get("summary") or split[0], "sentences": split})
            sentences.extend(split)
            syllables.extend(" ".join(split).split())
    return docs, sentences, syllables


def fake_article(rng: random.Random, docs, sentences, syllables) -> tuple[str, str, str]:
    """An article about what one fixture article is about, never the same twice."""
    base = rng.choice(docs)
    own = base["sentences"]
    picked = sorted(rng.sample(range(len(own)), max(1, int(len(own) * rng.uniform(0.5, 0.9)))))
    body = [own[i] for i in picked]
    for _ in range(rng.randint(1, 4)):  # a few sentences from other stories
        body.insert(rng.randint(0, len(body)), rng.choice(sentences))
    body.insert(rng.randint(0, len(body)), " ".join(rng.choice(syllables) for _ in range(25)).capitalize() + ".")
    paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
    words = base["title"].split()
    words[rng.randrange(len(words))] = rng.choice(syllables)
    return " ".join(words) + f" {rng.randint(1, 999)}", base["summary"], "\n\n".join(paragraphs)


def build(path: Path, n: int, seed: int = 7) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(path)
    apply_analyst_schema(db)
    docs, sentences, syllables = corpus()
    rng = random.Random(seed)
    sql = ("INSERT INTO articles (url, site, title, summary, body, published, topics, green_score, language) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'vi')")
    start = time.perf_counter()
    batch = []
    for i in range(n):
        title, summary, body = fake_article(rng, docs, sentences, syllables)
        day = f"20{rng.randint(18, 26):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00+07:00"
        topics = json.dumps(rng.sample(TOPICS, rng.randint(1, 3)))
        batch.append((f"https://bench.example/{i}.html", rng.choice(SITES), title, summary, body, day, topics, 0.8))
        if len(batch) == 5000:
            with db.atomic():
                db.conn.executemany(sql, batch)
            batch = []
    with db.atomic():
        db.conn.executemany(sql, batch)
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    elapsed = time.perf_counter() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return elapsed


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def raw_match(query: str) -> str | None:
    """The query a raw FTS table gets: the words as typed (a phrase if quoted); None for operators."""
    if " OR " in query or re.search(r"(^|\s)-", query):
        return None
    words = re.findall(r"[^\W_]+", query)
    return '"' + " ".join(words) + '"' if query.startswith('"') else " AND ".join(f'"{w}"' for w in words)


RAW_SQL = """
    WITH hits AS (SELECT raw_fts.rowid AS id, bm25(raw_fts, 10.0, 4.0, 1.0) AS score FROM raw_fts WHERE raw_fts MATCH ? ORDER BY score LIMIT 20)
    SELECT a.url, a.title, snippet(raw_fts, 2, '[', ']', '…', 24) FROM hits CROSS JOIN raw_fts ON raw_fts.rowid = hits.id
    CROSS JOIN articles a ON a.rowid = hits.id WHERE raw_fts MATCH ? ORDER BY hits.score
"""


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def size_of(db, prefix: str) -> int | None:
    try:
        (size,) = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", [prefix + "%"]).fetchone()
        return size
    except Exception:  # dbstat not compiled in
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/search_bench.db")
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database of the right size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.db)

    db = open_database(path) if path.exists() else None
    if args.reuse and db is not None and "articles_fts" in db.table_names() and db["articles"].count == args.articles:
        print(f"reusing {path} ({args.articles} articles)")
    else:
        if db is not None:
            db.close()
        elapsed = build(path, args.articles)
        print(f"built {path}: {args.articles} articles in {elapsed:.1f} s "
              f"({elapsed / args.articles * 1000:.2f} ms per article, folded-index triggers included)")
        db = None
    db = open_database(path)
    apply_analyst_schema(db)
    status = search_index_status(db)
    assert status["in_step"], status

    # Baseline index: FTS5 over the unfolded text.
    start = time.perf_counter()
    with db.atomic():
        db.execute("DROP TABLE IF EXISTS raw_fts")
        db.execute("CREATE VIRTUAL TABLE raw_fts USING fts5(title, summary, body, content='articles', "
                   "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
        db.execute("INSERT INTO raw_fts(raw_fts) VALUES ('rebuild')")
        db.execute("INSERT INTO raw_fts(raw_fts) VALUES ('optimize')")
        db.execute("INSERT INTO raw_fts(raw_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')")
    raw_build = time.perf_counter() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    n = db["articles"].count
    ours_all, full_all, raw_all, like_all = [], [], [], []
    print(f"\n{'query':<32} {'hits':>6} {'raw hits':>8} {'median ms':>10} {'full ms':>8} {'raw ms':>8} {'LIKE ms':>9}")
    for query, filters in [(q, {}) for q in QUERIES] + FILTERED:
        times, results = timed(lambda: search(db, query, limit=20, **filters), args.repeat)
        ours_all.extend(times)
        full_times, _ = timed(lambda: search(db, query, limit=20, max_ranked=None, **filters), args.repeat)
        full_all.extend(full_times)
        (hits,) = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [build_match(query)]).fetchone()
        label = query + (" " + ",".join(f"{k}={v}" for k, v in filters.items()) if filters else "")
        raw_q = raw_match(query)
        if raw_q is None or filters:
            print(f"{label[:32]:<32} {hits:>6} {'-':>8} {statistics.median(times):>10.1f} "
                  f"{statistics.median(full_times):>8.1f} {'-':>8} {'-':>9}")
            continue
        raw_times, _ = timed(lambda: db.execute(RAW_SQL, [raw_q, raw_q]).fetchall(), args.repeat)
        raw_all.extend(raw_times)
        (raw_hits,) = db.execute("SELECT count(*) FROM raw_fts WHERE raw_fts MATCH ?", [raw_q]).fetchone()
        like = "%" + query.strip('"') + "%"
        like_times, _ = timed(lambda: db.execute(
            "SELECT url FROM articles WHERE title LIKE ?1 OR summary LIKE ?1 OR body LIKE ?1 ORDER BY published DESC LIMIT 20",
            [like]).fetchall(), 1)
        like_all.extend(like_times)
        print(f"{label[:32]:<32} {hits:>6} {raw_hits:>8} {statistics.median(times):>10.1f} "
              f"{statistics.median(full_times):>8.1f} {statistics.median(raw_times):>8.1f} {like_times[0]:>9.0f}")

    file_size = sum(os.path.getsize(str(path) + s) for s in ("", "-wal") if os.path.exists(str(path) + s))
    fts_size, raw_size, all_size = size_of(db, "articles_fts"), size_of(db, "raw_fts"), size_of(db, "")
    print(f"\nsearch latency over {len(ours_all)} timed searches on {n} articles:")
    print(f"  newscrawl search (default: rank <= {MAX_RANKED} newest matches): median {statistics.median(ours_all):.1f} ms, p95 {pct(ours_all, 0.95):.1f} ms")
    print(f"  newscrawl search, every match ranked      : median {statistics.median(full_all):.1f} ms, p95 {pct(full_all, 0.95):.1f} ms")
    print(f"  baseline raw FTS (unfolded, every match ranked): median {statistics.median(raw_all):.1f} ms, p95 {pct(raw_all, 0.95):.1f} ms")
    print(f"  baseline LIKE scan (accented, one run each): median {statistics.median(like_all):.0f} ms, p95 {pct(like_all, 0.95):.0f} ms")
    print(f"  ratios (median): default {statistics.median(ours_all) / statistics.median(raw_all):.2f}x and every-match "
          f"{statistics.median(full_all) / statistics.median(raw_all):.2f}x the raw FTS; "
          f"default {statistics.median(ours_all) / statistics.median(like_all):.3f}x the LIKE scan")
    print(f"database file: {file_size / 1e6:.0f} MB with the baseline index, {file_size / n / 1024:.2f} KiB per article")
    if all_size and raw_size:
        print(f"  without the baseline index: {(all_size - raw_size) / 1e6:.0f} MB, {(all_size - raw_size) / n / 1024:.2f} KiB per article")
    if fts_size:
        rest = (all_size or 0) - fts_size - (raw_size or 0)
        print(f"  folded index articles_fts*: {fts_size / n / 1024:.2f} KiB per article; "
              f"raw FTS baseline: {raw_size / n / 1024:.2f} KiB per article (built in {raw_build:.1f} s); "
              f"everything else (article text, indexes): {rest / n / 1024:.2f} KiB per article")
    with db.atomic():
        db.execute("DROP TABLE raw_fts")
    db.close()


if __name__ == "__main__":
    main()
