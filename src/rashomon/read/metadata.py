"""Article metadata found in the text itself: the outlet (agency cues, bylines) and the date (a dateline or
a "Published" line near the top). Null when the text does not say.

>>> outlet_from_text("PORT AVEL (AFP) - The council met on Monday.")
'AFP'
>>> outlet_from_text("The minister told Reuters the port would reopen.")
'Reuters'
>>> outlet_from_text("KELL, May 4 (HPA) - The council met.")
'HPA'
>>> outlet_from_text("KELL, May 4 (Kell News) - The council met.")
'Kell News'
>>> date_from_text("Published: March 6, 2026\\nThe council met.")
'2026-03-06'
>>> normalise_date("2026-03-06T10:00:00Z"), normalise_date("not a date")
('2026-03-06', None)
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_RE = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_MDY = re.compile(_MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(\d{4})", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_PUBLISHED = re.compile(r"^\s*(published|posted|updated|date|dated|first published)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def agencies() -> list[tuple[str, str]]:
    """(alias, canonical) pairs from ``data/agencies.tsv``, longest alias first."""
    pairs: list[tuple[str, str]] = []
    text = resources.files("rashomon").joinpath("data/agencies.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, aliases = line.split("\t")[:2]
        pairs.extend((alias.strip(), canonical.strip()) for alias in aliases.split(",") if alias.strip())
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _cue_patterns() -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, canonical name, the alias as a match must contain it: case-folded where the pattern
    ignores case): every cue spells the alias out, so a text without it cannot match and its regex need not
    run (most of the cost of cleaning otherwise)."""
    out = []
    for alias, canonical in agencies():
        a = re.escape(alias)
        # "(AFP)", "- AFP", "told AFP", "AFP reported", a byline "By Jane Roe, Reuters" / "| Kyodo News"
        pattern = (rf"\({a}\)|^\s*[—–-]\s*{a}\s*$|\btold {a}\b|\b{a} (?:reported|learned|has learned)\b"
                   rf"|^\s*By [^\n]{{2,60}}?[,|/]\s*{a}\s*$|^\s*{a}\s*$")
        flags = re.MULTILINE | (re.IGNORECASE if len(alias) > 4 else 0)
        # a short alias matches in its own case only: look for it as written ("AP", not every "happen")
        out.append((re.compile(pattern, flags), canonical, alias.casefold() if len(alias) > 4 else alias))
    return out


# a wire dateline names its agency even when we do not know it: "KELL, May 4 (XYZ) -", "PORT AVEL (XYZ) —"
_DATELINE_AGENCY = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*"
    r"\(([A-Z][A-Za-z&]{1,11}(?: [A-Z][A-Za-z&]{1,11}){0,2})\)\s*[-—–:]",
    re.MULTILINE)


# a dateline opening a report's first sentence: "ORLANDO, Fla. (Reuters) - ", "KELL, May 4 (XYZ) — ", "PARIS — "
_DATELINE_OPENING = re.compile(
    r"(?P<place>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})(?:,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?P<agency>\([A-Z][A-Za-z&]{1,11}(?: [A-Z][A-Za-z&]{1,11}){0,2}\))?\s*(?:[\u2014\u2013]\s*|-{1,2}\s+|:\s+)"
    r"(?=[A-Z0-9\"\u201c'\u2018])")


def without_dateline(text: str) -> str:
    """A sentence without the wire dateline its report opens with, as a brief quotes it: a place in capitals
    (a city or capital the gazetteer knows, or any place before an agency in brackets), maybe its state or
    country and a date, then a dash.

    >>> without_dateline("ORLANDO, Fla. (Reuters) - President Obama met survivors.")
    'President Obama met survivors.'
    >>> without_dateline("PARIS —The talks resumed."), without_dateline("U.S. - China talks resumed.")
    ('The talks resumed.', 'U.S. - China talks resumed.')
    """
    m = _DATELINE_OPENING.match(text)
    if m is None:
        return text
    if not m.group("agency"):
        from ..text import geo

        place = geo.lookup(m.group("place").title())
        if place is None or place.kind not in ("city", "capital"):
            return text
    return text[m.end():]


def outlet_from_text(text: str) -> str | None:
    """The outlet a report names for itself: a wire cue ("(AFP)", "told Reuters"), an agency byline, or
    the agency in a wire dateline ("KELL, May 4 (XYZ) -")."""
    head, tail = text[:3000], text[-1500:]
    best: tuple[int, str] | None = None
    m = _DATELINE_AGENCY.search(text[:600])
    if m:
        known = {alias: canonical for alias, canonical in agencies()}
        return known.get(m.group(1), m.group(1))
    parts = ((head, head.casefold()), (tail, tail.casefold()))
    for pattern, canonical, needle in _cue_patterns():
        for part, folded in parts:
            if needle not in (folded if pattern.flags & re.IGNORECASE else part):
                continue
            m = pattern.search(part)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), canonical)
    return best[1] if best else None


def domain(url: str | None) -> str | None:
    """The host of an address, without "www." — a readable name for a source that names no outlet.

    >>> domain("https://www.kellpost.example/news/1"), domain("not an address")
    ('kellpost.example', None)
    """
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def date_from_text(text: str) -> str | None:
    """A full date in a dateline or a "Published ..." line among the first lines, as YYYY-MM-DD.

    A line counts when it *is* a dateline: a "Published/Updated ..." line, a wire dateline ("KELL, Jan 5,
    2026 (HPA) -"), or a line that holds nothing but the date, a clock time, a weekday, a time zone and
    the words of a publishing stamp ("Story Created: Aug 7, 2012 at 9:56 AM"). A sentence that happens to
    sit near the top and names a date ("Page was born on April 22, 1923, in Kell.") tells a biography or
    a background fact, not when the report was written.

    >>> date_from_text("Ilsa Marrow dies at 85\\nMarrow was born on April 22, 1923, in Kell.") is None
    True
    >>> date_from_text("Ilsa Marrow dies at 85\\nMay 3, 2013 | 5: 03pm\\nMarrow died on Friday.")
    '2013-05-03'
    """
    lines = [x for x in text.split("\n")[:4] if x.strip()]
    for line in lines:
        window = line[:120]
        found = _first_date(window)
        if not found:
            continue
        if _PUBLISHED.match(line) or _DATELINE_START.match(line) or _only_a_date(window):
            return found
    return None


_DATELINE_START = re.compile(r"^[A-Z][A-Z .,'-]{2,40}[,(]")
_CLOCK = re.compile(r"(?i)\b\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?\s*(?:[ap]\.?\s*m\.?|[ap](?![a-z])|hrs)?|\b\d{1,2}\s*[ap]\.?\s*m\b\.?")
_WEEKDAY = re.compile(r"(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\b\.?")
# words a publishing stamp is made of ("Last updated on:", "Story Created:", "First Published")
_STAMP_WORDS = frozenset({"published", "posted", "updated", "created", "modified", "last", "first", "story", "date",
                          "dated", "on", "at", "by", "hrs", "am", "pm", "gmt", "utc", "local", "time", "edition"})


_POSTED = re.compile(r"\b(?:posted|published|updated|filed)(?:\s+(?:in|under)\s+[^.;:]{1,60}?)?\s+on\s+", re.IGNORECASE)
_BYLINE_WORDS = frozenset({"on", "behalf", "of", "by", "and"})


def is_stamp(line: str) -> bool:
    """Whether a line is a publishing stamp rather than a sentence of the report: a date with nothing a
    sentence is made of around it ("Posted on Thu Jun 13, 2013 08:45 AM PDT"), or a blog's byline ending
    with where and when it was posted.

    >>> is_stamp("On behalf of Kell & Marrow, LLP. posted in Road Safety on Friday, May 3, 2013.")
    True
    >>> is_stamp("Posted on Thu Jun 13, 2013 08: 45 AM PDT"), is_stamp("Posted by Ilsa Marrow on May 3, 2013")
    (True, True)
    >>> is_stamp("The video was posted on May 3, 2013 by a witness."), is_stamp("Posted in Road Safety")
    (False, False)
    """
    window = line.strip()[:200]
    if not _first_date(window):
        return False
    if _only_a_date(window):
        return True
    m = _POSTED.search(window)
    if m is None:
        return False
    byline = re.findall(r"[^\W\d_][\w'’]*", window[:m.start()])
    return all(w[0].isupper() or w.lower() in _BYLINE_WORDS for w in byline) and _only_a_date(window[m.end():])


def _only_a_date(line: str) -> bool:
    """The line holds a date and nothing a sentence is made of: no lower-case word other than a stamp's,
    and at most four other words (a byline's name, a dateline's place, a time zone)."""
    rest = _MDY.sub(" ", line)
    rest = _DMY.sub(" ", rest)
    rest = _ISO.sub(" ", rest)
    rest = _WEEKDAY.sub(" ", _CLOCK.sub(" ", rest))
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", rest) if w.lower() not in _STAMP_WORDS]
    return len(words) <= 4 and not any(w[0].islower() for w in words)


def _first_date(text: str) -> str | None:
    candidates = []
    for m in _MDY.finditer(text):
        candidates.append((m.start(), _make(m.group(3), m.group(1), m.group(2))))
    for m in _DMY.finditer(text):
        candidates.append((m.start(), _make(m.group(3), m.group(2), m.group(1))))
    for m in _ISO.finditer(text):
        candidates.append((m.start(), _make(m.group(1), m.group(2), m.group(3))))
    candidates = [c for c in candidates if c[1]]
    return min(candidates)[1] if candidates else None


def _make(year: str, month: str, day: str) -> str | None:
    try:
        key = month.lower().rstrip(".")
        m = int(month) if month.isdigit() else MONTHS.get(key) or MONTHS[key[:3]]
        return date(int(year), m, int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def normalise_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD, or a partial YYYY-MM / YYYY) from a metadata value, or None."""
    if not value:
        return None
    value = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return _make(*m.groups())
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m and 1 <= int(m.group(2)) <= 12:
        return value
    if re.fullmatch(r"\d{4}", value):
        return value
    return _first_date(value)
