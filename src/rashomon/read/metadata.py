"""Article metadata found in the text itself: the outlet (agency cues, bylines) and the date (a dateline or
a "Published" line near the top). Null when the text does not say.

>>> outlet_from_text("PORT AVEL (AFP) - The council met on Monday.")
'AFP'
>>> outlet_from_text("The minister told Reuters the port would reopen.")
'Reuters'
>>> outlet_from_text("KELL, May 4 (HPA) - The council met.")
'HPA'
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
    """(pattern, canonical name, the alias case-folded): every cue spells the alias out, so a text
    without it cannot match and its regex need not run (most of the cost of cleaning otherwise)."""
    out = []
    for alias, canonical in agencies():
        a = re.escape(alias)
        # "(AFP)", "- AFP", "told AFP", "AFP reported", a byline "By Jane Roe, Reuters" / "| Kyodo News"
        pattern = (rf"\({a}\)|^\s*[—–-]\s*{a}\s*$|\btold {a}\b|\b{a} (?:reported|learned|has learned)\b"
                   rf"|^\s*By [^\n]{{2,60}}?[,|/]\s*{a}\s*$|^\s*{a}\s*$")
        flags = re.MULTILINE | (re.IGNORECASE if len(alias) > 4 else 0)
        out.append((re.compile(pattern, flags), canonical, alias.casefold()))
    return out


# a wire dateline names its agency even when we do not know it: "KELL, May 4 (XYZ) -", "PORT AVEL (XYZ) —"
_DATELINE_AGENCY = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*\(([A-Z][A-Za-z&]{1,11})\)\s*[-—–:]",
    re.MULTILINE)


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
            if needle not in folded:
                continue
            m = pattern.search(part)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), canonical)
    return best[1] if best else None


def date_from_text(text: str) -> str | None:
    """A full date in a dateline or a "Published ..." line among the first lines, as YYYY-MM-DD."""
    lines = [x for x in text.split("\n")[:4] if x.strip()]
    for i, line in enumerate(lines):
        short = len(line.split()) <= 12
        if not (short or _PUBLISHED.match(line) or i == 0):
            continue
        window = line[:120] if not short else line
        found = _first_date(window)
        if found and (short or _PUBLISHED.match(line) or re.match(r"^[A-Z][A-Z .,'-]{2,40}[,(]", line)):
            return found
    return None


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
