"""One crawl at a time per database.

An advisory `flock` on `<db>.lock`: the kernel drops it when the process
dies, however it dies, so a killed run never leaves a stale lock behind.
The file also says who holds it, for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from ..analysis.text import now_iso


class AlreadyRunning(RuntimeError):
    pass


class RunLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock").resolve()
        self._file = None

    def acquire(self) -> "RunLock":
        """Take the lock or raise AlreadyRunning (it is taken once, by `CrawlRun`)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise AlreadyRunning(_message(self.path, holder)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started_at": now_iso()}))
        handle.flush()
        self._file = handle
        return self

    def check_free(self) -> None:
        """Raise AlreadyRunning if another process holds the lock now.

        A probe for a quick answer before a crawl starts up: it keeps nothing
        (the crawl itself takes the lock, in `CrawlRun`).
        """
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AlreadyRunning(_message(self.path, handle.read().strip())) from None
            fcntl.flock(handle, fcntl.LOCK_UN)

    def release(self) -> None:
        if self._file is None:
            return
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None


def _message(path: Path, holder: str) -> str:
    try:
        info = json.loads(holder)
        who = f"process {info['pid']}, started {info['started_at']}"
    except (ValueError, KeyError, TypeError):
        who = "another process"
    database = str(path)[: -len(".lock")]
    return (f"another crawl ({who}) is writing to {database}; wait for it to finish, "
            f"or give this one another --db")
