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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import timedelta

from bot.models import StoredItem

LEAD_CHARS = 300
BODY_CHARS = 1500
THRESHOLD = 0.2  # cosine a pair needs to join (tuned on the dev and fixture sets)
TOLD = 0.5  # share of one headline's weight the other item must also tell
GROUP_FLOOR = 0.18  # average cosine between two groups for them to merge
BACKGROUND_DF = 20  # see _rarity
PSEUDO_DOCS = 20  # IDF smoothing: a batch of two items still weighs shared words sensibly

# "Samarinda (ANTARA) -", "SAMARINDA, DISWAY -": where the desk sits, not where the event is.
_DATELINE = re.compile(r"^\s*[A-Z][\w .'-]{1,40}?(?:\s*\([A-Za-z .]+\)|,\s*[A-Z][A-Z .]+)\s*[-–—]\s*")
_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W\d_]+")
_CAPITALISED = re.compile(r"\b[A-Z][^\W_]*")
_LETTERS = re.compile(r"\b[^\W\d_]{2,}")
# Where a sentence starts: a capital there need not be a name.
_OPENER = re.compile(r"(?:^|[.!?:\n])[\s\"'“‘(]*(?=[A-Z])")
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

    features: dict[str, int]  # stem of the title or lead -> 1, or 2 when in both
    title_words: frozenset[str]  # the stems of the title
    words: frozenset[str]  # every stem of the title and the summary (up to BODY_CHARS)
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


def _stems(text: str) -> set[str]:
    """The content words of a text, folded and stemmed."""
    return {stem for word in _TOKEN.findall(_fold(text)) if (stem := _content(word))}


@lru_cache(maxsize=1 << 16)  # a digest repeats most words; this is the hot path
def _content(word: str) -> str:
    """The stem of a folded word, or "" for a stopword or a single letter."""
    if word[0].isdigit():
        return word
    return "" if len(word) < 2 or word in _STOPWORDS else _stem(word)


def _proper_names(text: str, *, title: bool) -> set[str]:
    """Stems of words that look like names: acronyms, and capitalised words inside sentences.

    A title in Title Case or in capitals says nothing about names, so only its acronyms count
    (and none when the whole text is in capitals). Generic heads of names ("Kota", "Dinas")
    are not names on their own.
    """
    if text.upper() == text:
        return set()
    capitalised = list(_CAPITALISED.finditer(text))
    title_case = title and len(capitalised) >= 0.7 * len(_LETTERS.findall(text))
    openers = set() if title_case else {m.end() for m in _OPENER.finditer(text)}
    found = set()
    for match in capitalised:
        word = match.group(0)
        if (len(word) > 1 and word.isupper()) or not (title_case or match.start() in openers):
            folded = _fold(word)
            if not _GENERIC.fullmatch(folded) and (stem := _content(folded)):
                found.add(stem)
    return found


def _profile(item: StoredItem) -> _Profile:
    """Features, stems and salient tokens of one item."""
    title = _abbreviate(item.title)
    # What an item "mentions" is read from the start of the summary only: feeds that carry the
    # whole article would otherwise mention everything and cost time.
    body = _abbreviate(_DATELINE.sub("", (item.summary or "")[:BODY_CHARS], count=1))
    cut = body.rfind(" ", 0, LEAD_CHARS + 1) if len(body) > LEAD_CHARS else len(body)
    lead = body[:cut if cut > 0 else LEAD_CHARS]  # the lead ends between two words
    title_stems, lead_stems = _stems(title), _stems(lead)
    near = title_stems | lead_stems
    numbers = {w for w in near if w[0].isdigit() and not _YEAR.fullmatch(w)}
    names = _proper_names(title, title=True) | _proper_names(lead, title=False)
    salient = frozenset(numbers | (names & near))
    return _Profile(
        # A word in both the title and the lead counts twice: the title says what matters.
        features={w: (w in title_stems) + (w in lead_stems) for w in near},
        title_words=frozenset(title_stems),
        words=frozenset(near | _stems(body[len(lead):])),
        salient=salient,
        title_salient=salient & title_stems,
        shouting=title.upper() == title and title.lower() != title,
    )


def _rarity(profiles: list[_Profile]) -> dict[str, float]:
    """Smoothed IDF of every stem over the batch; 0 for the background words of a large batch.

    A word in more than an eighth of the items (and more than BACKGROUND_DF of them) says
    little about any one event, and would pair nearly every item with every other.
    """
    counts: Counter[str] = Counter()
    for profile in profiles:
        counts.update(profile.words)
    total = len(profiles) + PSEUDO_DOCS
    background = max(BACKGROUND_DF, len(profiles) // 8)
    return {word: math.log(total / count) if count <= background else 0.0
            for word, count in counts.items()}


def _similarities(profiles: list[_Profile], idf: dict[str, float]) -> dict[tuple[int, int], float]:
    """Cosine of every pair of items (i < j) that share a word, through an inverted index so
    that unrelated pairs cost nothing."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, profile in enumerate(profiles):
        vector = {f: w * idf[f] for f, w in profile.features.items() if idf[f] > 0.0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        for feature, value in vector.items():
            postings[feature].append((index, value / norm))
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for posting in postings.values():
        if len(posting) > 1:
            for k, (i, vi) in enumerate(posting):
                for j, vj in posting[k + 1:]:
                    dots[i, j] += vi * vj
    return dots


def _anchored(a: _Profile, b: _Profile) -> bool:
    """One item's numbers, names or acronyms occur in the other: common words alone (banjir,
    warga, jalan) do not make two reports one event. Either way round, because a title in
    capitals shows no names."""
    return bool(a.salient & b.words or b.salient & a.words)


def _told(a: _Profile, b: _Profile, idf: dict[str, float]) -> float:
    """How much of a's headline (by rarity) b's text also tells, from 0 to 1."""
    total = sum(idf[w] for w in a.title_words)
    return sum(idf[w] for w in a.title_words & b.words) / total if total else 0.0


def _conflict(a: _Profile, b: _Profile) -> bool:
    """Each title names something the other item never mentions: two events, one subject."""
    return bool(a.title_salient - b.words) and bool(b.title_salient - a.words)


def _links(items: list[StoredItem], profiles: list[_Profile], idf: dict[str, float],
           window: timedelta) -> list[tuple[float, int, int]]:
    """The pairs that may join, best first: similar, close in time, anchored, one headline
    told by the other, and not in conflict."""
    links = []
    for (i, j), sim in _similarities(profiles, idf).items():
        a, b = profiles[i], profiles[j]
        if (sim >= THRESHOLD and abs(items[i].published_at - items[j].published_at) <= window
                and _anchored(a, b) and not _conflict(a, b)
                and max(_told(a, b, idf), _told(b, a, idf)) >= TOLD):
            links.append((sim, i, j))
    return sorted(links, key=lambda link: (-link[0], link[1], link[2]))


def _groups(items: list[StoredItem], profiles: list[_Profile],
            links: list[tuple[float, int, int]], window: timedelta) -> list[list[int]]:
    """Merge groups along the links, best first. A merge must keep the story within the window,
    keep the average similarity between the two groups up (so one loose link cannot chain two
    events) and bring no two conflicting titles together."""
    sims = {(i, j): sim for sim, i, j in links}
    group = list(range(len(items)))
    members = {i: [i] for i in range(len(items))}
    for _, i, j in links:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        joined = members[gi] + members[gj]
        times = [items[k].published_at for k in joined]
        cross = [(min(x, y), max(x, y)) for x in members[gi] for y in members[gj]]
        if (max(times) - min(times) > window
                or sum(sims.get(pair, 0.0) for pair in cross) < GROUP_FLOOR * len(cross)
                or any(_conflict(profiles[x], profiles[y]) for x, y in cross)):
            continue
        keep, gone = (gi, gj) if len(members[gi]) >= len(members[gj]) else (gj, gi)
        for k in members[gone]:
            group[k] = keep
        members[keep] = joined
        del members[gone]
    return list(members.values())


def _primary(members: list[int], items: list[StoredItem], profiles: list[_Profile]) -> int:
    """The member whose title is shown: not in capitals, then the title that covers most of
    what the other reports also say (informative, not an outlet's flourish), then the earliest
    report, the original."""
    def coverage(k: int) -> int:
        others = frozenset().union(*(profiles[m].words for m in members if m != k))
        return len(profiles[k].title_words & others)

    return min(members, key=lambda k: (profiles[k].shouting, -coverage(k),
                                       items[k].published_at, items[k].id))


def _newest_first(item: StoredItem) -> tuple:
    """Sort key, used with reverse=True: newest first, then the higher id for a stable order."""
    return item.published_at, item.id


def cluster_items(items: Sequence[StoredItem], *,
                  window: timedelta = timedelta(hours=48)) -> list[Story]:
    """Group items about the same event; stories ordered by their newest item, newest first."""
    items = list(items)
    profiles = [_profile(item) for item in items]
    idf = _rarity(profiles)
    stories = []
    for members in _groups(items, profiles, _links(items, profiles, idf, window), window):
        primary = _primary(members, items, profiles)
        others = sorted((items[k] for k in members if k != primary), key=_newest_first,
                        reverse=True)
        stories.append(Story(items[primary], tuple(others)))
    return sorted(stories, key=lambda story: max(map(_newest_first, (story.primary,
                                                                      *story.others))),
                  reverse=True)
