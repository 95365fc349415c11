"""URL canonicalisation and the de-duplication key of an item. Stdlib only."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that only say where a click came from; dropping them makes the same story
# shared through Facebook, Google Ads or a newsletter the same URL.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "ncid",
        "spm",
        "s_cid",
        "cmpid",
        "wt_mc",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
# AMP and mobile copies of a page, as Indonesian outlets publish them: Tribun's
# "kaltim.tribunnews.com/amp/2024/...", WordPress's ".../judul/amp/", "?amp=1",
# "?outputType=amp", and "www." / "amp." / "m." hosts (m.tribunnews.com is tribunnews.com).
# A mobile site with other paths (m.detik.com) is not recognised.
AMP_PARAMS = frozenset({"amp", "outputtype", "amp_js_v", "usqp"})


def _is_tracking(name: str) -> bool:
    """True for a query parameter that only tracks the click."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Normalise a URL so the same story links alike: lower-case scheme and host, no fragment,
    no default port, no tracking parameters, no trailing slash except the root, and the
    AMP/mobile copy of a page made the page itself (see AMP_PARAMS)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text  # not a URL we can take apart (bad port, bad IPv6): leave it alone
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        return text
    host = parts.hostname.rstrip(".")
    # www., amp. and m. name one site: the key keeps the bare domain.
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        host = f"{credentials}@{host}"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    if path.startswith("/amp/"):
        path = path[4:]
    if path.endswith("/amp"):
        path = path[:-4] or "/"
    # Filter the raw pairs instead of re-encoding, so "%20" stays "%20" and order is kept.
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair
        and not _is_tracking(unquote_plus(pair.split("=", 1)[0]))
        and unquote_plus(pair.split("=", 1)[0]).lower() not in AMP_PARAMS
    ]
    return urlunsplit((scheme, host, path, "&".join(kept), ""))


def without_credentials(url: str) -> str:
    """The URL without any `user:password@`: an item's link is shown to every reader, and a
    feed followed with its password in the address lends that password to the links written
    relative to it (no public article's link needs one)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = min(
        (i for i in (rest.find("/"), rest.find("?"), rest.find("#"), rest.find("\\")) if i >= 0),
        default=len(rest),
    )
    authority = rest[:end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[end:]}"


def item_key(guid: str | None, link: str) -> str:
    """The de-duplication key: "link:<canonical link>" when the entry has an http(s) link,
    else "guid:<guid>", else "link:<link as given>".

    The link wins over the guid because feeds abuse guids: the Tempo mirror numbers its items
    1..9 afresh every day (one guid, a different story each day) and gives a re-published
    story a new guid. So the same story re-published with a new guid keeps its key, and the
    same link in two feeds has one key.
    """
    canonical = canonical_url(link or "")
    try:
        parts = urlsplit(canonical)
        has_http_link = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # canonical_url leaves a URL it cannot take apart as it was
        has_http_link = False
    if has_http_link:
        return f"link:{canonical}"
    if guid is not None and guid.strip():
        return f"guid:{guid.strip()}"
    return f"link:{canonical}"
