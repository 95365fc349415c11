"""Story clustering speed: 300 items (a large digest) recombined from the labelled sets, all
within 45 hours, clustered five times; prints the best and first times (target: under 50 ms).

Run: .venv/bin/python bench/bench_cluster.py [--items 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.digest.cluster import cluster_items  # noqa: E402
from tests.test_cluster import DEV, OWN, item, load  # noqa: E402


def main() -> None:
    """Parse the options, run the bench, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    count = parser.parse_args().items
    rows = (load(DEV)[0] if DEV.exists() else []) + load(OWN)[0]
    batch = [
        item(k, rows[k % len(rows)].title, k * 0.15, rows[(7 * k + 3) % len(rows)].summary)
        for k in range(count)
    ]
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        stories = cluster_items(batch)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"{count} items -> {len(stories)} stories")
    print(f"best of 5: {min(timings):.1f} ms, first run: {timings[0]:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
