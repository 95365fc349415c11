"""Topic tagging: which topics a cleaned news item belongs to. Pure; imports only stdlib,
bot.models, bot.errors and Sastrawi (the Indonesian stemmer).

How a topic is decided
----------------------
A topic has three lists of terms and a threshold. Every occurrence of a term is evidence that
weighs by where it is (issue 11): in the title 3, in the first sentence of the summary 2, in a
later sentence 1 (2 if that sentence gives an amount, "Rp40 triliun"). The place of a dateline
("BALIKPAPAN –", "Samarinda (ANTARA) -"; bot.tagging.structure) weighs 1, and 0 when the story
names another province (`@provinsi_lain`); a place inside an enumeration of three or more
places weighs 1; a Kaltim place after "di" in the title or first sentence of a story that
names another province is a venue and weighs 1. The score is the sum over the distinct
`include` terms, each at its heaviest occurrence (two terms on the same words count once),
plus the heaviest `require` term if the rule has any. The topic is given when the score
reaches the threshold, a `require` term occurs (if the rule has any) and no `exclude` term
occurs. A required entry of `@negara_asing` counts only when the story names an Indonesian
party too (a place of `@wilayah_kaltim` or `@provinsi_lain`, or an entry of
`@pihak_indonesia`): two foreign countries among themselves are not our cooperation.
Which list is the home region, the other provinces, the country's own parties and the foreign
parties is data (gazetteer.toml `[structure]`); the tagger names none.

What a term is in its story (issue 25): in a generic sentence ("pendidikan adalah investasi",
a headline's "A Itu B") with no place, party or figure before its copula, the words after the
copula weigh 1 ("aside"). A home place only in the body of a story whose headline, first
sentence and dateline name none weighs 0.5 ("elsewhere"). For a topic short of its threshold, a
body term that the headline echoes with another word of the same stem, or that the body repeats
in another sentence, weighs 2 ("echo").

Frames (bot.models.Frame, in a topic's rule): a frame holds in a sentence with a cue of each
of its groups. An `in` frame counts as one include term, labelled with its name (a foreign
visitor + a visit: cooperation). An `out` frame takes its terms out of that sentence, or out of
the whole story when the sentence is the headline (a pupil beside "tewas"), unless one of its
`unless` words is there too.

How a term matches
------------------
- Case and diacritics do not matter: `kaltim` = `KALTIM`, `Turkiye` = `Türkiye`.
- Whole words only: `Paser` does not match "pasar", `Berau` does not match inside a longer word.
- A multi-word term matches its words separated by any spaces, line breaks, hyphens, commas,
  slashes or quotes, and also written joined: `kerja sama` matches "kerja sama", "kerja-sama",
  "kerja,\\nsama" and "kerjasama" (a hyphen is a word break). It does not run across the end
  of a sentence (". ", "! ", "? ", "; "), nor from the title into the summary.
- A plain term matches the word and its inflections (issue 25): the enclitics -nya, -lah,
  -pun, -kah, -ku, -mu on its last word of four letters or more ("pelakunya"), and the doubled
  word ("jalan-jalan", two words, each the term). Not another derivation of its root:
  `pelaku` never matches "dilakukan", `jalan` never "berjalan".
- A street word that is itself a term ("jalan") does not count where it says where something
  happened: after a preposition ("di jalan poros"), or before a capitalised name ("Jalan
  Sudirman"; in a headline, before a title or a word Sastrawi does not know), unless a kind of
  road follows ("jalan tol"). A facility word ("pelabuhan") after a preposition and before a
  name is likewise where ("di Pelabuhan Semayang"). The words are gazetteer.toml `[structure]`.
- A root form, written in lower case with "~" in front (`~kerja sama`), and a stem
  (`investasi*`) ask for the word's family: the prefix ber- on the first word (be- before r
  and before a first syllable ending in -er; only on a word of four letters or more, since
  "ber" + "as" is "beras"), and every other affixed form: the term's words and the text's
  words are both reduced to their Sastrawi stems (bot.tagging.morphology, cached per word),
  and the joined stems are looked up too. So `~kerja sama` matches "bekerjasama" and
  "dikerjasamakan", `~sepakat` matches "menyepakati". `bot/data/morphology.toml` keeps words
  Sastrawi would merge with another meaning ("pelajar"/"pelajari" -> "ajar") as they are. A
  capitalised term is a name and gets no stem.
- A term ending in `*` is a stem: `investasi*` matches "investasi", "investasinya",
  "investasikan", "berinvestasi"; `pendidik*` matches "pendidikan". Stems need 3+ letters and
  start at the start of a word; a one-word stem stays inside one word, `kerja sama*` may span
  two ("kerja samanya", "kerjasamanya"). Use them with care: `siswa*` would match the name
  "Siswanto".
- A single word written in capitals (`PPU`, `IKN`, `RRT`, `KEK`) is an abbreviation and matches
  exactly that word (case still folded), with no affix variants.
- `@name` stands for every entry of a list in `bot/data/gazetteer.toml`: `@negara_asing`
  (countries, foreign regions and cities, international bodies) and `@wilayah_kaltim` (the
  regencies, cities, towns, landmarks and institutions of East Kalimantan). List entries are
  names: they match as written, without affix variants. A term may hold one reference inside a
  phrase (`kerja sama dengan @negara_asing`).

What never counts as evidence
-----------------------------
- Boilerplate is removed before tagging (bot.feeds.clean): "BACA JUGA" teasers, photo captions
  and credits, site trailers. So is the outlet name: the tagger never sees `source`.
- Ignored phrases (gazetteer.toml `[ignored]`): a term found inside a longer ignored phrase
  does not count. They cover outlet names in running text ("Kaltim Post"), foreign names that
  do not name a foreign party ("Bahasa Inggris", "dolar AS", "wisatawan asal Tiongkok",
  "Liga Inggris"), and the investment metaphor ("pendidikan adalah investasi masa depan").
  Unlike `exclude`, an ignored phrase does not veto the topic: the same story can still match
  on other evidence.
- Street names: a term right after a street word in any case (`Jalan`, `jalan`, `Jl.`, `Jln`,
  `Gang`, `Gg.`) does not count, so "Jalan Balikpapan, Gambir, Jakarta" is not Kaltim. Only the
  first word after it is a street: "Jalan Samarinda–Bontang" still counts Bontang.

Slots
-----
Every key of the compiled index stands for (slot, label) refs: a Special slot (an ignored
phrase, a place of a list, the words before a list in a phrase around it), or a topic's slot,
slot_of(topic number, Role) with Role INCLUDE, REQUIRE, EXCLUDE or CUE (a frame's cue).

Cost
----
A sentence holding only topic terms (no place, cue, street or ignored phrase) skips the
structure rules: with many topics most sentences are such, and tagging with 54 topics costs
about 1.3 times tagging with the 4 defaults (bench/bench_tagging.py).
Rules are compiled once per rule set (taggers of the same topics share it) into dicts keyed
by the joined words of every variant (and the joined stems of lower-case terms), plus a set of
their prefixes. Tagging walks the words
of each sentence, and their stems, once, extending a joined key word by word while it is still
a prefix of some key, so the cost grows with the text, not with the number of terms. The
gazetteer's keys (ignored phrases, place names) are compiled once per process and copied into
each Tagger. An ignored phrase around a list ("bahasa @negara_asing") is not spelled out per
entry: it is found where its words end and a place of the list begins, which keeps a tagger at
a few megabytes instead of twenty. Every
step is linear in the text (sentence splitting, ignored-phrase masks, enumerations), and a text
is read up to its first 50,000 characters.
"""
