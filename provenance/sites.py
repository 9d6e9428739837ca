"""Web sites: the site a URL is on, and the names of the sites people meet most in news crawls.

A page's own statements about its publisher are not all equally good. JSON-LD's ``publisher`` is
written for machines and names the organisation; ``og:site_name`` is often a section ("U.S.",
"World", "Business") of a big site. So the site's registered domain, where it is one of
:data:`KNOWN_SITES`, names the publisher before ``og:site_name`` does, and ``og:site_name`` is
taken only where it looks like a name (:func:`looks_like_a_name`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# second-level labels under which sites register (example.co.uk, example.com.au)
_SECOND_LEVEL = frozenset(["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "mil", "nic", "gob"])

# The registered domain -> the name of the wires, agencies and outlets met most in news crawls.
KNOWN_SITES: dict[str, str] = {
    "reuters.com": "Reuters", "apnews.com": "Associated Press", "ap.org": "Associated Press",
    "bloomberg.com": "Bloomberg", "afp.com": "AFP", "france24.com": "France 24",
    "pa.media": "PA Media", "dpa.com": "dpa", "efe.com": "EFE", "ansa.it": "ANSA",
    "xinhuanet.com": "Xinhua", "news.cn": "Xinhua", "kyodonews.net": "Kyodo News",
    "yna.co.kr": "Yonhap", "tass.com": "TASS", "tass.ru": "TASS", "interfax.ru": "Interfax",
    "interfax.com": "Interfax", "app.com.pk": "APP", "ptinews.com": "PTI", "ianslive.in": "IANS",
    "aninews.in": "ANI", "aa.com.tr": "Anadolu Agency", "europapress.es": "Europa Press",
    "agenciabrasil.ebc.com.br": "Agência Brasil", "lusa.pt": "Lusa", "aap.com.au": "AAP",
    "thecanadianpress.com": "The Canadian Press", "upi.com": "UPI", "bernama.com": "Bernama",
    "antaranews.com": "Antara", "jiji.com": "Jiji Press", "ria.ru": "RIA Novosti",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "cnn.com": "CNN", "foxnews.com": "Fox News", "nbcnews.com": "NBC News", "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News", "npr.org": "NPR", "politico.com": "Politico", "axios.com": "Axios",
    "thehill.com": "The Hill", "cnbc.com": "CNBC", "forbes.com": "Forbes", "time.com": "Time",
    "newsweek.com": "Newsweek", "msn.com": "MSN", "yahoo.com": "Yahoo", "aol.com": "AOL",
    "bbc.co.uk": "BBC", "bbc.com": "BBC", "theguardian.com": "The Guardian",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "thetimes.co.uk": "The Times", "ft.com": "Financial Times", "economist.com": "The Economist",
    "dailymail.co.uk": "Daily Mail", "mirror.co.uk": "Daily Mirror", "sky.com": "Sky News",
    "aljazeera.com": "Al Jazeera", "dw.com": "DW", "spiegel.de": "Der Spiegel", "zeit.de": "Die Zeit",
    "faz.net": "FAZ", "sueddeutsche.de": "Süddeutsche Zeitung", "lemonde.fr": "Le Monde",
    "lefigaro.fr": "Le Figaro", "elpais.com": "El País", "elmundo.es": "El Mundo",
    "corriere.it": "Corriere della Sera", "repubblica.it": "la Repubblica", "abc.net.au": "ABC News (Australia)",
    "smh.com.au": "The Sydney Morning Herald", "cbc.ca": "CBC News", "theglobeandmail.com": "The Globe and Mail",
    "scmp.com": "South China Morning Post", "japantimes.co.jp": "The Japan Times",
    "timesofindia.indiatimes.com": "The Times of India", "hindustantimes.com": "Hindustan Times",
    "dawn.com": "Dawn", "thenews.com.pk": "The News", "geo.tv": "Geo News",
    "prnewswire.com": "PR Newswire", "businesswire.com": "Business Wire", "globenewswire.com": "GlobeNewswire",
    "accesswire.com": "Accesswire", "einpresswire.com": "EIN Presswire", "prweb.com": "PRWeb",
    "newswire.ca": "CNW",
}  # fmt: skip

# Names a site gives its sections, which pages put where the site's name belongs (og:site_name)
_SECTIONS = frozenset(
    ("u.s.", "us", "usa", "uk", "world", "news", "home", "homepage", "business", "politics", "sport",
     "sports", "opinion", "markets", "technology", "tech", "science", "health", "entertainment",
     "lifestyle", "culture", "local", "national", "international", "europe", "asia", "africa",
     "americas", "australia", "middle-east", "latest", "video", "videos", "live", "article",
     "articles", "top-stories", "breaking-news", "economy", "finance", "money", "travel", "weather")
)  # fmt: skip


_LEGAL_FORM = re.compile(r",?\s+(?:Ltd\.?|Limited|Inc\.?|LLC|L\.?P\.?|plc|PLC|GmbH|AG|S\.A\.|SA|Co\.)$")


def organisation_name(name: str | None) -> str | None:
    """An organisation's name as readers know it: "Quayside Gazette Ltd" -> "Quayside Gazette"."""
    if not name:
        return None
    return _LEGAL_FORM.sub("", name.strip()) or name.strip()


# Web archives whose capture addresses hold the address they captured: /web/20200101000000/URL
_ARCHIVES = frozenset(
    ("web.archive.org", "wayback.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is",
     "arquivo.pt", "webarchive.nationalarchives.gov.uk", "wayback.archive-it.org", "webarchive.loc.gov")
)  # fmt: skip
_CAPTURE = re.compile(r"/(?:web/|wayback/)?(?:\d+/)?\d{4,14}(?:[a-z]{2}_|\*)?/(?P<url>(?:https?:/?/)?[^/]+\..*)$", re.I)


def captured_url(url: str | None) -> str | None:
    """The address a web archive's capture holds ("https://web.archive.org/web/2021.../https://
    example.com/story" -> "https://example.com/story"); None for an address that is no capture."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    if host not in _ARCHIVES:
        return None
    found = _CAPTURE.search(parts.path + (f"?{parts.query}" if parts.query else ""))
    if not found:
        return None
    inner = re.sub(r"^(https?):/+", r"\1://", found["url"])
    return inner if "://" in inner else f"http://{inner}"


def registered_domain(url: str) -> str | None:
    """The site of a URL: "travel.timesonline.co.uk" and "timesonline.co.uk" are one site."""
    host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or host.replace(".", "").isdigit():
        return host or None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def known_site(url: str | None) -> str | None:
    """The name of the site a URL is on, where it is one of :data:`KNOWN_SITES` (a subdomain of
    one, "uk.reuters.com", or a known host under a shared domain, "abcnews.go.com"); for a web
    archive's capture, of the site it captured."""
    if not url:
        return None
    url = captured_url(url) or url
    host = (urlsplit(url.strip()).hostname or "").rstrip(".").removeprefix("www.")
    site = registered_domain(url)
    return KNOWN_SITES.get(host) or (KNOWN_SITES.get(site) if site else None)


def looks_like_a_name(value: str | None) -> bool:
    """Whether a page's stated site name names a site: not a section ("U.S.", "World News"), not
    a bare URL, and not a sentence."""
    if not value or not value.strip():
        return False
    words = value.strip().casefold().replace(" ", "-")
    if words in _SECTIONS or words.removesuffix("-news") in _SECTIONS:
        return False
    return ("://" not in value and len(value) <= 80 and not value.rstrip().endswith((".", "!", "?"))) or value == "U.S."
