"""A worker's Redis commands, sent together: fewer round trips, a reactor that waits less.

A worker's reactor waits for every Redis answer (scrapy-redis's scheduler is
synchronous), and on a busy machine an answer takes a millisecond or more
while redis-server waits for a core. Commands whose answer nobody needs now
(stream entries, freed host slots) wait here and go out with the next call
that needs an answer (a lease, a claim, a host slot), or at the latest
FLUSH_AFTER seconds later, all in one pipeline. Their order is kept. A
worker killed with commands still here loses only what the leases cover:
the URLs they were about go back to the queue and are fetched again.
"""

from __future__ import annotations

import logging

from redis.exceptions import NoScriptError

logger = logging.getLogger(__name__)

FLUSH_AFTER = 0.05  # seconds a command may wait for company


class Outbox:
    def __init__(self, client, length_key: str | None = None):
        self.client = client
        self.length_key = length_key  # a stream whose length each flush reads (for back-pressure)
        self.length = 0
        self._pending: list[tuple[str, tuple, dict]] = []
        self._timer = None

    def add(self, command: str, *args, **kwargs) -> None:
        """Queue a command whose answer is not needed; it goes out soon, in order."""
        self._pending.append((command, args, kwargs))
        if self._timer is None:
            from twisted.internet import reactor

            self._timer = reactor.callLater(FLUSH_AFTER, self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception as exc:  # noqa: BLE001 - the next call will meet the same trouble and say it
            logger.debug("outbox flush failed: %s", exc)

    def flush(self) -> None:
        if self._pending:
            self._execute(None, ())

    def call(self, script, args: list):
        """Run a registered script after everything queued, in one round trip; its answer."""
        return self._execute(script, args)

    def _execute(self, script, args):
        pending, self._pending = self._pending, []
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        pipe = self.client.pipeline(transaction=False)
        for command, command_args, kwargs in pending:
            getattr(pipe, command)(*command_args, **kwargs)
        if self.length_key:
            pipe.xlen(self.length_key)
        if script is not None:
            pipe.evalsha(script.sha, 0, *args)
        results = pipe.execute(raise_on_error=False)
        for result in results[:len(pending)]:
            if isinstance(result, Exception):
                raise result
        if self.length_key:
            self.length = results[len(pending)]
        if script is None:
            return None
        answer = results[-1]
        if isinstance(answer, NoScriptError):  # Redis restarted and forgot the script: load it
            return script(args=args)
        if isinstance(answer, Exception):
            raise answer
        return answer
