"""Synthetic corpora of any size for the scale benchmarks, built from real reports.

Each synthetic article is a collage: most sentences of one source report ("its topic"), in order, with
a few sentences of two other reports woven in, and a date spread over a year. Collages are distinct
texts (no two share a content hash, few are near-copies), read like news, and keep the length and
sentence mix of the sources, so the per-article cost matches real input.

* :func:`write_jsonl` writes such a corpus for the whole pipeline (it is parsed for real);
* :func:`annotated` builds the same collages *with their notes*, cut per sentence from the parsed
  sources and shifted to their new offsets, so the corpus-wide stages can be timed at 100k articles
  without 100k spaCy parses (the map stage's cost per article does not depend on corpus size).
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rashomon.model import Article, Notes, Sentence

BASE_DAY = date(2026, 1, 1)
OFFSET_FIELDS = {"start", "end", "speaker_start", "speaker_end", "source_start", "target_start", "time_start",
                 "speaker_mention"}
NOTE_LISTS = ("mentions", "quotes", "times", "events", "values", "stances")


@dataclasses.dataclass(frozen=True)
class Source:
    """A parsed source report, split into sentences with the notes that fall inside each."""

    article: Article
    sentences: tuple[str, ...]
    pieces: tuple[dict[str, list[Any]], ...]  # per sentence: notes records with offsets from its start
    vector: tuple[float, ...]


def split(article: Article, notes: Notes) -> Source:
    """Cut an annotated article into sentences, each with the notes records lying wholly inside it."""
    sentences, pieces = [], []
    for i, s in enumerate(notes.sentences):
        piece: dict[str, list[Any]] = {name: [] for name in NOTE_LISTS}
        for name in NOTE_LISTS:
            for record in getattr(notes, name):
                if getattr(record, "sentence", None) == i and _inside(record, s):
                    piece[name].append(_shift(record, -s.start, -i))
        sentences.append(article.text[s.start:s.end])
        pieces.append(piece)
    return Source(article, tuple(sentences), tuple(pieces), notes.vector)


def _offsets(record: Any) -> list[int]:
    out = [getattr(record, f) for f in OFFSET_FIELDS if isinstance(getattr(record, f, None), int)]
    for part in getattr(record, "parts", ()) or ():
        out.extend(part)
    return out


def _inside(record: Any, s: Sentence) -> bool:
    return all(s.start <= x <= s.end for x in _offsets(record))


def _shift(record: Any, delta: int, sentence_delta: int) -> Any:
    changes: dict[str, Any] = {f: getattr(record, f) + delta for f in OFFSET_FIELDS
                               if isinstance(getattr(record, f, None), int)}
    if hasattr(record, "sentence"):
        changes["sentence"] = record.sentence + sentence_delta
    if getattr(record, "parts", None):
        changes["parts"] = tuple((a + delta, b + delta) for a, b in record.parts)
    return dataclasses.replace(record, **changes)


def _plan(n: int, sources: Sequence[Source], seed: int) -> Iterator[tuple[int, list[tuple[int, int]], int]]:
    """For each synthetic article: (topic source, [(source, sentence)...] in order, day offset)."""
    rng = random.Random(seed)
    usable = [k for k, s in enumerate(sources) if len(s.sentences) >= 3]
    for _ in range(n):
        topic = rng.choice(usable)
        own = sources[topic].sentences
        keep = sorted(rng.sample(range(len(own)), max(2, int(len(own) * 0.7))))
        chosen = [(topic, i) for i in keep]
        for other in rng.sample(usable, 2):
            if other != topic:
                j = rng.randrange(len(sources[other].sentences))
                chosen.insert(rng.randrange(len(chosen) + 1), (other, j))
        yield topic, chosen, rng.randrange(365)


def _text(sources: Sequence[Source], chosen: list[tuple[int, int]]) -> tuple[str, list[int]]:
    parts, starts, at = [], [], 0
    for k, (src, i) in enumerate(chosen):
        sep = "" if k == 0 else ("\n\n" if k % 3 == 0 else " ")
        at += len(sep)
        starts.append(at)
        sentence = sources[src].sentences[i]
        parts.append(sep + sentence)
        at += len(sentence)
    return "".join(parts), starts


_SYLLABLES = ("ka", "lo", "mir", "ve", "tra", "sun", "de", "rik", "po", "al", "zen", "ub", "fa", "gor", "ny", "esh")
_CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")


def invented(rng: random.Random) -> str:
    """A made-up capitalised word ("Mirvetra"), almost always one no vocabulary has seen."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randrange(3, 6))).capitalize()


def rename(text: str, rng: random.Random) -> str:
    """``text`` with every capitalised word inside a sentence (names, places, outlets) replaced by an
    invented one, consistently within the text: a stream where each report brings new names."""
    names: dict[str, str] = {}
    return _CAPITALISED.sub(lambda m: names.setdefault(m.group(0), invented(rng)), text)


def write_jsonl(path: Path, n: int, sources: Sequence[Source], seed: int = 13, new_names: bool = False) -> Path:
    """A JSONL corpus of ``n`` collages (fields id, title, date, outlet, text); with ``new_names`` the
    names inside sentences are invented afresh for each collage (see :func:`rename`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = random.Random(seed + 1)
    with path.open("w", encoding="utf-8") as out:
        for k, (topic, chosen, day) in enumerate(_plan(n, sources, seed)):
            text, _ = _text(sources, chosen)
            if new_names:
                text = rename(text, names)
            record = {"id": f"syn{k:06d}", "title": sources[topic].sentences[0][:90],
                      "date": (BASE_DAY + timedelta(days=day)).isoformat(), "outlet": f"Outlet {k % 40}",
                      "text": f"{text}\n\n(report {k})"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def annotated(n: int, sources: Sequence[Source], seed: int = 13) -> Iterator[tuple[Article, Notes]]:
    """``n`` collages with notes assembled from their sentences' notes (no parsing)."""
    for k, (topic, chosen, day) in enumerate(_plan(n, sources, seed)):
        text, starts = _text(sources, chosen)
        text = f"{text}\n\n(report {k})"
        lists: dict[str, list[Any]] = {name: [] for name in NOTE_LISTS}
        sentences = []
        for idx, ((src, i), start) in enumerate(zip(chosen, starts, strict=True)):
            sentence = sources[src].sentences[i]
            sentences.append(Sentence(start, start + len(sentence)))
            for name in NOTE_LISTS:
                lists[name].extend(_shift(r, start, idx) for r in sources[src].pieces[i][name])
        aid = f"syn{k:06d}"
        article = Article(id=aid, input="synthetic", text=text, source_id=aid, outlet=f"Outlet {k % 40}",
                          title=sources[topic].sentences[0][:90], date=(BASE_DAY + timedelta(days=day)).isoformat(),
                          date_source="metadata", language="en", content_hash=f"h{k:06d}-{seed}", kind="jsonl")
        yield article, Notes(article_id=aid, sentences=tuple(sentences), vector=sources[topic].vector,
                             **{name: tuple(v) for name, v in lists.items()})
