"""What crosses languages (shared by families and stories): each sentence's *anchors*, the words a translation
keeps whatever the language — names, places as states, figures, weekdays and months — and the verdict
that two reports in two languages are one report translated.

A translation or close rewrite in another language shares almost no word with its source, but it keeps
its people and places ("Anouk Varenne", "Port-Avel"), its states under their own names ("États-Unis" and
"the United States" are both ``@USA``, from CLDR's country names), its figures read by each language's
conventions ("1,2 milliard" and "1.2 billion" are both ``#1200000000``), its days and months ("vendredi"
and "Friday" are both ``wd4``), and the order of its facts. Two reports in two languages are *one report*
(:func:`translation`) when a large share of their sentences carry a counterpart's anchors in the same
order; an independent report of the same event names the same people and figures too, but in its own
order and with its own facts, so its chain of matching sentences stays short.

No bilingual word list is used: every anchor comes from data rashomon already carries (CLDR names of
countries, days and months by babel, the figure lexicons), so the rule works for any pair of languages
written in the Latin alphabet — German, Spanish, Italian — not only French and English.

>>> fr = anchors("La Première ministre Anouk Varenne a annoncé vendredi un plan de 1,2 milliard d'euros "
...              "avec les États-Unis.", "fr")
>>> en = anchors("Prime Minister Anouk Varenne on Friday announced a 1.2 billion euro plan with the "
...              "United States.", "en")
>>> sorted(fr[0]), fr == en
(['#1200000000', '@USA', 'anouk', 'varenne', 'wd4'], True)
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..config import Config
from ..text import geo, quantities, textsim
from . import represent

# languages whose nouns are all capitalised: a capital there says nothing of a name
CAPITALISED_NOUNS = frozenset({"de", "lb"})
# languages whose figures are written with a decimal comma ("1,2 milliard"); English and the rest use a point
DECIMAL_COMMA = frozenset({"fr", "de", "es", "it", "pt", "nl", "pl", "ru", "sv", "da", "no", "fi", "cs", "ro"})

MIN_ANCHORS = 2  # a sentence with fewer anchors is not aligned
OVERLAP = 0.5  # share of the smaller sentence's anchors its counterpart must carry
# Measured on reports of our own writing (benchmarks/languages.md): translations chain 3-9 sentences, an
# independent report of the same event at most 2, an unrelated one at most 1.
MIN_CHAIN = 3  # a translation has at least this many sentences matched in order ...
CHAIN_BASE = 5  # ... and the share is taken over at least this many sentences
TRANSLATION_SHARE = 0.5  # share of the shorter text's anchored sentences matched in order
NAMES_SHARE = 0.4  # share of the names of the one with fewer names that both carry

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\d[\d,.\u00a0\u202f ]*\d|\d")
_CLOCK = re.compile(r"(?i)(?<![\d:.,])(?:(?P<h>[01]?\d|2[0-3])\s?(?:h|:|\.)\s?(?P<m>[0-5]\d)(?:\s?(?:uhr|h))?"
                    r"(?:\s?(?P<pm>[ap])\.?\s?m\.?)?|(?P<h2>1[0-2]|0?[1-9])\s?(?P<pm2>[ap])\.?m\.?)(?![\w\d])")
_DIGIT = re.compile(r"\d")
_ELISION = re.compile(r"(?i)\b((?:[dlnmstjc]|qu|dall|dell|nell|sull)['’])(?=[^\W\d_])")
MIN_FIGURE = 2  # figures from 2 on are anchors ("two bridges" is "deux ponts"); a lone "one" is too common
_RUN_GLUE = frozenset({"de", "du", "des", "of", "the", "la", "le", "von", "der", "del", "di", "da"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case, accents off, apostrophes straight: "États" -> "etats"."""
    text = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=32)
def calendar_words(language: str) -> dict[str, str]:
    """Folded weekday and month names of ``language`` and English (CLDR, by babel) -> ``wdN`` / ``moN``."""
    from babel import Locale, UnknownLocaleError

    out: dict[str, str] = {}
    for code in dict.fromkeys(("en", language or "en")):
        try:
            loc = Locale(code)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide",):
            for k, v in loc.days["format"][width].items():
                out[fold(v)] = f"wd{k}"
            for k, v in loc.months["format"][width].items():
                out[fold(v)] = f"mo{k}"
    return out


@lru_cache(maxsize=32)
def _stop(language: str) -> frozenset[str]:
    """Stop words of English and ``language`` (spaCy's language data: no model needed) and the titles
    that stand before names ("Prime Minister", "Première ministre"), folded."""
    from importlib import resources

    from ..who.multilingual import data

    words = set(textsim.stopwords()) | set(data()["titles"].get(language, ()))
    for row in resources.files("rashomon").joinpath("data/titles.tsv").read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            words.update(row.split("\t")[0].split())
    if language and language != "en":
        try:
            module = __import__(f"spacy.lang.{language}.stop_words", fromlist=["STOP_WORDS"])
            words |= set(module.STOP_WORDS)
        except ImportError:
            pass
    return frozenset(fold(w) for w in words)


def anchors(text: str, language: str | None, split: Sequence[str] | None = None) -> list[frozenset[str]]:
    """The anchors of each sentence of ``text`` (see the module's docstring), in order. ``split``: English
    text's ``represent.sentences(text)``, when the caller has it already."""
    from ..who.multilingual import sentences

    lang = language or "en"
    spans = sentences(text, lang) if lang != "en" else None
    parts = [text[a:b] for a, b in spans] if spans is not None else \
        split if split is not None else represent.sentences(text)
    return [sentence_anchors(s, lang) for s in parts]


def sentence_anchors(sentence: str, language: str) -> frozenset[str]:
    """The anchors of one sentence: ``@ISO`` for a state, folded name tokens, ``#value`` for figures of
    ten or more (or with a fraction), ``wdN``/``moN`` for weekdays and months."""
    stop = _stop(language)
    cal = calendar_words(language)
    out: set[str] = set()
    if _DIGIT.search(sentence):  # times of day and figures are written in digits: most sentences have none
        clocks = list(_CLOCK.finditer(sentence))
        for m in clocks:  # "14 h 20", "14.20 Uhr" and "2:20 p.m." are one time of day
            half = (m["pm"] or m["pm2"] or "").lower()
            hour = int(m["h"] or m["h2"])
            if half:
                hour = hour % 12 + (12 if half == "p" else 0)
            out.add(f"t{hour:02d}:{m['m'] or '00'}")
        if clocks:  # a time of day may have been the sentence's only digits
            sentence = _CLOCK.sub(" ", sentence)
        # figures written in digits only: spelled numbers are left out in every language alike
        for f in quantities.figures(sentence, "fr" if language in DECIMAL_COMMA else None) \
                if not clocks or _DIGIT.search(sentence) else ():
            if f.value >= MIN_FIGURE and sentence[f.start].isdigit():
                out.add(f"#{f.value:.10g}")
    # elided articles and prepositions ("d'Aerkessa", "l'AFP") leave the name they stand before its capital
    if "'" in sentence or "’" in sentence:
        sentence = _ELISION.sub(r"\1 ", sentence)
    tokens = [t for t in _TOKEN.findall(sentence) if not t[0].isdigit()]  # _TOKEN has no groups: whole matches
    for tok in tokens:
        key = fold(tok)
        if key in cal:
            out.add(cal[key])
    out |= _names(tokens, language, stop, cal)
    return frozenset(out)


def _names(tokens: Sequence[str], language: str, stop: frozenset[str], cal: dict[str, str]) -> set[str]:
    """Name anchors: runs of capitalised words (after the sentence's first word), a run that is a state
    as ``@ISO``, else its words; where every noun is capitalised (German), only the words
    :func:`rashomon.group.represent.likely_name` takes for names (acronyms, places, given names, a capital
    with no article or adjective before it)."""
    out: set[str] = set()
    runs: list[list[str]] = []
    run: list[str] = []
    before: dict[int, str | None] = {}  # id of a run -> the token before it
    for i, tok in enumerate(tokens):
        if not run:
            before[len(runs)] = tokens[i - 1] if i else None
        capital = tok[0].isupper()
        if capital and (i > 0 or tok.isupper()) or run and fold(tok) in _RUN_GLUE and i + 1 < len(tokens) and tokens[i + 1][0].isupper():
            run.append(tok)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    strict = language in CAPITALISED_NOUNS
    segments: list[tuple[list[str], str | None]] = []  # (words, the token before them)
    for r, whole in enumerate(runs):
        piece: list[str] = []
        start_before = before.get(r)
        for w in [*whole, "of"]:  # a run is also tried piece by piece between its glue words
            if fold(w) in _RUN_GLUE:
                if piece:
                    segments.append((piece, start_before))
                piece, start_before = [], w
            else:
                piece.append(w)
        if len(whole) > 1 and any(fold(w) in _RUN_GLUE for w in whole):
            segments.append((list(whole), before.get(r)))
    for words, previous in segments:
        name = " ".join(words)
        if geo.place_kind(name, language) == "country":
            out.add("@" + str(geo.state_of(name, language)))
            continue
        for k, w in enumerate(words):
            key = fold(w).strip("-'")
            key = key[:-2] if key.endswith("'s") else key
            if len(key) < 2 or key in stop or key in cal or key in _RUN_GLUE:
                continue
            place = geo.lookup(w, language)
            if place is not None and place.kind == "country":
                out.add("@" + place.code)
                continue
            if strict and not represent.likely_name(w, language, words[k - 1] if k else previous):
                continue
            for part in key.split("-"):
                if len(part) >= 2 and part not in stop:
                    out.add(part)
    return out


def _given(word: str) -> bool:
    """A given name in gender-guesser's international dictionary ("Hanna", "Jonas")."""
    return geo.given_name(word)


def name_anchors(sentences: Sequence[frozenset[str]]) -> frozenset[str]:
    """The names and states among a text's anchors (not its figures, days or months)."""
    return frozenset(a for s in sentences for a in s if not a.startswith("#") and not re.fullmatch(r"(?:wd|mo)\d+", a))


# ------------------------------------------------------------------------------------------ verdict


def chain(a: Sequence[frozenset[Any]], b: Sequence[frozenset[Any]]) -> int:
    """How many sentences of ``a`` have a counterpart in ``b`` in the same order (the longest chain of
    matches increasing in both), a match sharing ``OVERLAP`` of the smaller sentence's anchors.

    >>> s = [frozenset({f"n{k}", f"m{k}"}) for k in range(6)]
    >>> chain(s, s), chain(s, s[::-1])
    (6, 1)
    """
    where: dict[Any, list[int]] = {}
    for j, sb in enumerate(b):
        for key in sb:
            where.setdefault(key, []).append(j)
    tails: list[int] = []
    for sa in a:
        counts: dict[int, int] = {}
        for key in sa:
            for j in where.get(key, ()):
                counts[j] = counts.get(j, 0) + 1
        matches = [j for j, common in counts.items()
                   if common >= MIN_ANCHORS and common >= OVERLAP * min(len(sa), len(b[j]))]
        for j in sorted(matches, reverse=True):
            pos = bisect.bisect_left(tails, j)
            if pos == len(tails):
                tails.append(j)
            else:
                tails[pos] = j
    return len(tails)


def translation_score(a: Sequence[frozenset[Any]], b: Sequence[frozenset[Any]]) -> float:
    """Share of the shorter text's anchored sentences matched in order (0 below ``MIN_CHAIN`` matches)."""
    sa = [s for s in a if len(s) >= MIN_ANCHORS]
    sb = [s for s in b if len(s) >= MIN_ANCHORS]
    if not sa or not sb:
        return 0.0
    n = chain(sa, sb)
    if n < MIN_CHAIN:
        return 0.0
    return n / max(min(len(sa), len(sb)), CHAIN_BASE)


def translation(a: Any, b: Any, config: Config, max_days: int = 30) -> bool:
    """Two reports in two different languages are one report translated: anything with ``language``,
    ``anchors`` (per sentence), ``anchor_names`` (:func:`name_anchors`), ``dates`` and ``agency``. Dated at
    most ``max_days`` apart (a translation follows its source within days), no two different agencies'
    cues, enough shared names, and a large share of sentences matched in order."""
    if not a.language or not b.language or a.language == b.language:
        return False
    if a.dates and b.dates and represent.date_gap(a.dates, b.dates) > max_days:
        return False
    if a.agency and b.agency and a.agency != b.agency:
        return False
    na, nb = a.anchor_names, b.anchor_names
    if len(na) >= 3 and len(nb) >= 3 and len(na & nb) < NAMES_SHARE * min(len(na), len(nb)):
        return False
    return translation_score(a.anchors, b.anchors) >= config.family_translation
