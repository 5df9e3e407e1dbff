"""Pages per second of the site parsers, of parse_generic and of trafilatura, on the same pages.

    python benchmarks/extract_speed.py [--repeat N]

Every article fixture under `fixtures/*/` (a page with an `.expected.json`,
its URL taken from the folder's `manifest.json`) is parsed N times by:

- `extract_article`: the site's own parser (parse_generic for `fixtures/generic/`);
- `parse_generic`: the generic extractor on every page, known host or not;
- `trafilatura.extract`: the baseline, text only.

All three run in this one process on the same pages, so the ratios printed at
the end compare them whatever the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
            expected = html_path.with_name(html_path.name.replace(".html", ".expected.json"))
            if entry["file"] in seen or not expected.exists() or not html_path.exists():
                continue
            seen.add(entry["file"])
            pages.append((html_path.read_text(encoding="utf-8"), entry["url"]))
    return pages


def measure(runs: dict, pages, repeat: int) -> dict:
    """Pages/s of each function; passes are interleaved so that load on the machine hits all alike."""
    for function in runs.values():  # warm caches and lazy imports
        for html, url in pages[:3]:
            function(html, url)
    spent = dict.fromkeys(runs, 0.0)
    for _ in range(repeat):
        for name, function in runs.items():
            start = time.perf_counter()
            for html, url in pages:
                function(html, url)
            spent[name] += time.perf_counter() - start
    return {name: repeat * len(pages) / seconds for name, seconds in spent.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages (default 3)")
    args = parser.parse_args(argv)
    import trafilatura

    pages = article_pages()
    if not pages:
        print("no article fixtures found", file=sys.stderr)
        return 1
    runs = {
        "site parsers (extract_article)": extract_article,
        "parse_generic": parse_generic,
        "trafilatura.extract": lambda html, url: trafilatura.extract(html, url=url, include_comments=False),
    }
    rates = measure(runs, pages, args.repeat)
    total_kb = sum(len(html.encode("utf-8")) for html, _ in pages) / 1024
    print(f"{len(pages)} article pages ({total_kb:.0f} KiB) x {args.repeat} passes\n")
    for name, rate in rates.items():
        print(f"{name:32} {rate:8.1f} pages/s")
    baseline = rates["trafilatura.extract"]
    print()
    print(f"site parsers / trafilatura   = {rates['site parsers (extract_article)'] / baseline:5.2f}x")
    print(f"parse_generic / trafilatura  = {rates['parse_generic'] / baseline:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
