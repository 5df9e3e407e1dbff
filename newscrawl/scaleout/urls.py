"""Redis URLs: checked before anything connects, and shown without their password."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def redact(url: str) -> str:
    """`url` with its password replaced by `***` (the user name is kept: it helps and is no secret)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:***@{host}" if user else f":***@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def check_url(url: str) -> str:
    """A usable Redis URL, or ValueError saying what is wrong with it (without its password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"{redact(url)} is not a Redis URL: use redis://HOST:PORT/DB (rediss:// for TLS)")
    if parts.scheme != "unix" and not parts.hostname:
        raise ValueError(f"{redact(url)} names no host: use redis://HOST:PORT/DB")
    return url
