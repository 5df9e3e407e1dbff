"""Option checks the commands run before any work starts.

A wrong argument raises click.BadParameter (one line naming the option, exit 2);
a place the command cannot use as asked (a folder that cannot be created or
written, a port another server holds) raises click.ClickException (exit 1).
The database itself is checked by `errors.check_database`.
"""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
from pathlib import Path

import click

from .errors import DatabaseProblem, about_database, check_database, make_folder


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


def check_output_file(path: str | Path, option: str = "--out") -> Path:
    """A file the command will write: not a folder; its folder is created when missing
    (`--out reports/2026/week49.html` makes reports/2026/, as the default output/ is made)."""
    path = Path(path)
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder: give a file name, such as {path / 'report.html'}", param_hint=option)
    make_folder(path.parent, option, given=path)
    if path.exists() and not os.access(path, os.W_OK):
        raise click.ClickException(f"{option} {path} is read-only: make it writable, or choose another file")
    return path


def writable_folder(ctx, param, value: str | None) -> str | None:
    """Callback: a folder the command will write into (made by the command when it first writes)."""
    if value is None:
        return None
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"{value} is a file: give a folder")
    option = param.opts[0] if param is not None else "DIR"
    make_folder(path, option, create=False)
    return value


def check_replay_source(path: str | Path, option: str) -> Path:
    """A folder of saved pages (with manifest.json files, like fixtures/) or a page archive file."""
    from .sites import all_sites

    path = Path(path)
    if not path.exists() and option == "--replay" and str(path) in {site.name for site in all_sites()}:
        raise click.BadParameter(f"{path} is a site, not a folder of saved pages: name the sites first "
                                 f"(newscrawl crawl {path} --replay) or give the folder (--replay fixtures {path})", param_hint=option)
    if not path.exists():
        raise click.BadParameter(
            f"{path} is not a folder of saved pages nor a page archive (run from the project root, or give DIR)", param_hint=option)
    if path.is_dir():
        if next(path.rglob("manifest.json"), None) is None:
            raise click.BadParameter(
                f"{path} holds no saved pages (no manifest.json under it): give a folder like fixtures/ "
                f"or one written by crawl --record, or a page archive (*.archive.db)", param_hint=option)
        return path
    try:
        check_database(path, write=False, option=option)
    except DatabaseProblem as exc:
        if "not an SQLite database" not in exc.message:
            raise  # damaged, unreadable: the file's state, exit 1
        raise click.BadParameter(f"{path} is not an SQLite file: give a page archive (the *.archive.db beside a "
                                 f"database) or a folder of saved pages such as fixtures/", param_hint=option) from exc
    with about_database(path, option):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    if "pages" not in tables:
        raise click.BadParameter(f"{path} is an SQLite database but not a page archive (it has no pages table): "
                                 f"give the *.archive.db beside a database, or a folder of saved pages", param_hint=option)
    return path


def check_listen(host: str, port: int) -> None:
    """`serve` can listen on host:port (port 0: any free one, nothing to check)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise click.BadParameter(f"{host} is not an address of this machine ({exc.strerror})", param_hint="--host") from None
    if port == 0:
        return
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closing socket is no obstacle
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"--port {port} on {host} is in use by another program: give another --port, or --port 0 for any free one") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise click.BadParameter(f"{host} is not an address of this machine", param_hint="--host") from None
            if exc.errno == errno.EACCES:
                raise click.ClickException(f"--port {port} needs privileges this user lacks: choose a port from 1024 up") from None
            raise
