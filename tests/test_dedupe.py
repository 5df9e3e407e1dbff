"""Exact duplicates, through the writer: one article per normalised body, first-published wins."""

from newscrawl.analysis.signatures import body_hash
from newscrawl.items import empty_article

from .conftest import query, signed

BODY = "Các khu công nghiệp sinh thái đang thu hút FDI xanh. " * 10


def article(url, published, body=BODY):
    return signed(empty_article(url=url, site="baodautu", title="Tiêu đề " + url[-8:], body=body, published=published))


def test_hash_ignores_form_accents_and_spacing():
    assert body_hash("Hòa  Bình\n\nĐiện gió") == body_hash("hoà bình điện gió".replace("hoà", "ho\u0300a"))


def test_same_url_twice_in_a_run_is_handled_once(make_writer, db_path):
    writer = make_writer()
    writer.write(article("https://baodautu.vn/a-d1.html", "2025-06-01T00:00:00+07:00"))
    writer.write(article("https://baodautu.vn/a-d1.html", "2025-06-01T00:00:00+07:00"))
    writer.commit()
    assert query(db_path, "SELECT count(*) FROM articles") == [(1,)]
    assert writer.tally.stored["baodautu"] == 1 and writer.tally.again["baodautu"] == 1


def test_later_copy_of_a_body_is_a_duplicate(make_writer, db_path):
    writer = make_writer()
    writer.write(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    writer.write(article("https://baodautu.vn/copy-d2.html", "2025-06-20T00:00:00+07:00"))
    writer.commit()
    assert query(db_path, "SELECT url, duplicate_of, kind FROM duplicates") == [
        ("https://baodautu.vn/copy-d2.html", "https://baodautu.vn/first-d1.html", "exact")]
    assert query(db_path, "SELECT url FROM articles") == [("https://baodautu.vn/first-d1.html",)]


def test_earlier_copy_arriving_second_takes_over_and_the_tally_follows(make_writer, db_path):
    writer = make_writer()
    writer.write(article("https://baodautu.vn/copy-d2.html", "2025-06-20T00:00:00+07:00"))
    writer.write(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    writer.commit()
    assert query(db_path, "SELECT url, duplicate_of FROM duplicates") == [("https://baodautu.vn/copy-d2.html", "https://baodautu.vn/first-d1.html")]
    assert query(db_path, "SELECT url FROM articles") == [("https://baodautu.vn/first-d1.html",)]
    # The demoted article was stored by this run: the tally takes it back.
    assert (writer.tally.stored["baodautu"], writer.tally.changes["baodautu"]["new"], writer.tally.duplicates["baodautu"]) == (1, 1, 1)


def test_stored_bodies_are_known_in_the_next_run(make_writer, db_path):
    first = make_writer()
    first.write(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    first.close()
    second = make_writer()  # a new run: nothing in memory
    second.write(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))  # itself: fine
    second.write(article("https://baodautu.vn/copy-d2.html", "2025-07-01T00:00:00+07:00"))
    second.commit()
    assert query(db_path, "SELECT url FROM duplicates") == [("https://baodautu.vn/copy-d2.html",)]
    assert second.tally.changes["baodautu"]["unchanged"] == 1 and second.tally.duplicates["baodautu"] == 1


def test_an_earlier_run_article_demoted_is_counted_as_such(make_writer, db_path):
    first = make_writer()
    first.write(article("https://baodautu.vn/copy-d2.html", "2025-06-20T00:00:00+07:00"))
    first.close()
    second = make_writer()
    second.write(article("https://baodautu.vn/first-d1.html", "2025-06-01T00:00:00+07:00"))
    second.commit()
    tally = second.tally
    assert (tally.stored["baodautu"], tally.duplicates["baodautu"], tally.demoted["baodautu"]) == (1, 1, 1)
    assert query(db_path, "SELECT url FROM articles") == [("https://baodautu.vn/first-d1.html",)]
