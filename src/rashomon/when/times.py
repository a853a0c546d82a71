"""Temporal expressions in one article, resolved against its date (map stage). The corpus stage (inferred
article dates, the merged timeline) is :mod:`rashomon.when.timeline`.

The words of an expression give a rule (:mod:`rashomon.when.timex`); the sentence gives the tense that picks
the direction ("met on Saturday" looks back, "is set to return on Saturday" forward) and whether the
clause lies strictly before the article's day ("came after they began bombarding on Saturday");
:mod:`rashomon.when.timecalc` turns rule + tense + anchor into a date.

>>> from rashomon.text import nlp
>>> from rashomon.model import Article
>>> text = "Ms Varga met the envoy on Friday and will return to Kestrel on Saturday."
>>> art = Article(id="a1", input="-", text=text, date="2026-03-06")
>>> [(t.expression, t.value) for t in find_times(nlp.load()(text), art)]
[('on Friday', '2026-03-06'), ('on Saturday', '2026-03-07')]
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Article, TimeMention
from .timecalc import resolve
from .timex import Candidate, lexicon, scan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PREPOSITIONS = {"on", "in"}  # kept with the expression as written: "on Friday", "in November"
_KEEP_PREPOSITION = {"weekday", "weekday_week", "wd_paren", "mdy", "dmy", "month", "month_year", "month_rel_year", "year",
                     "holiday", "iso", "slash"}
_UNIT_WORDS = re.compile(r"(?i)\b(?:second|minute|hour|day|week|fortnight|month|year|decade|centur)")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    lex = lexicon()
    tense = lex["tense"]
    modifiers = set(lex["part_modifiers"]["words"]) | set(lex["parts_of_day"]["words"])
    modifiers |= {"the", "of", "on", "in", "at", "'s", "’s", "-", "this", "that", ",", "(", ")"}
    return {
        "future_aux": frozenset(tense["future_aux"]),
        "future_heads": frozenset(tense["future_heads"]),
        "schedule_heads": frozenset(tense["schedule_heads"]),
        "perfect_aux": frozenset(tense["perfect_aux"]),
        "before_marks": frozenset(tense["before_marks"]),
        "onset_verbs": frozenset(tense["onset_verbs"]),
        "cues": frozenset(lex["year_cues"]["before"]),
        "modifiers": frozenset(modifiers),
    }


# ------------------------------------------------------------------------------------------ map stage


def find_times(doc: Doc, article: Article) -> tuple[TimeMention, ...]:
    """Temporal expressions of one article, resolved against ``article.date`` where it is known.

    Durations ("two years") and clock times ("10 a.m.") are kept with ``value=None`` so that nothing
    downstream mistakes them for dates.
    """
    text = article.text
    words = _words()
    dates = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    starts = [s.start_char for s in doc.sents]
    cands = [c for c in scan(text) if not c.needs_context or _in_context(c, doc, text, dates, words["cues"])]
    cands = _widen(cands, dates, text, words["modifiers"])
    cands += _parsed_only(dates, cands)
    cands.sort(key=lambda c: c.start)

    out: list[TimeMention] = []
    reference: str | None = None
    for c in cands:
        tense, exclusive, verb = _clause(doc, c.start, c.end, words)
        rule = c.rule + ("|x" if exclusive and not c.tense_free and tense in (None, "past") else "")
        value = resolve(rule, article.date, tense, reference)
        if value is not None:
            reference = value
        out.append(TimeMention(expression=c.text, start=c.start, end=c.end,
                               sentence=max(0, bisect.bisect_right(starts, c.start) - 1),
                               value=value, rule=rule, tense=tense, verb=verb))
    return tuple(out)


def _in_context(c: Candidate, doc: Doc, text: str, dates: Sequence, cues: frozenset[str]) -> bool:
    """A bare month or year counts after a cue word ("in", "since", "of") or inside a parsed date, and
    never as the count of a noun ("2000 troops")."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is not None and span.end < len(doc):
        after = doc[span.end]
        if after.tag_ in ("NNS", "NNPS") and span[-1].like_num:
            return False
    before = text[max(0, c.start - 24):c.start].lower()
    m = re.search(r"([a-z]+(?:-)?)[\s]*$", before)
    if m and m.group(1) in cues:
        return True
    two = re.search(r"([a-z]+\s+[a-z]+)\s*$", before)
    if two and two.group(1) in cues:
        return True
    if not any(e.start_char <= c.start and c.end <= e.end_char for e in dates):
        return False
    return c.kind != "year" or _parsed_year(c, doc, span)


def _parsed_year(c: Candidate, doc: Doc, span: Span | None) -> bool:
    """Whether a bare four-digit number with no cue word before it, inside a date the parser found, is a
    year. The small parser calls many such numbers dates: a count ("1128 were for Cruz"), a law's or a
    flight's number ("Section 1001", "HB 1523", "Flight 1549"). Not a year: a number right after a name or an
    abbreviation (a label it numbers), and, outside 1900-2099, any number without a cue word ("in", "of",
    "since": "the Constitution of 1780" is one), which news dates that far back always has."""
    if not 1900 <= int(c.text) <= 2099:
        return False
    if span is None or span.start == 0:
        return True
    label = doc[span.start - 1]
    return not (label.tag_ in ("NNP", "NNPS") or label.is_upper and label.is_alpha and len(label) > 1)


def _widen(cands: list[Candidate], dates: Sequence, text: str, modifiers: frozenset[str]) -> list[Candidate]:
    """Stretch an expression to the parser's date around it when the rest is only modifiers
    ("the end of" + "January"), and keep a leading "on"/"in" as written."""
    out = []
    for c in cands:
        start, end = c.start, c.end
        for e in dates:
            if e.start_char <= start and end <= e.end_char and (e.start_char, e.end_char) != (start, end):
                inside = [o for o in cands if e.start_char <= o.start and o.end <= e.end_char]
                rest = (text[e.start_char:start] + " " + text[end:e.end_char]).lower()
                if len(inside) == 1 and all(w in modifiers for w in re.findall(r"[\w'’]+|[^\w\s]", rest)):
                    start, end = e.start_char, e.end_char
                break
        if c.kind in _KEEP_PREPOSITION:
            m = re.search(r"(?i)\b(on|in)\s+$", text[max(0, start - 4):start])
            if m and m.group(1).lower() in _PREPOSITIONS:
                start -= len(text[max(0, start - 4):start]) - m.start()
        if (start, end) != (c.start, c.end):
            c = dataclasses.replace(c, start=start, end=end, text=text[start:end])
        out.append(c)
    return out


def _parsed_only(dates: Sequence, cands: Sequence[Candidate]) -> list[Candidate]:
    """Dates and times the parser found but the patterns did not: durations and vague periods."""
    out = []
    for e in dates:
        if any(not (e.end_char <= c.start or e.start_char >= c.end) for c in cands):
            continue
        kind = "clock" if e.label_ == "TIME" else "dur" if _UNIT_WORDS.search(e.text) else "vague"
        out.append(Candidate(e.start_char, e.end_char, e.text, kind, "parsed", tense_free=True))
    return out


def _clause(doc: Doc, start: int, end: int, words: dict[str, frozenset[str]]) -> tuple[str | None, bool, str | None]:
    """(tense, strictly-before, verb lemma) of the clause an expression belongs to: strictly before the
    article's day when an "after" opens the clause and the clause tells an onset (``onset_verbs``)."""
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
    exclusive = any(t.lower_ in words["before_marks"] and t.dep_ in ("prep", "mark") for t in path)
    if tok.pos_ not in ("VERB", "AUX"):
        return None, exclusive, None
    head = tok
    for _ in range(4):  # the "after" may open a clause further up: "after they began bombarding ..."
        if any(c.dep_ == "mark" and c.lower_ in words["before_marks"] for c in head.children):
            exclusive = True
            break
        if head.dep_ not in ("xcomp", "conj", "ccomp") or head.head.i == head.i:
            break
        head = head.head
    # an "after" clause lies strictly before the article's day only when it tells an onset ("after the
    # strikes began on Saturday", said on a Saturday): otherwise a same-day weekday in past tense is that
    # day ("agreed after they met in Tokyo on Friday", said on a Friday)
    onset = tok.lemma_.lower() in words["onset_verbs"] or (
        tok.dep_ == "xcomp" and tok.head.lemma_.lower() in words["onset_verbs"])
    return _tense(tok, words, 0), exclusive and onset, tok.lemma_.lower()


def sentence_tense(sent: Span) -> str | None:
    """The tense of a sentence's main verb: ``past`` ("met", "was signed"), ``pluperfect`` ("had met"),
    ``perfect`` ("has joined", "have long been"), ``present`` ("is", "faces"), ``future`` ("will meet",
    "is set to arrive"),
    or None (no verb); an impersonal report ("it was reported that they had met") has the tense of what it
    reports. News is told in the past; background — standing facts, what has been going on — in
    the present and the present perfect, and a preview in the future, which is how the brief tells them
    apart.

    >>> from rashomon.text import nlp
    >>> doc = nlp.load()("Varga met Oduya. Kell is Orvia's largest port. Orvia has joined the pact.")
    >>> [sentence_tense(s) for s in doc.sents]
    ['past', 'present', 'perfect']
    """
    words = _words()
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        verbs = [t for t in sent if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
        if not verbs:
            return None
        root = verbs[0]
    # "it was reported that they had agreed": an impersonal report tells the tense of what it reports
    said = [c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    if said and any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in root.children):
        root = said[0]
    auxes = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if root.lemma_.lower() in words["schedule_heads"] and root.tag_ != "VBD" and any(
            c.dep_ == "xcomp" for c in root.children):
        return "future"  # "is set to arrive", "is expected to sign"
    if root.tag_ == "VBN" and auxes & {"has", "have", "'ve"}:
        return "perfect"
    if root.tag_ == "VBN" and "had" in auxes:
        return "pluperfect"  # "had reported": before the time the report tells of
    if root.tag_ == "VBG" and auxes & {"has", "have", "'ve"} and auxes & {"been"}:
        return "perfect"
    return _tense(root, words, 0)


def _tense(v: Token, words: dict[str, frozenset[str]], depth: int) -> str | None:
    """past | present | future for a verb, from its auxiliaries, its tag and the verb it depends on."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & words["future_aux"]:
        return "future"
    infinitive = "to" in lowers or (v.tag_ == "VB" and v.dep_ in ("xcomp", "advcl"))
    if infinitive and v.head.i != v.i:
        if v.head.lemma_.lower() in words["future_heads"] or v.head.lower_ in words["future_heads"]:
            return "future"
        if depth < 3:
            return _tense(v.head, words, depth + 1)
    if lowers & words["perfect_aux"] or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if v.tag_ == "VBD":
        return "past"
    if v.tag_ == "VBN":
        return "present" if any(a.tag_ in ("VBZ", "VBP") for a in auxes) else "past"
    if v.tag_ in ("VBZ", "VBP"):
        return "present"
    if v.tag_ == "VBG":
        if auxes:
            return "present"
        if v.head.i != v.i and depth < 3:
            return _tense(v.head, words, depth + 1)
    if v.tag_ == "VB" and v.dep_ == "conj" and v.head.i != v.i and depth < 3:
        return _tense(v.head, words, depth + 1)
    return None

def reresolve(times: Iterable[TimeMention], anchor: str | None) -> tuple[TimeMention, ...]:
    """The same mentions resolved again against a new anchor (in order: "the next day" follows them)."""
    out = []
    reference: str | None = None
    for t in times:
        value = resolve(t.rule, anchor, t.tense, reference) if t.rule else t.value
        if value is not None:
            reference = value
        out.append(dataclasses.replace(t, value=value))
    return tuple(out)
