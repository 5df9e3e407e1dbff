"""What the writer process does on the writer's thread: the stream's operations applied to SQLite.

Each function runs inside the writer's open transaction (see
`store/writer.py`); `apply_batch` commits at its end, so a batch of stream
entries is applied all or nothing and acknowledged only after. Applying an
entry twice (a writer killed between commit and acknowledgement) changes
nothing: items already handled this run count as `again`, marks are states.
"""

from __future__ import annotations

import json
import logging

from ..crawl.frontier import _unfinished_in_writer
from ..store.writer import Writer
from .stream import SENDABLE

logger = logging.getLogger(__name__)

# Operations after which the writer has the URL's outcome: its lease is released.
TERMINAL = {"mark", "transient", "reject", "not_modified", "page_done", "item", "leave", "give_up"}


def op_url(op: dict) -> str | None:
    """The frontier URL an operation is about."""
    args = op.get("args") or []
    if op["op"] == "item":
        return args[0].get("url") if args and isinstance(args[0], dict) else None
    return args[0] if args and isinstance(args[0], str) else None


def open_run_in_writer(writer, resume_id: int | None) -> tuple[int, list[int]]:
    """A new run (and the runs found still running marked killed), or run `resume_id` again."""
    store = writer.store
    if resume_id is not None:
        saved = store.resume_run(resume_id)
        if saved:
            writer.tally.load_json(saved)
        writer.commit_now()
        return resume_id, []
    run_id = store.start_run("live", [])
    killed = store.mark_killed_runs()
    writer.commit_now()
    return run_id, killed


def seed_in_writer(writer, rules) -> dict:
    """What Redis needs to claim as this database would: unfinished URLs (now pending in this
    run), stored articles, settled URLs and HTTP validators."""
    unfinished, gave_up = _unfinished_in_writer(writer, rules)
    stored, settled, validators = writer.store.crawl_state()
    state = {
        "unfinished": unfinished,
        "gave_up": gave_up,
        "stored": {url: fetched for url, fetched in stored},
        "finished": {url: (f"retry:{not_before or ''}" if state == "retry" else state) for url, state, not_before in settled},
        "validators": {url: json.dumps([etag, modified]) for url, etag, modified in validators},
    }
    writer.commit_now()
    return state


def _ensure_row(writer, url: str, payload: str | None) -> None:
    """The URL's frontier row in this run (claims were made in Redis, not here)."""
    store = writer.store
    row = store.frontier_row(url)
    if row is not None and row[1] == store.run_id:
        return
    request = json.loads(payload) if payload else {"kind": "article", "site": None, "meta": {}}
    store.add_to_frontier(url, request["kind"], request.get("site"), request.get("meta") or {})


def apply_batch_in_writer(writer, ops: list[dict], payloads: dict[str, str | None]) -> tuple[list[str], dict[str, str]]:
    """Apply the operations in order and commit; (URLs settled, {stored article URL: fetched_at})."""
    settled: list[str] = []
    stored: dict[str, str] = {}
    for op in ops:
        name, args, url = op["op"], op.get("args") or [], op_url(op)
        if name == "begin":
            writer.store.describe_run(args[0], args[1])
            continue
        if url is None:
            logger.warning("an operation %r without a URL was skipped", name)
            continue
        if name != "archive":
            _ensure_row(writer, url, payloads.get(url))
        if name == "item":
            Writer._process_item(writer, args[0])
            fetched = writer.store.fetched_at(url)
            if fetched:
                stored[url] = fetched
        elif name == "leave":
            logger.warning("a worker could not finish %s (%s): the next run tries it again", url, args[1] if len(args) > 1 else "")
        elif name == "give_up":
            writer.store.mark(url, "failed", f"gave up after {args[1]} interrupted attempts")
        elif name in SENDABLE:
            SENDABLE[name](writer, *args)
        else:
            logger.warning("an unknown operation %r was skipped", name)
            continue
        if name in TERMINAL:
            settled.append(url)
    writer.store.save_progress(writer.tally.to_json())
    writer.commit_now()
    return settled, stored


def leave_in_writer(writer, payloads: dict[str, str | None]) -> None:
    """URLs still queued or leased when a run ends: pending, for the next run to fetch."""
    for url, payload in payloads.items():
        _ensure_row(writer, url, payload)
    writer.commit_now()
