"""Near-duplicate check time per article as the database grows (1k, 10k, 100k).

Stored articles get synthetic MinHash signatures (their band keys are what
the lookup touches); the timed articles go through the real stage: shingle,
sign, LSH lookup in SQLite, similarity check. The figure must stay flat.
Baseline in the same run: a raw sqlite3 primary-key lookup on the same file.

    python benchmarks/near_dup_scaling.py [--sizes 1000 10000 100000] [--samples 300]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from newscrawl.analysis import signatures as neardup
from newscrawl.items import empty_article
from newscrawl.pipelines import Duplicate
from newscrawl.pipelines.neardup import NearDedupePipeline
from newscrawl.store.schema import Store

WORDS = ("phát triển bền vững năng lượng tái tạo điện gió mặt trời doanh nghiệp đầu tư xanh khu công nghiệp "
         "sinh thái tín chỉ carbon thị trường phát thải khí nhà kính chuyển đổi số kinh tế tuần hoàn tái chế "
         "chính sách ngân hàng tín dụng dự án nhà máy địa phương tỉnh thành phố chuyên gia cho biết theo kế hoạch "
         "năm 2030 mục tiêu giảm tăng trưởng hạ tầng lưới điện lưu trữ pin xe điện giao thông nông nghiệp rừng").split()


def fake_body(rng: random.Random, words: int = 350) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def fill(store: Store, start: int, stop: int, rng: np.random.Generator) -> None:
    for i in range(start, stop):
        signature = rng.integers(0, 2**32, size=neardup.NUM_PERM, dtype=np.uint64)
        store.add_near_signature(f"https://x.vn/a{i}", neardup.band_keys(signature), neardup.to_blob(signature), 300, "2025-01-01T00:00:00+07:00")
    store.flush()


def time_checks(store: Store, samples: int, seed: int) -> list[float]:
    stage = NearDedupePipeline(store)
    rng = random.Random(seed)
    times = []
    for i in range(samples):
        item = empty_article(url=f"https://y.vn/{seed}-{i}", site="y", title="t", body=fake_body(rng), published="2025-02-01T00:00:00+07:00")
        start = time.perf_counter()
        try:
            stage.process_item(item)
        except Duplicate:
            pass
        times.append(time.perf_counter() - start)
    store._pending.clear()  # timed articles are not kept: the size stays as labelled
    store._items = 0
    return times


def pk_lookup(path: Path, samples: int) -> float:
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    for i in range(samples):
        conn.execute("SELECT signature FROM near_signatures WHERE url = ?", [f"https://x.vn/a{i}"]).fetchone()
    conn.close()
    return (time.perf_counter() - start) / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        store = Store(path, batch_size=5_000)
        filled, baseline = 0, None
        print(f"{'stored':>9} {'median ms':>10} {'p95 ms':>8} {'ratio':>7} {'raw sqlite3 pk ms':>18}")
        for size in sorted(args.sizes):
            fill(store, filled, size, rng)
            filled = size
            times = sorted(time_checks(store, args.samples, seed=size))
            median, p95 = statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000
            baseline = baseline or median
            print(f"{size:>9} {median:>10.3f} {p95:>8.3f} {median / baseline:>6.2f}x {pk_lookup(path, args.samples) * 1000:>18.4f}")
        store.close()
    print("ratio = median at this size / median at the smallest size (flat means ~1x)")


if __name__ == "__main__":
    main()
