"""Figures in text, normalised so that reports written differently compare equal.

"70%" and "70 percent" are both ``percent 70``; "1.2 billion marks" is ``money 1.2e9 mark``; "fourth-largest
economy" is ``rank 4 economy``; "some 60,000 troops" is ``count 60000 troop``. The vocabulary (number words,
scales, currencies, superlatives, hedges) lives in ``data/quantities.toml``.

Two entry points: :func:`figures` reads plain text with regular expressions (used by the reduce stage and
the brief's support check, where there is no parse), :func:`find_values` also uses the spaCy parse for the
noun a figure counts or ranks.

>>> [(f.kind, f.value, f.unit) for f in figures("Some 70% of its oil, about 1.2 billion marks.")]
[('percent', 70.0, None), ('money', 1200000000.0, 'mark')]
>>> [(f.kind, f.value) for f in figures("the world's fourth-largest economy")]
[('rank', 4.0)]
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import Article, ValueMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure found by :func:`figures`: offsets into the text, kind, value and unit."""

    start: int
    end: int
    kind: str  # number | money | percent | rank | count | year
    value: float
    unit: str | None = None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    raw = resources.files("rashomon").joinpath("data/quantities.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def _alt(words: list[str]) -> str:
    """A regex alternation, longest first so "per cent" wins over "per"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = _lexicon()
    cardinal_words = [w for w in lex["cardinals"] if w not in {"half"}]
    scale = _alt(list(lex["scales"]))
    number = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
              rf"|(?:{_alt(cardinal_words)})(?:[- ](?:{_alt(cardinal_words)}))?(?![\w-]))")
    symbols = _alt(list(lex["currency"]["symbols"]))
    cur_words = _alt(list(lex["currency"]["words"]))
    ordinal = rf"(?:{_alt(list(lex['ordinals']))}|\d+(?:st|nd|rd|th))"
    superl = _alt(lex["rank"]["superlatives"])
    percent = _alt(lex["percent"]["words"])
    # what a figure can begin with: a digit, a currency symbol, a number or ordinal word. Looked ahead for
    # first, so the scanner skips every other position at once instead of trying each alternative's words
    # there (figures of 1,809 corpus texts: 5.5 -> 2.3 s); the same flags, so the same characters match
    first = "".join(sorted({w[0] for w in [*lex["currency"]["symbols"], *cardinal_words, *lex["ordinals"]]}))
    # one combined scanner: the first alternative that matches at a position wins
    scanner = re.compile(
        rf"(?=[\d{re.escape(first)}])"
        rf"(?:(?P<money>(?P<sym>{symbols})\s?(?P<mnum>{number})(?:(?:\s*|-)(?P<mscale>{scale})\b)?"
        rf"|\b(?P<wnum>{number})(?:\s*(?P<wscale>{scale}))?\s+(?P<cur>{cur_words})\b)"
        rf"|(?P<pct>\b(?P<pnum>{number})\s*(?P<pword>{percent})(?!\w))"
        rf"|(?P<rank>\b(?P<ord>{ordinal})(?:[- ](?:and[- ])?)(?P<sup>{superl})\b)"
        rf"|(?P<num>\b(?P<nnum>{number})(?:\s*(?P<nscale>{scale})\b|(?![\dA-Za-z])(?![.,]\d))))",
        re.IGNORECASE,
    )
    return {"scanner": scanner}


def parse_number(text: str) -> float | None:
    """The value of a written number: digits with separators, number words, "forty-five".

    >>> parse_number("60,000"), parse_number("forty-five"), parse_number("1.2"), parse_number("three")
    (60000.0, 45.0, 1.2, 3.0)
    """
    t = text.strip().lower().replace(",", "")
    try:
        value = float(t)
    except ValueError:
        pass
    else:  # "inf", "nan" or 400 digits: no figure anyone reported (and JSON has no such number)
        return value if math.isfinite(value) else None
    words = _lexicon()["cardinals"]
    total = 0.0
    for part in re.split(r"[- ]+", t):
        if part not in words:
            return None
        total += float(words[part])
    return total


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    return float(_lexicon()["scales"].get(word.lower(), 1.0))


def _ordinal(text: str) -> float | None:
    t = text.lower()
    m = re.match(r"(\d+)(st|nd|rd|th)$", t)
    if m:
        return float(m.group(1))
    value = _lexicon()["ordinals"].get(t)
    return float(value) if value is not None else None


def _currency(symbol: str | None, word: str | None) -> str | None:
    cur = _lexicon()["currency"]
    if symbol:
        return str(cur["symbols"].get(symbol, cur["symbols"].get(symbol.upper(), symbol)))
    if word:
        return str(cur["words"].get(word.lower(), word.lower()))
    return None


def figures(text: str, language: str | None = None) -> list[Figure]:
    """Every figure in ``text`` (no parse needed), in order; ``count`` needs the parse, so bare numbers
    come back as ``number`` (or ``year`` for 1800-2100 written as four digits). French text
    (``language="fr"``) is read by its own conventions (:func:`figures_fr`)."""
    if language == "fr":
        return figures_fr(text)
    out: list[Figure] = []
    for m in _patterns()["scanner"].finditer(text):
        g = m.groupdict()
        if g["money"]:
            num = parse_number(g["mnum"] or g["wnum"] or "")
            if num is None:
                continue
            # a lone "m"/"k" after a currency figure is a scale; after a bare number it is usually a unit
            value = num * _scale(g["mscale"] or g["wscale"])
            if math.isfinite(value):  # a 300-digit figure times "billion" overflows
                out.append(Figure(m.start(), m.end(), "money", value, _currency(g["sym"], g["cur"])))
        elif g["pct"]:
            num = parse_number(g["pnum"])
            if num is not None:  # "4.1 percentage points" measures a change, not a share: "point"
                point = "point" if g["pword"].lower().startswith("percentage point") else None
                out.append(Figure(m.start(), m.end(), "percent", num, point))
        elif g["rank"]:
            num = _ordinal(g["ord"])
            if num is not None:
                out.append(Figure(m.start(), m.end(), "rank", num))
        elif g["num"]:
            raw = g["nnum"]
            num = parse_number(raw)
            scale_word = g["nscale"]
            if num is None or (raw.lower() == "one" and not scale_word):
                continue  # "one of", "no one": a pronoun far more often than a figure
            if scale_word and scale_word.lower() in {"m", "k"} and not raw[-1].isdigit():
                scale_word = None
            start, end = m.start(), m.end() if scale_word else m.start() + len(raw)
            value = num * _scale(scale_word)
            if not math.isfinite(value):
                continue
            is_year = re.fullmatch(r"\d{4}", raw) is not None and 1800 <= value <= 2100 and not scale_word
            out.append(Figure(start, end, "year" if is_year else "number", value))
    return out


@lru_cache(maxsize=1)
def _lexicon_fr() -> dict[str, Any]:
    raw = resources.files("rashomon").joinpath("data/quantities_fr.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@lru_cache(maxsize=1)
def _scanner_fr() -> re.Pattern[str]:
    lex = _lexicon_fr()
    number = (r"(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d])(?:,\d+)?|\d+(?:,\d+)?"
              rf"|(?<![\w-])(?i:{_alt(list(lex['cardinals']))})(?![\w-]))")
    scale = _alt(list(lex["scales"]))
    currency = _alt(list(lex["currency"]["words"]))
    percent = _alt(lex["percent"]["words"])
    return re.compile(
        rf"(?<![\w,.])(?P<num>{number})(?:[ \u00a0\u202f]?(?P<scale>{scale})(?![\w]))?"
        rf"(?:(?P<pct>[ \u00a0\u202f]?(?:{percent})(?![\w]))"
        rf"|[ \u00a0\u202f]?(?:(?:de|d['’])[ \u00a0\u202f]?)?(?P<cur>{currency})(?![\w]))?")


def _number_fr(text: str) -> float | None:
    t = re.sub(r"[ \u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "")
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        value = _lexicon_fr()["cardinals"].get(text.lower())
        return float(value) if value is not None else None


def figures_fr(text: str) -> list[Figure]:
    """Figures of French text: decimal comma, thousands by spaces or dots, the scale and currency after
    the figure ("1,2 milliard d'euros", "40 milliards de dollars", "70 %"), normalised as :func:`figures`
    normalises English ones.

    >>> [(f.kind, f.value, f.unit) for f in figures_fr("Le port coûtera 1,2 milliard d'euros, soit 70 % du "
    ...                                                 "budget, pour 12 000 emplois et 40 M€ en 2027.")]
    [('money', 1200000000.0, 'EUR'), ('percent', 70.0, None), ('number', 12000.0, None), ('money', 40000000.0, 'EUR'), ('year', 2027.0, None)]
    """
    lex = _lexicon_fr()
    out: list[Figure] = []
    for m in _scanner_fr().finditer(text):
        num = _number_fr(m["num"])
        if num is None:
            continue
        scale_word = m["scale"]
        if scale_word in ("M", "Md", "Mds", "Mrd") and not m["cur"]:
            scale_word = None  # "40 M" without a currency: a unit, not a scale
        value = num * float(lex["scales"].get(scale_word, 1.0)) if scale_word else num
        end = m.end() if (m["cur"] or m["pct"]) else m.end("scale") if scale_word else m.end("num")
        if m["pct"]:
            out.append(Figure(m.start(), end, "percent", value))
        elif m["cur"]:
            unit = lex["currency"]["words"].get(m["cur"].lower(), lex["currency"]["words"].get(m["cur"]))
            out.append(Figure(m.start(), end, "money", value, unit))
        else:
            is_year = re.fullmatch(r"\d{4}", m["num"]) is not None and 1800 <= value <= 2100 and not scale_word
            out.append(Figure(m.start(), end, "year" if is_year else "number", value))
    return out


def same_value(a: float | None, b: float | None, tolerance: float = 0.005) -> bool:
    """Two figures are the same value when they agree within ``tolerance`` (rounding in reports).

    >>> same_value(1.2e9, 1_200_000_000), same_value(1.2e9, 1.4e9)
    (True, False)
    """
    if a is None or b is None:
        return False
    if a == b:
        return True
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


_NOTABLE = {"money", "percent", "rank"}
_DOLLARS = {"$", "USD", "CAD", "AUD", "NZD", "HKD", "SGD"}


def notable(values: Sequence[ValueMention]) -> tuple[ValueMention, ...]:
    """The figures worth checking: amounts, percentages, rankings and counts of ten or more (not years)."""
    return tuple(v for v in values
                 if v.kind in _NOTABLE or (v.kind in {"count", "number"} and (v.value or 0) >= 10))


def comparable(a: ValueMention, b: ValueMention) -> bool:
    """Two figures measure the same kind of thing, so equal values agree and different values conflict.

    >>> m = lambda kind, value, unit: ValueMention("", 0, 0, 0, kind, value, unit)
    >>> comparable(m("rank", 4, "economy"), m("rank", 4, "investor")), comparable(m("percent", 70, None), m("percent", 15, None))
    (False, True)
    >>> comparable(m("percent", 42, None), m("percent", 4.1, "point"))
    False
    """
    if a.kind != b.kind and {a.kind, b.kind} != {"count", "number"}:
        return False
    if a.unit == b.unit:
        return True
    if a.kind == "percent":  # a share and a change in percentage points ("42%", "4.1 percentage points")
        return False
    if a.kind == "money":  # "$40 billion" may be the same dollars as "C$40 billion"
        return "$" in {a.unit, b.unit} and {a.unit, b.unit} <= _DOLLARS
    if a.kind == "rank":
        return a.unit is None or b.unit is None
    # a large count rarely coincides by chance: "60,000 troops" and "60,000 military personnel" agree
    return min(a.value or 0, b.value or 0) >= 1000


def bounded(text_before: str) -> bool:
    """The words right before a figure only bound it ("at least", "more than", "between"), so it is no
    point value to compare.

    >>> bounded("hit at least "), bounded("some "), bounded("a deal worth between $140 million and ")
    (True, False, True)
    """
    words = _lexicon()["hedges"]["bound"]
    tail = " " + " ".join(text_before.lower().replace("$", " ").split()[-4:])
    # "between X and Y": the second figure is bounded as much as the first
    return any(tail.endswith(" " + w) for w in words) or bool(re.search(r"\bbetween\b[^,;]*\band$", tail))


# ------------------------------------------------------------------------------------ map stage

_NOUN_POS = {"NOUN", "PROPN"}


def _counted_noun(doc: Doc, start: int, end: int) -> Token | None:
    """The noun a figure counts or ranks: "60,000 [troops]", "fourth-largest [economy]", "[share] of 70%"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    last = span[-1]
    head = last.head
    if head.pos_ in _NOUN_POS and head.i >= span.end:
        return head
    for tok in doc[span.end: min(span.end + 4, len(doc))]:
        if tok.is_punct or tok.pos_ in {"VERB", "AUX", "ADP", "CCONJ", "SCONJ"}:
            break
        if tok.pos_ in _NOUN_POS:
            # "60,000 US military personnel": walk to the last noun of the compound
            while tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in _NOUN_POS and doc[tok.i + 1].dep_ in {"compound", "ROOT", "dobj", "pobj", "nsubj", "attr", "appos"} and tok.head.i == tok.i + 1:
                tok = doc[tok.i + 1]
            return tok
    return None


def find_values(doc: Doc, article: Article) -> tuple[ValueMention, ...]:
    """Numbers, amounts, percentages, ranks and counts of one article, normalised, with the noun they
    count or rank as ``unit`` ("troop", "economy"); money keeps its currency, percentages have no unit
    (percentage points have "point").

    >>> from rashomon.text import nlp
    >>> from rashomon.model import Article
    >>> text = "Orvia is the world's third-largest exporter and hosts 12,000 soldiers."
    >>> [(v.kind, v.value, v.unit) for v in find_values(nlp.load()(text), Article(id="a", input="-", text=text))]
    [('rank', 3.0, 'exporter'), ('count', 12000.0, 'soldier')]
    """
    if not len(doc):
        return ()
    sent_starts = [s.start_char for s in doc.sents]
    skip = _date_spans(doc)
    out: list[ValueMention] = []
    text = doc.text  # Doc.text joins every token on each access: read it once, not once per figure
    for f in figures(text, article.language):
        if any(s <= f.start < e for s, e in skip) and f.kind in {"number", "year"}:
            continue  # "March 19", "2026": dates belong to the time stage
        kind, unit = f.kind, f.unit
        if kind in {"number", "rank"}:
            noun = _counted_noun(doc, f.start, f.end)
            if noun is not None:
                unit = noun.lemma_.lower()
                if kind == "number":
                    kind = "count"
        sentence = _index(sent_starts, f.start)
        out.append(ValueMention(text=text[f.start:f.end], start=f.start, end=f.end, sentence=sentence,
                                kind=kind, value=f.value, unit=unit))
    return tuple(out)


def _date_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ in {"DATE", "TIME"}]


def _index(starts: list[int], offset: int) -> int:
    lo = 0
    for i, s in enumerate(starts):
        if s <= offset:
            lo = i
        else:
            break
    return lo
