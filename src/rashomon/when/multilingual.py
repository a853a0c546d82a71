"""Temporal expressions in languages other than English (map stage): French from its own lexicon and parse,
every other language by its ISO dates only.

French patterns come from ``data/time_lexicon_fr.toml`` and give the same rules as the English ones
(:mod:`rashomon.when.timecalc`: ``md:3:6``, ``wd:4:last``, ``unit:year:-1``, ``ago:year:-2`` ...), so they
resolve with the same calendar arithmetic and the same tense rules: the tense comes from the French parse
(the verb's morphology, its auxiliaries — "a rencontré" is past, "va rencontrer" and "rencontrera"
future — and the verb it depends on).

A language without a pipeline gets only what needs no grammar and cannot be misread: ISO dates
("2026-03-06"). Its "Freitag" or "el viernes" is left alone rather than guessed.

>>> [(c.text, c.rule) for c in scan_fr("Il est arrivé vendredi 6 mars et repartira l'an prochain, "
...                                    "il y a deux ans déjà, puis le lendemain.")]
[('vendredi 6 mars', 'md:3:6'), ("l'an prochain", 'unit:year:1'), ('il y a deux ans', 'ago:year:-2'), ('le lendemain', 'ana:day:1')]
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import Article, TimeMention
from .timecalc import resolve
from .timex import Candidate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
_FUTURE_ENDING = re.compile(r"(?:rai|ras|ra|rons|rez|ront)$")


@lru_cache(maxsize=1)
def lexicon_fr() -> dict[str, Any]:
    """The parsed ``data/time_lexicon_fr.toml``."""
    raw = resources.files("rashomon").joinpath("data/time_lexicon_fr.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def _alt(words: Sequence[str]) -> str:
    """A regex alternation, longest first; spaces match any run of whitespace, apostrophes either kind."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        out.append(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]"))
    return "(?:" + "|".join(out) + ")"


def _key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str]], str | None]
    needs_context: bool = False
    tense_free: bool = False


class FrenchGrammar:
    """The French patterns, compiled once (see :func:`grammar_fr`)."""

    def __init__(self, lex: dict[str, Any]) -> None:
        self.months = {_key(k): v for k, v in lex["months"].items()}
        self.weekdays = {_key(k): v for k, v in lex["weekdays"].items()}
        self.numbers = {_key(k): v for k, v in lex["numbers"].items()}
        self.units = {_key(k): tuple(v) for k, v in lex["units"].items()}
        self.back = {_key(w) for w in lex["ago"]["back"]}
        self.relative_days = {_key(k): v for k, v in lex["relative_days"].items()}
        self.periods = {_key(k): tuple(v) for k, v in lex["relative_periods"].items()}
        self.anaphora = {_key(k): tuple(v) for k, v in lex["anaphora"].items()}
        self.modifiers = {_key(k): v for k, v in lex["modifiers"].items()}
        self.month_cues = {_key(w) for w in lex["month_cues"]["before"]}
        self.year_cues = {_key(w) for w in lex["year_cues"]["before"]}
        self.vague = {_key(w) for w in lex["vague_counts"]["words"]}

        month = _alt(list(lex["months"])) + r"(?![\w])"
        wd = _alt(list(lex["weekdays"])) + r"(?![\w])"
        day = r"(?:1er|[12]\d|3[01]|0?[1-9])(?![\d,])"
        year = r"(?:1[89]\d{2}|20\d{2}|21\d{2})(?![\d%])"
        mod = _alt(list(lex["modifiers"]))
        pod = _alt(lex["parts_of_day"]["words"])
        number = rf"(?:\d+|{_alt(list(lex['numbers']))}|{_alt(lex['vague_counts']['words'])})"
        unit = _alt(list(lex["units"]))
        ago = _alt(list(lex["ago"]["back"]) + list(lex["ago"]["forward"]))
        lead = r"(?<![\w-])"

        def p(name: str, pattern: str, build: Callable[[re.Match[str]], str | None], **kw: bool) -> _Pattern:
            return _Pattern(name, re.compile(rf"(?i:{lead}{pattern})"), build, **kw)

        self.patterns = [
            p("iso", r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])", self._iso, tense_free=True),
            p("numeric", r"(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>\d{4})(?![\d/])", self._iso, tense_free=True),
            p("dmy", rf"(?:(?P<wd>{wd})\s+)?(?:(?:le|du|au)\s+)?(?P<day>{day})\s+(?P<mon>{month})"
                     rf"(?:\s+(?P<year>{year}))?", self._md),
            p("month_year", rf"(?P<mon>{month})\s+(?P<year>{year})", self._month_year, tense_free=True),
            p("month_mod", rf"(?P<mon>{month})\s+(?P<mod>{mod})(?![\w])", self._month),
            p("month", rf"(?P<mon>{month})", self._month, needs_context=True),
            p("year", rf"(?P<year>{year})", lambda m: f"abs:{int(m['year']):04d}", needs_context=True,
              tense_free=True),
            p("weekday", rf"(?:ce\s+)?(?P<wd>{wd})(?:\s+(?P<pod>{pod}))?(?:\s+(?P<mod>{mod})(?![\w]))?",
              self._weekday),
            p("relative_day", rf"(?P<rel>{_alt(list(lex['relative_days']))})(?![\w-])",
              lambda m: f"day:{self.relative_days[_key(m['rel'])]}", tense_free=True),
            p("period", rf"(?P<rel>{_alt(list(lex['relative_periods']))})(?![\w-])", self._period),
            p("ago", rf"(?P<dir>{ago})\s+(?:(?:environ|près\s+de|plus\s+de|presque)\s+)?(?P<num>{number})\s+"
                     rf"(?P<unit>{unit})(?![\w])", self._ago, tense_free=True),
            p("anaphora", rf"(?P<ana>{_alt(list(lex['anaphora']))})(?![\w-])",
              lambda m: "ana:{}:{}".format(*self.anaphora[_key(m["ana"])]), tense_free=True),
            p("duration", rf"(?P<num>{number})\s+(?P<unit>{unit})(?![\w])", lambda m: "dur", tense_free=True),
            p("clock", r"(?:[01]?\d|2[0-3])\s?h(?:\s?[0-5]\d)?(?![\w])", lambda m: "clock", tense_free=True),
        ]

    @staticmethod
    def _iso(m: re.Match[str]) -> str | None:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        return f"abs:{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None

    def _md(self, m: re.Match[str]) -> str:
        mo = self.months[_key(m["mon"])]
        d = int(re.sub(r"\D", "", m["day"]))
        if m["year"]:
            return f"abs:{int(m['year']):04d}-{mo:02d}-{d:02d}"
        return f"md:{mo}:{d}"

    def _month_year(self, m: re.Match[str]) -> str:
        return f"abs:{int(m['year']):04d}-{self.months[_key(m['mon'])]:02d}"

    def _month(self, m: re.Match[str]) -> str:
        mode = self.modifiers.get(_key(m["mod"])) if m.groupdict().get("mod") else None
        return f"m:{self.months[_key(m['mon'])]}" + (f":{mode}" if mode else "")

    def _weekday(self, m: re.Match[str]) -> str:
        mode = self.modifiers.get(_key(m["mod"])) if m["mod"] else None
        return f"wd:{self.weekdays[_key(m['wd'])]}" + (f":{mode}" if mode else "")

    def _period(self, m: re.Match[str]) -> str:
        unit, off = self.periods[_key(m["rel"])]
        return f"unit:{unit}:{off}"

    def _ago(self, m: re.Match[str]) -> str:
        num = _key(m["num"])
        if num in self.vague:
            return "vague"
        n = int(num) if num.isdigit() else int(self.numbers[num])
        unit, mult = self.units[_key(m["unit"])]
        sign = -1 if _key(m["dir"]) in self.back else 1
        return f"ago:{unit}:{sign * n * mult}"


@lru_cache(maxsize=1)
def grammar_fr() -> FrenchGrammar:
    """The compiled French patterns (built once per process)."""
    return FrenchGrammar(lexicon_fr())


def scan_fr(text: str) -> list[Candidate]:
    """Every French temporal expression the patterns find, overlaps settled longest-first, in text order;
    a bare month or year counts only after a cue word ("en mars", "depuis 2019")."""
    g = grammar_fr()
    found: list[tuple[int, int, int, Candidate]] = []
    for rank, pat in enumerate(g.patterns):
        for m in pat.regex.finditer(text):
            if m.end() == m.start():
                continue
            if pat.needs_context and not _cued(text, m.start(), g.year_cues if pat.name == "year" else g.month_cues):
                continue
            rule = pat.build(m)
            if rule is None:
                continue
            found.append((m.start(), m.end(), rank, Candidate(m.start(), m.end(), m.group(), rule, pat.name,
                                                              False, pat.tense_free)))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[2], x[0]))
    taken: list[Candidate] = []
    for start, end, _, cand in found:
        if all(end <= c.start or start >= c.end for c in taken):
            taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return taken


def _cued(text: str, start: int, cues: set[str]) -> bool:
    """One to three words before ``start`` are a cue ("en", "d'ici à", "en fin de")."""
    before = _key(text[max(0, start - 30):start]).replace("'", "' ").split()
    for n in (3, 2, 1):
        if len(before) >= n and " ".join(before[-n:]).replace("' ", "'") in cues:
            return True
    return bool(before) and before[-1].endswith("-") and before[-1] in cues


def find_times_fr(doc: Doc, article: Article, sentence_starts: Sequence[int]) -> tuple[TimeMention, ...]:
    """French temporal expressions of one article, resolved against ``article.date`` with the tense of
    their clause from the French parse; durations and clock times are kept with ``value=None``."""
    tense_words = lexicon_fr()["tense"]
    out: list[TimeMention] = []
    reference: str | None = None
    starts = list(sentence_starts)
    for c in scan_fr(article.text):
        tense, exclusive, verb = _clause(doc, c.start, c.end, tense_words)
        rule = c.rule + ("|x" if exclusive and not c.tense_free and tense in (None, "past") else "")
        value = resolve(rule, article.date, tense, reference)
        if value is not None:
            reference = value
        out.append(TimeMention(expression=c.text, start=c.start, end=c.end,
                               sentence=max(0, bisect.bisect_right(starts, c.start) - 1),
                               value=value, rule=rule, tense=tense, verb=verb))
    return tuple(out)


def iso_times(article: Article, sentence_starts: Sequence[int]) -> tuple[TimeMention, ...]:
    """The ISO dates of a text in any language (no parse): the only dates read from a language rashomon
    does not analyse.

    >>> from rashomon.model import Article
    >>> [(t.expression, t.value) for t in iso_times(Article(id="d", input="-", text="Am 2026-03-06 und Freitag."), [0])]
    [('2026-03-06', '2026-03-06')]
    """
    out = []
    for m in _ISO.finditer(article.text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        value = f"{y:04d}-{mo:02d}-{d:02d}"
        out.append(TimeMention(expression=m.group(), start=m.start(), end=m.end(),
                               sentence=max(0, bisect.bisect_right(list(sentence_starts), m.start()) - 1),
                               value=value, rule=f"abs:{value}"))
    return tuple(out)


def _clause(doc: Doc, start: int, end: int, words: dict[str, Any]) -> tuple[str | None, bool, str | None]:
    """(tense, strictly-before, verb lemma) of the French clause an expression belongs to."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, False, None
    tok = span.root
    path = []
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        path.append(tok)
        tok = tok.head
    marks = set(words["before_marks"])
    exclusive = any(t.lower_ in marks for p in path for t in p.children if t.dep_ in ("case", "mark"))
    exclusive = exclusive or any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children)
    if tok.pos_ not in ("VERB", "AUX"):
        return None, exclusive, None
    return _tense(tok, words, 0), exclusive, tok.lemma_.lower()


def _tense(v: Token, words: dict[str, Any], depth: int) -> str | None:
    """past | present | future of a French verb: its own morphology and auxiliaries ("a rencontré",
    "rencontrera", "va rencontrer"), the verb its infinitive depends on ("doit se rendre")."""
    auxes = [c for c in v.children if c.dep_.startswith("aux")]
    if any(a.lemma_ == "aller" and a.i < v.i for a in auxes) or any(_future(a) for a in auxes):
        return "future"
    if _future(v):
        return "future"
    form = _morph(v, "VerbForm")
    if "Inf" in form:
        head = v.head
        if head.i != v.i and (head.lemma_.lower() in words["future_heads"]):
            return "future"
        if head.i != v.i and depth < 3 and head.pos_ in ("VERB", "AUX"):
            return _tense(head, words, depth + 1)
        return None
    if "Part" in form and any(a.lemma_ in words["perfect_aux"] for a in auxes):
        return "past"
    if "Part" in form and "Past" in _morph(v, "Tense"):
        return "past"
    tense = _morph(v, "Tense")
    if "Past" in tense or "Imp" in tense:
        return "past"
    if "Pres" in tense:
        return "present"
    return None


def _morph(t: Token, field: str) -> list[str]:
    """The values of one morphological feature of a token ("Tense" -> ["Fut"])."""
    value = t.morph.to_dict().get(field, "")
    return value.split(",") if value else []


def _future(t: Token) -> bool:
    """A finite verb in the future or conditional (the small model sometimes tags "céderons" as
    imperfect: the ending says future)."""
    if "Fut" in _morph(t, "Tense") or "Cnd" in _morph(t, "Mood"):
        return True
    return "Fin" in _morph(t, "VerbForm") and "Imp" not in _morph(t, "Mood") and \
        bool(_FUTURE_ENDING.search(t.lower_)) and not t.lower_.endswith(("rait", "raient"))
