"""Pages per second of the site parsers, of parse_generic and of trafilatura, on the same pages.

    python benchmarks/extract_speed.py [--repeat N]

Every article fixture under `fixtures/*/` (a page with an `.expected.json`,
its URL taken from the folder's `manifest.json`) is parsed N times by:

- `site parsers`: `extract_article` on the pages whose site has a parser of
  its own (`newscrawl sites` says "fields: site module"), not on the pages
  the generic extractor parses (unknown hosts, the generic-press sites);
- `trafilatura.bare_extraction` on those same pages: the site parsers' baseline;
- `parse_generic` on every page, known host or not;
- `trafilatura.extract` on every page: the generic extractor's baseline.

Each first makes one untimed pass over its pages (imports, compiled
selectors, caches); then all four run interleaved in this one process, so
the ratios printed at the end compare them whatever the machine and whatever
else it is doing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.sites import site_for_url  # noqa: E402
from newscrawl.sites.extract import extract_article  # noqa: E402
from newscrawl.sites.generic import parse_generic  # noqa: E402


def article_pages() -> list[tuple[str, str]]:
    """(html, url) of every article fixture, one entry per file."""
    pages = []
    for manifest_path in sorted(ROOT.glob("fixtures/*/manifest.json")):
        folder = manifest_path.parent
        try:
            entries = json.loads(manifest_path.read_text(encoding="utf-8"))["pages"]
        except (ValueError, KeyError):
            continue
        seen = set()
        for entry in entries:
            html_path = folder / entry["file"]
            expected = html_path.with_name(html_path.name.removesuffix(".html") + ".expected.json")
            if entry["file"] in seen or html_path.suffix != ".html" or not expected.exists() or not html_path.exists():
                continue
            seen.add(entry["file"])
            pages.append((html_path.read_text(encoding="utf-8"), entry["url"]))
    return pages


def site_module_sites() -> set[str]:
    """Names of the sites whose fields come from their own module, as `newscrawl sites` lists them."""
    from click.testing import CliRunner

    from newscrawl.cli import sites

    result = CliRunner().invoke(sites, ["--json"])
    if result.exit_code != 0:
        raise RuntimeError(f"newscrawl sites --json failed: {result.output}")
    return {row["name"] for row in json.loads(result.output) if row["fields"] == "site module"}


def measure(runs: dict, repeat: int) -> dict:
    """Pages/s of each (function, pages); passes are interleaved so that load on the machine hits all alike."""
    for function, pages in runs.values():  # one untimed pass: lazy imports, compiled selectors, caches
        for html, url in pages:
            function(html, url)
    spent = dict.fromkeys(runs, 0.0)
    for _ in range(repeat):
        for name, (function, pages) in runs.items():
            start = time.perf_counter()
            for html, url in pages:
                function(html, url)
            spent[name] += time.perf_counter() - start
    return {name: repeat * len(runs[name][1]) / seconds for name, seconds in spent.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages (default 3)")
    args = parser.parse_args(argv)
    import trafilatura

    pages = article_pages()
    own = site_module_sites()
    site_pages = [(html, url) for html, url in pages if (site := site_for_url(url)) is not None and site.name in own]
    if not site_pages:
        print("no article fixtures found", file=sys.stderr)
        return 1

    def bare_extraction(html, url):
        return trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)

    def extract(html, url):
        return trafilatura.extract(html, url=url, include_comments=False)

    runs = {
        "site parsers": (extract_article, site_pages),
        "trafilatura.bare_extraction": (bare_extraction, site_pages),
        "parse_generic": (parse_generic, pages),
        "trafilatura.extract": (extract, pages),
    }
    rates = measure(runs, args.repeat)
    kib = {name: sum(len(html.encode("utf-8")) for html, _ in chosen) / 1024 for name, (_, chosen) in runs.items()}
    print(f"{len(site_pages)} article pages of sites with their own module ({kib['site parsers']:.0f} KiB), "
          f"{len(pages)} article pages in all ({kib['parse_generic']:.0f} KiB), x {args.repeat} passes\n")
    for name, rate in rates.items():
        print(f"{name:28} {rate:8.1f} pages/s  {1000 / rate:6.2f} ms/page  on {len(runs[name][1])} pages")
    print()
    print(f"site parsers / trafilatura.bare_extraction = {rates['site parsers'] / rates['trafilatura.bare_extraction']:5.2f}x")
    print(f"parse_generic / trafilatura.extract = {rates['parse_generic'] / rates['trafilatura.extract']:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
