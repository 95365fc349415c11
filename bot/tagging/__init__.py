"""Topic tagging: which topics a cleaned news item belongs to. Pure; imports only stdlib,
bot.models and bot.errors.

How a topic matches
-------------------
A topic has three lists of terms. It matches an item (title plus cleaned summary) when any
`include` term occurs, and, if it has `require` terms, one of those occurs too, and no `exclude`
term occurs. `foreign_cooperation` is the example of `require`: a cooperation word (include)
AND a foreign party (require: `@negara_asing`).

How a term matches
------------------
- Case and diacritics do not matter: `kaltim` = `KALTIM`, `Turkiye` = `Türkiye`.
- Whole words only: `Paser` does not match "pasar", `Berau` does not match inside a longer word.
- A multi-word term matches its words separated by any spaces, line breaks, hyphens, commas,
  slashes or quotes, and also written joined: `kerja sama` matches "kerja sama", "kerja-sama",
  "kerja,\\nsama" and "kerjasama" (a hyphen is a word break). It does not run across the end
  of a sentence (". ", "! ", "? ", "; "), nor from the title into the summary.
- Indonesian affixes, for terms made of ordinary words (not abbreviations; only on a first or
  last word of four letters or more, since "ber" + "as" is "beras"): the prefix ber- on the
  first word (be- before r and before a first syllable ending in -er) and the enclitics -nya,
  -lah, -pun, -kah on the last. So `kerja sama` also matches "bekerja sama",
  "bekerjasama", "berkerjasama", "kerja samanya"; `investasi` matches "berinvestasi". Other
  derivations (me-, di-, pe-, -an, -kan) are not guessed: write them, or use a stem.
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
- Street names: a term right after a capitalised street word (`Jalan`, `Jl.`, `Jln`, `Gang`,
  `Gg.`) does not count, so "Jalan Balikpapan, Gambir, Jakarta" is not Kaltim. Only the first
  word after it is a street: "Jalan Samarinda–Bontang" still counts Bontang.

Cost
----
Rules are compiled once per Tagger into dicts keyed by the joined words of every variant, plus a
set of their prefixes. Tagging walks the words of each sentence once, extending a joined key
word by word while it is still a prefix of some key, so the cost grows with the text, not with
the number of terms.
"""
