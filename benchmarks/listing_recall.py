"""Recall of section-page discovery on the saved listing fixtures, beside the site selectors alone.

    python benchmarks/listing_recall.py

For every registered site with a `fixtures/<site>/discovery.json`, each of its
section pages (`listing` and `sections`) is read three ways:

- `listing_links`: what the crawler takes (the main column, the site's selectors
  as a hint for order);
- `no hints`: the same with the site's selectors emptied, as when a redesign makes
  them all stale: what the main column alone finds, and is it still in page order;
- `selectors`: what the site's `listing_link_css` alone match (the way listings
  were found before the main column), and how many chrome links they catch.

Per page: stories found / stories a reader sees (the expectation), page order,
chrome links taken / chrome links on the page (header, menus, footer, most-read
boxes). The totals at the end compare the three.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsel import Selector  # noqa: E402

from newscrawl.sites import all_sites  # noqa: E402
from newscrawl.sites.base import Page  # noqa: E402


def saved(folder: Path, url: str) -> str | None:
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["pages"]
    entry = next((e for e in entries if e["url"] == url), None)
    return (folder / entry["file"]).read_text(encoding="utf-8") if entry else None


def article_links(site, hrefs, base: str) -> list[str]:
    links = []
    for href in hrefs:
        link = site.canonical(href, base=base)
        if site.is_article(link) and link not in links:
            links.append(link)
    return links


def selectors_only(site, html: str, url: str) -> list[str]:
    page = Page(html, url)
    return article_links(site, [h for css in site.listing_link_css for h in page.css(css).css("::attr(href)").getall()], url)


def without_hints(site):
    """The site with no listing selectors: the main column alone."""
    return type(f"{type(site).__name__}NoHints", (type(site),), {"listing_link_css": ()})()


def main() -> int:
    totals = dict.fromkeys(("expected", "found", "chrome", "in_order", "bare", "bare_order", "bare_chrome", "selectors", "sel_chrome", "pages"), 0)
    print(f"{'site':<20} {'section page':<34} {'found':>9} {'order':>5} {'chrome':>7} | {'no hints':>9} {'order':>5} | {'selectors':>9} {'chrome':>6}")
    for site in all_sites():
        folder = ROOT / "fixtures" / site.name
        if not (folder / "discovery.json").exists():
            continue
        spec = json.loads((folder / "discovery.json").read_text(encoding="utf-8"))
        for listing in [spec["listing"], *spec.get("sections", [])]:
            html = saved(folder, listing["url"])
            if html is None:
                continue
            expected = listing["articles"]
            every = article_links(site, Selector(text=html).css("a::attr(href)").getall(), listing["url"])
            chrome = set(every) - set(expected)
            found = site.listing_links(html, listing["url"])
            hits = [link for link in found if link in expected]
            bare = without_hints(site).listing_links(html, listing["url"])
            bare_hits = [link for link in bare if link in expected]
            by_selectors = selectors_only(site, html, listing["url"])
            row = {
                "expected": len(expected), "found": len(hits), "chrome": len(chrome & set(found)), "in_order": hits == expected,
                "bare": len(bare_hits), "bare_order": bare_hits == expected, "bare_chrome": len(chrome & set(bare)),
                "selectors": len([link for link in by_selectors if link in expected]), "sel_chrome": len(chrome & set(by_selectors)),
                "pages": 1,
            }
            for key, value in row.items():
                totals[key] += value
            path = listing["url"].split("/", 3)[-1] or "/"
            print(f"{site.name:<20} {path[:34]:<34} {row['found']:>4}/{len(expected):<4} {'yes' if row['in_order'] else 'NO':>5} "
                  f"{row['chrome']:>3}/{len(chrome):<3} | {row['bare']:>4}/{len(expected):<4} {'yes' if row['bare_order'] else 'NO':>5} | "
                  f"{row['selectors']:>4}/{len(expected):<4} {row['sel_chrome']:>6}")
    if not totals["pages"]:
        print("no listing fixtures found")
        return 1
    expected = totals["expected"]
    print(f"\n{totals['pages']} section pages, {expected} stories a reader sees:")
    print(f"  listing_links     {totals['found']}/{expected} ({totals['found'] / expected:.1%}), "
          f"{totals['in_order']}/{totals['pages']} pages in page order, {totals['chrome']} chrome links taken")
    print(f"  no hints          {totals['bare']}/{expected} ({totals['bare'] / expected:.1%}), "
          f"{totals['bare_order']}/{totals['pages']} pages in page order, {totals['bare_chrome']} chrome links taken")
    print(f"  selectors alone   {totals['selectors']}/{expected} ({totals['selectors'] / expected:.1%}), "
          f"{totals['sel_chrome']} chrome links taken")
    return 0


if __name__ == "__main__":
    sys.exit(main())
