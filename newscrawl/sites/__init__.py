"""Site registry: which site a URL belongs to, by name or host.

Each module in this package registers its `Site` subclass with `@register`;
a second site with the same name, or a second claim on a host, is an error
at import time, not a silent override.

The package's layout: one module per site; beside them `base` (the parser
base), `page` (the lexbor page site layouts read), `html_page` (the lxml page
of the generic extractor and of listings) and `extract` (site parser or
generic); subpackages hold what is not
a site: `families/` (CMS layouts shared by several sites) and `generic/`
(the parser for hosts no site claims).
"""

from __future__ import annotations

import importlib
import pkgutil

from ..analysis.urls import bare_host, host_of
from .base import ArticleLayout, Page, Site

# Modules in this package that are not sites (subpackages never are).
NOT_SITES = {"base", "extract", "page", "html_page"}

_SITES: dict[str, Site] = {}
_BY_HOST: dict[str, Site] = {}  # bare host -> its site, filled by `register` (one lookup per URL)


def register(cls: type[Site]) -> type[Site]:
    if not cls.name or not cls.domains:
        raise ValueError(f"{cls.__name__} needs a name and at least one domain")
    if cls.name in _SITES:
        raise ValueError(f"two sites are named {cls.name!r}: {type(_SITES[cls.name]).__name__} and {cls.__name__}")
    for domain in cls.domains:
        if bare_host(domain) in _BY_HOST:
            raise ValueError(f"{cls.name} and {_BY_HOST[bare_host(domain)].name} both claim {domain}")
    _SITES[cls.name] = site = cls()
    _BY_HOST.update((bare_host(domain), site) for domain in cls.domains)
    return cls


def _load() -> None:
    """Import every site module in this package (adding a file adds a site)."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.ispkg):
        if module not in NOT_SITES:
            importlib.import_module(f"{__name__}.{module}")


def all_sites() -> list[Site]:
    return list(_SITES.values())


def get_site(name: str) -> Site:
    try:
        return _SITES[name]
    except KeyError:
        known = ", ".join(sorted(_SITES))
        raise KeyError(f"unknown site {name!r}; known sites: {known}") from None


def site_for_url(url: str) -> Site | None:
    return _BY_HOST.get(bare_host(host_of(url)))


_load()

__all__ = ["ArticleLayout", "Page", "Site", "all_sites", "get_site", "register", "site_for_url"]
