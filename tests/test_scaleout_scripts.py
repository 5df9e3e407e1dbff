"""The Redis side of scale-out, one operation at a time, on a real redis-server: claims,
leases and their expiry, releases, per-host slots; URLs without passwords."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from newscrawl.crawl.frontier import Claim, Rules
from newscrawl.scaleout.connection import RedisUnavailable, connect
from newscrawl.scaleout.urls import check_url, redact
from newscrawl.scaleout.frontier import RedisFrontier
from newscrawl.scaleout.keys import CrawlKeys
from newscrawl.scaleout.outbox import Outbox
from newscrawl.scaleout.queue import conditional_headers
from newscrawl.scaleout.scripts import Scripts

from .redis_server import RedisServer, free_port

A = "https://baodautu.vn/a-d1.html"
B = "https://baodautu.vn/b-d2.html"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture
def crawl(redis_url):
    client = connect(redis_url)
    keys = CrawlKeys("t" + str(time.monotonic_ns()))
    yield client, keys, Scripts(client)
    for key in client.scan_iter(match=keys.prefix + "*"):
        client.delete(key)


class Posted:
    """Stands in for the stream client: what the frontier sent; claims go straight to Redis."""

    on_failure = None

    def __init__(self, client):
        self.sent = []
        self.outbox = Outbox(client)

    def post(self, fn, *args):
        self.sent.append((fn.__name__, args))


def run(coroutine):
    return asyncio.run(coroutine)


def frontier(crawl, **rules):
    client, keys, scripts = crawl
    return RedisFrontier(Posted(client), client, keys, scripts, Rules(**rules))


def test_two_claims_of_one_url_have_one_winner_and_it_is_queued(crawl):
    client, keys, _ = crawl
    first = run(frontier(crawl).claim_articles([Claim(A, "baodautu", {"depth": 0})]))
    second = run(frontier(crawl).claim_articles([Claim(A, "baodautu", {"depth": 0})]))
    assert first == [{}] and second == [None]
    assert client.zrange(keys.queue, 0, -1) == [A]
    assert json.loads(client.hget(keys.reqs, A))["meta"] == {"depth": 0}


def test_claims_skip_what_earlier_runs_settled_as_the_database_would(crawl):
    client, keys, _ = crawl
    client.hset(keys.stored, A, "2026-01-01T00:00:00+07:00")
    client.hset(keys.finished, B, "failed")
    f = frontier(crawl)
    assert run(f.claim_articles([Claim(A, "baodautu", {}), Claim(B, "baodautu", {})])) == [None, None]
    assert run(f.claim_related([Claim(A, "baodautu", {})])) == ["already_stored"]
    # A sitemap saying the page changed after it was stored: fetched again.
    C = "https://baodautu.vn/c-d3.html"
    client.hset(keys.stored, C, "2026-01-01T00:00:00+07:00")
    assert run(f.claim_articles([Claim(C, "baodautu", {}, "2026-02-01T00:00:00+07:00")])) == [{}]
    refreshing = frontier(crawl, refresh=True)
    client.hdel(keys.seen, A)
    assert run(refreshing.claim_articles([Claim(A, "baodautu", {})])) == [{}]


def test_a_url_waiting_for_a_retry_is_not_claimed_before_its_time(crawl):
    client, keys, _ = crawl
    client.hset(keys.finished, A, "retry:2999-01-01T00:00:00+07:00")
    client.hset(keys.finished, B, "retry:2000-01-01T00:00:00+07:00")
    f = frontier(crawl)
    assert run(f.claim_related([Claim(A, "baodautu", {}), Claim(B, "baodautu", {})])) == ["retry_later", None]


def test_an_unfetchable_url_is_one_reject_not_a_request(crawl):
    client, keys, _ = crawl
    f = frontier(crawl)
    long_url = "https://baodautu.vn/" + "x" * 3000 + "-d9.html"
    assert run(f.claim_articles([Claim(long_url, "baodautu", {})])) == [None]
    assert run(f.claim_articles([Claim(long_url, "baodautu", {})])) == [None]
    assert [name for name, _ in f.writer.sent] == ["_reject_in_writer"]
    assert client.zcard(keys.queue) == 0


def test_a_lease_expires_back_to_the_queue_and_a_page_that_keeps_killing_workers_is_given_up(crawl):
    client, keys, scripts = crawl
    client.hset(keys.reqs, A, json.dumps({"url": A, "kind": "article", "site": "baodautu", "meta": {}, "score": 0}))
    client.zadd(keys.queue, {A: 0})
    for attempt in range(1, 3):
        url, payload, _, _ = scripts.pop(args=[keys.prefix, "w1", 50, 3, 4])
        assert url == A and client.zcard(keys.queue) == 0 and client.hget(keys.owner, A) == "w1"
        time.sleep(0.1)  # w1 died: no heartbeat renews the lease
        assert scripts.reap(args=[keys.prefix, 3]) == 1
        assert client.zrange(keys.queue, 0, -1) == [A], attempt
    scripts.pop(args=[keys.prefix, "w2", 50, 3, 1])
    time.sleep(0.1)
    scripts.reap(args=[keys.prefix, 3])
    assert client.zcard(keys.queue) == 0
    entries = client.xrange(keys.ops)
    assert [json.loads(fields["d"]) for _, fields in entries] == [{"op": "give_up", "args": [A, 3]}]


def test_a_live_worker_keeps_its_leases_and_a_release_ends_them(crawl):
    client, keys, scripts = crawl
    for url in (A, B):
        client.hset(keys.reqs, url, json.dumps({"url": url, "kind": "article", "site": None, "meta": {}, "score": 0}))
        client.zadd(keys.queue, {url: 0})
    assert scripts.pop(args=[keys.prefix, "w1", 300, 5, 1])[0] == A
    assert scripts.pop(args=[keys.prefix, "w1", 300, 5, 1])[0] == B
    assert scripts.pop(args=[keys.prefix, "w1", 300, 5, 1]) == []
    for _ in range(3):
        time.sleep(0.15)
        scripts.renew(args=[keys.prefix, "w1", 300])
    assert scripts.reap(args=[keys.prefix, 5]) == 0 and client.zcard(keys.leases) == 2
    scripts.release(args=[keys.prefix, A])
    assert client.zrange(keys.leases, 0, -1) == [B] and not client.hexists(keys.reqs, A)
    assert scripts.return_leases(args=[keys.prefix, "w1"]) == 1
    assert client.zrange(keys.queue, 0, -1) == [B] and client.zcard(keys.leases) == 0


def test_host_slots_space_requests_and_cap_them_across_workers(crawl):
    client, keys, scripts = crawl

    def ask(token, host="baodautu.vn"):
        return scripts.host_slot(args=[keys.prefix, host, 200, 2, token, 5000])

    assert ask("t0") == 0  # go
    wait = ask("t1")
    assert 150 <= wait <= 200  # not before the delay has passed; nothing taken meanwhile
    assert ask("x", "vnexpress.net") == 0  # another host does not wait
    time.sleep(wait / 1000 + 0.01)
    assert ask("t1") == 0
    time.sleep(0.21)
    assert ask("t2") == -1  # two in flight: the third waits for one to end
    client.zrem(keys.host_slots("baodautu.vn"), "t0")
    assert ask("t2") == 0


def test_conditional_headers_follow_the_single_process_rules():
    validators = json.dumps(['"abc"', "Mon, 01 Jan 2026 00:00:00 GMT"])
    page = {"kind": "listing", "cond": True}
    assert conditional_headers(page, validators, 0) == {"If-None-Match": '"abc"', "If-Modified-Since": "Mon, 01 Jan 2026 00:00:00 GMT"}
    assert conditional_headers({**page, "cond": False}, validators, 0) == {}  # a refresh reads listings in full
    assert conditional_headers({"kind": "article", "cond": True}, validators, 0) == {}  # not stored: nothing to compare
    assert conditional_headers({"kind": "article", "cond": True}, validators, 1)["If-None-Match"] == '"abc"'


def test_urls_are_shown_without_their_password():
    assert redact("redis://crawler:s3cret@10.0.0.5:6379/0") == "redis://crawler:***@10.0.0.5:6379/0"
    assert redact("rediss://:s3cret@redis.lan/1") == "rediss://:***@redis.lan/1"
    assert redact("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    with pytest.raises(ValueError, match=r"^http://u:\*\*\*@x/ is not a Redis URL"):
        check_url("http://u:s3cret@x/")


def test_redis_down_is_one_line_naming_the_url_without_its_password():
    with pytest.raises(RedisUnavailable) as caught:
        connect(f"redis://crawler:s3cret@127.0.0.1:{free_port()}/0")
    message = caught.value.format_message()
    assert "s3cret" not in message and "cannot reach Redis at redis://crawler:***@127.0.0.1" in message
    assert "\n" not in message
