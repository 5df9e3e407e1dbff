import pytest
from scrapy.exceptions import DropItem

from newscrawl.items import empty_article
from newscrawl.pipelines import Duplicate
from newscrawl.pipelines.dedupe import ExactDedupePipeline, body_hash
from newscrawl.store.schema import Store

from .conftest import query

BODY = "Các khu công nghiệp sinh thái đang thu hút FDI xanh. " * 10


def article(url, published, body=BODY):
    return empty_article(url=url, site="baodautu", title="Tiêu đề " + url[-8:], body=body, published=published)


@pytest.fixture
def pipeline(db_path):
    store = Store(db_path)
    stage = ExactDedupePipeline(store)
    stage.open_spider()
    yield stage
    store.close()


def test_hash_ignores_form_accents_and_spacing():
    assert body_hash("Hòa  Bình\n\nĐiện gió") == body_hash("hoà bình điện gió".replace("hoà", "ho\u0300a"))


def test_same_url_twice_in_a_run_is_dropped(pipeline):
    pipeline.process_item(article("https://baodautu.vn/a-d1.html", "2025-06-01T00:00:00+07:00"))
    with pytest.raises(DropItem):
        pipeline.process_item(article("https://baodautu.vn/a-d1.html", "2025-06-01T00:00:00+07:00"))


def test_later_copy_of_a_body_is_a_duplicate(pipeline):
    pipeline.process_item(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    with pytest.raises(Duplicate) as caught:
        pipeline.process_item(article("https://baodautu.vn/copy-d2.html", "2025-06-20T00:00:00+07:00"))
    assert caught.value.duplicate_of == "https://baodautu.vn/first-d1.html" and caught.value.kind == "exact"


def test_earlier_copy_arriving_second_takes_over(pipeline, db_path):
    pipeline.store.add_article(pipeline.process_item(article("https://baodautu.vn/copy-d2.html", "2025-06-20T00:00:00+07:00")))
    pipeline.process_item(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    pipeline.store.flush()
    assert query(db_path, "SELECT url, duplicate_of FROM duplicates") == [("https://baodautu.vn/copy-d2.html", "https://baodautu.vn/first-d1.html")]
    assert query(db_path, "SELECT count(*) FROM articles") == [(0,)]


def test_stored_bodies_are_known_in_the_next_run(db_path):
    store = Store(db_path)
    first = ExactDedupePipeline(store)
    first.open_spider()
    store.add_article(first.process_item(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00")))
    store.flush()
    second = ExactDedupePipeline(store)
    second.open_spider()
    second.process_item(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))  # itself: fine
    with pytest.raises(Duplicate):
        second.process_item(article("https://baodautu.vn/copy-d2.html", "2025-07-01T00:00:00+07:00"))
    store.close()
