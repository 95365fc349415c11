"""Benchmark: matching new items against every reader's watch words (bot.tagging.watch), beside
the topic Tagger's own speed on the same items in the same run.

Generates READERS readers with WATCHES watches each (one or two words, a quoted phrase, or a
stem, drawn from the middle of the word distribution as readers' words are), and N items of
about 660 characters (bench_tagging's generator, seeded); times WatchMatcher.match on every
item, and the Tagger with 50 topics x 30 terms on the same items. A second matcher with a
tenth of the readers shows whether the cost grows with the number of readers.

Then what watches may cost (issue 27), each beside the way it was done before, same run:
2,000 chats x 20 two-word watches whose first word is one of the commonest of the items,
matched on a 500-item batch with each watch indexed by its first term (before) and by its
rarest (now), and the longest stall of an event loop while the batch is matched in a thread;
and 25 chats x 20 watches naming @negara_asing: inside phrases, each its own term (before; now
refused), against a list on its own beside a word (now), the build's memory and time, and the
longest stall of an event loop while it is built in a thread.

    .venv/bin/python bench/bench_alerts.py [--readers 10000] [--watches 5] [--items 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_tagging import timed, workload  # noqa: E402

from bot.models import Topic, TopicRule  # noqa: E402
from bot.tagging.gazetteer import load_gazetteer  # noqa: E402
from bot.tagging.normalize import folded_words  # noqa: E402
from bot.tagging.tagger import Tagger  # noqa: E402
from bot.tagging.watch import WatchMatcher, watch_terms, word_frequencies  # noqa: E402


def make_watches(
    words: list[str], rng: random.Random, readers: int, per_reader: int
) -> list[tuple[int, str]]:
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
    vocabulary = sorted(
        {
            word
            for topic in topics
            for kind in (topic.rule.include, topic.rule.require, topic.rule.exclude)
            for term in kind
            for word in term.rstrip("*").split()
        }
    )
    watches = make_watches(vocabulary, rng, args.readers, args.watches)
    gazetteer = load_gazetteer()

    tagger, tagger_built = timed(lambda: Tagger(topics, gazetteer=gazetteer))
    _, tag_time = timed(lambda: [tagger.tag(title, text) for title, text in items])
    print(
        f"Tagger ({len(topics)} topics x {args.terms} terms): built in "
        f"{tagger_built * 1000:.0f} ms; {len(items) / tag_time:,.0f} items/s "
        f"({tag_time / len(items) * 1e6:.0f} µs/item)"
    )

    for readers in (args.readers // 10, args.readers):
        subset = [w for w in watches if w[0] <= readers]
        matcher, built = timed(lambda subset=subset: WatchMatcher(subset, gazetteer=gazetteer))
        hits, match_time = timed(
            lambda matcher=matcher: [matcher.match(title, text) for title, text in items]
        )
        alerts = sum(map(len, hits))
        print(
            f"Watch words ({readers:,} readers x {args.watches}): built in "
            f"{built * 1000:.0f} ms; {len(items) / match_time:,.0f} items/s "
            f"({match_time / len(items) * 1e6:.0f} µs/item); "
            f"{alerts / len(items):.2f} readers alerted per item"
        )

    cost(items, vocabulary, gazetteer, rng)


def first_term_index(matcher: WatchMatcher) -> WatchMatcher:
    """The matcher with every multi-word watch indexed by its first term, as before issue 27
    (reaches into its tables: a baseline for this bench only)."""
    multi = [watch for watches in matcher._multi.values() for watch in watches]  # noqa: SLF001
    numbers = {topic.name: n for n, topic in enumerate(matcher._tagger.topics)}  # noqa: SLF001
    lists = load_gazetteer().lists.keys()
    matcher._multi = {}  # noqa: SLF001
    for watch in multi:
        first = numbers[watch_terms(watch.words, lists)[0]]
        matcher._multi.setdefault(first, []).append(watch)  # noqa: SLF001
    return matcher


async def longest_stall(work) -> tuple[float, float]:
    """Run work() in a thread while the event loop ticks; the longest gap between two ticks
    (what a reader's /help would wait at worst) and the work's own seconds."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    start = time.perf_counter()
    await asyncio.to_thread(work)
    took = time.perf_counter() - start
    done.set()
    await ticker
    return max(gaps, default=0.0), took


def cost(items: list[tuple[str, str]], vocabulary: list[str], gazetteer, rng) -> None:
    """Issue 27's two costs, each beside the way it was done before, same run."""
    batch = items[:500]
    counts = collections.Counter(
        w for title, text in items[:2000] for w in set(folded_words(f"{title} {text}"))
    )
    common = [w for w, _ in counts.most_common(40) if len(w) > 3][:10]
    watches = [
        (chat, f"{rng.choice(common)} {rng.choice(vocabulary)}")
        for chat in range(1, 2001)
        for _ in range(20)
    ]
    frequencies = word_frequencies(items[:1000])
    now, built = timed(lambda: WatchMatcher(watches, gazetteer=gazetteer, frequencies=frequencies))
    before = first_term_index(WatchMatcher(watches, gazetteer=gazetteer))
    new_hits, new_time = timed(lambda: now.match_all(batch))
    old_hits, old_time = timed(lambda: before.match_all(batch))
    assert [h.keys() for h in new_hits] == [h.keys() for h in old_hits]
    stall, threaded = asyncio.run(longest_stall(lambda: now.match_all(batch)))
    # The same loop beside a thread that only waits as long: what this machine's load alone
    # costs the loop, the baseline of the stalls.
    idle, _ = asyncio.run(longest_stall(lambda: time.sleep(threaded)))
    print(
        f"2,000 chats x 20 two-word watches (first word among the 10 commonest), 500 items: "
        f"rarest-term index {new_time:.3f} s vs first-term index (before) {old_time:.3f} s "
        f"({old_time / new_time:.1f}x); built in {built:.2f} s; in a thread "
        f"{threaded:.3f} s, longest event-loop stall {stall * 1000:.1f} ms (beside a thread "
        f"that only sleeps as long: {idle * 1000:.1f} ms)"
    )

    phrases = [f'"kata{n} @negara_asing"' for n in range(500)]
    tracemalloc.start()
    _, old_build = timed(
        lambda: Tagger(
            [Topic(f"w{n}", term, TopicRule(include=(term,))) for n, term in enumerate(phrases)],
            gazetteer=gazetteer,
            shared=False,
        )
    )
    old_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    alone = [(chat, f"@negara_asing kata{chat}x{n}") for chat in range(25) for n in range(20)]
    tracemalloc.start()
    _, new_build = timed(lambda: WatchMatcher(alone, gazetteer=gazetteer))
    new_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    old_stall, _ = asyncio.run(
        longest_stall(
            lambda: Tagger(
                [
                    Topic(f"w{n}", term, TopicRule(include=(term,)))
                    for n, term in enumerate(phrases)
                ],
                gazetteer=gazetteer,
                shared=False,
            )
        )
    )
    new_stall, _ = asyncio.run(longest_stall(lambda: WatchMatcher(alone, gazetteer=gazetteer)))
    print(
        f"25 chats x 20 watches naming @negara_asing: a list alone (now) built in "
        f"{new_build:.3f} s, peak {new_peak / 2**20:.1f} MB, loop stall {new_stall * 1000:.1f}"
        f" ms in a thread; inside phrases (before, now refused) {old_build:.2f} s, peak "
        f"{old_peak / 2**20:.0f} MB, loop stall {old_stall * 1000:.1f} ms even in a thread, "
        f"and the whole build on the loop before"
    )


if __name__ == "__main__":
    main()
