"""Find and parse publication dates in the forms news pages print them.

"9/13/2017" (month first, unless the first number cannot be a month), "October 12, 2021",
"13 Sept 2017", ISO 8601 dates and date-times, and wire headers "16:54 01/03/00" (British order,
two-digit year: 00-69 are 2000-2069).
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PATTERNS = [
    # a wire header: "16:54 01/03/00" (time, then day/month/two-digit year)
    re.compile(r"\b(?P<time>\d{2}:\d{2}) (?P<day>\d{2})/(?P<mon>\d{2})/(?P<yy>\d{2})\b"),
    re.compile(
        r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\b",
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<mon>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
]


_DIGIT = re.compile(r"\d")


def find_date(text: str) -> str | None:
    """The first date written in ``text``, as ISO 8601 (``YYYY-MM-DD``, with the time when given)."""
    if _DIGIT.search(text) is None:  # every form has digits; most lines asked have none
        return None
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), iso)
                break
    return best[1] if best else None


def parse_date(text: str) -> str | None:
    """A date given on its own (a feed's ``published`` field) as ISO 8601, or None."""
    return find_date(text.strip())


def _iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    try:
        if parts.get("yy") is not None:
            year = int(parts["yy"]) + (2000 if int(parts["yy"]) < 70 else 1900)
        else:
            year = int(parts["year"])
        month = _MONTHS[parts["month"][:3].lower()] if parts.get("month") else int(parts["mon"])
        day = int(parts["day"])
        if month > 12 and day <= 12:  # 13/9/2017: day first
            month, day = day, month
        date = dt.date(year, month, day)
    except (ValueError, KeyError):
        return None
    if not 1800 <= year <= 2200:
        return None
    time = parts.get("time")
    if not time:
        return date.isoformat()
    tz = parts.get("tz") or ""
    if tz and tz != "Z" and ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    return f"{date.isoformat()}T{time}{tz}"
