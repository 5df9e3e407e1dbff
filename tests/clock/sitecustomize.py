"""Move this interpreter's calendar: NEWSCRAWL_TEST_SHIFT_DAYS=365 puts every "now" a year ahead.

For checking that the suite holds on any date:

    NEWSCRAWL_TEST_SHIFT_DAYS=365 PYTHONPATH=tests/clock pytest

`time.time`, `time.time_ns`, `datetime.now` / `utcnow` / `today` and
`date.today` move; monotonic clocks, and so timeouts and sleeps, do not (a
libc-level fake clock such as libfaketime also moves those, and on glibc
2.36 a timed wait under it never returns). Crawls the tests start inherit
the shift through the environment, their parse workers too.
"""

import os

_DAYS = float(os.environ.get("NEWSCRAWL_TEST_SHIFT_DAYS") or 0)

if _DAYS:
    import datetime as _datetime
    import time as _time

    _SHIFT = _datetime.timedelta(days=_DAYS)
    _real_time, _real_time_ns = _time.time, _time.time_ns
    _time.time = lambda: _real_time() + _SHIFT.total_seconds()
    _time.time_ns = lambda: _real_time_ns() + int(_SHIFT.total_seconds() * 1_000_000_000)

    class date(_datetime.date):
        @classmethod
        def today(cls):
            return cls.fromtimestamp(_time.time())

    class datetime(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls.fromtimestamp(_time.time(), tz)

        @classmethod
        def utcnow(cls):
            return cls.now(_datetime.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return cls.now()

    date.__module__ = datetime.__module__ = "datetime"
    _datetime.date, _datetime.datetime = date, datetime
