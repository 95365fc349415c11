"""Benchmark: bot.tagging.Tagger against a naive tagger that runs one regex per term.

Generates 50 topics of 30 terms and N items (a title and a ~600-character summary of
Indonesian words, seeded), tags every item with Tagger and a sample with the naive loop,
checks that both agree on the sample, and prints timings and the speed ratio.

The Tagger does all its work: it stems every word with Sastrawi (cached per word, so the
first sight of each of the 20,000 words is paid inside the timed run), looks up the stems of
lower-case terms, and weighs the evidence. Its topics have threshold 1, so that any
occurrence gives the topic as in the naive loop, and the vocabulary keeps only words that are
their own stem, so the two can be compared item by item.

    .venv/bin/python bench/bench_tagging.py [--items 100000] [--naive-items 2000] [--seed 7]

The naive loop is too slow to run on every item in a reasonable time, so its per-item cost is
measured on --naive-items items (raise it to the item count to time it on all of them).

Then the cost in the number of topics (issue 25): the bundled gazetteer and the 4 default
topics, against the same 4 plus the 50 generated topics (54), tagging the same --flat-items
items chunk by chunk, each chunk --rounds times by each in turn, its best time kept (CPU
time: this machine is shared, and the best of a short chunk is the one least disturbed).
Target: 54 topics within 1.3 times the 4.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import Topic, TopicRule  # noqa: E402
from bot.tagging.defaults import default_topics  # noqa: E402
from bot.tagging.gazetteer import Gazetteer  # noqa: E402
from bot.tagging.morphology import load_morphology  # noqa: E402
from bot.tagging.tagger import Tagger  # noqa: E402

# Everyday Indonesian news words. None starts with "be" or ends in a clitic (-nya, -lah, -pun,
# -kah), so the Tagger's affix variants never fire and both taggers must agree exactly.
VOCABULARY = """
warga kota daerah provinsi kabupaten pemerintah dinas kepala wali gubernur bupati camat desa
kecamatan pasar harga minyak goreng cabai rawit daging sapi ayam ikan sayur buah padi sawah
petani nelayan pedagang sopir ojek jalan jembatan sungai banjir hujan angin cuaca musim kemarau
asap kebakaran hutan lahan tambang emas nikel sawit karet kayu listrik gardu tiang kabel air
bersih pipa sumur kolam taman lapangan stadion gedung kantor rumah sakit dokter perawat pasien
obat vaksin klinik puskesmas anak ibu ayah keluarga pemuda remaja lansia tokoh adat agama masjid
gereja pura vihara festival budaya tari musik lagu film seni lukis pameran wisata pantai pulau
danau goa gunung bukit lembah laut kapal pelabuhan bandara pesawat mobil motor truk angkutan
umum tarif tiket kursi antrean mudik arus lalu lintas polisi tentara hakim jaksa sidang kasus
korupsi pencurian narkoba razia operasi patroli keamanan kantin dapur nasi sayuran gula garam
kopi teh susu roti kue toko warung mal koperasi usaha modal kredit utang pajak retribusi
anggaran dana proyek program kegiatan rapat musyawarah forum dialog survei data statistik
angka persen juta miliar triliun rupiah nilai target capaian realisasi laporan evaluasi
rencana strategi kebijakan aturan peraturan undang izin sertifikat lisensi produk layanan
aplikasi internet sinyal jaringan digital teknologi inovasi riset penelitian laboratorium
kampus dosen mahasiswa siswa murid guru kelas ujian nilai rapor ijazah wisuda sarjana
perpustakaan buku bacaan tulisan koran majalah radio televisi siaran berita kabar informasi
pengumuman undangan acara upacara peresmian pembukaan penutupan pelantikan kunjungan tamu
delegasi rombongan peserta panitia relawan donatur bantuan sumbangan sembako beras tepung
telur minyak tanah gas elpiji solar pertalite harga naik turun stabil langka melimpah
tinggi rendah baru lama besar kecil panjang pendek cepat lambat mahal murah ramai sepi
pagi siang sore malam hari minggu bulan tahun kemarin esok lusa senin selasa rabu kamis
jumat sabtu utara selatan timur barat tengah pusat pinggir ujung hulu hilir muara tepian
olahraga sepak bola voli renang lari sepeda catur bulu tangkis juara medali turnamen liga
klub pemain pelatih wasit suporter gol skor laga final semifinal grup klasemen poin
""".split()

ONSETS = ["", "b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "ng", "ny"]
VOWELS = ["a", "a", "i", "u", "e", "o"]
CODAS = ["", "", "", "n", "ng", "r", "t", "k", "s", "l", "m", "h"]


def rare_words(rng: random.Random, count: int) -> list[str]:
    """Made-up words with Indonesian syllable shapes (CV, CVC): place and personal names,
    jargon, the long tail of a news vocabulary."""
    words: set[str] = set()
    while len(words) < count:
        syllables = [rng.choice(ONSETS[1:]) + rng.choice(VOWELS) + rng.choice(CODAS)]
        syllables += [
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
            for _ in range(rng.randint(1, 3))
        ]
        words.add("".join(syllables))
    return sorted(words)


def usable_vocabulary(words: list[str]) -> list[str]:
    """Unique words that no other word or word pair could imitate through joining, and that
    are their own stem (so stemming changes no match)."""
    unique = sorted(set(words))
    known = set(unique)
    stem = load_morphology().stem
    out = []
    for word in unique:
        splits = any(word[:i] in known and word[i:] in known for i in range(1, len(word)))
        clitic = word.endswith(("nya", "lah", "pun", "kah"))
        if not splits and not clitic and not word.startswith("be") and stem(word) == word:
            out.append(word)
    return out


def make_topics(words: list[str], rng: random.Random, count: int, size: int) -> list[Topic]:
    """Topics of `size` terms: single words, two-word phrases and stems; every fifth topic
    also has require and exclude terms."""
    topics = []
    for number in range(count):
        terms = []
        for _ in range(size):
            roll = rng.random()
            if roll < 0.6:
                terms.append(rng.choice(words))
            elif roll < 0.85:
                terms.append(f"{rng.choice(words)} {rng.choice(words)}")
            else:
                stem = rng.choice([w for w in words if len(w) >= 6])
                prefix = stem[: rng.randint(4, len(stem) - 1)]
                terms.append((prefix if load_morphology().stem(prefix) == prefix else stem) + "*")
        if number % 5 == 0:
            rule = TopicRule(
                tuple(terms[:22]), tuple(terms[22:26]), tuple(terms[26:]), threshold=1
            )
        else:
            rule = TopicRule(tuple(terms), threshold=1)
        topics.append(Topic(f"topik_{number:02d}", f"Topik {number}", rule))
    return topics


def make_text(words: list[str], cumulative: list[float], rng: random.Random, length: int) -> str:
    """Sentences of random words with commas and full stops, about `length` characters."""
    sentences, size = [], 0
    while size < length:
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(7, 15))
        if rng.random() < 0.5:
            chosen[rng.randrange(1, len(chosen))] += ","
        sentence = " ".join(chosen).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


def naive_compile(topics: list[Topic]) -> list[tuple[str, list[list[re.Pattern]]]]:
    """One compiled, case-insensitive, whole-word regex per term."""

    def one(term: str) -> re.Pattern:
        """The regex of one term: its words separated by spaces or commas; a stem ends in \\w*."""
        stem = term.endswith("*")
        body = r"[\s,]+".join(re.escape(w) for w in term.rstrip("*").split())
        return re.compile(rf"\b{body}" + (r"\w*" if stem else r"\b"), re.IGNORECASE)

    return [
        (
            t.slug,
            [
                [one(term) for term in kind]
                for kind in (t.rule.include, t.rule.require, t.rule.exclude)
            ],
        )
        for t in topics
    ]


def naive_tag(compiled, title: str, text: str) -> tuple[str, ...]:
    """Try every regex of every topic on the title and on the text."""

    def found(patterns) -> bool:
        """True when any of the patterns occurs in the title or the text."""
        return any(p.search(title) or p.search(text) for p in patterns)

    return tuple(
        slug
        for slug, (include, require, exclude) in compiled
        if found(include) and (not require or found(require)) and not found(exclude)
    )


def workload(args: argparse.Namespace) -> tuple[list[Topic], list[tuple[str, str]]]:
    """The seeded topics and (title, summary) items."""
    rng = random.Random(args.seed)
    common = usable_vocabulary(VOCABULARY)
    rng.shuffle(common)
    words = usable_vocabulary(common + rare_words(rng, args.vocabulary - len(common)))
    words = common + [w for w in words if w not in set(common)]  # frequent words first
    cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(words))))
    # Topic terms come from the middle of the distribution, as real topic words do.
    topics = make_topics(words[len(common) // 2 :], rng, args.topics, args.terms)
    items = [
        (make_text(words, cumulative, rng, 60), make_text(words, cumulative, rng, 600))
        for _ in range(args.items)
    ]
    print(
        f"{len(topics)} topics x {args.terms} terms, {len(items)} items, "
        f"{sum(len(t) + len(s) for t, s in items) / len(items):.0f} chars per item, "
        f"{len(words)} distinct words"
    )
    return topics, items


# Items per chunk of the topics-count measure (flat_cost).
CHUNK = 250


def timed(function):
    """Call function(); return its result and the seconds it took."""
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main() -> None:
    """Run the benchmark; exit 1 if the two taggers disagree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--naive-items", type=int, default=2_000)
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--terms", type=int, default=30)
    parser.add_argument("--vocabulary", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--flat-items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    topics, items = workload(args)

    # No gazetteer: the naive loop has no ignored phrases or street rule to mirror.
    tagger, built = timed(lambda: Tagger(topics, gazetteer=Gazetteer(lists={})))
    fast, fast_time = timed(lambda: [tagger.tag(title, text) for title, text in items])
    sample, compiled = items[: args.naive_items], naive_compile(topics)
    slow, slow_time = timed(lambda: [naive_tag(compiled, title, text) for title, text in sample])

    fast_each, slow_each = fast_time / len(items), slow_time / len(sample)
    print(
        f"Tagger: built in {built * 1000:.0f} ms; tagged {len(items)} items in "
        f"{fast_time:.1f} s ({fast_each * 1e6:.0f} µs/item); "
        f"{sum(map(len, fast)) / len(items):.2f} tags/item"
    )
    print(
        f"naive:  tagged {len(sample)} items in {slow_time:.1f} s ({slow_each * 1e6:.0f} "
        f"µs/item); all {len(items)} items would take {slow_each * len(items):.0f} s"
    )
    print(f"ratio:  Tagger is {slow_each / fast_each:.1f}x faster")
    disagree = [i for i, tags in enumerate(slow) if tags != fast[i]]
    print(f"check:  {len(sample) - len(disagree)}/{len(sample)} items agree")
    if disagree:
        first = disagree[0]
        print(f"  first disagreement: item {first}: naive {slow[first]} Tagger {fast[first]}")
        sys.exit(1)
    flat_cost(topics, items[: args.flat_items], args.rounds)


def flat_cost(generated: list[Topic], items: list[tuple[str, str]], rounds: int) -> None:
    """Print the cost of tagging with the 4 default topics and with 54 (the 4 and the 50
    generated ones) and their ratio. The items are cut into chunks of CHUNK; each chunk is
    tagged `rounds` times by each tagger in turn and its best time kept: the machine's load
    changes within seconds, and the best of a short chunk is the one it disturbed least."""
    defaults = default_topics()
    taggers = {"4": Tagger(defaults), "54": Tagger(defaults + generated)}
    for tagger in taggers.values():  # every word's stem and lookups remembered first
        for title, text in items:
            tagger.tag(title, text)
    total = dict.fromkeys(taggers, 0.0)
    tags = dict.fromkeys(taggers, 0)
    for first in range(0, len(items), CHUNK):
        chunk = items[first : first + CHUNK]
        best = dict.fromkeys(taggers, float("inf"))
        for _ in range(rounds):
            for name, tagger in taggers.items():
                start = time.process_time()
                for title, text in chunk:
                    tagger.tag(title, text)
                best[name] = min(best[name], time.process_time() - start)
        for name, tagger in taggers.items():
            total[name] += best[name]
            tags[name] += sum(len(tagger.tag(title, text)) for title, text in chunk)
    for name in taggers:
        print(
            f"topics: {name:>2} topics: {total[name] / len(items) * 1e6:.0f} µs/item "
            f"(best of {rounds} rounds per chunk of {CHUNK}, {len(items)} items), "
            f"{tags[name] / len(items):.2f} tags/item"
        )
    print(f"ratio:  54 topics cost {total['54'] / total['4']:.2f}x the 4 defaults (target ≤ 1.3)")


if __name__ == "__main__":
    main()
