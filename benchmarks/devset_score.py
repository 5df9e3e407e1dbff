"""Generic extraction against trafilatura on a set of real pages with snippet gold, in one run.

    python benchmarks/devset_score.py DEVSET_DIR [--only REGEX] [--verbose]

DEVSET_DIR holds `gold.json` (a list of {"id", "url", "with", "without",
optional "title", "author", "date", "encoding"}) and `pages/<id>.html.gz`.
Each page goes through `trafilatura.bare_extraction` and through
`newscrawl.extract_article` (the generic path: these hosts have no site
module), timed side by side. Body scores are trafilatura's own evaluation
rules: a `with` snippet must be found in the whitespace-normalised body, a
`without` snippet must not; F1 = 2TP / (2TP + FP + FN). Metadata: title
(case-folded exact), author (any name equal), date (the first 10 characters).

newscrawl keeps a standfirst printed outside the text column (and a
Vietnamese bold sapo) in `summary`, not in `body`; a lead printed among the
story's paragraphs stays in `body`. The line `newscrawl summary+body` scores
the text a reader of both sees.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl import extract_article  # noqa: E402


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def names(value) -> set[str]:
    """Author names, case-folded: a string is split at `;`, `,` and ` and `."""
    if isinstance(value, str):
        value = re.split(r";|,| and ", value)
    return {str(a).strip().casefold() for a in value or [] if a and str(a).strip()}


def trafilatura_fields(html: str, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return {"body": ""}
    doc = doc.as_dict() if hasattr(doc, "as_dict") else doc
    authors = [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()]
    return {"body": doc.get("text") or "", "title": doc.get("title"), "authors": authors, "published": doc.get("date")}


def newscrawl_fields(html: str, url: str) -> dict:
    return extract_article(html, url)


def load(devset: Path, only: str | None) -> list[tuple[dict, str]]:
    gold = json.loads((devset / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for item in gold:
        if only and not re.search(only, item["id"]):
            continue
        raw = gzip.decompress((devset / "pages" / f"{item['id']}.html.gz").read_bytes())
        pages.append((item, raw.decode(item.get("encoding") or "utf-8", errors="replace")))
    return pages


def run(extract, pages) -> tuple[list[dict], float]:
    outputs, spent = [], 0.0
    for item, html in pages:
        url = item.get("url") or ""
        started = time.perf_counter()
        try:
            out = extract(html, url)
        except Exception as error:  # a crash is a page with no body, counted, not fatal
            out = {"body": "", "error": f"{type(error).__name__}: {error}"}
        spent += time.perf_counter() - started
        outputs.append(out)
    return outputs, spent


def score(name: str, outputs: list[dict], spent: float, pages, verbose: bool) -> str:
    tp = fn = fp = tn = passed = errors = 0
    meta = {"title": [0, 0], "author": [0, 0], "date": [0, 0]}
    for (item, _), out in zip(pages, outputs):
        errors += "error" in out
        body = norm(out.get("body"))
        missing = [w for w in item["with"] if norm(w) not in body]
        leaked = [w for w in item["without"] if norm(w) in body]
        tp += len(item["with"]) - len(missing)
        fn += len(missing)
        fp += len(leaked)
        tn += len(item["without"]) - len(leaked)
        passed += not missing and not leaked
        if verbose and (missing or leaked):
            print(f"  {name} FAIL {item['id']}: missing={[m[:40] for m in missing]} leaked={[w[:40] for w in leaked]}")
        if item.get("title"):
            meta["title"][1] += 1
            meta["title"][0] += norm(out.get("title")).casefold() == norm(item["title"]).casefold()
        if item.get("author"):
            meta["author"][1] += 1
            meta["author"][0] += bool(names(item["author"]) & names(out.get("authors")))
        if item.get("date"):
            meta["date"][1] += 1
            meta["date"][0] += str(out.get("published") or "")[:10] == item["date"][:10]
    snippets = tp + fn + fp + tn
    rates = " ".join(f"{k}={v[0] / v[1]:.3f}" for k, v in meta.items() if v[1])
    return (
        f"{name:<24} pages={len(pages)} with={tp / max(tp + fn, 1):.3f} without={tn / max(tn + fp, 1):.3f} "
        f"pass={passed / max(len(pages), 1):.3f} F1={2 * tp / max(2 * tp + fp + fn, 1):.3f} "
        f"acc={(tp + tn) / max(snippets, 1):.3f} errors={errors} pages/s={len(pages) / max(spent, 1e-9):.1f} | {rates}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="Example: python benchmarks/devset_score.py ~/devset --only '^de'")
    parser.add_argument("devset", type=Path, help="folder with gold.json and pages/")
    parser.add_argument("--only", help="only page ids matching this regular expression")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the pages that fail")
    args = parser.parse_args(argv)
    if not (args.devset / "gold.json").is_file():
        parser.error(f"{args.devset} has no gold.json: give the folder that holds gold.json and pages/")
    pages = load(args.devset, args.only)
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        parser.error("trafilatura is not installed: pip install trafilatura")
    # Warm both up (imports, caches) on the first page, then time them alternately.
    for extract in (trafilatura_fields, newscrawl_fields):
        run(extract, pages[:1])
    traf, traf_time = run(trafilatura_fields, pages)
    ours, ours_time = run(newscrawl_fields, pages)
    both = [dict(o, body=f"{o.get('summary') or ''}\n\n{o.get('body') or ''}") for o in ours]
    print(score("trafilatura", traf, traf_time, pages, args.verbose))
    print(score("newscrawl", ours, ours_time, pages, args.verbose))
    print(score("newscrawl summary+body", both, ours_time, pages, False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
