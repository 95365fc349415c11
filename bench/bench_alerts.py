"""Benchmark: matching new items against every reader's watch words (bot.tagging.watch), beside
the topic Tagger's own speed on the same items in the same run.

Generates READERS readers with WATCHES watches each (one or two words, a quoted phrase, or a
stem, drawn from the middle of the word distribution as readers' words are), and N items of
about 660 characters (bench_tagging's generator, seeded); times WatchMatcher.match on every
item, and the Tagger with 50 topics x 30 terms on the same items. A second matcher with a
tenth of the readers shows whether the cost grows with the number of readers.

    .venv/bin/python bench/bench_alerts.py [--readers 10000] [--watches 5] [--items 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_tagging import timed, workload  # noqa: E402

from bot.tagging.gazetteer import load_gazetteer  # noqa: E402
from bot.tagging.tagger import Tagger  # noqa: E402
from bot.tagging.watch import WatchMatcher  # noqa: E402


def make_watches(words: list[str], rng: random.Random, readers: int,
                 per_reader: int) -> list[tuple[int, str]]:
    """(chat id, watch) pairs: half one word, a quarter two words, the rest phrases or stems."""
    watches = []
    for chat_id in range(1, readers + 1):
        for _ in range(per_reader):
            roll = rng.random()
            if roll < 0.5:
                text = rng.choice(words)
            elif roll < 0.75:
                text = f"{rng.choice(words)} {rng.choice(words)}"
            elif roll < 0.9:
                text = f'"{rng.choice(words)} {rng.choice(words)}"'
            else:
                stem = rng.choice([w for w in words if len(w) >= 6])
                text = stem[: rng.randint(4, len(stem) - 1)] + "*"
            watches.append((chat_id, text))
    return watches


def main() -> None:
    """Run the benchmark and print items per second for each matcher."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--watches", type=int, default=5)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--terms", type=int, default=30)
    parser.add_argument("--vocabulary", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    topics, items = workload(args)
    rng = random.Random(args.seed + 1)
    # Readers watch the words topics are made of: neither the commonest nor unheard-of ones.
    vocabulary = sorted({word for topic in topics
                         for kind in (topic.rule.include, topic.rule.require, topic.rule.exclude)
                         for term in kind for word in term.rstrip("*").split()})
    watches = make_watches(vocabulary, rng, args.readers, args.watches)
    gazetteer = load_gazetteer()

    tagger, tagger_built = timed(lambda: Tagger(topics, gazetteer=gazetteer))
    _, tag_time = timed(lambda: [tagger.tag(title, text) for title, text in items])
    print(f"Tagger ({len(topics)} topics x {args.terms} terms): built in "
          f"{tagger_built * 1000:.0f} ms; {len(items) / tag_time:,.0f} items/s "
          f"({tag_time / len(items) * 1e6:.0f} µs/item)")

    for readers in (args.readers // 10, args.readers):
        subset = [w for w in watches if w[0] <= readers]
        matcher, built = timed(lambda subset=subset: WatchMatcher(subset, gazetteer=gazetteer))
        hits, match_time = timed(
            lambda matcher=matcher: [matcher.match(title, text) for title, text in items])
        alerts = sum(map(len, hits))
        print(f"Watch words ({readers:,} readers x {args.watches}): built in "
              f"{built * 1000:.0f} ms; {len(items) / match_time:,.0f} items/s "
              f"({match_time / len(items) * 1e6:.0f} µs/item); "
              f"{alerts / len(items):.2f} readers alerted per item")


if __name__ == "__main__":
    main()
