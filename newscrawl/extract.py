"""`extract_article`: the site's parser for known hosts, else the generic one."""

from __future__ import annotations

from .sites import site_for_url


def extract_article(html: str, url: str) -> dict:
    site = site_for_url(url)
    if site is None:
        raise ValueError(f"no site module for {url}")
    return site.parse_article(html, url)
