"""`newscrawl writer`: the one process that writes SQLite for a crawl on Redis.

It opens the crawl (or resumes it: a writer killed and started again
carries on the same run), seeds Redis with what claims need to know of the
database, then reads the operations stream with a consumer group: each
batch is applied in one transaction, then acknowledged, and the URLs whose
outcomes it held are released from their leases. Entries a killed writer
had read but not acknowledged are read again first (`0`), and applying
them twice changes nothing. The crawl ends when nothing is queued, leased
or waiting in the stream; the writer then tells the workers, waits for
their figures, writes the run's summary and clears the crawl's keys.
"""

from __future__ import annotations

import logging
import signal
import time
import uuid
from collections import Counter

import redis

from ..crawl.run import _finish_run_in_writer
from . import codec
from .frontier import ARTICLE_SCORE, PAGE_SCORE
from .keys import GROUP
from .scripts import Scripts
from .writer_ops import apply_batch_in_writer, leave_in_writer, op_url, open_run_in_writer, seed_in_writer

logger = logging.getLogger(__name__)

CONSUMER = "writer"
LINGER = 0.25  # seconds a small batch waits for company before it is applied
SEED_CHUNK = 5000


class CrawlWriter:
    def __init__(self, client, keys, writer, rules, settings, keep_alive: bool = False):
        self.client = client
        self.keys = keys
        self.writer = writer
        self.rules = rules
        self.scripts = Scripts(client)
        self.keep_alive = keep_alive
        self.lease_ms = int(settings.getfloat("NEWSCRAWL_LEASE_SECONDS", 60) * 1000)
        self.batch = max(1, settings.getint("NEWSCRAWL_BATCH_SIZE", 100))
        self.pause = settings.getfloat("NEWSCRAWL_KEEP_ALIVE_PAUSE", 900)
        self.run_id: int | None = None
        self.mode = "live"
        self.figures: Counter = Counter()
        self.byes: dict[str, str] = {}
        self.stopping = False
        self._started = time.monotonic()
        self._begun_at: float | None = None  # the first worker's arrival: the crawl's own time starts
        self._worked_at: float | None = None  # the last batch of pages stored: ... and ends (goodbyes aside)

    # --- opening ---------------------------------------------------------------------------
    def open(self) -> int:
        """Resume the crawl in Redis if its writer was killed (its run is still `running`), or
        open a new one; the run's id. A crawl whose run ended (interrupted, failed) is not
        carried on in Redis: it left its unfinished URLs pending in the database, and the
        new run resumes them from there, as every run does."""
        crawl = self.client.hgetall(self.keys.crawl)
        if crawl.get("ready") and not crawl.get("status"):
            previous = int(crawl["run_id"])
            if self.writer.call(lambda w: w.store.run_state(previous)).result() == "running":
                self.run_id, _ = self.writer.call(open_run_in_writer, previous).result()
                self.mode = crawl.get("mode") or "live"
                self._ensure_group()
                logger.warning("resuming the crawl %r on Redis (run %s)", self.keys.name, self.run_id)
                return self.run_id
        self._clear(keep_crawl=False)
        self.run_id, killed_runs = self.writer.call(open_run_in_writer, None).result()
        for run_id in killed_runs:
            logger.warning("run %s was killed (found still running): its unfinished URLs are resumed", run_id)
        self._seed()
        self._ensure_group()
        self.client.hset(self.keys.crawl, mapping={"id": uuid.uuid4().hex, "run_id": self.run_id, "ready": 1,
                                                   "lease_ms": self.lease_ms, "retries_waiting": self._retries_waiting})
        logger.info("crawl %r open on Redis (run %s): waiting for workers", self.keys.name, self.run_id)
        return self.run_id

    def _ensure_group(self) -> None:
        try:
            self.client.xgroup_create(self.keys.ops, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _seed(self) -> None:
        state = self.writer.call(seed_in_writer, self.rules).result()
        self._retries_waiting = sum(1 for value in state["finished"].values() if value.startswith("retry:"))
        self.figures["newscrawl/frontier/gave_up"] += state["gave_up"]
        for key in ("stored", "finished", "validators"):
            items = list(state[key].items())
            for start in range(0, len(items), SEED_CHUNK):
                self.client.hset(getattr(self.keys, key), mapping=dict(items[start:start + SEED_CHUNK]))
        pipe = self.client.pipeline(transaction=False)
        for row in state["unfinished"]:
            score = ARTICLE_SCORE if row["kind"] == "article" else PAGE_SCORE
            payload = {"url": row["url"], "kind": row["kind"], "site": row["site"], "meta": row["meta"], "cond": True, "score": score}
            pipe.hset(self.keys.seen, row["url"], 1)
            pipe.hset(self.keys.reqs, row["url"], codec.dumps(payload))
            pipe.zadd(self.keys.queue, {row["url"]: score})
        pipe.execute()
        resumed = sum(1 for row in state["unfinished"] if row["state"] != "retry")
        self.figures["newscrawl/frontier/resumed"] += resumed
        self.figures["newscrawl/frontier/retried"] += len(state["unfinished"]) - resumed
        if resumed:
            logger.warning("resuming %d URLs an earlier run left unfinished", resumed)

    def _clear(self, keep_crawl: bool) -> None:
        doomed = [key for key in self.client.scan_iter(match=self.keys.prefix + "*", count=1000)
                  if not (keep_crawl and key == self.keys.crawl)]
        for start in range(0, len(doomed), 500):
            self.client.delete(*doomed[start:start + 500])

    # --- the loop --------------------------------------------------------------------------
    def serve(self) -> tuple[str, str]:
        """Write until the crawl ends (or SIGINT / SIGTERM); (status, summary)."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop)
        self._catch_up()
        drained_since = None
        while True:
            if self.stopping:
                self._collect_byes(5.0)
                return self._finish("shutdown")
            if self._read(">", block=500):
                drained_since = None
                continue
            over = self._over()
            if over is None:
                drained_since = None
            elif over != "finished":
                return self._finish(over)
            elif drained_since is None:
                drained_since = time.monotonic()
            elif time.monotonic() - drained_since >= 0.5:
                if self.keep_alive:
                    self._next_round()
                    drained_since = None
                    continue
                self.client.hset(self.keys.crawl, "ending", 1)
                self._collect_byes(self.lease_ms / 1000 + 5)
                return self._finish("finished")

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _catch_up(self) -> None:
        """Entries a killed writer read and never acknowledged come first."""
        while self._read("0", block=None):
            pass

    def _read(self, start: str, block: int | None) -> int:
        entries = self._fetch(start, self.batch, block)
        if entries and start == ">" and len(entries) < self.batch:
            # A few entries: let more gather for a moment, so one commit (and one round of
            # acknowledgements) serves many items rather than one each.
            time.sleep(LINGER)
            entries += self._fetch(start, self.batch - len(entries), None)
        if entries:
            self._apply(entries)
        return len(entries)

    def _fetch(self, start: str, count: int, block: int | None) -> list:
        answer = self.client.xreadgroup(GROUP, CONSUMER, {self.keys.ops: start}, count=count, block=block)
        return answer[0][1] if answer else []

    def _apply(self, entries: list) -> None:
        ids, ops = [], []
        for entry_id, fields in entries:
            ids.append(entry_id)
            if not fields:  # deleted after a commit whose acknowledgement was lost
                continue
            op = codec.loads(fields["d"])
            if op["op"] == "bye":
                self._bye(*op["args"])
            else:
                if op["op"] == "begin":
                    self._begun_at = self._begun_at or time.monotonic()
                    self.mode = op["args"][0]
                    self.client.hset(self.keys.crawl, "mode", self.mode)
                elif op["op"] == "give_up":
                    self.figures["newscrawl/frontier/gave_up"] += 1
                ops.append(op)
        urls = sorted({url for url in map(op_url, ops) if url})
        payloads = dict(zip(urls, self.client.hmget(self.keys.reqs, urls))) if urls else {}
        settled, stored = self.writer.call(apply_batch_in_writer, ops, payloads).result()
        if ops:
            self._worked_at = time.monotonic()
        tally = self.writer.tally
        pipe = self.client.pipeline(transaction=False)
        if settled:
            self.scripts.release(args=[self.keys.prefix, *settled], client=pipe)
        if stored:
            pipe.hset(self.keys.stored, mapping=stored)
        pipe.hset(self.keys.crawl, mapping={"stored": tally.total_stored, "duplicates": tally.total_duplicates,
                                            "rejected": tally.total_rejected})
        pipe.xack(self.keys.ops, GROUP, *ids)
        pipe.xdel(self.keys.ops, *ids)
        pipe.execute()

    def _bye(self, worker: str, reason: str, stats: dict) -> None:
        self.byes[worker] = reason
        for key, value in stats.items():
            if not key.startswith("newscrawl/time/") and key not in ("newscrawl/run_id",):
                self.figures[key] += value

    def _over(self) -> str | None:
        """`finished` when nothing is queued, leased or unwritten; another reason when every
        worker has left with work undone; None while the crawl goes on."""
        if not self.client.hget(self.keys.crawl, "begun"):
            return None
        self.scripts.reap(args=[self.keys.prefix, self.rules.max_attempts])
        now_ms = _redis_ms(self.client)
        pipe = self.client.pipeline(transaction=False)
        pipe.zcard(self.keys.queue)
        pipe.zcard(self.keys.leases)
        pipe.xlen(self.keys.ops)
        pipe.zcount(self.keys.workers, now_ms - 2 * self.lease_ms, "+inf")
        queued, leased, unwritten, live = pipe.execute()
        if not (queued or leased or unwritten):
            return "finished"
        if live or self.keep_alive or not self.byes:
            return None
        return "shutdown" if "shutdown" in self.byes.values() else "workers_left"

    def _collect_byes(self, patience: float) -> None:
        """Read on until every live worker has said goodbye (or `patience` seconds)."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            self._read(">", block=200)
            now_ms = _redis_ms(self.client)
            if not self.client.zcount(self.keys.workers, now_ms - self.lease_ms, "+inf"):
                break
        self._read(">", block=None)

    # --- ending ----------------------------------------------------------------------------
    def _finish(self, reason: str) -> tuple[str, str]:
        """Write the run's status and summary; clear the crawl from Redis when it is over."""
        left = self.client.zrange(self.keys.queue, 0, -1) + self.client.zrange(self.keys.leases, 0, -1)
        if left:
            self.writer.call(leave_in_writer, dict(zip(left, self.client.hmget(self.keys.reqs, left)))).result()
            logger.warning("%d URLs were still queued or leased: the next crawl fetches them", len(left))
        figures = {**self.figures, "newscrawl/redis/workers": len(self.byes),
                   "newscrawl/redis/writer_round_trips": self.client.round_trips,
                   "newscrawl/redis/crawl_seconds": self._crawl_seconds()}
        if reason == "workers_left":
            reason = f"every worker left with {len(left)} URLs unfinished (killed?): the next crawl resumes them"
        status, why, summary = self.writer.call(_finish_run_in_writer, self.mode, reason, figures,
                                                time.monotonic() - self._started).result()
        # The run is over (its unfinished URLs are pending in the database): so is the crawl.
        self._clear(keep_crawl=True)
        self.client.hset(self.keys.crawl, mapping={"status": status, "summary": summary})
        self.client.expire(self.keys.crawl, 3600)
        return status, summary

    def _crawl_seconds(self) -> float:
        """From the first worker's arrival to the last page stored: the crawl's working time,
        without the goodbyes that follow (the measure of pages/s)."""
        begun = self._begun_at or self._started
        return round(max(0.0, (self._worked_at or time.monotonic()) - begun), 3)

    def _next_round(self) -> None:
        """Keep-alive: finish this run, wait, open the next crawl for the workers to join."""
        self.client.hset(self.keys.crawl, "ending", 1)
        self._collect_byes(self.lease_ms / 1000 + 5)
        status, summary = self._finish("finished")
        for line in summary.splitlines():
            logger.info(line)
        deadline = time.monotonic() + self.pause
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(min(1.0, self.pause))
        self.figures, self.byes, self._started, self._begun_at = Counter(), {}, time.monotonic(), None
        self._worked_at = None
        self.writer.tally.restore(type(self.writer.tally)().snapshot())
        self.open()


def _redis_ms(client) -> int:
    seconds, micros = client.time()
    return seconds * 1000 + micros // 1000
