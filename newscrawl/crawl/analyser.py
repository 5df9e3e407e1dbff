"""Per-page work that needs nothing but the page, done in a worker process.

Scrapy's reactor runs on one core; decoding, parsing and cleaning a page,
and the article's body hash, topic score and MinHash signature are pure CPU
work that needs no crawl state. `PageAnalyser` sends them to worker
processes (NEWSCRAWL_PARSE_WORKERS, default one: the machine's other core)
and the spider awaits the result without blocking the reactor.

The pipelines keep their own logic: the worker's results are left in a
small memo (`remember` / `recall`) keyed by the exact text they were
computed from, and a stage takes a result from it only when its input is
that same text, otherwise it computes as usual. So nothing changes when
there are no workers, and nothing can go stale.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..analysis.blocked import TEASER_CHARS, blocked_reason
from ..analysis.encoding import decode_html
from ..sites.extract import extract_article

logger = logging.getLogger(__name__)

_MEMO: dict[tuple, object] = {}
_MEMO_LIMIT = 2000  # items dropped before a stage took their results must not pile up


def remember(kind: str, key, value) -> None:
    _MEMO[(kind, key)] = value
    while len(_MEMO) > _MEMO_LIMIT:
        _MEMO.pop(next(iter(_MEMO)))


def recall(kind: str, key):
    """The result computed elsewhere for exactly this input, or None (taken once)."""
    return _MEMO.pop((kind, key), None)


_TAXONOMY = None


def _taxonomy(topics_file: str | None):
    global _TAXONOMY
    if _TAXONOMY is None:
        from ..analysis.topics import Taxonomy

        _TAXONOMY = Taxonomy.load(topics_file)
    return _TAXONOMY


def analyse_page(body: bytes, content_type: str, status: int, headers: dict, url: str, topics_file: str | None = None) -> dict:
    """Everything about one article page that depends on the page alone.

    Returns `codec`, and either `fields` (cleaned Article fields) with
    `precomputed` results for the dedupe, topics and near-duplicate stages,
    or `blocked` (a challenge, wall or empty page) or `error`.
    """
    from ..analysis import signatures as neardup
    from ..analysis.clean import clean_fields
    from ..pipelines.dedupe import body_hash

    html, codec = decode_html(body, content_type)
    try:
        fields = extract_article(html, url)
    except Exception as exc:  # reported by the spider as a parse_error reject
        fields, error = None, f"parse_error: {type(exc).__name__}: {exc}"
    # A page whose parser found a full article is content; only a short or
    # missing body is worth the (costly) look for a challenge, wall or void.
    if fields is None or len(fields.get("body") or "") < TEASER_CHARS:
        blocked = blocked_reason(status, headers, html, url=url)
        if blocked:
            return {"codec": codec, "blocked": blocked}
    if fields is None:
        return {"codec": codec, "error": error}
    clean_fields(fields)
    text = fields["body"]
    shingles = neardup.shingles(text)
    signature = neardup.signature(shingles) if shingles else None
    precomputed = {
        "body_hash": body_hash(text),
        "topics": _taxonomy(topics_file).score(fields["title"], fields["summary"], text),
        "near": (len(shingles), signature, neardup.band_keys(signature) if signature is not None else None),
    }
    return {"codec": codec, "fields": fields, "precomputed": precomputed}


def _die_with_parent(parent: int) -> None:
    """Worker initializer: when the crawl dies (even by SIGKILL), its workers die too,
    instead of lingering and holding its output pipes open."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker exits when its queue breaks
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _warm_up(topics_file: str | None) -> int:
    _taxonomy(topics_file)
    return os.getpid()


class PageAnalyser:
    """Runs `analyse_page` in worker processes, or inline with `workers=0`."""

    def __init__(self, workers: int = 1, topics_file: str | None = None):
        self.topics_file = topics_file
        self.pool = None
        if workers > 0:
            # spawn: a fork of a process running a reactor and threads is not safe.
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_die_with_parent, initargs=(os.getpid(),))
            self.pool.submit(_warm_up, topics_file)  # imports happen while the crawl starts

    async def analyse(self, body: bytes, content_type: str, status: int, headers: dict, url: str) -> dict:
        result = None
        if self.pool is not None:
            try:
                future = self.pool.submit(analyse_page, body, content_type, status, headers, url, self.topics_file)
                result = await asyncio.wrap_future(future)
            except BrokenProcessPool:  # a worker was killed (out of memory?): carry on inline
                logger.warning("the parse worker died; parsing in the crawl process from now on")
                self.close()
        if result is None:
            result = analyse_page(body, content_type, status, headers, url, self.topics_file)
        fields = result.get("fields")
        if fields is not None:
            pre = result["precomputed"]
            text = fields["body"]
            remember("cleaned", (fields["title"], fields["summary"], text), True)
            remember("body_hash", text, pre["body_hash"])
            remember("topics", (fields["title"], fields["summary"], text), pre["topics"])
            remember("near", text, pre["near"])
        return result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
