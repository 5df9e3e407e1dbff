"""Starting the writer process, and `newscrawl crawl --redis`: a writer and N workers on one machine.

The crawl command starts `newscrawl writer` and N `newscrawl worker`
processes (the Redis URL goes to them in the environment, never on their
command lines, where `ps` would show a password), prints one progress line
from Redis every few seconds, and ends with the writer's summary and exit
code. Ctrl-C reaches every process; each stops as it would alone.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

import click
from redis.exceptions import RedisError

from ..crawl.lock import AlreadyRunning, RunLock
from ..crawl.run import archive_path, crawl_rules
from ..store.writer import Writer, WriterFailed
from .connection import connect
from .keys import CrawlKeys
from .status import crawl_status
from .urls import redact

REDIS_LOST = ("Redis at {url} did not come back ({error}): start it, then the writer; the run resumes and "
              "nothing committed or waiting in Redis's append-only file is lost")
WRITER_FAILED = ("the database could not be written ({error}): free disk space or fix the file, then start the writer "
                 "again; it resumes the run, and nothing the workers sent is lost (it waits in Redis)")


def run_writer(settings, url: str, crawl_name: str, keep_alive: bool, verbose: bool) -> tuple[str, str]:
    """The writer process's whole life: lock, database, crawl, summary; (status, summary)."""
    from .writer_process import CrawlWriter

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    client = connect(url, settings.getfloat("NEWSCRAWL_REDIS_PATIENCE", 120))
    db = settings.get("NEWSCRAWL_DB")
    try:
        lock = RunLock(db).acquire()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    try:
        writer = Writer(db, settings, archive_path(settings)).start()
        try:
            crawl = CrawlWriter(client, CrawlKeys(crawl_name), writer, crawl_rules(settings), settings, keep_alive)
            crawl.open()
            click.echo(f"writer: crawl {crawl_name!r} on Redis {redact(url)} into {db} (run {crawl.run_id})", err=True)
            return crawl.serve()
        except WriterFailed as exc:
            return "failed", f"writer stopped: {WRITER_FAILED.format(error=exc)}"
        except RedisError as exc:
            return "failed", f"writer stopped: {REDIS_LOST.format(url=redact(url), error=exc)}"
        finally:
            try:
                writer.close()
            except WriterFailed:
                pass
    finally:
        lock.release()


def crawl_on_redis(sites, url: str, workers: int, db: str | None, crawl_name: str, worker_options: list[str],
                   overrides: tuple[str, ...], keep_alive: bool, interval: float = 5.0) -> tuple[int, str]:
    """Run a writer and `workers` workers to the end of the crawl; (exit code, summary)."""
    client = connect(url, patience=5)  # Redis down: one line, exit 1, nothing started
    keys = CrawlKeys(crawl_name)
    env = {**os.environ, "NEWSCRAWL_REDIS_URL": url}
    base = [sys.executable, "-m", "newscrawl"]
    sets = [arg for o in overrides for arg in ("--set", o)]
    alive = ["--keep-alive"] if keep_alive else []
    writer_cmd = base + ["writer", "--crawl", crawl_name, *(["--db", db] if db else []), *sets, *alive]
    worker_cmd = base + ["worker", *sites, "--crawl", crawl_name, *worker_options, *sets, *alive,
                         "--set", "NEWSCRAWL_PROGRESS=False"]
    writer = subprocess.Popen(writer_cmd, env=env, stdout=subprocess.PIPE, text=True)
    started = [subprocess.Popen(worker_cmd, env=env, stdout=subprocess.DEVNULL) for _ in range(workers)]
    children = [writer, *started]
    # Ctrl-C reaches every process of the terminal's group: the children stop their own way
    # (a second one forces them) and this one waits for them. SIGTERM is passed on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: [p.send_signal(signal.SIGTERM) for p in children if p.poll() is None])
    while writer.poll() is None:
        _wait(writer, interval)
        if writer.poll() is None:
            _progress(client, keys)
    summary = writer.communicate()[0].strip()
    for process in started:
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.terminate()
    return writer.returncode, summary


def _wait(process, seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass


def _progress(client, keys) -> None:
    try:
        f = crawl_status(client, keys)
    except Exception:  # noqa: BLE001 - Redis restarting: the processes ride it out; so does the line
        return
    alive = sum(1 for w in f["workers"] if w["alive"])
    click.echo(f"  ... {alive} workers, {f['queued']} queued, {f['leased']} leased, {f['waiting_for_writer']} waiting for the writer; "
               f"{f['stored']} stored, {f['duplicates']} duplicates, {f['rejected']} rejected", err=True)


__all__ = ["crawl_on_redis", "run_writer"]
