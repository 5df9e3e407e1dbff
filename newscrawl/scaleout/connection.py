"""Connecting to Redis: one client class that rides out a restart, and URLs without passwords.

A Redis restarted mid-crawl (with its append-only file) keeps the crawl's
state; what the processes need is to wait for it instead of crashing
(scrapy-redis #108). Every command is retried with exponential backoff for
about NEWSCRAWL_REDIS_PATIENCE seconds. Passwords in `redis://user:pass@host`
URLs are never logged: everything said about a URL goes through `redact`.
"""

from __future__ import annotations

import logging
import time

import click
import redis
import redis.asyncio
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError
from redis.asyncio.retry import Retry as AsyncRetry
from redis.retry import Retry

from .urls import check_url, redact

logger = logging.getLogger(__name__)

# Backoff between attempts: 0.1 s doubling to 5 s; retries for about this long in total.
DEFAULT_PATIENCE = 120.0
_BACKOFF_CAP = 5.0


class RedisUnavailable(click.ClickException):
    """Redis cannot be reached or refuses us: one line an operator can act on (exit 1)."""


def _retries(patience: float) -> int:
    """How many attempts, with the backoff doubling to its cap, add up to `patience` seconds."""
    waited, delay, count = 0.0, 0.1, 0
    while waited < patience:
        waited += min(_BACKOFF_CAP, delay)
        delay *= 2
        count += 1
    return max(1, count)


def _patient(kwargs: dict, retry_class, patience: float) -> dict:
    """Client options: every command retried with backoff for about `patience` seconds."""
    kwargs.setdefault("retry", retry_class(ExponentialBackoff(cap=_BACKOFF_CAP, base=0.1), _retries(patience)))
    kwargs.setdefault("retry_on_error", [ConnectionError, TimeoutError, BusyLoadingError])
    kwargs.setdefault("socket_connect_timeout", 5)
    kwargs.setdefault("socket_timeout", 30)
    kwargs.setdefault("decode_responses", True)
    return kwargs


class ResilientRedis(redis.Redis):
    """A redis client whose commands wait for a restarting server (scrapy-redis builds it too,
    through REDIS_PARAMS = {"redis_cls": ...}). It counts its round trips (a pipeline is one)."""

    round_trips = 0
    waited = 0.0  # seconds spent waiting for answers (a worker's reactor does nothing meanwhile)
    lost = False  # set once Redis stayed away past the patience: every later command fails at once

    def execute_command(self, *args, **options):
        if self.lost:
            raise ConnectionError("Redis was given up on")
        self.round_trips += 1
        started = time.perf_counter()
        try:
            return super().execute_command(*args, **options)
        finally:
            self.waited += time.perf_counter() - started

    def pipeline(self, transaction=True, shard_hint=None):
        pipe = super().pipeline(transaction, shard_hint)
        owner, execute = self, pipe.execute

        def counted(raise_on_error=True):
            if owner.lost:
                raise ConnectionError("Redis was given up on")
            owner.round_trips += 1
            started = time.perf_counter()
            try:
                return execute(raise_on_error)
            finally:
                owner.waited += time.perf_counter() - started

        pipe.execute = counted
        return pipe

    @classmethod
    def from_url(cls, url: str, patience: float = DEFAULT_PATIENCE, **kwargs):
        return super().from_url(url, **_patient(kwargs, Retry, patience), health_check_interval=15)


class AsyncResilientRedis(redis.asyncio.Redis):
    """The same, for commands awaited on the crawl's event loop (a worker's host slots): the
    reactor goes on with other pages while Redis answers."""

    round_trips = 0
    waited = 0.0  # seconds from asking to the answer (the reactor was free meanwhile)

    @classmethod
    def from_url(cls, url: str, patience: float = DEFAULT_PATIENCE, **kwargs):
        return super().from_url(url, **_patient(kwargs, AsyncRetry, patience))

    async def execute_command(self, *args, **options):
        self.round_trips += 1
        started = time.perf_counter()
        try:
            return await super().execute_command(*args, **options)
        finally:
            self.waited += time.perf_counter() - started


def connect(url: str, patience: float = DEFAULT_PATIENCE) -> ResilientRedis:
    """A client that has answered PING, or RedisUnavailable in one line (at start, Redis down is
    an operator's mistake to fix, not something to wait for)."""
    check_url(url)
    client = ResilientRedis.from_url(url, patience=patience)
    probe = ResilientRedis.from_url(url, patience=0, retry=Retry(ExponentialBackoff(), 0))
    try:
        probe.ping()
    except redis.AuthenticationError as exc:
        raise RedisUnavailable(f"Redis at {redact(url)} refused the password or user ({exc}): check the URL's user:password") from None
    except redis.ResponseError as exc:
        raise RedisUnavailable(f"Redis at {redact(url)} refused us ({exc}): check the URL's user, password and database") from None
    except (ConnectionError, TimeoutError, OSError) as exc:
        raise RedisUnavailable(
            f"cannot reach Redis at {redact(url)} ({_reason(exc)}): start redis-server there, or fix --redis") from None
    finally:
        probe.close()
    return client


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
