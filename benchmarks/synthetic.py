"""Synthetic corpora of any size for the scale benchmarks, built from real reports.

Two kinds: a stream of *events* (:func:`event_annotated`, the default of ``throughput.py
--corpus-stages``), where a bigger corpus has more events of the same sizes, and collages of a *fixed
pool* of ~800 sources (below, ``--fixed-pool``), where a bigger corpus has ever bigger stories.

Each fixed-pool article is a collage: most sentences of one source report ("its topic"), in order, with
a few sentences of two other reports woven in, and a date spread over a year. Collages are distinct
texts (no two share a content hash, few are near-copies), read like news, and keep the length and
sentence mix of the sources, so the per-article cost matches real input.

* :func:`write_jsonl` writes such a corpus for the whole pipeline (it is parsed for real);
* :func:`annotated` builds the same collages *with their notes*, cut per sentence from the parsed
  sources and shifted to their new offsets, so the corpus-wide stages can be timed at 100k articles
  without 100k spaCy parses (the map stage's cost per article does not depend on corpus size).
"""

from __future__ import annotations

import calendar
import dataclasses
import json
import random
import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

import rashomon
from rashomon.model import Article, Notes, Sentence
from rashomon.text.textsim import stopwords

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


# ------------------------------------------------------------------------------------ events mode
#
# The collages above draw every article from a fixed pool of ~800 sources, so stories and families grow
# with the corpus (at 100k, ~125 near-copies of each source): the "big stories" stress case. A news stream
# grows by *more events*: below, each event is one source report retold with invented names, its articles
# dated within a few days of each other, its size drawn from a heavy-tailed law that does not depend on N.

# Articles a day: the stream's span grows with the corpus, its density does not. Each source report is
# retold every ~800 events (in one fixed shuffled order), i.e. every ~440 days at this rate, where the story
# similarity's time factor (window / gap) is ~0.14: two retellings share every word but the invented ones,
# and retold more often they merged across retellings, so stories grew with N again (25 a day: story
# BCubed against the events 0.96 at 1k, 0.78 at 10k; 100 a day: 0.84 at 4k already).
PER_DAY = 10
EVENT_DAYS = 4  # an event's articles fall within this many days
MAX_EVENT = 40  # story sizes 1..40, mean ~5.5 (as benchmarks/scale_clustering.py)
_WORD = re.compile(r"[^\W\d_]+")
_CALENDAR = frozenset(x.lower() for x in (*calendar.day_name, *calendar.month_name) if x)
_CODE_FIELDS = frozenset({"label", "country", "holder_country", "kind", "rule", "tense", "type", "polarity",
                          "speaker_kind", "source_sector", "target_sector", "unit", "value", "date", "cue"})


@dataclasses.dataclass(frozen=True)
class Event:
    """One event of the stream: a source report retold with its own invented names."""

    source: int
    mapping: dict[str, str]  # source name word -> invented word of the same length
    day: int
    vector: tuple[float, ...]


def same_length(word: str, rng: random.Random) -> str:
    """An invented word as long as ``word`` with its capitalisation ("Clinton" -> "Loveral", "UN" -> "KE"),
    so replacing one by the other keeps every character offset of a text valid."""
    letters = "".join(rng.choice(_SYLLABLES) for _ in range(len(word)))[:len(word)]
    if word.isupper():
        return letters.upper()
    return "".join(c.upper() if w.isupper() else c for c, w in zip(letters, word, strict=True))


def name_words(source: Source) -> list[str]:
    """The words to invent afresh for each retelling (in first-seen order): the capitalised words of the
    entity names the source's mentions found, and the other capitalised words inside its sentences
    (names the parser missed, titles, teams), but not weekdays, months or function words ("The"). Only
    the mentions' names would leave a retelling's other capitalised words, which the story similarity
    reads as names, shared with every other retelling of the source."""
    skip = _CALENDAR | stopwords()
    words: dict[str, None] = {}
    for piece in source.pieces:
        for m in piece["mentions"]:
            for w in _WORD.findall(m.text):
                if len(w) >= 2 and w[0].isupper() and w.lower() not in skip:
                    words.setdefault(w, None)
    for sentence in source.sentences:
        for w in _CAPITALISED.findall(sentence):
            if w.lower() not in skip:
                words.setdefault(w, None)
    return list(words)


_LOWER = re.compile(r"\b[a-z]{5,}\b")


@lru_cache(maxsize=1)
def _lexicon_stems() -> frozenset[str]:
    """First five letters of every word in rashomon's own lexicons (cue verbs, claim cues, titles, ...),
    so that retellings keep the words the pipeline keys on ("announced" as well as "announce")."""
    root = Path(rashomon.__file__).parent / "data"
    found: set[str] = set()
    for path in root.iterdir():
        if path.is_file():
            found.update(w[:5] for w in re.findall(r"[a-z]{5,}", path.read_text(encoding="utf-8").lower()))
    return frozenset(found)


def content_words(source: Source, rng: random.Random, share: float = 1.0) -> list[str]:
    """A random ``share`` of the source's longer lower-case words (not function words, nor words of
    rashomon's lexicons) to invent afresh for one retelling: two retellings of one report are then two
    reports of like events, not copies. Even with all of them invented, the family index took 570 pairs
    of retellings ~440 days apart for rewrites of one report at 10k articles (the same lexicon words and
    figures in the same order), and their stories merged (story BCubed against the events 0.845), until
    a rewrite had to share a quarter of its names with its source (families.names_differ): 22, 0.971."""
    skip = stopwords() | _CALENDAR
    stems = _lexicon_stems()
    seen: dict[str, None] = {}
    for sentence in source.sentences:
        for w in _LOWER.findall(sentence):
            if w not in skip and w[:5] not in stems:
                seen.setdefault(w, None)
    return [w for w in seen if rng.random() < share]


class Renamer:
    """Applies one event's word mapping to a sentence and its notes records (every string field that
    holds words; codes, labels and dates are left alone). Names are matched as whole words; lower-cased
    actor keys ("clinton") get the lower-cased invented word."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.lower = {k.lower(): v.lower() for k, v in mapping.items()}
        words = sorted(mapping, key=len, reverse=True)
        self._re = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None

    def text(self, s: str) -> str:
        return self._re.sub(lambda m: self.mapping[m.group(0)], s) if self._re is not None else s

    def record(self, r: Any) -> Any:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(r):
            value = getattr(r, f.name)
            if f.name in _CODE_FIELDS:
                continue
            if isinstance(value, str):
                new = self.text(value)
            elif f.name == "target_actors":
                new = tuple(x if x.startswith("#") else " ".join(self.lower.get(w, w) for w in x.split(" "))
                            for x in value)
            elif f.name == "descriptions":
                new = tuple(self.text(x) for x in value)
            else:
                continue
            if new != value:
                changes[f.name] = new
        return dataclasses.replace(r, **changes) if changes else r


def _event_plan(n: int, sources: Sequence[Source], seed: int
                ) -> tuple[list[Event], list[tuple[int, list[tuple[int, int]], int]]]:
    """Events and, in arrival (date) order, each article's (event, [(event, sentence)...], day): most
    sentences of its event's report plus a sentence of each of two events of the same days."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    usable = [k for k, s in enumerate(sources) if len(s.sentences) >= 3]
    rng.shuffle(usable)
    events: list[Event] = []
    sizes: list[int] = []
    total = 0
    while total < n:
        src = usable[len(events) % len(usable)]
        mapping = {w: same_length(w, rng) for w in (*name_words(sources[src]), *content_words(sources[src], rng))}
        base = np.asarray(sources[src].vector, dtype=np.float64)
        if len(base):  # the same kind of report, but another event: its own vector near the source's
            base = base + nrng.standard_normal(len(base)) * 0.25 / np.sqrt(len(base))
            base /= np.linalg.norm(base)
        events.append(Event(src, mapping, total // PER_DAY, tuple(base.tolist())))
        sizes.append(min(MAX_EVENT, int(rng.expovariate(1 / 5)) + 1))
        total += sizes[-1]
    sizes[-1] -= total - n
    articles = []
    for e, size in enumerate(sizes):
        own = sources[events[e].source].sentences
        for _ in range(size):
            keep = sorted(rng.sample(range(len(own)), max(2, int(len(own) * 0.7))))
            chosen = [(e, i) for i in keep]
            for _other in range(2):
                near = min(len(events) - 1, max(0, e + rng.randint(-20, 20)))  # an event of the same days
                if near != e:
                    j = rng.randrange(len(sources[events[near].source].sentences))
                    chosen.insert(rng.randrange(len(chosen) + 1), (near, j))
            articles.append((e, chosen, events[e].day + rng.randrange(EVENT_DAYS)))
    articles.sort(key=lambda x: (x[2], rng.random()))  # a stream: in date order
    return events, articles


def event_annotated(n: int, sources: Sequence[Source], seed: int = 13,
                    labels: dict[str, int] | None = None) -> Iterator[tuple[Article, Notes]]:
    """``n`` articles of a stream of events (see above), with notes assembled from their sentences' notes
    renamed like the text; ``labels`` (if given) is filled with article id -> event number."""
    events, plan = _event_plan(n, sources, seed)
    renamers: dict[int, Renamer] = {}

    def renamer(e: int) -> Renamer:
        r = renamers.get(e)
        if r is None:
            if len(renamers) > 4096:  # events are met in date order: old ones are not needed again
                renamers.clear()
            r = renamers[e] = Renamer(events[e].mapping)
        return r

    def sentence(e: int, i: int) -> tuple[str, dict[str, list[Any]]]:
        r, src = renamer(e), sources[events[e].source]
        return r.text(src.sentences[i]), {k: [r.record(x) for x in v] for k, v in src.pieces[i].items()}

    for k, (e, chosen, day) in enumerate(plan):
        parts, lists, sentences, at = [], {name: [] for name in NOTE_LISTS}, [], 0
        for idx, (ev, i) in enumerate(chosen):
            text, piece = sentence(ev, i)
            sep = "" if idx == 0 else ("\n\n" if idx % 3 == 0 else " ")
            at += len(sep)
            parts.append(sep + text)
            sentences.append(Sentence(at, at + len(text)))
            for name in NOTE_LISTS:
                lists[name].extend(_shift(r, at, idx) for r in piece[name])
            at += len(text)
        text = "".join(parts) + f"\n\n(report {k})"
        aid = f"syn{k:06d}"
        if labels is not None:
            labels[aid] = e
        title = renamer(e).text(sources[events[e].source].sentences[0][:90])
        article = Article(id=aid, input="synthetic", text=text, source_id=aid, outlet=f"Outlet {k % 40}",
                          title=title, date=(BASE_DAY + timedelta(days=day)).isoformat(),
                          date_source="metadata", language="en", content_hash=f"e{k:06d}-{seed}", kind="jsonl")
        yield article, Notes(article_id=aid, sentences=tuple(sentences), vector=events[e].vector,
                             **{name: tuple(v) for name, v in lists.items()})
