"""Body-text quality of `parse_generic` against trafilatura, on pages with a reference body.

    python benchmarks/extract_quality.py [FOLDER] [--verbose]

FOLDER holds pairs `<name>.html` + `<name>.txt` (the reference body as plain
text, paragraphs split by blank lines); an optional `SOURCES.tsv` gives each
page's URL (`name<TAB>url<TAB>where it came from`). Without FOLDER the
built-in set is every fixture under `fixtures/*/` with an `.expected.json`
body (hand-written pages: a smoke test, not a measure of real-world quality).

Scores are token precision / recall / F1 of the extracted body against the
reference (multiset overlap of lower-cased, NFC word tokens; CJK characters
count one token each), averaged over pages (macro), plus the same over all
tokens pooled (micro). Figures are printed side by side for the same pages in
the same run, so they compare as ratios, whatever the machine.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.sites.generic import parse_generic  # noqa: E402

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text or "").lower())


def score(extracted: str, reference: str) -> tuple[float, float, float, int, int, int]:
    """(precision, recall, f1, common, extracted tokens, reference tokens)."""
    got, want = Counter(tokens(extracted)), Counter(tokens(reference))
    common = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    precision = common / n_got if n_got else 0.0
    recall = common / n_want if n_want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, common, n_got, n_want


def load_folder(folder: Path) -> list[dict]:
    urls = {}
    sources = folder / "SOURCES.tsv"
    if sources.exists():
        for line in sources.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].strip():
                urls[parts[0].strip()] = parts[1].strip()
    pages = []
    for html_path in sorted(folder.glob("*.html")):
        name = html_path.stem
        ref_path = html_path.with_suffix(".txt")
        if not ref_path.exists():
            continue
        pages.append({
            "name": name,
            "url": urls.get(name, f"https://example.org/{name}"),
            "html": html_path.read_text(encoding="utf-8", errors="replace"),
            "reference": ref_path.read_text(encoding="utf-8"),
        })
    return pages


def load_fixtures() -> list[dict]:
    pages = []
    for manifest_path in sorted(ROOT.glob("fixtures/*/manifest.json")):
        folder = manifest_path.parent
        seen = set()
        try:
            entries = json.loads(manifest_path.read_text(encoding="utf-8"))["pages"]
        except (ValueError, KeyError):
            continue
        for entry in entries:
            expected = folder / entry["file"].replace(".html", ".expected.json")
            if entry["file"] in seen or not expected.exists():
                continue
            seen.add(entry["file"])
            try:
                body = json.loads(expected.read_text(encoding="utf-8")).get("body") or ""
            except ValueError:
                continue  # a fixture being written
            if body:
                pages.append({
                    "name": f"{folder.name}/{Path(entry['file']).stem}",
                    "url": entry["url"],
                    "html": (folder / entry["file"]).read_text(encoding="utf-8"),
                    "reference": body,
                })
    return pages


def extractors() -> dict:
    import trafilatura

    def traf(html, url):
        return trafilatura.extract(html, url=url, include_comments=False) or ""

    def traf_precision(html, url):
        return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""

    return {
        "parse_generic": lambda html, url: parse_generic(html, url)["body"],
        "trafilatura": traf,
        "trafilatura(precision)": traf_precision,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="folder of <name>.html + <name>.txt pairs")
    parser.add_argument("--verbose", "-v", action="store_true", help="print each page's scores")
    args = parser.parse_args(argv)
    pages = load_folder(Path(args.folder)) if args.folder else load_fixtures()
    if not pages:
        print("no (html, reference) pairs found", file=sys.stderr)
        return 1
    names = list(extractors())
    results = {name: [] for name in names}
    for page in pages:
        row = []
        for name, extract in extractors().items():
            s = score(extract(page["html"], page["url"]), page["reference"])
            results[name].append(s)
            row.append(f"{s[2]:.3f}")
        if args.verbose:
            parser_used = parse_generic(page["html"], page["url"])["parser"]
            print(f"{page['name'][:44]:44} {'  '.join(row)}  {parser_used}")
    source = args.folder or "fixtures/*/ (hand-written)"
    print(f"\n{len(pages)} pages from {source}")
    print(f"{'extractor':24} {'P':>6} {'R':>6} {'F1':>6}   {'micro P':>7} {'micro R':>7} {'micro F1':>8}")
    for name in names:
        rows = results[name]
        p, r, f = (statistics.mean(x[i] for x in rows) for i in range(3))
        common, got, want = (sum(x[i] for x in rows) for i in (3, 4, 5))
        mp, mr = (common / got if got else 0.0), (common / want if want else 0.0)
        mf = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
        print(f"{name:24} {p:6.3f} {r:6.3f} {f:6.3f}   {mp:7.3f} {mr:7.3f} {mf:8.3f}")
    base = statistics.mean(x[2] for x in results["trafilatura"])
    ours = statistics.mean(x[2] for x in results["parse_generic"])
    print(f"\nparse_generic F1 / trafilatura F1 = {ours / base if base else float('nan'):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
