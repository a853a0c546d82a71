"""The brief's support check (corpus stage): is every statement of a sentence found in the articles it cites?

A sentence is split into *segments* at ``;`` and ``:`` (a lightly fused sentence joins statements from
different reports there). Each segment must be supported by one passage of one cited article:

* its content keys occur in that passage (a share of at least :data:`MIN_RECALL`: all of them),
* every figure it gives occurs there with the same value ("70%" is found as "70 percent"),
* every name it gives (a capitalised word inside the segment) occurs there.

Every cited article must support at least one segment: citing a report that says none of it is an error
too. Framing words the brief adds when it fuses ("another report says") are allowed (``data/brief.toml``).

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
from ..text import quantities
from ..text.textsim import Passage, keys, passages, stem, stopwords

MIN_RECALL = 1.0  # extractive: every content word of a statement is in the passage it comes from


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


def _support(segment: str, sources: Mapping[str, Sequence[Passage]], allowed: frozenset[str]) -> Segment:
    """The first cited passage that supports one segment, else the closest one and what it lacks."""
    want = keys(segment, places=False) - _frame_keys() - allowed
    names = _names(segment) - allowed
    figs = _figures(segment)
    best: Segment | None = None
    for aid, ps in sources.items():
        for p in ps:
            missing = want - p.keys  # a passage's place codes ("#CAN") never meet these keys
            recall = 1 - len(missing) / len(want) if want else 1.0
            lost = [n for n in names if n not in p.keys]
            if recall >= MIN_RECALL and not lost:  # only then is it worth comparing figures
                lost = [f"figure {segment[f.start:f.end]}" for f in figs if not _has_figure(f, p.text)]
                if not lost:
                    return Segment(segment, aid, recall)
            cand = Segment(segment, None, recall, tuple(sorted(missing | set(lost))))
            if best is None or (cand.recall, -len(cand.missing)) > (best.recall, -len(best.missing)):
                best = cand
    return best or Segment(segment, None, 0.0, tuple(sorted(want)))


def check_passages(text: str, sources: Mapping[str, Sequence[Passage]], allowed: Iterable[str] = ()) -> Verdict:
    """:func:`check` over already split passages of the cited articles (article id -> passages)."""
    allow = frozenset(k for w in allowed for k in keys(w, places=False))
    segs = tuple(_support(s, sources, allow) for s in segments(text))
    if not segs:
        return Verdict(False, (), "empty sentence")
    for i, s in enumerate(segs, 1):
        if s.article_id is None:
            return Verdict(False, segs, f"segment {i} not supported: missing {', '.join(s.missing) or 'context'}")
    used = {s.article_id for s in segs}
    idle = [aid for aid in sources if aid not in used and
            not any(_support(s.text, {aid: sources[aid]}, allow).article_id for s in segs)]
    if idle:
        return Verdict(False, segs, f"cited but not supporting: {', '.join(idle)}")
    return Verdict(True, segs)


def check(text: str, cited: Sequence[Article], notes: Mapping[str, Notes] | None = None,
          allowed: Iterable[str] = ()) -> Verdict:
    """Whether ``text`` is supported by the ``cited`` articles (see the module docstring).

    ``allowed`` are extra words the sentence may carry without support (e.g. the outlet names it
    attributes statements to).
    """
    notes = notes or {}
    sources = {a.id: passages(a, notes.get(a.id)) for a in cited}
    return check_passages(text, sources, allowed)


def supporters(text: str, candidates: Mapping[str, Sequence[Passage]], allowed: Iterable[str] = ()) -> list[str]:
    """The candidate articles that on their own support every segment of ``text`` (copies of a report)."""
    return [aid for aid, ps in candidates.items() if check_passages(text, {aid: ps}, allowed).ok]
