import json

import pytest

from newscrawl.analysis import signatures as neardup
from newscrawl.items import empty_article
from newscrawl.pipelines import Duplicate
from newscrawl.pipelines.neardup import NearDedupePipeline
from newscrawl.store.schema import Store

from .conftest import FIXTURES, query

PAIRS = json.loads((FIXTURES.parent / "tests" / "data" / "near_dup_pairs.json").read_text(encoding="utf-8"))["pairs"]


def judge(a: str, b: str) -> bool:
    sa, sb = neardup.shingles(a), neardup.shingles(b)
    return neardup.story_similarity(neardup.signature(sa), len(sa), neardup.signature(sb), len(sb))[0]


def test_labelled_set_precision_and_recall():
    assert len(PAIRS) >= 30 and {p["same_story"] for p in PAIRS} == {True, False}
    tp = sum(1 for p in PAIRS if p["same_story"] and judge(p["a"], p["b"]))
    fp = sum(1 for p in PAIRS if not p["same_story"] and judge(p["a"], p["b"]))
    fn = sum(1 for p in PAIRS if p["same_story"] and not judge(p["a"], p["b"]))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # Measured: precision 1.00, recall 0.89 (25 of 28); the misses keep a third of the text.
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)


def test_signatures_are_stable_and_round_trip():
    text = PAIRS[0]["a"]
    one, two = neardup.signature(neardup.shingles(text)), neardup.signature(neardup.shingles(text))
    assert (one == two).all() and (neardup.from_blob(neardup.to_blob(one)) == one).all()
    assert len(neardup.band_keys(one)) == neardup.BANDS




def article(url, published, body):
    return empty_article(url=url, site="x", title="t", body=body, published=published)


@pytest.fixture
def stage(db_path):
    store = Store(db_path)
    yield NearDedupePipeline(store, threshold=0.5)
    store.close()


def test_edited_copy_is_a_near_duplicate_and_different_story_is_kept(stage):
    original = PAIRS[2]  # a pair whose edit keeps most of the text
    stage.process_item(article("https://a.vn/original", "2025-06-01T00:00:00+07:00", original["a"]))
    with pytest.raises(Duplicate) as caught:
        stage.process_item(article("https://b.vn/copy", "2025-06-02T00:00:00+07:00", original["b"]))
    assert caught.value.kind == "near" and caught.value.duplicate_of == "https://a.vn/original" and 0.5 <= caught.value.similarity <= 1
    other = next(p for p in PAIRS if not p["same_story"])
    stage.process_item(article("https://c.vn/other", "2025-06-03T00:00:00+07:00", other["b"]))


def test_index_survives_between_runs(db_path):
    pair = PAIRS[2]
    store = Store(db_path)
    first = NearDedupePipeline(store)
    store.add_article(first.process_item(article("https://a.vn/original", "2025-06-01T00:00:00+07:00", pair["a"])))
    store.close()
    store = Store(db_path)  # a new run: nothing in memory
    with pytest.raises(Duplicate):
        NearDedupePipeline(store).process_item(article("https://b.vn/copy", "2025-06-05T00:00:00+07:00", pair["b"]))
    store.close()


def test_first_published_copy_stays(db_path):
    pair = PAIRS[2]
    store = Store(db_path)
    stage = NearDedupePipeline(store)
    store.add_article(stage.process_item(article("https://b.vn/later", "2025-06-05T00:00:00+07:00", pair["b"])))
    store.add_article(stage.process_item(article("https://a.vn/earlier", "2025-06-01T00:00:00+07:00", pair["a"])))
    store.close()
    assert query(db_path, "SELECT url FROM articles") == [("https://a.vn/earlier",)]
    (url, of, kind, sim), = query(db_path, "SELECT url, duplicate_of, kind, similarity FROM duplicates")
    assert (url, of, kind) == ("https://b.vn/later", "https://a.vn/earlier", "near") and sim >= 0.5
    assert query(db_path, "SELECT count(*) FROM near_index WHERE url = 'https://b.vn/later'") == [(0,)]


def test_short_bodies_are_not_judged(stage):
    stage.process_item(article("https://a.vn/1", None, "Tin ngắn về điện gió."))
    stage.process_item(article("https://a.vn/2", None, "Tin ngắn về điện gió."))
