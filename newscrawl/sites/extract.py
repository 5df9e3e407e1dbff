"""`extract_article`: the site's parser for known hosts, else the generic one."""

from __future__ import annotations

from . import site_for_url
from .generic import parse_generic


def extract_article(html: str, url: str) -> dict:
    site = site_for_url(url)
    return site.parse_article(html, url) if site is not None else parse_generic(html, url)
