"""Story clustering: items from one or several outlets about the same event become one Story.

Method. Each item becomes a bag of features taken from its title (counted twice) and the first
~300 characters of its summary: case- and accent-folded words with Indonesian stopwords, datelines
and outlet boilerplate dropped, a light affix stripper ("menghanguskan" and "hangus" meet), and
bigrams of neighbouring content words. Features are weighted by their rarity in the batch
(smoothed IDF) and two items are compared by cosine similarity, found through an inverted index so
only items sharing a feature are ever paired. A pair may join when it is similar enough, is within
the window, shares a salient token (a number, a proper noun or an acronym) and is not in conflict:
both sides naming in their title a salient token the other never mentions ("Korea Selatan" against
"Australia", "Persija" against "Persib") marks two different events on the same subject. Pairs
are merged best first, as long as the story stays within the window and the average similarity
between the two groups stays high, so one loose link cannot chain two events together.

Limits. It knows words, not meaning: two outlets that describe one event with no salient words in
common (one says "Si Jago Merah", the other names no place or number) stay apart; synonyms are
only caught through shared names, numbers and the few abbreviations in `_ALIASES`. Two events
told with nearly the same words and names inside the window (a second flood on the same street
the next day) can merge. IDF over a small batch is rough; the smoothing keeps it sane.
Imports only the stdlib and bot.models; pure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.models import StoredItem

LEAD_CHARS = 300
TITLE_WEIGHT = 1.0
THRESHOLD = 0.22  # cosine needed for a pair to join (tuned on the dev and fixture sets)
GROUP_FACTOR = 0.5  # average-link floor when merging groups, as a share of THRESHOLD
SALIENT_BOOST = 1.0
BIGRAM_WEIGHT = 0.0
PSEUDO_DOCS = 20  # IDF smoothing: a batch of two items still weighs shared words sensibly

# "Samarinda (ANTARA) -", "SAMARINDA, DISWAY -": where the desk sits, not where the event is.
_DATELINE = re.compile(r"^\s*[A-Z][\w .'-]{1,40}?(?:\s*\([A-Za-z .]+\)|,\s*[A-Z][A-Z .]+)\s*[-–—]\s*")
_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W\d_]+")
_MARKS = re.compile("[\u0300-\u036f]")
_YEAR = re.compile(r"(?:19|20)\d\d")
_STOPWORDS = frozenset("""
ada adalah agar akan akhir aku amat anda antara apa apabila atas atau bagai bagaimana bagi bahkan
bahwa baik banyak baru bawah beberapa begitu belum benar berada berbagai bersama beserta bila
bisa boleh bukan cukup dalam dan dapat dari daripada demi dengan di dia diri dua ini itu jadi
jika juga justru kala kalau kami kamu karena ke kedua kembali kemudian kepada ketika kini kita
lagi lain lalu lama lebih maka mampu mana masih masing melalui memang menjadi menurut mereka
merupakan meski mulai namun nanti oleh pada para pula pun saat saja salah sama sampai sang satu
saya sebab sebagai sebelum sebuah sedang sejak sekitar selama seluruh semua sementara sendiri
serta sesuai setelah sudah supaya tak tanpa tapi telah tengah tentang terhadap tersebut tetapi
tiga tidak tiap turut untuk usai waktu wita wib yaitu yakni yang
senin selasa rabu kamis jumat sabtu minggu pagi siang sore malam dini hari pukul
sebanyak mencapai menyebut mengatakan kata ujar jelas ungkap hingga tahun ini
cek berita artikel google news baca simak foto ist dok ilustrasi disway antara tribun kompas
detik post prokal katakaltim com
""".split())
# Abbreviations Indonesian outlets alternate with the long form; folded to one token each.
_ALIASES = {
    "kalimantan timur": "kaltim", "kalimantan utara": "kaltara", "kalimantan selatan": "kalsel",
    "pemerintah provinsi": "pemprov", "pemerintah kabupaten": "pemkab",
    "pemerintah kota": "pemkot", "kutai kartanegara": "kukar", "kutai timur": "kutim",
    "ibu kota nusantara": "ikn", "nota kesepahaman": "mou", "tiongkok": "china", "rrt": "china",
}
_ALIAS = re.compile(r"\b(?:" + "|".join(map(re.escape, _ALIASES)) + r")\b", re.IGNORECASE)
# Capitalised as part of a name, but say nothing about which one: "Kota Samarinda", "Jalan
# Antasari", "Dinas Pendidikan". Checked on the folded word, before stemming.
_GENERIC = re.compile(
    r"kota|kabupaten|provinsi|kecamatan|kelurahan|desa|jalan|jl|dinas|badan|kepala|kantor|"
    r"pemerintah|pemprov|pemkab|pemkot|kementerian|pasar|sungai|stadion|gedung|kawasan|"
    r"universitas|presiden|gubernur|bupati|wali|menteri|wakil|rumah|sakit|pulau|negeri|"
    r"kalimantan|indonesia|ri|mou|pt|cv"
)
_PREFIXES = ("meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "ber", "ter", "per",
             "me", "pe", "di", "ke", "se")
_SUFFIXES = ("kan", "nya", "an", "i")


@dataclass(frozen=True)
class Story:
    """One event: the item whose title is shown and the same event elsewhere, newest first."""

    primary: StoredItem
    others: tuple[StoredItem, ...]


@dataclass(frozen=True)
class _Profile:
    """What the clustering knows about one item."""

    features: dict[str, float]  # feature -> count weight (title counts TITLE_WEIGHT)
    title_words: frozenset[str]  # the stems of the title
    words: frozenset[str]  # every stem of the title and the whole summary
    salient: frozenset[str]  # numbers, proper nouns and acronyms, as stems
    title_salient: frozenset[str]  # the salient stems that appear in the title
    shouting: bool  # the title is written in capitals


def _stem(word: str) -> str:
    """Strip one common Indonesian suffix and one prefix, keeping at least four letters."""
    if len(word) < 6 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix):]
    return word


def _fold(text: str) -> str:
    """Case- and accent-folded text."""
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text.casefold()


def _abbreviate(text: str) -> str:
    """Replace the known long forms by their abbreviation, keeping a capital (a name stays a
    name: "Kalimantan Timur" -> "Kaltim")."""
    def short(match: re.Match) -> str:
        word = _ALIASES[match.group(0).casefold()]
        return word.capitalize() if match.group(0)[0].isupper() else word

    return _ALIAS.sub(short, text)


def _stems(text: str) -> list[str]:
    """The content words of a text, folded and stemmed, in order."""
    return [_stem(w) for w in _TOKEN.findall(_fold(text)) if w not in _STOPWORDS and len(w) > 1
            or w.isdigit()]


def _proper_names(text: str, *, title: bool) -> set[str]:
    """Stems of words that look like names: acronyms, and capitalised words inside sentences.

    A title in Title Case or in capitals says nothing about names, so only its acronyms count
    (and none when the whole text is in capitals). Generic heads of names ("Kota", "Dinas")
    are not names on their own.
    """
    matches = list(_TOKEN.finditer(text))
    letters = [m.group(0) for m in matches if m.group(0)[0].isalpha() and len(m.group(0)) > 1]
    shouting = bool(letters) and all(w.isupper() for w in letters)
    title_case = title and sum(w[0].isupper() for w in letters) >= 0.7 * max(len(letters), 1)
    found = set()
    for match in matches:
        word = match.group(0)
        if word[0].isdigit() or shouting or _GENERIC.fullmatch(word.casefold()):
            continue
        before = text[max(0, match.start() - 6):match.start()].rstrip(" \t\"'“‘(")
        opens = not before or before[-1] in ".!?:\n"  # capitalised as a sentence opener
        if (len(word) > 1 and word.isupper()) or (word[0].isupper() and not title_case
                                                  and not opens):
            found.update(_stems(word))
    return found


def _profile(item: StoredItem) -> _Profile:
    """Features, stems and salient tokens of one item."""
    title = _abbreviate(item.title)
    lead = _abbreviate(_DATELINE.sub("", item.summary or "", count=1))
    title_stems, lead_stems = _stems(title), _stems(lead[:LEAD_CHARS])
    near = set(title_stems) | set(lead_stems)
    numbers = {w for w in near if w[0].isdigit() and not _YEAR.fullmatch(w)}
    names = _proper_names(title, title=True) | _proper_names(lead[:LEAD_CHARS], title=False)
    salient = frozenset(numbers | (names & near))
    features: dict[str, float] = defaultdict(float)
    for stems, weight in ((title_stems, TITLE_WEIGHT), (lead_stems, 1.0)):
        for feature in set(stems):
            features[feature] += weight * (SALIENT_BOOST if feature in salient else 1.0)
        for feature in {f"{a} {b}" for a, b in zip(stems, stems[1:])}:
            features[feature] += weight * BIGRAM_WEIGHT
    words = frozenset(near) | frozenset(_stems(lead))
    letters = [w for w in _TOKEN.findall(item.title) if w[0].isalpha() and len(w) > 1]
    return _Profile(
        features=dict(features),
        title_words=frozenset(title_stems),
        words=words,
        salient=salient,
        title_salient=salient & frozenset(title_stems),
        shouting=bool(letters) and all(w.isupper() for w in letters),
    )


def _weighted(profiles: list[_Profile]) -> list[dict[str, float]]:
    """Each item's features weighted by smoothed IDF over the batch, scaled to unit length."""
    counts: dict[str, int] = defaultdict(int)
    for profile in profiles:
        for feature in profile.features:
            counts[feature] += 1
    total = len(profiles) + PSEUDO_DOCS
    vectors = []
    for profile in profiles:
        vector = {f: w * math.log(total / counts[f]) for f, w in profile.features.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({f: v / norm for f, v in vector.items()})
    return vectors


def _similarities(vectors: list[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Cosine of every pair of items that share at least one feature (i < j)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for feature, value in vector.items():
            postings[feature].append((index, value))
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for posting in postings.values():
        for k, (i, vi) in enumerate(posting):
            for j, vj in posting[k + 1:]:
                dots[i, j] += vi * vj
    return dots


def _anchored(a: _Profile, b: _Profile) -> bool:
    """One item's numbers, names or acronyms occur in the other: common words alone (banjir,
    warga, jalan) do not make two reports one event. Either way round, because a title in
    capitals shows no names."""
    return bool(a.salient & b.words or b.salient & a.words)


def _conflict(a: _Profile, b: _Profile) -> bool:
    """Each title names something the other item never mentions: two events, one subject."""
    return bool(a.title_salient - b.words) and bool(b.title_salient - a.words)


def _groups(items: Sequence[StoredItem], profiles: list[_Profile],
            sims: dict[tuple[int, int], float], window: timedelta) -> list[list[int]]:
    """Merge items best pair first; a merge must keep the story within the window, keep the
    average similarity between the two groups up and join no conflicting titles."""
    times = [item.published_at for item in items]
    pairs = sorted((-s, i, j) for (i, j), s in sims.items() if s >= THRESHOLD
                   and abs(times[i] - times[j]) <= window and _anchored(profiles[i], profiles[j]))
    group = list(range(len(items)))
    members = {i: [i] for i in range(len(items))}
    for _, i, j in pairs:
        a, b = members[group[i]], members[group[j]]
        if a is b:
            continue
        span = [times[k] for k in a + b]
        cross = [(min(x, y), max(x, y)) for x in a for y in b]
        if (max(span) - min(span) > window
                or sum(sims.get(p, 0.0) for p in cross) < THRESHOLD * GROUP_FACTOR * len(cross)
                or any(_conflict(profiles[x], profiles[y]) for x, y in cross)):
            continue
        keep, gone = (group[i], group[j]) if len(a) >= len(b) else (group[j], group[i])
        for k in members[gone]:  # the larger group absorbs the smaller: fewer relabels
            group[k] = keep
        members[keep].extend(members.pop(gone))
    return list(members.values())


def _primary(members: list[int], items: Sequence[StoredItem], profiles: list[_Profile]) -> int:
    """The member whose title is shown: not in capitals, then the title that covers most of
    what the other reports also say (informative, not an outlet's flourish), then the earliest
    report, the original."""
    def coverage(k: int) -> int:
        others = set().union(*(profiles[m].words for m in members if m != k))
        return len(profiles[k].title_words & others)

    return min(members, key=lambda k: (profiles[k].shouting, -coverage(k),
                                       items[k].published_at, items[k].id))


def cluster_items(items: Sequence[StoredItem], *,
                  window: timedelta = timedelta(hours=48)) -> list[Story]:
    """Group items about the same event; stories ordered by their newest item, newest first."""
    items = list(items)
    profiles = [_profile(item) for item in items]
    sims = _similarities(_weighted(profiles))
    stories = []
    for members in _groups(items, profiles, sims, window):
        primary = _primary(members, items, profiles)
        others = sorted((items[k] for k in members if k != primary),
                        key=lambda item: (item.published_at, item.id), reverse=True)
        stories.append(Story(items[primary], tuple(others)))
    return sorted(stories, key=_newest, reverse=True)


def _newest(story: Story) -> tuple:
    """Sort key of a story: its newest item (time, then id for a stable order)."""
    newest = max((story.primary, *story.others), key=lambda item: (item.published_at, item.id))
    return newest.published_at, newest.id
