"""Article URLs are recognised by the site's id whatever letters the slug is written in.

For every registered site, each saved article URL is rewritten as a link in
the wild may write it: a Vietnamese letter raw, the same letter
percent-escaped in upper or lower case, the slug in capitals. Each must still
be an article, and the raw and escaped spellings one canonical URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from newscrawl.sites import all_sites

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def saved_articles(site) -> list[str]:
    """URLs of the site's saved pages that have an expected article next to them."""
    manifest = FIXTURES / site.name / "manifest.json"
    pages = json.loads(manifest.read_text(encoding="utf-8"))["pages"] if manifest.is_file() else []
    return [p["url"] for p in pages
            if "?" not in p["url"] and (manifest.parent / (Path(p["file"]).stem + ".expected.json")).is_file()]


def with_first_word(url: str, change) -> str:
    """`url` with the first word of its last path segment (always slug, never the id) changed."""
    parts = urlsplit(url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    word, sep, rest = last.partition("-")
    path = f"{head}/{change(word)}{sep}{rest}" + ("/" if parts.path.endswith("/") else "")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def variants(url: str) -> dict[str, str]:
    return {
        "vietnamese": with_first_word(url, lambda w: "đ" + w),
        "escaped_upper": with_first_word(url, lambda w: quote("đ") + w),
        "escaped_lower": with_first_word(url, lambda w: quote("đ").lower() + w),
        "upper_case": with_first_word(url, str.upper),
    }


SITES = sorted(all_sites(), key=lambda s: s.name)


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_every_site_has_saved_articles_to_check(site):
    assert saved_articles(site), f"no saved article pages for {site.name}"


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_an_article_link_is_an_article_whatever_its_slug_letters(site):
    for url in saved_articles(site):
        assert site.is_article(url), url
        for kind, variant in variants(url).items():
            assert site.is_article(variant), f"{kind}: {variant}"
            assert site.is_article(site.canonical(variant)), f"{kind} (canonical): {site.canonical(variant)}"


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_raw_and_escaped_slugs_are_one_canonical_url(site):
    for url in saved_articles(site):
        spellings = variants(url)
        canonical = {site.canonical(spellings[k]) for k in ("vietnamese", "escaped_upper", "escaped_lower")}
        assert len(canonical) == 1, canonical


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_section_listings_are_not_articles(site):
    for url in site.start_urls:
        assert not site.is_article(url), url
