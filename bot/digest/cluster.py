"""Story clustering: reports of one event, from one outlet or several, become one Story.

Method. An item is the set of words of its title and the first ~300 characters of its summary:
folded, stopwords and boilerplate dropped, datelines cut, a few long forms abbreviated
("Kalimantan Timur" -> "Kaltim"), one affix stripped ("menghanguskan" meets "hangus"). Words
are weighted by rarity in the batch (smoothed IDF) and items compared by cosine. A pair may
join when (1) they are within the window, (2) one item's salient tokens (numbers, acronyms,
capitalised words inside sentences) occur in the other, (3) they are not in conflict: each title
naming something the other never mentions ("Korea Selatan" against "Australia Barat") marks two
events on one subject, (4) the cosine is at least THRESHOLD and (5) one item tells at least TOLD
of the other's headline weight. Test (5) also picks the candidate pairs, so not all n^2 pairs
are compared. Groups merge best pair first while the story spans at most the window, the
average similarity between the groups stays at GROUP_FLOOR and no conflicting titles meet.

Limits. Words, not meaning: reports with no rare word in common ("Si Jago Merah" for a fire, no
place named) stay apart; synonyms meet only through names, numbers and `_ALIASES`. Two events
told with the same names inside the window (a second flood in the same street the next day) can
merge, as can a vague headline and a precise one on the same subject. Thresholds were tuned on
~150 labelled items. Pure: imports only the stdlib and bot.models.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from operator import attrgetter

from bot.models import StoredItem
from bot.tagging.normalize import fold

LEAD_CHARS = 300  # the summary's lead: what is compared
BODY_CHARS = 1500  # what an item "mentions"; a feed carrying whole articles would mention all
THRESHOLD = 0.2  # cosine a pair needs to join
TOLD = 0.5  # share of one headline's weight the other item must also tell
GROUP_FLOOR = 0.18  # average cosine between two groups for them to merge
# The most items compared with each other: pairing grows with the square of their number, so
# beyond this many (a flood, not a morning's news) the older ones each stand alone.
MAX_CLUSTERED = 1_000
# A story holds at most this many reports: more outlets than a province has, so a real event
# is never split, while a flood of look-alike items (every item sharing every word) cannot make
# each merge weigh the whole flood against itself.
MAX_STORY = 40
BACKGROUND_DF = 20  # see _rarity
PSEUDO_DOCS = 20  # IDF smoothing: in a batch of two, shared words still weigh something

# "Samarinda (ANTARA) -", "SAMARINDA, DISWAY -": where the desk sits, not where the event is.
_DATELINE = re.compile(
    r"^\s*[A-Z][\w .'-]{1,40}?(?:\s*\([A-Za-z .]+\)|,\s*[A-Z][A-Z .]+)\s*[-–—]\s*"
)
_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W\d_]+")  # "1,2", "2-0" and "5.000" stay whole
_CAPITALISED = re.compile(r"[A-Z][^\W_]*")
_YEAR = re.compile(r"(?:19|20)\d\d")  # "2026" names no event
_STOPWORDS = frozenset(
    """
ada adalah agar akan akhir aku amat anda antara apa apabila atas atau bagai bagaimana bagi bahkan
bahwa baik banyak baru bawah beberapa begitu belum benar berada berbagai bersama beserta bila bisa
boleh bukan cukup dalam dan dapat dari daripada demi dengan di dia diri dua ini itu jadi jika juga
justru kala kalau kami kamu karena ke kedua kembali kemudian kepada ketika kini kita lagi lain lalu
lama lebih maka mampu mana masih masing melalui memang menjadi menurut mereka merupakan meski mulai
namun nanti oleh pada para pula pun saat saja salah sama sampai sang satu saya sebab sebagai
sebelum sebuah sedang sejak sekitar selama seluruh semua sementara sendiri serta sesuai setelah
sudah supaya tak tanpa tapi telah tengah tentang terhadap tersebut tetapi tiga tidak tiap turut
untuk usai waktu wita wib yaitu yakni yang tahun hingga sebanyak mencapai senin selasa rabu kamis
jumat sabtu minggu pagi siang sore malam dini hari pukul menyebut mengatakan kata ujar jelas ungkap
cek berita artikel google news baca simak foto ist dok ilustrasi disway antara tribun kompas detik
post prokal katakaltim com
pemerintah provinsi kabupaten kota kecamatan kelurahan dinas kepala warga masyarakat program
kegiatan kerja rp persen ribu juta miliar triliun
""".split()
)  # the last two lines: words of nearly every regional story, no clue to the event
# Capitalised in names, but say nothing about which one: "Jalan Antasari", "Pasar Segiri".
_GENERIC = frozenset(
    """
desa jalan jl badan kantor pemprov pemkab pemkot kementerian pasar sungai stadion gedung kawasan
universitas presiden gubernur bupati wali menteri wakil rumah sakit pulau negeri kalimantan
indonesia ri mou pt cv
""".split()
)
# Long forms outlets alternate with an abbreviation; the regex lists the same keys, grouped by
# first word (far faster than one alternative per key).
_ALIASES = {
    "kalimantan timur": "Kaltim",
    "kalimantan utara": "Kaltara",
    "kalimantan selatan": "Kalsel",
    "pemerintah provinsi": "Pemprov",
    "pemerintah kabupaten": "Pemkab",
    "pemerintah kota": "Pemkot",
    "kutai kartanegara": "Kukar",
    "kutai timur": "Kutim",
    "ibu kota nusantara": "IKN",
    "nota kesepahaman": "MoU",
    "tiongkok": "China",
    "rrt": "China",
}
_ALIAS = re.compile(
    r"\b(?:kalimantan\s+(?:timur|utara|selatan)|pemerintah\s+(?:provinsi|kabupaten|kota)|"
    r"kutai\s+(?:kartanegara|timur)|ibu\s+kota\s+nusantara|nota\s+kesepahaman|tiongkok|rrt)\b",
    re.IGNORECASE,
)
_recency = attrgetter("published_at", "id")  # newest first with reverse=True; id breaks ties
_ALIAS_FIRST_WORDS = tuple({long.split()[0] for long in _ALIASES})
_PREFIXES = (
    "meng",
    "meny",
    "peng",
    "peny",
    "mem",
    "men",
    "pem",
    "pen",
    "ber",
    "ter",
    "per",
    "me",
    "pe",
    "di",
    "ke",
    "se",
)
_SUFFIXES = ("kan", "nya", "an", "i")


@dataclass(frozen=True)
class Story:
    """One event: the item whose title is shown and the same event elsewhere, newest first."""

    primary: StoredItem
    others: tuple[StoredItem, ...]

    @property
    def items(self) -> tuple[StoredItem, ...]:
        """Every report of the story, the primary first."""
        return (self.primary, *self.others)


@dataclass(frozen=True)
class _Profile:
    """What the clustering knows about one item (all words folded and stemmed)."""

    features: dict[str, int]  # word of the title or lead -> 1, or 2 when in both
    title_words: frozenset[str]
    words: frozenset[str]  # the title and the summary up to BODY_CHARS
    salient: frozenset[str]  # numbers, acronyms and names in the title or lead
    title_salient: frozenset[str]


def _stem(word: str) -> str:
    """Strip one Indonesian suffix and one prefix, keeping four letters (crude, but alike on
    both sides of a comparison, which is all it needs: "pengembangan" -> "embang")."""
    if len(word) < 6 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix) :]
    return word


@lru_cache(maxsize=1 << 16)  # a digest repeats most words; this is the hot path
def _content(word: str) -> str:
    """The stem of a folded word, or "" for a stopword or a single letter."""
    if word[0].isdigit():
        return word
    return "" if len(word) < 2 or word in _STOPWORDS else _stem(word)


@lru_cache(maxsize=1 << 14)
def _name(word: str) -> str:
    """The stem of a capitalised word, or "" for a stopword or a generic head of a name."""
    folded = fold(word)
    return "" if folded in _GENERIC else _content(folded)


def _abbreviate(text: str) -> str:
    """Replace the long forms by their abbreviation, keeping a capital: a name stays a name."""

    def short(match: re.Match) -> str:
        word = _ALIASES[" ".join(match.group(0).casefold().split())]
        return word if match.group(0)[0].isupper() else word.lower()

    lowered = text.lower()
    if not any(first in lowered for first in _ALIAS_FIRST_WORDS):
        return text  # most texts have none: a substring test is far cheaper than the regex
    return _ALIAS.sub(short, text)


def _stems(text: str) -> set[str]:
    """The content words of a text, folded and stemmed."""
    return {stem for word in _TOKEN.findall(fold(text)) if (stem := _content(word))}


def _proper_names(text: str, *, title: bool) -> set[str]:
    """Stems of acronyms and of capitalised words inside sentences (a sentence's first word
    need not be a name). A title in Title Case or in capitals shows no names but its acronyms.
    """
    if text.isupper():
        return set()
    capitalised = list(_CAPITALISED.finditer(text))
    title_case = title and len(capitalised) >= 0.7 * len(text.split())
    found = set()
    for match in capitalised:
        word, start = match.group(0), match.start()
        if start and text[start - 1].isalnum():
            continue  # a capital inside a word
        before = text[max(0, start - 3) : start].rstrip(" \"'“‘(")
        opens = not before or before[-1] in ".!?:\n"
        if (len(word) > 1 and word.isupper()) or not (title_case or opens):
            found.add(_name(word))
    return found - {""}


def _profile(item: StoredItem) -> _Profile:
    """Words and salient tokens of one item."""
    title = _abbreviate(item.title)
    body = _abbreviate(_DATELINE.sub("", (item.summary or "")[:BODY_CHARS], count=1))
    cut = body.rfind(" ", 0, LEAD_CHARS + 1) if len(body) > LEAD_CHARS else len(body)
    lead = body[: cut if cut > 0 else LEAD_CHARS]  # the lead ends between two words
    title_words, lead_words = _stems(title), _stems(lead)
    near = title_words | lead_words
    numbers = {w for w in near if w[0].isdigit() and not _YEAR.fullmatch(w)}
    names = _proper_names(title, title=True) | _proper_names(lead, title=False)
    salient = frozenset(numbers | (names & near))
    return _Profile(
        # A word in both the title and the lead counts twice: the title says what matters.
        features={w: (w in title_words) + (w in lead_words) for w in near},
        title_words=frozenset(title_words),
        words=frozenset(near | _stems(body[len(lead) :])),
        salient=salient,
        title_salient=salient & title_words,
    )


def _rarity(profiles: list[_Profile]) -> dict[str, float]:
    """Smoothed IDF of every word over the batch, and 0 for the background words of a large
    batch: a word in over an eighth of the items (and over BACKGROUND_DF of them) tells no
    event apart and would pair nearly everything with everything."""
    counts: Counter[str] = Counter()
    for profile in profiles:
        counts.update(profile.words)
    total = len(profiles) + PSEUDO_DOCS
    background = max(BACKGROUND_DF, len(profiles) // 8)
    return {
        word: math.log(total / count) if count <= background else 0.0
        for word, count in counts.items()
    }


def _vectors(profiles: list[_Profile], idf: dict[str, float]) -> list[dict[str, float]]:
    """Each item's words weighted by rarity, scaled to length 1 (so a dot product is a cosine)."""
    vectors = []
    for profile in profiles:
        vector = {f: w * idf[f] for f, w in profile.features.items() if idf[f] > 0.0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({f: v / norm for f, v in vector.items()})
    return vectors


def _candidates(profiles: list[_Profile], idf: dict[str, float]) -> set[tuple[int, int]]:
    """The pairs (i < j) that can pass the TOLD test, found without comparing all pairs.

    Take a's title words, rarest first, until they weigh more than (1 - TOLD) of the headline:
    b can tell TOLD of it only if b has one of them. So each item is paired only with the items
    that have one of its few rarest title words.
    """
    having: dict[str, list[int]] = defaultdict(list)
    for index, profile in enumerate(profiles):
        for word in profile.words:
            having[word].append(index)
    pairs = set()
    for index, profile in enumerate(profiles):
        weights = sorted(((idf[w], w) for w in profile.title_words), reverse=True)
        needed, total = (1 - TOLD) * sum(weight for weight, _ in weights), 0.0
        for weight, word in weights:
            if total > needed or weight == 0.0:
                break
            total += weight
            pairs.update((min(index, k), max(index, k)) for k in having[word] if k != index)
    return pairs


def _anchored(a: _Profile, b: _Profile) -> bool:
    """One item's numbers, acronyms or names occur in the other (either way round: a title in
    capitals shows no names). Common words alone (banjir, jalan) make no event."""
    return not (a.salient.isdisjoint(b.words) and b.salient.isdisjoint(a.words))


def _told(a: _Profile, b: _Profile, idf: dict[str, float]) -> float:
    """The share of a's headline weight that b's text also has, from 0 to 1."""
    total = sum(idf[w] for w in a.title_words)
    return sum(idf[w] for w in a.title_words & b.words) / total if total else 0.0


def _conflict(a: _Profile, b: _Profile) -> bool:
    """Each title names something the other item never mentions: two events, one subject."""
    return not (a.title_salient <= b.words or b.title_salient <= a.words)


def _links(
    items: list[StoredItem], profiles: list[_Profile], idf: dict[str, float], window: timedelta
) -> list[tuple[float, int, int]]:
    """The pairs (similarity, i, j) that may join, best first."""
    vectors = _vectors(profiles, idf)
    stamps, seconds = [item.published_at.timestamp() for item in items], window.total_seconds()
    links = []
    for i, j in _candidates(profiles, idf):
        a, b = profiles[i], profiles[j]
        if abs(stamps[i] - stamps[j]) > seconds or not _anchored(a, b) or _conflict(a, b):
            continue  # the cheap tests first
        vi, vj = vectors[i], vectors[j]
        sim = sum(vi[f] * vj[f] for f in vi.keys() & vj.keys())
        if sim >= THRESHOLD and max(_told(a, b, idf), _told(b, a, idf)) >= TOLD:
            links.append((sim, i, j))
    return sorted(links, key=lambda link: (-link[0], link[1], link[2]))


def _groups(
    items: list[StoredItem],
    profiles: list[_Profile],
    links: list[tuple[float, int, int]],
    window: timedelta,
) -> list[list[int]]:
    """Merge groups along the links, best first, while the story spans at most the window,
    the average similarity between the two groups (0 for pairs that may not join) stays at
    GROUP_FLOOR and no two conflicting titles meet."""
    sims = {(i, j): sim for sim, i, j in links}
    group = list(range(len(items)))
    members = {i: [i] for i in range(len(items))}
    for _, i, j in links:
        gi, gj = group[i], group[j]
        if gi == gj or len(members[gi]) + len(members[gj]) > MAX_STORY:
            continue
        joined = members[gi] + members[gj]
        times = [items[k].published_at for k in joined]
        cross = [(min(x, y), max(x, y)) for x in members[gi] for y in members[gj]]
        if (
            max(times) - min(times) > window
            or sum(sims.get(pair, 0.0) for pair in cross) < GROUP_FLOOR * len(cross)
            or any(_conflict(profiles[x], profiles[y]) for x, y in cross)
        ):
            continue
        keep, gone = (gi, gj) if len(members[gi]) >= len(members[gj]) else (gj, gi)
        for k in members[gone]:
            group[k] = keep
        members[keep] = joined
        del members[gone]
    return list(members.values())


def _primary(members: list[int], items: list[StoredItem], profiles: list[_Profile]) -> int:
    """The member whose title is shown: not in capitals; then the title with the most words
    the other reports also have (what the outlets agree on, not one outlet's flourish); then
    the earliest report, the original."""

    def shared(k: int) -> int:
        others = frozenset().union(*(profiles[m].words for m in members if m != k))
        return len(profiles[k].title_words & others)

    return min(
        members,
        key=lambda k: (items[k].title.isupper(), -shared(k), items[k].published_at, items[k].id),
    )


def cluster_items(
    items: Sequence[StoredItem], *, window: timedelta = timedelta(hours=48)
) -> list[Story]:
    """Group items about the same event; stories ordered by their newest item, newest first."""
    items, alone = list(items), []
    if len(items) > MAX_CLUSTERED:
        ordered = sorted(items, key=_recency, reverse=True)
        items, alone = ordered[:MAX_CLUSTERED], ordered[MAX_CLUSTERED:]
    profiles = [_profile(item) for item in items]
    idf = _rarity(profiles)
    stories = []
    for members in _groups(items, profiles, _links(items, profiles, idf, window), window):
        primary = _primary(members, items, profiles)
        others = sorted((items[k] for k in members if k != primary), key=_recency, reverse=True)
        stories.append(Story(items[primary], tuple(others)))
    stories += [Story(item, ()) for item in alone]
    return sorted(stories, key=lambda s: max(map(_recency, s.items)), reverse=True)
