"""Precision and recall of extract_facts on a labelled set, and its cost per article.

    python benchmarks/facts_quality.py [--data tests/data/facts_labelled.jsonl] [--repeat N] [--show-errors]

The labelled set is sentences of our own in the style of the green press,
Vietnamese and English, with what a careful reader takes from each (see
`tests/data/facts_labelled.md` for the rules). Per sentence, quantities are
matched as a multiset of (kind, value, unit), values equal within 0.1 %;
places (current province), documents (id) and organisations (name) as sets.

The cost is measured on the article bodies of `fixtures/*/*.expected.json`
(summary and body, with each fixture's language), N passes: ms per article
and articles per second, in this one process.
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


def cost(repeat: int) -> tuple[int, float]:
    bodies = fixture_bodies()
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
    parser.add_argument("--data", default=str(ROOT / "tests" / "data" / "facts_labelled.jsonl"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    rows = load(Path(args.data))
    counts, errors = score(rows)
    languages = Counter(row["lang"] for row in rows)
    print(f"labelled sentences: {len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))})")
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
    articles, seconds = cost(args.repeat)
    runs = articles * args.repeat
    print(f"cost: {articles} fixture articles x {args.repeat}: {1000 * seconds / runs:.2f} ms per article, "
          f"{runs / seconds:.0f} articles/s")
    if args.show_errors:
        for row_id, text, wrong in errors:
            print(f"\n{row_id}: {text}")
            for name, (extra, missed) in wrong.items():
                print(f"  {name}: extra {extra} missed {missed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
