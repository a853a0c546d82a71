"""The brief's support check (corpus stage): is every statement of a sentence found in the articles it cites?

A sentence is split into *segments* at ``;`` and ``:`` (a lightly fused sentence joins statements from
different reports there). Each segment must be supported by one passage of one cited article:

* its content keys occur in that passage (a share of at least :data:`MIN_RECALL`: all of them),
* every figure it gives occurs there with the same value ("70%" is found as "70 percent"),
* every name it gives (a capitalised word inside the segment) occurs there.

Every cited article must support at least one segment — word for word, or in its own words
(:func:`corroborates`: the same actors and figures and a good share of the content): citing a report that
says none of it is an error too. A segment that names its report ("Kell Post reports that ...") is checked
against the cited article of that name. Framing words the brief adds when it fuses are allowed
(``data/brief.toml``).

>>> from rashomon.model import Article
>>> a = Article(id="a", input="-", text="Orvia and Lent signed a fishing pact on Monday. Talks lasted two days.")
>>> check("Orvia and Lent signed a fishing pact on Monday.", [a]).ok
True
>>> v = check("Orvia and Lent signed a trade pact on Monday.", [a])
>>> v.ok, v.reason
(False, 'segment 1 not supported: missing trade')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import Article, Notes
from ..read import metadata
from ..text import quantities
from ..text.textsim import Passage, keys, passages, stem, stopwords
from ..who.names import title_after

MIN_RECALL = 1.0  # extractive: every content word of a statement is in the passage it comes from
CORROBORATE = 0.3  # share of a statement's content words another report's own wording must carry


@lru_cache(maxsize=1)
def frames() -> dict[str, Any]:
    """Connectors and framing words the brief may add (``data/brief.toml``)."""
    raw = resources.files("rashomon").joinpath("data/brief.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@lru_cache(maxsize=1)
def _frame_keys() -> frozenset[str]:
    words = " ".join(frames()["support"]["framing_words"])
    return keys(words, places=False)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    article_id: str | None  # the cited article that supports it, or None
    recall: float
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    segments: tuple[Segment, ...]
    reason: str = ""


def segments(text: str) -> list[str]:
    """The statements of a sentence: split at semicolons and colons, framing connectors removed."""
    parts = [p.strip() for p in re.split(r"[;:]\s+", text) if p.strip()]
    return [p for p in parts if re.search(r"\w", p)]


def _names(segment: str) -> set[str]:
    """Stems of the capitalised words inside a segment (its first word is capitalised anyway)."""
    body = segment.lstrip("“\"'‘ ")
    stop = stopwords()
    out = set()
    for m in re.finditer(r"\b[A-Z][\w’'-]*", body):
        if m.start() == 0:
            continue
        for part in m.group(0).split("-"):
            if len(part) > 1 and part.lower() not in stop:
                out.add(stem(part))
    return out - _frame_keys()


@lru_cache(maxsize=4096)
def _figures(text: str) -> tuple[quantities.Figure, ...]:
    return tuple(quantities.figures(text))


def _has_figure(f: quantities.Figure, text: str) -> bool:
    return any(g.kind == f.kind and quantities.same_value(g.value, f.value) or
               ({g.kind, f.kind} <= {"number", "year"} and quantities.same_value(g.value, f.value))
               for g in _figures(text))


@lru_cache(maxsize=8192)
def _wanted(segment: str, allowed: frozenset[str]) -> tuple[frozenset[str], frozenset[str], tuple[quantities.Figure, ...]]:
    """What a passage must carry to support a segment: its content keys and its names (less the allowed
    words), its figures. Cached: the brief checks one sentence against every report of its story."""
    want = keys(segment, places=False) - _frame_keys() - allowed
    return want, frozenset(_names(segment) - allowed), _figures(segment)


def _support(segment: str, sources: Mapping[str, Sequence[Passage]], allowed: frozenset[str]) -> Segment:
    """The first cited passage that supports one segment, else the closest one and what it lacks."""
    aid = _supporter(segment, sources, allowed)
    if aid is not None:
        want = _wanted(segment, allowed)[0]
        return Segment(segment, aid, 1.0 if MIN_RECALL >= 1.0 or not want else _first_recall(segment, sources[aid], allowed))
    want, names, figs = _wanted(segment, allowed)
    best: Segment | None = None
    for ps in sources.values():
        for p in ps:
            missing = want - p.keys  # a passage's place codes ("#CAN") never meet these keys
            recall = 1 - len(missing) / len(want) if want else 1.0
            lost = [n for n in names if n not in p.keys]
            if recall >= MIN_RECALL and not lost:
                lost = [f"figure {segment[f.start:f.end]}" for f in figs if not _has_figure(f, p.text)]
            cand = Segment(segment, None, recall, tuple(sorted(missing | set(lost))))
            if best is None or (cand.recall, -len(cand.missing)) > (best.recall, -len(best.missing)):
                best = cand
    return best or Segment(segment, None, 0.0, tuple(sorted(want)))


def _first_recall(segment: str, ps: Sequence[Passage], allowed: frozenset[str]) -> float:
    """The recall of the first of ``ps`` that supports ``segment`` (below 1 only when MIN_RECALL is)."""
    want, names, figs = _wanted(segment, allowed)
    for p in ps:
        if _supports(p, want, names, figs):
            return 1 - len(want - p.keys) / len(want)
    return 0.0


def _supports(p: Passage, want: frozenset[str], names: frozenset[str], figs: Sequence[quantities.Figure]) -> bool:
    """Whether one passage supports a segment: its content keys (a share of MIN_RECALL), its names, its figures."""
    if not names <= p.keys:
        return False
    if not want <= p.keys and (MIN_RECALL >= 1.0 or 1 - len(want - p.keys) / len(want) < MIN_RECALL):
        return False
    return all(_has_figure(f, p.text) for f in figs)


def _supporter(segment: str, sources: Mapping[str, Sequence[Passage]], allowed: frozenset[str]) -> str | None:
    """The article of the first cited passage that supports one segment (:func:`_support`'s, without the
    closest passage and what it lacks when none does), or None."""
    want, names, figs = _wanted(segment, allowed)
    for aid, ps in sources.items():
        for p in ps:
            if _supports(p, want, names, figs):
                return aid
    return None


_ATTRIBUTED = re.compile(r"^(?P<who>[A-Z][^;:]{0,60}?) (?:reports|says) that (?P<what>\S.*)$", re.DOTALL)
_NUMBERED = re.compile(r"^Source \d+$")


def _attribution(segment: str, sources: Mapping[str, Sequence[Passage]],
                 names: Mapping[str, str]) -> tuple[str, Mapping[str, Sequence[Passage]]]:
    """A segment that names its report ("Kell Post reports that ...") is the statement after the name, and
    must come from a cited article of that name ("Source N": any cited article, the reader's reference
    number)."""
    m = _ATTRIBUTED.match(segment)
    if not m:
        return segment, sources
    who = m.group("who")
    named = {aid: ps for aid, ps in sources.items() if names.get(aid) == who}
    if named:
        return m.group("what"), named
    if _NUMBERED.match(who):
        return m.group("what"), sources
    return segment, sources


def _actor_names(segment: str) -> set[str]:
    """:func:`_names` without the titles before them ("Prime Minister Carney" -> carney)."""
    out = _names(segment)
    for run in re.finditer(r"(?:\b[A-Z][\w’'.-]*\s+)+", segment + " "):
        words = run.group(0).split()
        title = title_after(words)
        if title is not None:
            out -= {stem(w) for w in words[:title.size]}
    return out


def corroborates(segment: str, p: Passage, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether a passage of another report tells the same statement in its own words: it names the
    statement's actors, gives its figures, and carries at least :data:`CORROBORATE` of its content words
    ("agreed to intensify cooperation across a range of priority areas, including ... trade ... climate" /
    "agreed on ... cooperation in priority areas covering trade ... and climate change"). The brief cites
    such a report beside the one it quotes — every family that carries a statement is cited — but a
    statement is still quoted only from a report that supports it word for word.
    """
    want, actors, figs = _told(segment, allowed)
    if not want or len(want & p.keys) < CORROBORATE * len(want):
        return False
    if any(n not in p.keys for n in actors):
        return False
    return all(_has_figure(f, p.text) for f in figs)


@lru_cache(maxsize=8192)
def _told(segment: str, allowed: frozenset[str]) -> tuple[frozenset[str], frozenset[str], tuple[quantities.Figure, ...]]:
    """What :func:`corroborates` looks for of a segment: its content keys, its actors' names, its figures."""
    want, _, figures = _wanted(segment, allowed)
    return want, frozenset(_actor_names(segment) - allowed), figures


def check_passages(text: str, sources: Mapping[str, Sequence[Passage]], allowed: Iterable[str] = (),
                   names: Mapping[str, str] | None = None) -> Verdict:
    """:func:`check` over already split passages of the cited articles (article id -> passages);
    ``names``: article id -> the name the sentence may attribute a statement to."""
    allow = frozenset(k for w in allowed for k in keys(w, places=False))
    names = names or {}
    parts = [_attribution(s, sources, names) for s in segments(text)]
    segs = tuple(_support(s, scope, allow) for s, scope in parts)
    if not segs:
        return Verdict(False, (), "empty sentence")
    for i, s in enumerate(segs, 1):
        if s.article_id is None:
            return Verdict(False, segs, f"segment {i} not supported: missing {', '.join(s.missing) or 'context'}")
    used = {s.article_id for s in segs}
    idle = [aid for aid in sources if aid not in used and
            not any(_support(s.text, {aid: sources[aid]}, allow).article_id for s in segs) and
            not any(corroborates(s.text, p, allow) for s in segs for p in sources[aid])]
    if idle:
        return Verdict(False, segs, f"cited but not supporting: {', '.join(idle)}")
    return Verdict(True, segs)


def supported(text: str, sources: Mapping[str, Sequence[Passage]], allowed: Iterable[str] = (),
              names: Mapping[str, str] | None = None) -> bool:
    """``check_passages(text, sources, allowed, names).ok``, without the verdict's segments and reasons (what
    the brief asks of every candidate against every report of its story)."""
    allow = _allowed(tuple(allowed))
    parts = [_attribution(s, sources, names or {}) for s in segments(text)]
    if not parts:
        return False
    used = set()
    for s, scope in parts:
        aid = _supporter(s, scope, allow)
        if aid is None:
            return False
        used.add(aid)
    return all(aid in used or any(_supporter(s, {aid: sources[aid]}, allow) for s, _ in parts) or
               any(corroborates(s, p, allow) for s, _ in parts for p in sources[aid]) for aid in sources)


@lru_cache(maxsize=256)
def _allowed(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for w in words for k in keys(w, places=False))


def check(text: str, cited: Sequence[Article], notes: Mapping[str, Notes] | None = None,
          allowed: Iterable[str] = ()) -> Verdict:
    """Whether ``text`` is supported by the ``cited`` articles (see the module docstring).

    ``allowed`` are extra words the sentence may carry without support. A statement attributed to a
    report by name ("Kell Post reports that ...") must come from a cited article of that outlet or site
    (or, "Source N", from any cited one).
    """
    notes = notes or {}
    sources = {a.id: passages(a, notes.get(a.id)) for a in cited}
    names = {a.id: a.outlet or metadata.domain(a.url) or "" for a in cited}
    return check_passages(text, sources, allowed, names)


def supporters(text: str, candidates: Mapping[str, Sequence[Passage]], allowed: Iterable[str] = ()) -> list[str]:
    """The candidate articles that on their own support every segment of ``text`` (copies of a report)."""
    allowed = tuple(allowed)
    return [aid for aid, ps in candidates.items() if supported(text, {aid: ps}, allowed)]
