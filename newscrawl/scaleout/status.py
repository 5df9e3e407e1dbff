"""`newscrawl status`: what a crawl on Redis is doing, read from Redis alone (no password shown)."""

from __future__ import annotations

from collections import Counter

from .keys import GROUP


def crawl_status(client, keys) -> dict:
    crawl = client.hgetall(keys.crawl)
    seconds, micros = client.time()
    now_ms = seconds * 1000 + micros // 1000
    lease_ms = int(crawl.get("lease_ms") or 60000)
    pipe = client.pipeline(transaction=False)
    pipe.zcard(keys.queue)
    pipe.zcard(keys.leases)
    pipe.hgetall(keys.owner)
    pipe.zrange(keys.workers, 0, -1, withscores=True)
    pipe.xlen(keys.ops)
    queued, leased, owners, workers, waiting = pipe.execute()
    try:
        unacknowledged = client.xpending(keys.ops, GROUP)["pending"]
    except Exception:  # noqa: BLE001 - no stream or group yet: nothing is pending
        unacknowledged = 0
    by_worker = Counter(owners.values())
    return {
        "crawl": keys.name,
        "state": _state(crawl),
        "run_id": int(crawl["run_id"]) if crawl.get("run_id") else None,
        "queued": queued,
        "leased": leased,
        "workers": [
            {"worker": worker, "leases": by_worker.get(worker, 0), "last_heartbeat_s": round((now_ms - beat) / 1000, 1),
             "alive": now_ms - beat <= lease_ms}
            for worker, beat in workers
        ],
        "waiting_for_writer": waiting,
        "read_not_committed": unacknowledged,
        "stored": int(crawl.get("stored") or 0),
        "duplicates": int(crawl.get("duplicates") or 0),
        "rejected": int(crawl.get("rejected") or 0),
        "retries_waiting": int(crawl.get("retries_waiting") or 0),
    }


def _state(crawl: dict) -> str:
    if not crawl:
        return "no crawl (start `newscrawl writer`)"
    if crawl.get("status"):
        return f"ended: {crawl['status']}"
    if crawl.get("ending"):
        return "ending: waiting for the workers' figures"
    if crawl.get("begun"):
        return "running"
    return "open: waiting for workers" if crawl.get("ready") else "opening"


def format_status(figures: dict) -> str:
    lines = [f"crawl {figures['crawl']!r}: {figures['state']}" + (f" (run {figures['run_id']})" if figures["run_id"] else ""),
             f"  queue: {figures['queued']} requests waiting, {figures['leased']} leased",
             f"  writer: {figures['waiting_for_writer']} items and outcomes waiting in the stream "
             f"({figures['read_not_committed']} read, not yet committed)",
             f"  stored {figures['stored']} articles, {figures['duplicates']} duplicates, {figures['rejected']} rejected this run; "
             f"{figures['retries_waiting']} URLs wait for a retry"]
    alive = [w for w in figures["workers"] if w["alive"]]
    lines.append(f"  workers: {len(alive)} alive" + ("" if figures["workers"] else " (none has joined)"))
    for w in figures["workers"]:
        state = "alive" if w["alive"] else "silent (dead? its leases return to the queue)"
        lines.append(f"    {w['worker']}: {w['leases']} leases, last heartbeat {w['last_heartbeat_s']}s ago, {state}")
    return "\n".join(lines)
