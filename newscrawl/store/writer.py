"""The one writer: the only owner of the database connection, on a thread of its own.

Everything that touches the database arrives here as an operation on one
queue, applied in order on the writer's thread: the frontier's claims and
marks, HTTP validators, pages for the archive, and the analysed items, which
run through the writer stages (exact and near dedupe, store) and end as one
outcome (see `outcomes.py`). Operations run inside an open transaction that
is committed every `batch_size` items or `commit_seconds`, whichever comes
first, so a page's frontier row turns `done` in the same transaction as its
article, and a crash loses at most the open batch, never half of it. SQLite
does its work with the interpreter lock released, so storing overlaps with
the crawl's own thread instead of stalling it.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings, Settings

from ..items import Duplicate, Rejected
from ..pipelines import build_stages
from .archive import PageArchive
from .outcomes import Outcomes
from .tables import Store
from .tally import RunTally

logger = logging.getLogger(__name__)

_STOP = object()


class WriterFailed(RuntimeError):
    """The database could not be written; the open batch was rolled back."""


class Writer:
    def __init__(self, path: str | Path, settings: BaseSettings | None = None, archive_path: str | Path | None = None):
        """The writer stages, batch size and commit interval come from `settings`."""
        self.path = Path(path)
        self.settings = settings if settings is not None else Settings()
        self.batch_size = max(1, self.settings.getint("NEWSCRAWL_BATCH_SIZE", 100))
        self.commit_seconds = self.settings.getfloat("NEWSCRAWL_COMMIT_SECONDS", 2.0)
        self.archive_path = archive_path
        self.tally = RunTally()
        self._committed = self.tally.snapshot()  # the tally as of the last commit
        self.store: Store | None = None
        self.outcomes: Outcomes | None = None
        self.archive = None
        self.stages: list = []
        self.failure: BaseException | None = None
        self.on_failure = None  # called (on the writer's thread) with the error that stopped it
        self._queue: queue.Queue = queue.Queue()
        self._opened: Future = Future()
        self._thread = threading.Thread(target=self._run, name="newscrawl-writer", daemon=True)
        self._batch_started: float | None = None
        self._batch_items = 0

    # --- the crawl's side ----------------------------------------------------------------
    def start(self) -> "Writer":
        """Open the database on the writer's thread; raise what opening raised."""
        self._thread.start()
        self._opened.result()
        return self

    def call(self, fn, *args) -> Future:
        """Run `fn(writer, *args)` on the writer's thread, in order; its result comes in the future."""
        future: Future = Future()
        if self.failure is not None:
            future.set_exception(WriterFailed(str(self.failure)))
        else:
            self._queue.put((fn, args, future, False))
        return future

    def post(self, fn, *args) -> None:
        """Like `call`, when no one waits for the result."""
        if self.failure is None:
            self._queue.put((fn, args, None, False))

    def write_item(self, item) -> Future:
        """Run an analysed item through the writer stages to its outcome; the future says when."""
        future: Future = Future()
        if self.failure is not None:
            future.set_exception(WriterFailed(str(self.failure)))
        else:
            self._queue.put((Writer._process_item, (item,), future, True))
        return future

    def close(self) -> None:
        """Apply everything queued, commit, close the database (blocks until done)."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        if self.failure is not None:
            raise WriterFailed(str(self.failure)) from self.failure

    # --- the writer's thread -----------------------------------------------------------------
    def _run(self) -> None:
        try:
            self.store = Store(self.path)
            max_pages = self.settings.getint("NEWSCRAWL_DB_MAX_PAGES", 0)
            if max_pages:
                self.store.conn.execute(f"PRAGMA max_page_count = {max_pages}")
            self.outcomes = Outcomes(self.store, self.tally)
            if self.archive_path:
                self.archive = PageArchive(self.archive_path)
            self.stages = build_stages(self.settings.getdict("NEWSCRAWL_WRITER_STAGES"), "from_writer", self)
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that started us
            self._opened.set_exception(exc)
            return
        self._opened.set_result(None)
        try:
            self._loop()
        finally:
            self._shut()

    def _loop(self) -> None:
        while True:
            try:
                op = self._queue.get(timeout=self._until_commit())
            except queue.Empty:
                self._commit()
                continue
            if op is _STOP:
                return
            fn, args, future, is_item = op
            if self.failure is not None:
                if future is not None:
                    future.set_exception(WriterFailed(str(self.failure)))
                continue
            try:
                if self._batch_started is None:
                    self.store.begin()
                    self._batch_started = time.monotonic()
                result = fn(self, *args)
            except BaseException as exc:  # noqa: BLE001 - a broken database ends the writer, not the thread silently
                self._fail(exc)
                if future is not None:
                    future.set_exception(WriterFailed(str(exc)))
                continue
            if self._batch_started is not None:
                self._batch_items += is_item
                if self._batch_items >= self.batch_size or time.monotonic() - self._batch_started >= self.commit_seconds:
                    self._commit()
            if future is not None:
                future.set_result(result)

    def commit_now(self) -> None:
        """Commit the open batch now (for an operation whose effect must be visible at once)."""
        self._commit()

    def _until_commit(self) -> float | None:
        if self._batch_started is None:
            return None
        return max(0.0, self._batch_started + self.commit_seconds - time.monotonic())

    def _commit(self) -> None:
        if self._batch_started is None or self.failure is not None:
            return
        try:
            self.store.commit()
        except BaseException as exc:  # noqa: BLE001
            self._fail(exc)
        else:
            self._committed = self.tally.snapshot()
        self._batch_started, self._batch_items = None, 0

    def _fail(self, exc: BaseException) -> None:
        # A database or disk error in one line (the traceback is the database's, not ours, so
        # debug level only); anything else is a bug in an operation and keeps its traceback.
        expected = isinstance(exc, (sqlite3.Error, OSError))
        if expected:
            logger.error("the database %s could not be written (%s): the open batch is rolled back", self.path, exc)
            logger.debug("database error", exc_info=exc)
        else:
            logger.error("the writer stopped on an error of its own (the open batch is rolled back): %s", exc, exc_info=exc)
        self.failure = exc
        try:
            self.store.rollback()
        except sqlite3.Error:
            pass
        self.tally.restore(self._committed)  # the figures say what the tables hold
        self._batch_started, self._batch_items = None, 0
        if self.on_failure is not None:
            self.on_failure(exc)

    def _shut(self) -> None:
        self._commit()
        for resource in (self.archive, self.store):
            if resource is not None:
                try:
                    resource.close()
                except sqlite3.Error as exc:
                    self.failure = self.failure or exc
        while True:  # nothing can be applied any more: no one waits forever
            try:
                op = self._queue.get_nowait()
            except queue.Empty:
                break
            if op is not _STOP and op[2] is not None:
                op[2].set_exception(WriterFailed("the writer has stopped"))

    def _process_item(self, item) -> dict:
        """One item to its outcome, all or nothing (a savepoint per item)."""
        data = dict(item)  # a shallow copy: ItemAdapter.asdict() walks every nested value (costly per item)
        if self.store.handled_this_run(data["url"]):
            self.outcomes.again(data)
            return data
        rejected = data.get("rejected")
        if rejected:
            self.outcomes.rejected(data, rejected["reason"], rejected.get("detail") or "")
            return data
        self.store.conn.execute("SAVEPOINT item")
        try:
            for stage in self.stages:
                data = stage.process_item(data)
        except Rejected as exc:
            self._undo_item()
            self.outcomes.rejected(data, exc.reason, exc.detail)
        except Duplicate as exc:
            self._undo_item()
            self.outcomes.duplicate(data, exc.duplicate_of, exc.similarity, exc.kind)
        except DropItem as exc:
            self._undo_item()
            self.outcomes.rejected(data, "dropped", str(exc))
        except sqlite3.Error:
            raise  # the database itself is in trouble: the writer fails
        except Exception as exc:  # a stage crashed on this item: a reject, never a silent loss
            logger.error("a writer stage failed on %s", data.get("url"), exc_info=exc)
            self._undo_item()
            self.outcomes.rejected(data, "pipeline_error", f"{type(exc).__name__}: {exc}")
        self.store.conn.execute("RELEASE item")
        return data

    def _undo_item(self) -> None:
        self.store.conn.execute("ROLLBACK TO item")
