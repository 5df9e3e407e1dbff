"""Precision and recall of extract_facts on a labelled set, and its cost per article.

    python benchmarks/facts_quality.py [--data FILE ...] [--repeat N] [--show-errors]

By default every `tests/data/facts_*.jsonl` set is scored, each on its own:
`facts_labelled` (the development set), `facts_heldout` (written after it),
`facts_blind` (written last, never tuned on).

The labelled set is sentences of our own in the style of the green press,
Vietnamese and English, with what a careful reader takes from each (see
`tests/data/facts_labelled.md` for the rules). Per sentence, quantities are
matched as a multiset of (kind, value, unit), values equal within 0.1 %;
places (current province), documents (id) and organisations (name) as sets.

The cost is measured on the article bodies of `fixtures/*/*.expected.json`
(summary and body, with each fixture's language), N passes: ms per article
and articles per second, in this one process; and on the articles of the
synthetic site the crawl benchmarks use (tests/synthetic.py), where every
sentence carries an amount, a province and an actor: the dense case.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl import extract_facts  # noqa: E402

ORDER = ["facts_labelled", "facts_heldout", "facts_blind"]
KINDS = ["capacity", "money", "emissions", "area", "percent"]
SETS = ["places", "documents", "organisations"]
BARS = {"capacity": (0.95, 0.85), "money": (0.95, 0.85), "emissions": (0.95, 0.85),
        "places": (0.95, None), "documents": (0.95, None)}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-3 * max(abs(a), abs(b), 1e-9)


def match_facts(gold: list, found: list) -> tuple[list, list, list]:
    """(true positives, false positives, false negatives) as (kind, value, unit) lists."""
    left = list(gold)
    hits, extra = [], []
    for kind, value, unit in found:
        twin = next((g for g in left if g[0] == kind and g[2] == unit and _same(g[1], value)), None)
        if twin:
            left.remove(twin)
            hits.append(twin)
        else:
            extra.append([kind, value, unit])
    return hits, extra, left


def score(rows: list[dict]) -> tuple[dict, list]:
    counts = {name: Counter() for name in KINDS + SETS}
    errors = []
    for row in rows:
        result = extract_facts(row["text"], row["lang"])
        found = [[f["kind"], f["value"], f["unit"]] for f in result["facts"]]
        hits, extra, missed = match_facts(row["facts"], found)
        for kind in KINDS:
            counts[kind]["tp"] += sum(1 for h in hits if h[0] == kind)
            counts[kind]["fp"] += sum(1 for h in extra if h[0] == kind)
            counts[kind]["fn"] += sum(1 for h in missed if h[0] == kind)
        got = {"places": {p["province"] for p in result["places"]},
               "documents": {d["id"] for d in result["documents"]},
               "organisations": {o["name"] for o in result["organisations"]}}
        wrong = {"facts": (extra, missed)} if extra or missed else {}
        for name in SETS:
            gold = set(row[name])
            counts[name]["tp"] += len(gold & got[name])
            counts[name]["fp"] += len(got[name] - gold)
            counts[name]["fn"] += len(gold - got[name])
            if gold != got[name]:
                wrong[name] = (sorted(got[name] - gold), sorted(gold - got[name]))
        if wrong:
            errors.append((row["id"], row["text"], wrong))
    return counts, errors


def fixture_bodies() -> list[tuple[str, str]]:
    bodies = []
    for path in sorted(ROOT.glob("fixtures/*/*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = "\n\n".join(part for part in (data.get("summary"), data.get("body")) if part)
        if text:
            bodies.append((text, data.get("language") or "vi"))
    return bodies


def synthetic_bodies(count: int = 60) -> list[tuple[str, str]]:
    """Summary and body of the synthetic site's articles (built in a temporary folder)."""
    import tempfile

    from newscrawl.sites.extract import extract_article
    from tests.synthetic import build_site

    bodies = []
    with tempfile.TemporaryDirectory() as folder:
        build_site(folder, articles=count, page_kb=60)
        manifest = json.loads((Path(folder) / "baodautu" / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["pages"]:
            fields = extract_article((Path(folder) / "baodautu" / entry["file"]).read_text(encoding="utf-8"), entry["url"])
            if fields.get("body") and entry["file"].startswith("a"):
                bodies.append(("\n\n".join(p for p in (fields.get("summary"), fields["body"]) if p), "vi"))
    return bodies


def cost(repeat: int, bodies: list[tuple[str, str]]) -> tuple[int, float]:
    extract_facts("khởi động 1 MW tại Hà Nội")  # data loads once per process, not per article
    started = time.perf_counter()
    for _ in range(repeat):
        for text, language in bodies:
            extract_facts(text, language)
    return len(bodies), time.perf_counter() - started


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="*", default=None, help="labelled JSONL files (default: tests/data/facts_*.jsonl)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.data] if args.data else sorted(
        (ROOT / "tests" / "data").glob("facts_*.jsonl"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 9, p.name))
    failed = False
    for path in paths:
        failed |= report(path, args.show_errors)
    for name, bodies in (("fixture", fixture_bodies()), ("synthetic (dense)", synthetic_bodies())):
        articles, seconds = cost(args.repeat, bodies)
        runs = articles * args.repeat
        print(f"cost: {articles} {name} articles x {args.repeat}: {1000 * seconds / runs:.2f} ms per article, "
              f"{runs / seconds:.0f} articles/s")
    return 1 if failed else 0


def report(path: Path, show_errors: bool) -> bool:
    """Print one set's table; True when a bar is missed."""
    rows = load(path)
    counts, errors = score(rows)
    languages = Counter(row["lang"] for row in rows)
    print(f"{path.name}: {len(rows)} sentences ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))})")
    print(f"{'kind':<14}{'gold':>6}{'found':>7}{'precision':>11}{'recall':>8}  bar")
    failed = False
    for name in KINDS + SETS:
        c = counts[name]
        precision, recall = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        bar = BARS.get(name)
        verdict = ""
        if bar:
            ok = precision >= bar[0] and (bar[1] is None or recall >= bar[1])
            failed |= not ok
            verdict = ("ok" if ok else "BELOW") + f" (P>={bar[0]}" + (f", R>={bar[1]})" if bar[1] else ")")
        print(f"{name:<14}{c['tp'] + c['fn']:>6}{c['tp'] + c['fp']:>7}{precision:>11.3f}{recall:>8.3f}  {verdict}")
    if show_errors:
        for row_id, text, wrong in errors:
            print(f"{row_id}: {text}")
            for name, (extra, missed) in wrong.items():
                print(f"  {name}: extra {extra} missed {missed}")
    print()
    return failed


if __name__ == "__main__":
    sys.exit(main())
