"""Article pages in the shapes of the outlets Warta follows, built around a labelled article
(title and first paragraphs), for bench/bench_leads.py: what a title-only item's page would be.

Each shape carries what makes reading a lead hard on that outlet's real pages: menus whose words
are topics ("Pendidikan", "Investasi", "Internasional"), a photo with its caption and credit,
"Baca juga" / "BACA JUGA:" / "Baca:" links to other stories (whose titles carry topic words of
their own) between the paragraphs, a "Ringkasan Berita" box (Tribun), "ADVERTISEMENT / SCROLL TO
CONTINUE WITH CONTENT" (detik), bylines, related and most-read lists, a description meta that is
a teaser rather than the lead, and the outlets' trailers. Written for Warta; no outlet's markup.
"""

from __future__ import annotations

import html
import re

MENU = (
    "Home",
    "Kaltim",
    "Samarinda",
    "Balikpapan",
    "Nasional",
    "Internasional",
    "Ekonomi",
    "Investasi",
    "Pendidikan",
    "Olahraga",
    "Kesehatan",
    "Video",
    "Indeks",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_TAGS = re.compile(r"<[^>]+>")


def paragraphs(summary: str) -> list[str]:
    """A labelled summary as the article's paragraphs (HTML kept): its own <p>s, or its
    sentences, two to the first paragraph."""
    if "<p" in summary:
        parts = [p for p in re.split(r"</?p[^>]*>", summary) if _TAGS.sub("", p).strip()]
        if parts:
            return parts
    sentences = _SENTENCE.split(summary.strip())
    return [" ".join(sentences[:2])] + [s for s in sentences[2:] if s]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _nav() -> str:
    return (
        "<nav><ul>"
        + "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in MENU)
        + "</ul></nav>"
    )


def _list(heading: str, titles: list[str]) -> str:
    items = "".join(f'<li><a href="/read/{n}">{_e(t)}</a></li>' for n, t in enumerate(titles))
    return f'<div class="widget"><h3>{heading}</h3><ul>{items}</ul></div>'


def _head(title: str, outlet: str, description: str) -> str:
    return (
        f'<head><meta charset="utf-8"><title>{_e(title)} - {_e(outlet)}</title>'
        f'<meta name="description" content="{_e(description)}">'
        f'<meta property="og:title" content="{_e(title)}"></head>'
    )


def page(article: dict, others: list[str], shape: str) -> str:
    """The article's page in one of the outlets' shapes (SHAPES), `others` being titles of
    other stories for its links and lists."""
    title, outlet = article["title"], article.get("source", "Berita Kaltim")
    body = paragraphs(article["summary"])
    closing = "“Kami akan terus memantau perkembangannya di lapangan,” ujarnya."
    return SHAPES[shape](title, outlet, body, closing, others)


def _tribun(title, outlet, body, closing, others):
    rest = "".join(f"<p>{p}</p>" for p in body[1:])
    return (
        f'<!DOCTYPE html><html lang="id">{_head(title, outlet, title)}<body>'
        f'<div id="header">{_nav()}</div><div id="article"><h1>{_e(title)}</h1>'
        f'<div class="credit">Penulis: Tim Redaksi | Editor: Rita</div>'
        f'<div class="imgfull"><img src="/f.jpg"><div class="caption">SUASANA - '
        f"Suasana kegiatan di Samarinda, Senin (3/11/2025). (TRIBUNKALTIM.CO/HO)</div></div>"
        f'<div class="txt-article"><p><strong>Ringkasan Berita:</strong></p><ul>'
        f"<li>{_e(others[0])}</li><li>{_e(others[1])}</li></ul>"
        f'<p>{body[0]}</p><p><strong>Baca juga:</strong> <a href="/x">{_e(others[2])}'
        f'</a></p>{rest}<p>Baca: <a href="/y">{_e(others[3])}</a></p><p>{closing}</p>'
        f"</div></div>{_list('Berita Terkait', others[4:8])}"
        f'<div id="footer">Copyright Tribunnews.com</div></body></html>'
    )


def _antara(title, outlet, body, closing, others):
    rest = "".join(f"<p>{p}</p>" for p in body[1:])
    return (
        f"<!DOCTYPE html><html>{_head(title, outlet, body[0][:150])}<body>{_nav()}"
        f'<div class="wrapper"><h1 class="post-title">{_e(title)}</h1>'
        f'<figure><img src="/a.jpg"><figcaption>Arsip - Suasana kota. ANTARA/HO'
        f'</figcaption></figure><div class="post-content"><p>{body[0]}</p>'
        f'<p><span class="baca-juga">Baca juga: <a href="/b">{_e(others[0])}</a>'
        f'</span></p>{rest}<p>{closing}</p><p class="text-muted">Pewarta: Redaksi<br>'
        f"Editor: Redaksi<br>COPYRIGHT © ANTARA 2025</p></div></div>"
        f"{_list('Terpopuler', others[1:6])}<footer>ANTARA</footer></body></html>"
    )


def _disway(title, outlet, body, closing, others):
    rest = "".join(f"<p>{p}</p>" for p in body[1:])
    teaser = f"Simak berita terbaru hanya di {outlet}"
    return (
        f"<!DOCTYPE html><html>{_head(title, outlet, teaser)}"
        f"<body><header>{_nav()}</header><main><article><h1>{_e(title)}</h1>"
        f'<div class="meta">Reporter: Redaksi | Editor: Redaksi</div>'
        f'<figure><img src="/d.jpg"><figcaption>Kegiatan di Samarinda. (Ist/Disway Kaltim)'
        f'</figcaption></figure><div class="post-content"><p>{body[0]}</p>'
        f'<p><strong>BACA JUGA:</strong> <a href="/c">{_e(others[0])}</a></p>{rest}'
        f'<p><strong>BACA JUGA:</strong> <a href="/d">{_e(others[1])}</a></p>'
        f'<p>{closing}</p><p>Cek Berita dan Artikel yang lain di <a href="#">Google News'
        f"</a></p></div></article><aside>{_list('Terpopuler', others[2:7])}</aside></main>"
        f"<footer>Copyright {_e(outlet)}</footer></body></html>"
    )


def _detik(title, outlet, body, closing, others):
    rest = "".join(f"<p>{p}</p>" for p in body[1:])
    return (
        f"<!DOCTYPE html><html>{_head(title, outlet, body[0][:140] + '...')}<body>"
        f'{_nav()}<article class="detail"><h1 class="detail__title">{_e(title)}</h1>'
        f'<div class="detail__author">Tim detikNews - detikNews</div>'
        f'<div class="detail__body-text"><p>{body[0]}</p>'
        f'<div class="parallaxindetail">ADVERTISEMENT</div><p>SCROLL TO CONTINUE WITH '
        f'CONTENT</p>{rest}<table class="linksisip"><tr><td>Baca juga: <a href="/e">'
        f"{_e(others[0])}</a></td></tr></table><p>{closing}</p></div></article>"
        f"{_list('Berita Terkait', others[1:5])}<footer>detikcom</footer></body></html>"
    )


def _kompas(title, outlet, body, closing, others):
    rest = "".join(f"<p>{p}</p>" for p in body[1:])
    return (
        f"<!DOCTYPE html><html>{_head(title, outlet, title)}<body>{_nav()}"
        f'<div class="read__title"><h1>{_e(title)}</h1></div><div class="read__content">'
        f'<div class="clearfix"><p>{body[0]}</p><p><strong>Baca juga: <a href="/f">'
        f"{_e(others[0])}</a></strong></p>{rest}<p>{closing}</p><p>Simak breaking news "
        f"dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses "
        f"berita Kompas.com WhatsApp Channel.</p></div></div>"
        f"{_list('Berita Terkait', others[1:5])}<footer>Kompas.com</footer></body></html>"
    )


SHAPES = {
    "tribun": _tribun,
    "antara": _antara,
    "disway": _disway,
    "detik": _detik,
    "kompas": _kompas,
}


def shape_of(source: str) -> str:
    """The page shape of an outlet (its family's), by its name."""
    name = source.lower()
    for word, shape in (
        ("tribun", "tribun"),
        ("antara", "antara"),
        ("disway", "disway"),
        ("detik", "detik"),
        ("kompas", "kompas"),
        ("kaltim post", "disway"),
        ("idn", "kompas"),
        ("today", "disway"),
    ):
        if word in name:
            return shape
    return "detik"
