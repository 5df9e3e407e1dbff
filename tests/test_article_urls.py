"""Article URLs are recognised by the site's id whatever letters the slug is written in.

For every registered site, each saved article URL is rewritten as a link in
the wild may write it: its slug words in Vietnamese letters (composed or
decomposed), in capitals, or both, each spelled raw or percent-escaped with
upper- or lower-case hex. Every spelling must be an article, and the
spellings of one link one canonical URL (the spider claims raw links and
stores canonical ones). Pages that are not articles (start listings, saved
listings, sitemaps and feeds, the kinds each site module names) must stay
refused, in capitals too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from newscrawl.sites import all_sites, get_site

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITES = sorted(all_sites(), key=lambda s: s.name)
SITE_IDS = [s.name for s in SITES]


def saved_pages(site) -> list[tuple[str, bool]]:
    """(URL, is an article) for each page saved for `site`; an article is a page with expected output."""
    manifest = FIXTURES / site.name / "manifest.json"
    if not manifest.is_file():
        return []
    pages = json.loads(manifest.read_text(encoding="utf-8"))["pages"]
    return [(p["url"], (manifest.parent / f"{Path(p['file']).stem}.expected.json").is_file()) for p in pages]


def saved_articles(site) -> list[str]:
    return [url for url, article in saved_pages(site) if article]


def saved_other_pages(site) -> list[str]:
    """Listings, their next pages, sitemaps and feeds saved for `site`."""
    return [url for url, article in saved_pages(site) if not article]


def rewrite_slug(url: str, change) -> str:
    """`url` with each word of its last path segment changed, except the last word (it may hold the id)."""
    parts = urlsplit(url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    *words, final = last.split("-")
    path = f"{head}/{'-'.join(change(w) for w in words) + '-' if words else ''}{final}"
    path += "/" if parts.path.endswith("/") else ""
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def in_capitals(url: str) -> str:
    """`url` with its path in capitals, the file extension left as it is."""
    parts = urlsplit(url)
    stem, dot, extension = parts.path.rpartition(".")
    if not dot or "/" in extension:
        stem, extension = parts.path, ""
    return urlunsplit((parts.scheme, parts.netloc, stem.upper() + dot + extension, parts.query, ""))


# Vietnamese letters a slug may carry where the CMS writes plain ASCII ones.
VIETNAMESE = str.maketrans("adeiouy", "ạđếíơưỳ")

LETTERS = {
    "vietnamese": lambda word: word.translate(VIETNAMESE),
    "vietnamese_capitals": lambda word: word.translate(VIETNAMESE).upper(),
    "decomposed": lambda word: unicodedata.normalize("NFD", word.translate(VIETNAMESE)),
    "capitals": str.upper,
}

WRITINGS = {
    "raw": lambda word: word,
    "escaped": quote,
    "escaped_lower_hex": lambda word: re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(word)),
}


def spellings(url: str, letters) -> dict[str, str]:
    """The link `url` with its slug in `letters`, as each writing spells it."""
    return {name: rewrite_slug(url, lambda word: write(letters(word))) for name, write in WRITINGS.items()}


# Pages the site modules name as not articles, beside listings, sitemaps and feeds.
REFUSED = {
    "vnexpress": ["https://vnexpress.net/tac-gia/ha-thu-1234567.html", "https://vnexpress.net/chu-de/net-zero-6079"],
    "tuoitre": [
        "https://tuoitre.vn/video/det-may-chay-dua-chuyen-doi-xanh-100261120093015482.htm",
        "https://tuoitre.vn/nld/det-may-chay-dua-chuyen-doi-xanh-100261120093015482.htm",
    ],
    "thanhnien": [
        "https://thanhnien.vn/kinh-te-xanh-tags123456.html",
        "https://thanhnien.vn/author/nguyen-van-a-185123456.htm",
        "https://thanhnien.vn/print/ngan-hang-day-manh-tin-dung-xanh-185261121083512604.htm",
    ],
    "nhandan": [
        "https://nhandan.vn/post934512.html", "https://nhandan.vn/post-934512.html",
        "https://nhandan.vn/gao-st25-soc-trang-prod1234.html",
        "https://en.nhandan.vn/rice-low-emission-model-post934512.html",
    ],
    "vietnamplus": ["https://en.vietnamplus.vn/electric-buses-post1187342.vnp"],
    "vietnamnet": [
        "https://vietnamnet.vn/net-zero-tag12345678.html",
        "https://vietnamnet.vn/tac-gia/nguyen-van-a-123456.html",
        "https://vietnamnet.vn/en/offshore-wind-funds-2552741.html",
    ],
    "vneconomy": [
        "https://vneconomy.vn/dien-dan-kinh-te-xanh.htm",
        "https://vneconomy.vn/tap-chi-kinh-te-viet-nam.htm",
        "https://vneconomy.vn/dien-dan-kinh-te-xanh-2026-e123.htm",
    ],
    "thesaigontimes": [
        "https://thesaigontimes.vn/doanh-nhan-doanh-nghiep/",
        "https://thesaigontimes.vn/goc-nhin-chuyen-gia/",
        "https://thesaigontimes.vn/tag/kinh-te-xanh/",
        "https://thesaigontimes.vn/author/ktsg-online/",
    ],
}


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_every_site_has_saved_articles_to_check(site):
    assert saved_articles(site), f"no saved article pages for {site.name}"


@pytest.mark.parametrize("letters", LETTERS)
@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_an_article_link_is_one_article_however_its_slug_is_written(site, letters):
    for url in saved_articles(site):
        assert site.is_article(url), url
        written = spellings(url, LETTERS[letters])
        assert written["raw"] != url, f"{letters} left the slug of {url} as it was"
        for writing, link in written.items():
            assert site.is_article(link), f"{writing}: {link}"
        canonical = {site.canonical(link) for link in written.values()}
        assert len(canonical) == 1, canonical
        assert site.is_article(canonical.pop())


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_listings_sitemaps_and_feeds_are_not_articles_even_in_capitals(site):
    pages = list(site.start_urls) + saved_other_pages(site)
    assert site.start_urls
    for url in pages:
        for link in (url, in_capitals(url)):
            assert not site.is_article(link), link


@pytest.mark.parametrize("name, url", [(name, url) for name, urls in REFUSED.items() for url in urls])
def test_pages_a_site_module_refuses_stay_refused_even_in_capitals(name, url):
    site = get_site(name)
    for link in (url, in_capitals(url)):
        assert not site.is_article(link), link
