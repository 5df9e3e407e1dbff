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

_HELD: dict[Path, "RunLock"] = {}


class AlreadyRunning(RuntimeError):
    pass


class RunLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock").resolve()
        self._file = None
        self._holders = 0

    def acquire(self) -> "RunLock":
        """Take the lock (re-entrant within this process) or raise AlreadyRunning."""
        held = _HELD.get(self.path)
        if held is not None:
            held._holders += 1
            return held
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
        self._file, self._holders = handle, 1
        _HELD[self.path] = self
        return self

    def release(self) -> None:
        self._holders -= 1
        if self._holders > 0 or self._file is None:
            return
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None
        _HELD.pop(self.path, None)


def _message(path: Path, holder: str) -> str:
    try:
        info = json.loads(holder)
        who = f"process {info['pid']}, started {info['started_at']}"
    except (ValueError, KeyError, TypeError):
        who = "another process"
    database = str(path)[: -len(".lock")]
    return (f"another crawl ({who}) is writing to {database}; wait for it to finish, "
            f"or give this one another --db")
