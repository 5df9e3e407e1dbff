"""Option checks the commands run before any work starts.

A wrong argument raises click.BadParameter (one line naming the option, exit 2).
The database itself is checked by `errors.check_database`.
"""

from __future__ import annotations

import click


def valid_date(ctx, param, value: str | None) -> str | None:
    """Callback: a --since that is a real calendar date (YYYY-MM-DD)."""
    if value is None:
        return None
    from .analysis.text import iso_day

    try:
        return iso_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-01") from None


def known_sites(ctx, param, value):
    """Callback: every site named (one, or a tuple of them) is one newscrawl has a parser for."""
    from .sites import get_site

    for name in (value,) if isinstance(value, str) else (value or ()):
        try:
            get_site(name)
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0])) from None
    return value
