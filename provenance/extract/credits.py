"""Who wrote a story, as the text itself says: wire credit, byline, slug, dateline, copyright.

The credit is the wire or agency the text credits, found only in the forms wires use to credit
themselves, wherever they stand in a paragraph:

- a dateline credit: ``(Bloomberg) --``, ``HELSINKI (AP) —``, ``LONDON, Sept 13 (Reuters) -``;
- a byline: ``By Reuters``, ``By Jackie Burdon, Showbusiness Correspondent, PA News``;
- a copyright line: ``©2017 Bloomberg L.P.``, ``Copyright 2017 The Associated Press``;
- a press release's dateline: ``NEW YORK, Jan. 5, 2026 /PRNewswire/ --``, ``--(BUSINESS WIRE)--``.

A passing mention ("in comments to Russia's Itar-Tass news agency") is not a credit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..sites import publisher_name
from .dates import find_date

# Canonical name <- the names a wire goes by (matched case-sensitively, as printed).
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Bloomberg": ("Bloomberg", "Bloomberg News", "Bloomberg L.P.", "Bloomberg LP"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "PA": ("PA", "PA News", "PA Media", "Press Association", "The Press Association"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur", "dpa-AFX"),
    "UPI": ("UPI", "United Press International"),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "XINHUA"),
    "TASS": ("TASS", "ITAR-TASS", "Itar-Tass", "Tass"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Jiji": ("Jiji", "Jiji Press"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "ANI": ("ANI", "Asian News International"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS", "Indo-Asian News Service"),
    "APP": ("APP", "Associated Press of Pakistan"),
    "ANSA": ("ANSA", "Ansa"),
    "EFE": ("EFE", "Agencia EFE"),
    "Europa Press": ("Europa Press",),
    "Agência Brasil": ("Agência Brasil", "Agencia Brasil"),
    "Lusa": ("Lusa", "LUSA"),
    "KNA": ("KNA", "Katholische Nachrichten-Agentur"),
    "epd": ("epd", "Evangelischer Pressedienst"),
    "APA": ("APA", "Austria Presse Agentur"),
    "Keystone-SDA": ("Keystone-SDA", "SDA", "ATS", "Keystone-ATS"),
    "Belga": ("Belga",),
    "ANP": ("ANP",),
    "NTB": ("NTB",),
    "TT": ("TT",),
    "Ritzau": ("Ritzau",),
    "STT": ("STT",),
    "PAP": ("PAP", "Polska Agencja Prasowa"),
    "CTK": ("CTK", "ČTK"),
    "MTI": ("MTI",),
    "BTA": ("BTA",),
    "Agerpres": ("Agerpres", "AGERPRES"),
    "HINA": ("HINA", "Hina"),
    "Tanjug": ("Tanjug",),
    "Ukrinform": ("Ukrinform",),
    "Interfax": ("Interfax", "Interfax-Ukraine"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Sputnik": ("Sputnik",),
    "CP": ("CP", "The Canadian Press", "Canadian Press"),
    "AAP": ("AAP", "Australian Associated Press"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "Bernama": ("Bernama", "BERNAMA"),
    "Antara": ("Antara", "ANTARA"),
    "PNA": ("PNA", "Philippine News Agency"),
    "VNA": ("VNA", "Vietnam News Agency"),
    "CNA": ("CNA", "Central News Agency"),
    "KCNA": ("KCNA", "Korean Central News Agency"),
    "MENA": ("MENA", "Middle East News Agency"),
    "WAFA": ("WAFA", "Wafa"),
    "QNA": ("QNA", "Qatar News Agency"),
    "SPA": ("SPA", "Saudi Press Agency"),
    "WAM": ("WAM", "Emirates News Agency"),
    "KUNA": ("KUNA", "Kuwait News Agency"),
    "IRNA": ("IRNA", "Islamic Republic News Agency"),
    "Petra": ("Petra",),
    "NAN": ("NAN", "News Agency of Nigeria"),
    "Prensa Latina": ("Prensa Latina",),
    "Notimex": ("Notimex",),
    "Télam": ("Télam", "Telam"),
    # the wires of press releases: a release's own page on one of them is its issuer's, not a copy
    "PR Newswire": ("PR Newswire", "PRNewswire", "PRNewswire-FirstCall", "PRNewswire-USNewswire"),
    "Business Wire": ("Business Wire", "BUSINESS WIRE", "BusinessWire"),
    "GlobeNewswire": ("GlobeNewswire", "GLOBE NEWSWIRE", "Globe Newswire"),
    "Accesswire": ("ACCESSWIRE", "Accesswire"),
    "EIN Presswire": ("EIN Presswire", "EINPresswire"),
    "PRWeb": ("PRWeb", "PRWEB"),
    "CNW": ("CNW", "Canada NewsWire", "CNW Group"),
}
_ALIAS = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
_ALIASES = "|".join(sorted((re.escape(a) for a in _ALIAS), key=len, reverse=True))
_DASH = r"(?:--|—|–|-)"
# PLACE (Agency) -- and Place (Region) -: the name in brackets is a credit where it is a known
# agency ("(dpa/AFP)" names two), or any short name after a place in capitals ("KESTREL BAY
# (Northwind) —", the English wires' form); else it is part of the place ("Rostow (Russland) -").
_DATELINE_CREDIT = re.compile(
    rf"(?:^|(?<=[\s\"']))(?P<place>[A-Z][A-Z .'-]{{1,40}}?|[A-ZÀ-Ý][\w'-]+(?: [A-ZÀ-Ý][\w'-]+){{0,2}})?,?\s*"
    rf"(?:[A-Z][a-z]{{2,8}}\.? \d{{1,2}},?\s*)?"
    rf"\((?P<agency>(?:{_ALIASES})(?:/[\w&.-]+)*|[A-ZÀ-Ý][\w&./-]*(?: [A-ZÀ-Ý][\w&./-]*){{0,3}})\)\s*{_DASH}\s"
)
# a press release's dateline: "NEW YORK, Jan. 5, 2026 /PRNewswire/ --", "SAN FRANCISCO--(BUSINESS WIRE)--"
_RELEASE_CREDIT = re.compile(
    r"(?:/(?P<slash>PRNewswire(?:-[A-Za-z]+)?|CNW)/|\((?P<bracketed>BUSINESS WIRE|GLOBE NEWSWIRE)\))\s*(?:--|—|–)"
)
_BY_AGENCY = re.compile(rf"\b[Bb]y (?:the )?(?P<agency>{_ALIASES})\b(?! \w+ (?:and|&) )")
_NAME_COMMA_AGENCY = re.compile(
    rf"\b[Bb]y [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)+,(?: [\w ]+,)? (?P<agency>{_ALIASES})(?: News)?\b"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?P<year>\d{4})?\s*(?P<holder>[^.|]*)", re.I)
_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.I)
_SLUG = re.compile(r"\b[A-Z]{2,4}-[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+\b")
_TRAILER = re.compile(
    r"^(to contact the (reporters?|editors?|writers?|authors?|journalists?)\b"
    r"|(additional )?reporting by\b|(writing|editing) by\b|compiled by\b)",
    re.I,
)
_BYLINE = re.compile(r"^\s*[Bb][Yy]:?\s+(?P<names>.+)$")
_EXPERIENCE = re.compile(r"\bfor the best (?P<site>[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,2}) experience\b")
_ORG_WORDS = {"news", "wire", "press", "agency", "service", "staff", "media", "newsroom", "desk",
              "times", "post", "daily", "herald", "group", "network", "radio", "tv"}  # fmt: skip
_NOT_NAME_WORDS = {"read", "minute", "minutes", "published", "updated", "am", "pm", "edt", "est",
                   "gmt", "utc", "bst", "cet", "logo", "correspondent", "reporter", "editor",
                   "writer", "contributor", "columnist", "photographer", "senior", "chief",
                   "political", "business", "sports", "showbusiness", "home", "affairs", "and",
                   "by", "the", "of", "for", "more", "share", "comments", "image", "photo"}  # fmt: skip
# Words of page furniture that a page's author slots catch (a comments widget, a share bar, a
# sign-up box), in the languages of the crawls people bring: never part of a person's name.
_FURNITURE = {"comment", "comments", "comentarios", "comentario", "kommentare", "kommentar",
              "commentaires", "commentaire", "commenti", "commento", "comentários", "reacties",
              "estallido", "share", "compartir", "teilen", "partager", "follow", "subscribe",
              "newsletter", "login", "log", "sign", "menu", "cookie", "cookies", "advertisement",
              "anzeige", "publicidad", "werbung", "search", "buscar", "suche", "redaktion",
              "redacción", "rédaction", "staff", "editorial", "admin", "administrator", "guest",
              "user", "anonymous", "unknown", "facebook", "twitter", "whatsapp", "email", "print",
              "more", "read", "leer", "lesen", "lire", "view", "click", "here", "top"}  # fmt: skip
_NAME_WORD = re.compile(
    r"^(?:[A-Z][a-z'’-]+|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+|O'[A-Z][a-z]+"
    r"|(?:de|van|von|da|di|del|la|le|bin|al)[- ]?)$"
)
_ROLES = {"correspondent", "editor", "reporter", "writer"}


@dataclass(frozen=True)
class Credits:
    credit: str | None = None
    authors: tuple[str, ...] = ()
    slug: str | None = None
    dateline: str | None = None
    copyright: str | None = None
    site: str | None = None  # the site that carried the page, where the page names it
    trailer: str | None = None


def agency(name: str | None) -> str | None:
    """The canonical name of a wire named ``name`` ("Associated Press" -> "AP"), else None."""
    if not name:
        return None
    name = name.strip().rstrip(".")
    return _ALIAS.get(name) or _ALIAS.get(name + ".") or _ALIAS.get(re.sub(r"^The ", "", name))


def is_trailer(paragraph: str) -> bool:
    """A wire's standard trailer: contact lines, "Reporting by", "Editing by"."""
    return _TRAILER.match(paragraph) is not None


def is_copyright(paragraph: str) -> bool:
    return _COPYRIGHT_LINE.match(paragraph) is not None and len(paragraph) < 200


def find_credits(head: Iterable[str], body: Iterable[str], notices: Iterable[str]) -> Credits:
    """Read the credits from a page's head lines, its body paragraphs and its dropped notices."""
    head, body, notices = list(head), list(body), list(notices)
    credit = dateline = slug = copyright = site = None
    authors: tuple[str, ...] = ()
    for paragraph in [*head, *body[:3]]:
        if "(" not in paragraph and "/" not in paragraph:  # both patterns need one (0.14 ms a page)
            continue
        release = _RELEASE_CREDIT.search(paragraph)
        if release:
            credit = agency(release["slash"] or release["bracketed"])
            break
        match = _DATELINE_CREDIT.search(paragraph) if "(" in paragraph else None
        if match:
            credit, dateline = _dateline(match["place"], match["agency"])
            break
    for line in head:
        slug = slug or _first(_SLUG.findall(line))
        names, org = parse_byline(line)
        if names and not authors:
            authors = names
        if org and credit is None:
            org = re.sub(r"\s+(staff|reporters?|writers?|desk)$", "", org, flags=re.I)
            credit = agency(org) or (org if _BYLINE.match(line) else None)
    if credit is None:
        for paragraph in [*head, *body[:3], *body[-2:]]:
            if "by " not in paragraph and "By " not in paragraph:  # both patterns need one
                continue
            found = _BY_AGENCY.search(paragraph) or _NAME_COMMA_AGENCY.search(paragraph)
            if found:
                credit = agency(found["agency"])
                break
    copyrights = [p for p in [*notices, *body[-3:]] if is_copyright(p)]
    for line in copyrights:
        holder = _holder(line)
        wire = agency(holder) or agency(publisher_name(holder))  # "Reuters 2008", "Reuters2008All rights..."
        if wire is not None:
            copyright = copyright or line
            credit = credit or wire
        elif holder and site is None:
            site = holder
    if copyright is None and copyrights:
        copyright = copyrights[0]
    for line in [*notices, *head]:
        found = _EXPERIENCE.search(line) if "for the best " in line else None
        if found:
            site = found["site"]
            break
    trailers = [p for p in [*notices, *body[-4:]] if is_trailer(p)]
    return Credits(credit, authors, slug, dateline, copyright, site, "\n".join(trailers) or None)


def _dateline(place: str | None, bracketed: str) -> tuple[str | None, str | None]:
    """The credit and the place of a dateline ``PLACE (NAME) -``."""
    place = place.strip().rstrip(",") if place and place.strip() else None
    for name in bracketed.split("/"):
        if (wire := agency(name)) is not None:
            return wire, place
    if place and place.upper() == place and len(bracketed) <= 40:  # "KESTREL BAY (Northwind) —"
        return bracketed, place
    return None, f"{place} ({bracketed})" if place else bracketed


def parse_byline(line: str) -> tuple[tuple[str, ...], str | None]:
    """Person names in a byline-like head line, and an organisation it names.

    ``By Maren Holt and Tomas Ferreira`` -> (("Maren Holt", "Tomas Ferreira"), None);
    ``By Jackie Burdon, Showbusiness Correspondent, PA News`` -> (("Jackie Burdon",), "PA News");
    ``Bloomberg logo Bloomberg 9/13/2017 Nick Wadhams and Ilya Arkhipov`` -> the two names.
    A headline or a sentence yields nothing.
    """
    text = line.strip().rstrip("<").strip()
    by = _BYLINE.match(text)
    if by:
        text = by["names"]
    elif len(text.split()) > 14 or re.search(r"[.!?]\s*$", text):
        return (), None
    date = find_date(text)
    text = _strip_dates(text) if date else text
    text = _SLUG.sub(" ", text).replace("©", " ")
    org = None
    parts = [p.strip() for p in re.split(r",|;|\band\b|&|\|", text) if p.strip()]
    names: list[str] = []
    for part in parts:
        words = part.split()
        lowered = {w.lower().strip(".") for w in words}
        known = agency(part)
        if known or (lowered & _ORG_WORDS and not names_only(words)):
            org = org or part
            continue
        # drop leading words that are not names (a credit, a logo, a site name)
        while words and _not_a_name(words[0]):
            words = words[1:]
        if 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and not lowered & _ROLES:
            if is_person_name(" ".join(words)):
                names.append(" ".join(words))
        elif by is None:
            return (), org
    if not by and len(names) == 0:
        return (), org
    return tuple(dict.fromkeys(names)), org


def is_person_name(name: str) -> bool:
    """Whether an author slot's value can be a person's name: not page furniture ("Estallido de
    Comentarios", "Share on Facebook"), not an address, not a long phrase."""
    words = re.findall(r"[^\W\d_]+", name.casefold())
    return bool(words) and len(words) <= 6 and "://" not in name and "@" not in name and not set(words) & _FURNITURE


def _not_a_name(word: str) -> bool:
    return word.lower() in _NOT_NAME_WORDS or agency(word) is not None or not _NAME_WORD.match(word)


def names_only(words: list[str]) -> bool:
    return all(_NAME_WORD.match(w) for w in words) and not {w.lower() for w in words} & _ORG_WORDS


def _holder(line: str) -> str | None:
    match = _COPYRIGHT.search(line)
    if not match:
        return None
    holder = re.sub(r"\s+", " ", match["holder"]).strip(" ,;-")
    holder = re.sub(r"\b(All rights reserved|Terms|Privacy)\b.*$", "", holder, flags=re.I).strip(" ,;-")
    if holder.endswith(("L", "Inc", "Ltd", "LLC", "Co")) and "." in line:
        holder = line[match.start("holder") :].split("|")[0].strip()
        holder = re.sub(r"\s*(All rights reserved).*$", "", holder, flags=re.I).strip(" ,;-")
    return holder or None


def _strip_dates(text: str) -> str:
    text = re.sub(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", " ", text)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.+Z-]+)?\b", " ", text)
    months = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    text = re.sub(rf"\b{months}\s+\d{{1,2}},?\s+\d{{4}}\b", " ", text)
    return re.sub(rf"\b\d{{1,2}}\s+{months},?\s+\d{{4}}\b", " ", text)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
