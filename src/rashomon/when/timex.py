"""Temporal expressions found in plain text (map stage, for :mod:`rashomon.when.times`) by patterns compiled once from ``data/time_lexicon.toml``.

This module only reads characters: it says where an expression is and which rule (see
:mod:`rashomon.when.timecalc`) its words give, leaving out what needs the sentence (the tense, whether a bare
"May" or "1990" is a date). :mod:`rashomon.when.times` adds that from the spaCy parse.

>>> [(c.text, c.rule) for c in scan("He met her on Friday (Mar 6), not last Friday, and left two years ago.")]
[('Friday (Mar 6)', 'md:3:6'), ('last Friday', 'wd:4:last'), ('two years ago', 'ago:year:-2')]
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Candidate:
    """One expression found by a pattern, before the sentence is consulted."""

    start: int
    end: int
    text: str
    rule: str
    kind: str  # the pattern's name
    needs_context: bool = False  # a bare month or year: a date only after a cue word or inside a parsed date
    tense_free: bool = False  # the rule's value does not depend on the clause's tense


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The parsed time lexicon (``data/time_lexicon.toml``)."""
    text = resources.files("rashomon").joinpath("data/time_lexicon.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _norm(text: str) -> str:
    """Lower case, single spaces: the key of a lexicon phrase."""
    return " ".join(text.lower().split())


def _alt(words: Iterable[str], flexible_space: bool = True) -> str:
    """A regex alternation of phrases, longest first; spaces match any run of whitespace."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        pat = re.escape(w)
        if flexible_space:
            pat = pat.replace(r"\ ", r"\s+")
        out.append(pat)
    return "(?:" + "|".join(out) + ")"


def _month_alt(months: dict[str, int]) -> str:
    names = []
    for name in sorted(months, key=len, reverse=True):
        dot = r"\.?" if len(name) <= 4 and name not in {"May", "June", "July"} else ""
        names.append(re.escape(name) + dot)
        names.append(re.escape(name.upper()) + dot)
    return "(?:" + "|".join(names) + r")(?![\w])"


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str]], str | None]
    needs_context: Callable[[re.Match[str]], bool] = lambda m: False
    tense_free: bool = False
    triggers: frozenset[str] = frozenset()


class Grammar:
    """All patterns, compiled once (see :func:`grammar`)."""

    def __init__(self, lex: dict[str, Any]) -> None:
        self.months = {k.lower(): v for k, v in lex["months"].items()}
        self.weekdays = {k.lower(): v for k, v in lex["weekdays"].items()}
        self.numbers = dict(lex["numbers"])
        self.units = {k: tuple(v) for k, v in lex["units"].items()}
        self.relative_days = dict(lex["relative_days"])
        self.relative_units = dict(lex["relative_units"])
        self.month_modifiers = dict(lex["month_modifiers"])
        self.weekday_modifiers = dict(lex["weekday_modifiers"])
        self.anaphora = {k: tuple(v) for k, v in lex["anaphora"].items()}
        self.holidays = dict(lex["holidays"])
        self.year_cues = set(lex["year_cues"]["before"])
        self.part_words = set(lex["part_modifiers"]["words"])
        self.parts_of_day = set(lex["parts_of_day"]["words"])

        month = _month_alt(lex["months"])
        wd = "(?:" + "|".join(f"{w}|{w.upper()}" for w in lex["weekdays"]) + r")(?![\w])"
        day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:,]\d)(?!\w)"
        year = r"(?<![\d,.$€£])(?:(?<!-)|(?<=[12]\d{3}-)|(?<=[A-Za-z]-))(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})(?![\d%]|s\b|\s*(?:%|per\s*cent|percent))"
        num_words = list(self.numbers)
        tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
        ones = "one|two|three|four|five|six|seven|eight|nine"
        number = rf"(?:\d+(?:\.\d+)?|(?:{tens})-(?:{ones})|{_alt(num_words)}|{_alt(lex['vague_counts']['words'])})"
        hedge = _alt(lex["hedges"]["words"])
        teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        # "nineteen ninety-six", "twenty twenty-six", "two thousand (and) three", "the year two thousand"
        spelled = (rf"(?:(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
                   rf"[\s-]+(?:hundred|(?:(?:{tens})(?:-(?:{ones}))?)|{teens}|oh[\s-]+(?:{ones}))"
                   rf"|two\s+thousand(?:\s+(?:and\s+)?(?:(?:{tens})(?:-(?:{ones}))?|{teens}|{ones}))?)")
        unit = r"(?:day|week|fortnight|month|year|decade)s?"
        pod = _alt(self.parts_of_day)
        part = _alt(self.part_words - {"by", "until", "through", "since", "before", "after", "around", "about"})
        mmod = _alt(self.month_modifiers)
        wmod = _alt(self.weekday_modifiers)
        rel_units = _alt(self.relative_units)
        anaphora = _alt(self.anaphora)
        holidays = _alt(list(self.holidays), flexible_space=True)
        self.hedge_re = re.compile(rf"(?i)^{hedge}\s+")
        # every pattern holds one of these words; patterns run only near their own trigger words, which
        # keeps the cost of scanning off plain prose
        self.word_class: dict[str, set[str]] = defaultdict(set)

        def trig(kind: str, words: Iterable[str], cased: bool = False) -> None:
            for w in words:
                forms = (w, w.upper()) if cased else (w, w.capitalize(), w.upper())
                for f in forms:
                    self.word_class[f].add(kind)

        trig("month", lex["months"], cased=True)
        trig("weekday", lex["weekdays"], cased=True)
        trig("holiday", {w.replace("'s", "") for name in self.holidays for w in name.split()}, cased=True)
        for kind, words in lex["triggers"].items():
            trig(kind, words)
        self.word_class = dict(self.word_class)
        self.words_re = re.compile(r"[A-Za-z]+|\d+")

        def grp(name: str, pat: str) -> str:
            return f"(?P<{name}>{pat})"

        def wb(pat: str) -> str:  # word-bounded
            return rf"(?<![\w-]){pat}(?![\w])"

        self.patterns: list[_Pattern] = [
            _Pattern("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])"),
                     self._iso, tense_free=True),
            _Pattern("slash", re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?![\d/])"),
                     self._slash, tense_free=True),
            _Pattern("wd_paren", re.compile(
                rf"{grp('wd', wd)}\s*\(\s*(?:{grp('mon', month)}\s+{grp('day', day)}|{grp('day2', day)}\s+"
                rf"{grp('mon2', month)})(?:,?\s+{grp('year', year)})?\s*\)"), self._md),
            _Pattern("mdy", re.compile(
                rf"(?:{grp('wd', wd)}(?:,\s*|\s+)(?:the\s+)?)?(?:(?i:{grp('mod', mmod)})\s+)?"
                rf"{grp('mon', month)}\s+{grp('day', day)}"
                rf"(?:(?:,\s*|\s+){grp('year', year)})?"), self._md),
            _Pattern("dmy", re.compile(
                rf"(?:{grp('wd', wd)},?\s+)?(?:(?i:the)\s+)?(?<![\d.,]){grp('day', day)}\s+(?:of\s+)?"
                rf"{grp('mon', month)}(?:,?\s+{grp('year', year)})?"), self._md),
            _Pattern("month_year", re.compile(
                rf"(?:(?<![\w-])(?i:{part})[\s-]+)?{grp('mon', month)}(?:,\s*|\s+)(?:of\s+)?{grp('year', year)}"),
                self._month_year, tense_free=True),
            _Pattern("month_rel_year", re.compile(
                rf"(?:(?<![\w-])(?i:{part})[\s-]+)?{grp('mon', month)},?\s+(?:of\s+)?(?i:{grp('rel', rel_units)})\s+(?i:year)\b"),
                self._month_rel_year, tense_free=True),
            _Pattern("month", re.compile(
                rf"(?:(?<![\w-]){grp('part', '(?i:' + part + ')')}[\s-]+)?(?:{grp('mod', '(?i:' + mmod + ')')}\s+)?"
                rf"{grp('mon', month)}"), self._month,
                needs_context=lambda m: not (m.group("part") or m.group("mod"))),
            _Pattern("year", re.compile(  # the modifier a word of its own: "nearly 1000" is no "early 1000"
                rf"(?:(?<![\w-]){grp('part', '(?i:' + part + '|fiscal|FY)')}[\s-]+)?{grp('year', year)}"),
                self._year, needs_context=lambda m: not m.group("part"), tense_free=True),
            # "Friday next week", "Monday of last week", "next week on Friday": a day, not the week's month
            _Pattern("weekday_week", re.compile(
                rf"{grp('wd', wd)}\s+(?:(?i:of)\s+)?(?i:{grp('rel', rel_units)})\s+(?i:week)(?![\w-])"
                rf"|(?i:{grp('rel2', rel_units)})\s+(?i:week)(?:['’]s)?,?\s+(?:(?i:on)\s+)?{grp('wd2', wd)}"),
                self._weekday_week),
            _Pattern("weekday", re.compile(
                rf"(?:(?i:{grp('mod', wmod)})\s+)?(?:(?i:early|late|earlier|later)\s+(?:(?i:on)\s+)?)?"
                rf"{grp('wd', wd)}(?:['’]s)?(?:\s+(?i:{pod}))?"), self._weekday),
            _Pattern("relative_day", re.compile(
                rf"(?i:(?:(?:earlier|later|late|early)\s+)?{wb(grp('rel', _alt(self.relative_days)))}"
                rf"(?:['’]s)?(?:\s+{pod})?(?![\w]))"), self._relative_day, tense_free=True),
            _Pattern("relative_unit", re.compile(
                rf"(?i:(?<![\w-])(?:{grp('part', part)}[\s-]+(?:in\s+)?)?{grp('rel', rel_units)}\s+"
                rf"(?:fiscal\s+)?{grp('unit', 'week|weekend|month|year|spring|summer|fall|autumn|winter')}(?![\w-]))"),
                self._relative_unit),
            _Pattern("the_weekend", re.compile(r"(?i:(?<=\bover\s)|(?<=\bon\s)|(?<=\bat\s)|(?<=\bduring\s))"
                                               r"(?i:the\s+weekend)(?![\w])"),
                     lambda m: "unit:weekend:0"),
            # "the year", "the full year", "the fiscal year": in a report, the year it is written in
            _Pattern("the_year", re.compile(
                r"(?i:(?<![\w-])(?:(?:earlier|later)\s+in\s+)?the\s+(?:full\s+|fiscal\s+|calendar\s+|current\s+"
                r"(?:fiscal\s+)?)?year(?![\w-]|['’]s|\s+(?:\d|before|after|ago|earlier|later|or|and)))"),
                lambda m: "unit:year:0", tense_free=True),
            _Pattern("year_end", re.compile(
                r"(?i:(?<![\w-])(?:year[- ]end|year['’]s\s+end|(?:the\s+)?end\s+of\s+the\s+year)(?![\w-]))"),
                lambda m: "unit:year:0", tense_free=True),
            _Pattern("ago", re.compile(
                rf"(?i:(?<![\w-])(?:{hedge}\s+)?{grp('num', number)}[\s-]+{grp('unit', unit)}(?:\s+or\s+so)?"
                r"\s+(?P<dir>ago|earlier|later|from\s+now|hence|previously)(?![\w]))"),
                self._ago, tense_free=True),
            _Pattern("year_ago", re.compile(r"(?i:(?<![\w-])year-(?:ago|earlier)(?![\w-]))"),
                     lambda m: "ago:year:-1", tense_free=True),
            _Pattern("spelled_year", re.compile(
                rf"(?i:(?<![\w-])(?:the\s+year\s+)?{grp('sy', spelled)}(?![\w-]))"), self._spelled_year,
                needs_context=lambda m: not m.group(0).lower().startswith("the"), tense_free=True),
            _Pattern("day_of_month", re.compile(rf"(?i:(?<![\w])the)\s+{grp('day', day)}(?=\s*[,.;)]|\s+(?:of\s+this|of\s+the|of\s+last|of\s+next)\s+month)"),
                     self._day_of_month),
            _Pattern("holiday", re.compile(rf"(?:(?i:{grp('mod', mmod)})\s+)?{grp('hol', holidays)}(?![\w])"),
                     self._holiday),
            _Pattern("anaphora", re.compile(rf"(?i:(?<![\w-]){grp('ana', anaphora)}(?![\w-]))"), self._anaphora,
                     tense_free=True),
            _Pattern("clock", re.compile(
                r"(?i:(?<![\w:.])(?:\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am(?![\w])|pm(?![\w]))|\d{1,2}:\d{2}(?![\d:])"
                r"|noon|midnight)(?:\s*\(?\s*\d{4}\s*(?:GMT|UTC)\s*\)?)?)"),
                lambda m: "clock", tense_free=True),
            _Pattern("duration", re.compile(
                rf"(?i:(?<![\w-])(?:{hedge}\s+)?{number}[\s-]+(?:{unit}|(?:second|minute|hour|century|centuries)s?)"
                rf"(?:[\s-]long)?(?![\w-]|\s+old|-old))"), lambda m: "dur", tense_free=True),
        ]
        self.patterns = [dataclasses.replace(p, triggers=_TRIGGERS[p.name]) for p in self.patterns]

    # --- builders: match -> rule -------------------------------------------------------------------

    def _num(self, text: str) -> int | None:
        t = self.hedge_re.sub("", text.lower()).strip()
        t = re.sub(r"\s+", " ", t)
        if t.replace(".", "", 1).isdigit():
            return int(float(t))
        if t in self.numbers:
            return int(self.numbers[t])
        if "-" in t:
            a, _, b = t.partition("-")
            if a in self.numbers and b in self.numbers:
                return int(self.numbers[a]) + int(self.numbers[b])
        return None

    def month_of(self, text: str) -> int:
        return int(self.months[text.lower().rstrip(".")])

    @staticmethod
    def _iso(m: re.Match[str]) -> str | None:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        return f"abs:{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None

    @staticmethod
    def _slash(m: re.Match[str]) -> str | None:
        a, b, y = int(m["m"]), int(m["d"]), int(m["y"])
        mo, d = (a, b) if a <= 12 else (b, a)  # English news writes month first; 25/12 can only be day first
        return f"abs:{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None

    def _md(self, m: re.Match[str]) -> str | None:
        mon = m.groupdict().get("mon") or m.groupdict().get("mon2")
        day_text = m.groupdict().get("day") or m.groupdict().get("day2")
        if not mon or not day_text:
            return None
        mo, d = self.month_of(mon), int(re.sub(r"\D", "", day_text))
        if m.groupdict().get("year"):
            return f"abs:{int(m['year']):04d}-{mo:02d}-{d:02d}"
        mod = m.groupdict().get("mod")
        mode = self.month_modifiers.get(_norm(mod)) if mod else None
        return f"md:{mo}:{d}" + (f":{mode}" if mode else "")

    def _month_year(self, m: re.Match[str]) -> str:
        return f"abs:{int(m['year']):04d}-{self.month_of(m['mon']):02d}"

    def _month_rel_year(self, m: re.Match[str]) -> str:
        off = self.relative_units[_norm(m["rel"])]
        return f"my:{self.month_of(m['mon'])}:{off}"

    def _month(self, m: re.Match[str]) -> str:
        mode = self.month_modifiers.get(_norm(m["mod"])) if m["mod"] else None
        return f"m:{self.month_of(m['mon'])}" + (f":{mode}" if mode else "")

    @staticmethod
    def _year(m: re.Match[str]) -> str | None:
        if m["year"].endswith("0") and _DECADE_BEFORE.search(m.string, max(0, m.start() - 16), m.start()) and (
                m.string[m.end():m.end() + 2] in ("'s", "’s")):
            return None  # "the 1940's", "the mid 1930's": a decade, no year ("2010's midterms" is one)
        return f"abs:{int(m['year']):04d}"

    def _weekday(self, m: re.Match[str]) -> str:
        mode = self.weekday_modifiers.get(_norm(m["mod"])) if m["mod"] else None
        return f"wd:{self.weekdays[m['wd'].lower()]}" + (f":{mode}" if mode else "")

    def _weekday_week(self, m: re.Match[str]) -> str:
        wd = self.weekdays[(m["wd"] or m["wd2"]).lower()]
        return f"wdw:{wd}:{self.relative_units[_norm(m['rel'] or m['rel2'])]}"

    def _relative_day(self, m: re.Match[str]) -> str:
        return f"day:{self.relative_days[_norm(m['rel'])]}"

    def _relative_unit(self, m: re.Match[str]) -> str:
        off = self.relative_units[_norm(m["rel"])]
        part = (m["part"] or "").lower()
        part = "earlier" if part.startswith("earlier") else "later" if part.startswith("later") else ""
        return f"unit:{m['unit'].lower()}:{off}" + (f":{part}" if part else "")

    def _ago(self, m: re.Match[str]) -> str:
        n = self._num(m["num"])
        if n is None:
            return "vague"
        unit_word = m["unit"].lower().rstrip("s")
        unit, mult = self.units[unit_word]
        sign = 1 if m["dir"].lower().split()[0] in {"later", "from", "hence"} else -1
        return f"ago:{unit}:{sign * n * mult}"

    def _spelled_year(self, m: re.Match[str]) -> str | None:
        words = re.split(r"[\s-]+", m["sy"].lower())
        if words[:2] == ["two", "thousand"]:
            rest = [w for w in words[2:] if w != "and"]
            return f"abs:{2000 + sum(int(self.numbers[w]) for w in rest):04d}"
        century = int(self.numbers[words[0]])
        tail = [w for w in words[1:] if w != "oh"]
        if tail == ["hundred"]:
            return f"abs:{century * 100:04d}"
        return f"abs:{century * 100 + sum(int(self.numbers[w]) for w in tail):04d}"

    @staticmethod
    def _day_of_month(m: re.Match[str]) -> str:
        return f"dom:{int(re.sub(r'[^0-9]', '', m['day']))}"

    def _holiday(self, m: re.Match[str]) -> str:
        name = next(k for k in self.holidays if re.fullmatch(re.escape(k).replace(r"\ ", r"\s+"), m["hol"]))
        mode = self.month_modifiers.get(m["mod"].lower()) if m["mod"] else None
        return f"hol:{self.holidays[name]}" + (f":{mode}" if mode else "")

    def _anaphora(self, m: re.Match[str]) -> str:
        unit, n = self.anaphora[_norm(m["ana"])]
        return f"ana:{unit}:{n}"


_DIGIT = frozenset({"digit"})
WINDOW = 45  # characters around a trigger word that a pattern may span

# which trigger words (see Grammar.word_class; "digit" for numbers) each pattern needs near it
_TRIGGERS: dict[str, frozenset[str]] = {name: frozenset(kinds.split()) for name, kinds in {
    "iso": "digit", "slash": "digit", "wd_paren": "weekday", "mdy": "month", "dmy": "month",
    "month_year": "month", "month_rel_year": "month", "month": "month", "year": "digit", "weekday": "weekday",
    "weekday_week": "weekday",
    "relative_day": "relday", "relative_unit": "unit", "the_weekend": "unit", "year_end": "unit", "ago": "unit",
    "the_year": "unit",
    "year_ago": "unit", "spelled_year": "spelled", "day_of_month": "digit", "holiday": "holiday",
    "anaphora": "unit relday", "clock": "digit clock", "duration": "unit",
}.items()}


_DECADE_BEFORE = re.compile(r"(?i)\bthe\s+(?:(?:early|mid|late)[\s-]+)?$")


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The compiled patterns (built once per process)."""
    return Grammar(lexicon())


def scan(text: str) -> list[Candidate]:
    """Every temporal expression the patterns find, overlaps settled longest-first, in text order."""
    g = grammar()
    found: list[tuple[int, int, int, Candidate]] = []
    windows: dict[str, list[list[int]]] = defaultdict(list)
    for w in g.words_re.finditer(text):
        word = w.group()
        kinds = _DIGIT if word[0].isdigit() else g.word_class.get(word)
        if not kinds:
            continue
        lo, hi = max(0, w.start() - WINDOW), min(len(text), w.end() + WINDOW)
        for kind in kinds:
            spans = windows[kind]
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
    for rank, p in enumerate(g.patterns):
        spans = sorted(s for k in p.triggers for s in windows.get(k, ()))
        merged: list[list[int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for m in (m for lo, hi in merged for m in p.regex.finditer(text, lo, hi)):
            if m.end() == m.start():
                continue
            rule = p.build(m)
            if rule is None:
                continue
            start, end = m.span()
            # trailing sentence dots belong to the sentence, not to "Feb. 4."
            while end > start and text[end - 1] in " \t\n":
                end -= 1
            found.append((start, end, rank, Candidate(start, end, text[start:end], rule, p.name,
                                                      p.needs_context(m), p.tense_free)))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[2], x[0]))
    taken: list[Candidate] = []
    for start, end, _, cand in found:
        if all(end <= c.start or start >= c.end for c in taken):
            taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return taken
