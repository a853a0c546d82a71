"""Typed records passed between the pipeline's stages, and their (de)serialisation.

Three layers of records:

* inputs: :class:`RawDocument` (one article as read), :class:`Skipped` (a rejected input, with its reason)
  and :class:`InputWarning` (an input stored, but not exactly as given, and why);
* per-article notes: :class:`Notes` — what the map stage (spaCy and the per-article extractors) found in one
  cleaned :class:`Article`; they are stored, so a resumed run does not parse an article twice;
* the contract (``../shared/spec/analysis.md``): :class:`Story`, :class:`Entity`, :class:`Quote`,
  :class:`Claim`, :class:`Event`, :class:`TimelineItem`, :class:`Difference`, :class:`BriefSentence`,
  :class:`Thread`, gathered in :class:`Analysis`.

Records are frozen dataclasses; :func:`to_data` turns any of them into JSON-ready data and
:func:`from_data` back, so storage and the Dask engine round-trip them exactly.

>>> s = Sentence(0, 12)
>>> from_data(Sentence, to_data(s)) == s
True
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

SCHEMA = "rashomon.analysis/1"
NOTES_MAJOR = 4  # bump when the Notes record itself changes shape


def _notes_version() -> int:
    """The version stored with every Notes: the major number plus a digest of the code and data the map
    stage runs on, so a store's notes are recomputed whenever an extractor or its lexicons change (and
    never when only the CLI, store, web app or report change)."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent
    skip = {"cli.py", "store.py", "views.py", "run/runner.py", "run/dask_engine.py", "run/workers.py",
            "run/reduce.py", "run/place.py", "run/progress.py", "group/metrics.py", "group/state.py",
            "group/threads.py", "read/preflight.py", "read/fetch.py", "run/watch.py"}
    h = hashlib.sha1(str(NOTES_MAJOR).encode())
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (rel.parts[0] in {"api", "web", "report"} or "__pycache__" in rel.parts or rel.as_posix() in skip
                or not path.is_file()):
            continue
        if path.suffix in {".py", ".tsv", ".toml", ".txt", ".json", ".csv"}:
            h.update(str(rel).encode())
            h.update(path.read_bytes())
    return NOTES_MAJOR * 10**9 + int(h.hexdigest()[:7], 16)


NOTES_VERSION = _notes_version()

T = TypeVar("T")

# --------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input (or one record inside a multi-record input) that was not processed, and why."""

    input: str
    reason: str
    index: int | None = None  # line of a JSONL file, entry of a feed, item of an API batch


@dataclass(frozen=True, slots=True)
class InputWarning:
    """An input that was read and stored, but not exactly as given (undecodable bytes replaced with
    U+FFFD, say): listed in the run's summary beside the skipped inputs, so no loss goes unsaid."""

    input: str
    reason: str
    index: int | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as read from an input, before cleaning. ``text`` is plain text (HTML already extracted)."""

    input: str
    text: str
    kind: str = "txt"  # txt | html | feed | jsonl | url | api
    source_id: str | None = None
    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()  # blocks already taken out while reading (e.g. a header line's clutter)
    from_html: bool = False  # the text came out of a page's DOM extraction (layout already judged)
    warnings: tuple[str, ...] = ()  # what reading changed in it (e.g. undecodable bytes replaced)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the feed follower (``rashomon watch``) knows of one followed URL, kept in the store so a restart
    resumes: the validators of its last answer (sent back as ``If-None-Match`` / ``If-Modified-Since``), the
    errors in a row and when it may be asked again (backoff), and what the last poll came to."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0  # errors in a row; 0 after a good poll
    retry_at: float = 0.0  # seconds since the epoch before which the feed is not asked again (backoff)
    polled_at: float | None = None  # seconds since the epoch of the last poll, good or bad
    status: str | None = None  # what the last poll came to: "ok", "not modified", "error"
    error: str | None = None  # the last error, kept until a good poll
    items: int = 0  # entries stored from it so far
    feed_url: str | None = None  # the feed a followed web page names (<link rel="alternate">), if any


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. ``text`` is the body; every character offset elsewhere indexes into it."""

    id: str
    input: str
    text: str
    source_id: str | None = None
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    url: str | None = None
    content_hash: str = ""
    kind: str = "txt"
    family: str | None = None
    story: str | None = None
    # False where the language has no analysis pipeline installed: the article is stored, cleaned and
    # grouped, but no model reads it (no entities, quotes by speaker, events or claims); the reason says why
    analysed: bool = True
    analysed_reason: str | None = None
    language_declared: str | None = None  # the input's declared language, where the text contradicts it


# ------------------------------------------------------------------------------ per-article notes


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    tense: str | None = None  # of its main verb: past | pluperfect | perfect | present | future (when/times)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention in one article, with what the local context says about it."""

    text: str
    label: str  # spaCy label after local corrections: PERSON, ORG, GPE, NORP, LOC, ...
    start: int
    end: int
    sentence: int
    descriptions: tuple[str, ...] = ()  # role phrases from appositives and titles
    country: str | None = None  # ISO alpha-3 the text ties to this mention
    title: str | None = None  # an honorific/office directly before a person ("Prime Minister")


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """A direct quote in one article and its attribution as written."""

    text: str  # the quoted words without the outer marks
    start: int  # offsets of ``text`` in the article
    end: int
    cue: str | None = None
    speaker: str | None = None  # the speaker as named or resolved within the article ("Mark Carney")
    speaker_text: str | None = None  # as written at the cue ("he", "the professor", "Carney")
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_kind: str | None = None  # name | pronoun | description | document | None
    fragment: bool = False
    sentence: int = 0
    parts: tuple[tuple[int, int], ...] = ()  # offsets of each piece of a quote split around its cue
    speaker_mention: int | None = None  # start of the named Mention the speaker resolved to (entity lookup)


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A temporal expression and what it resolves to against the article's date."""

    expression: str
    start: int
    end: int
    sentence: int
    value: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY, or None when it cannot be anchored
    rule: str = ""  # how it was resolved; lets the corpus stage re-resolve against an inferred date
    tense: str | None = None  # past | present | future
    verb: str | None = None  # lemma of the verb the expression hangs on (helps merge timelines across outlets)


@dataclass(frozen=True, slots=True)
class EventMention:
    """One PLOVER-coded interaction reported by a sentence."""

    type: str
    sentence: int
    text: str
    source_text: str | None = None
    source_actor: str | None = None
    target_text: str | None = None
    target_actor: str | None = None
    location: str | None = None
    date: str | None = None
    verb: str | None = None
    source_start: int | None = None  # offset of the actor's name in the article (to find its entity)
    target_start: int | None = None
    source_sector: str | None = None  # CAMEO/PLOVER sector of the actor (GOV, MIL, REB, ...) when named
    target_sector: str | None = None
    time_start: int | None = None  # offset of the TimeMention that dates the event, if the sentence has one


@dataclass(frozen=True, slots=True)
class ValueMention:
    """A number, amount, percentage, rank or count in a sentence, normalised for comparison."""

    text: str
    start: int
    end: int
    sentence: int
    kind: str  # number | money | percent | rank | count | year
    value: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class StanceMention:
    """Who is reported as backing or opposing what, in one sentence ("Ottawa ... expressed its support
    for Washington"; Carney said the strikes appeared "inconsistent with international law")."""

    sentence: int
    start: int  # offsets of the cue
    end: int
    cue: str
    polarity: str  # support | oppose (after negation: "refused to back" is oppose)
    holder: str | None = None  # as named, pronouns resolved within the article
    holder_country: str | None = None
    target: str = ""  # the target phrase as written
    target_head: str | None = None  # lemma of its head noun ("strike", "claim")
    target_actors: tuple[str, ...] = ()  # "#ISO" for states, else lower-cased names, of the head and its modifiers


@dataclass(frozen=True, slots=True)
class Notes:
    """Everything the per-article (map) stage found in one article."""

    article_id: str
    version: int = NOTES_VERSION
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    values: tuple[ValueMention, ...] = ()
    vector: tuple[float, ...] = ()  # dense document embedding for story clustering
    stances: tuple[StanceMention, ...] = ()  # support/opposition statements, for contradictions


# ------------------------------------------------------------------------------------ the contract


@dataclass(frozen=True, slots=True)
class BriefSentence:
    text: str
    article_ids: tuple[str, ...]
    # the sentence's language where it is not English: taken from a French source, it stays in French
    # (there is no offline translation), cited and checked against that source like any other
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    families: tuple[tuple[str, ...], ...]
    independent_sources: int
    date: str | None = None
    brief: tuple[BriefSentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    country: str | None = None
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    text: str
    article_id: str
    start: int
    end: int
    speaker: str | None = None
    speaker_id: str | None = None
    fragment: bool = False
    cue: str | None = None
    group: str | None = None
    parts: tuple[tuple[int, int], ...] = ()  # pieces of a quote split around its cue ("...," she said, "...")


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    article_ids: tuple[str, ...]
    families: int
    status: str  # corroborated | single-source | disputed
    values: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    text: str
    article_ids: tuple[str, ...]
    source_actor: str | None = None
    target_actor: str | None = None
    source_entity: str | None = None
    target_entity: str | None = None
    date: str | None = None
    location: str | None = None
    source_sector: str | None = None
    target_sector: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineSource:
    """One article's own wording of a timeline item."""

    article_id: str
    expression: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimelineItem:
    date: str
    expression: str
    text: str
    article_ids: tuple[str, ...]
    start: int
    end: int
    sources: tuple[TimelineSource, ...] = ()  # every article's expression as written, first one first


@dataclass(frozen=True, slots=True)
class DifferenceItem:
    article_id: str
    text: str
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str  # quote-wording | number | contradiction | only-in
    summary: str
    article_ids: tuple[str, ...]
    items: tuple[DifferenceItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Thread:
    """Stories of one long-running topic (an investigation over months, a war): ``story_ids`` in date
    order, ``date_range`` the first and last of their dates (None where no story is dated)."""

    id: str
    title: str
    story_ids: tuple[str, ...]
    date_range: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True, slots=True)
class LanguageCount:
    """How many of a run's articles are in one language, and whether that language is analysed."""

    language: str | None  # ISO 639-1, or None where the text could not tell
    name: str  # "German"
    articles: int
    analysed: bool = True
    reason: str | None = None  # why not ("German: no model installed for this language")


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one run did: counts the CLI prints and the exit code follows."""

    inputs: int = 0
    articles: int = 0
    new: int = 0
    duplicates: int = 0  # input records whose content was already stored (before or earlier in the run)
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[InputWarning, ...] = ()  # inputs stored with a loss (the exit code is 1 as for skipped)
    languages: tuple[LanguageCount, ...] = ()  # the run's articles by language, most first


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole contract object. ``to_contract`` gives the exact ``analysis.json`` data."""

    generated_at: str
    articles: tuple[Article, ...] = ()
    stories: tuple[Story, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    timeline: tuple[TimelineItem, ...] = ()
    differences: tuple[Difference, ...] = ()
    brief: tuple[BriefSentence, ...] = ()
    threads: tuple[Thread, ...] = ()
    schema: str = SCHEMA
    run: RunSummary = field(default_factory=RunSummary)

    def to_contract(self) -> dict[str, Any]:
        """The data of ``analysis.json``: contract keys in contract order, plus a ``run`` summary.

        ``quotes`` holds the direct quotations; partial quotes woven into reported speech (Quote
        records with ``fragment: true``) go to the additive ``fragments`` list, so a consumer counting
        what people said is not flooded with scare quotes and phrases.
        """
        articles = []
        labels = source_labels(self.articles)
        for a in self.articles:
            articles.append({
                "id": a.id, "source_id": a.source_id, "input": a.input, "outlet": a.outlet,
                "title": a.title, "date": a.date, "date_source": a.date_source, "language": a.language,
                "analysed": a.analysed, "analysed_reason": a.analysed_reason, "language_declared": a.language_declared,
                "text": a.text, "removed": list(a.removed), "family": a.family, "story": a.story,
                "url": a.url, "label": labels[a.id],
            })
        return {
            "schema": self.schema,
            "generated_at": self.generated_at,
            "articles": articles,
            "stories": [to_data(s) for s in self.stories],
            "entities": [to_data(e) for e in self.entities],
            "quotes": [to_data(q) for q in self.quotes if not q.fragment],
            "claims": [to_data(c) for c in self.claims],
            "events": [to_data(e) for e in self.events],
            "timeline": [to_data(t) for t in self.timeline],
            "differences": [to_data(d) for d in self.differences],
            "brief": [to_data(b) for b in self.brief],
            "threads": [to_data(t) for t in self.threads],
            "fragments": [to_data(q) for q in self.quotes if q.fragment],
            "run": {"inputs": self.run.inputs, "articles": self.run.articles, "new": self.run.new,
                    "duplicates": self.run.duplicates,
                    "skipped": [to_data(s) for s in self.run.skipped],
                    "warnings": [to_data(w) for w in self.run.warnings],
                    "languages": [to_data(x) for x in self.run.languages]},
        }


    @classmethod
    def from_contract(cls, data: Mapping[str, Any]) -> Analysis:
        """The Analysis an ``analysis.json`` object holds (or the API's object of one story): the inverse of
        :meth:`to_contract`, fragments back among the quotes; keys it does not know (an entity's
        ``store_id``) are ignored.

        >>> a = Analysis(generated_at="now", threads=(Thread("t-s1", "Kell", ("s1", "s2"), ("2026", "2027")),))
        >>> Analysis.from_contract(a.to_contract()) == a
        True
        """
        run = data.get("run") or {}
        return cls(
            generated_at=str(data.get("generated_at", "")),
            articles=tuple(from_data(Article, a) for a in data.get("articles", ())),
            stories=tuple(from_data(Story, s) for s in data.get("stories", ())),
            entities=tuple(from_data(Entity, e) for e in data.get("entities", ())),
            quotes=tuple(from_data(Quote, q) for q in (*data.get("quotes", ()), *data.get("fragments", ()))),
            claims=tuple(from_data(Claim, c) for c in data.get("claims", ())),
            events=tuple(from_data(Event, e) for e in data.get("events", ())),
            timeline=tuple(from_data(TimelineItem, t) for t in data.get("timeline", ())),
            differences=tuple(from_data(Difference, d) for d in data.get("differences", ())),
            brief=tuple(from_data(BriefSentence, b) for b in data.get("brief", ())),
            threads=tuple(from_data(Thread, t) for t in data.get("threads", ())),
            schema=str(data.get("schema", SCHEMA)),
            run=from_data(RunSummary, {k: run[k] for k in ("inputs", "articles", "new", "duplicates", "skipped",
                                                            "warnings", "languages") if k in run}),
        )


# ------------------------------------------------------------------------------------ source names


def source_labels(articles: Sequence[Article]) -> dict[str, str]:
    """A readable name for each article's source, never a path or an internal id: its outlet, else the
    domain of its address, else "Source N", N being its number among its story's articles (the number its
    references carry: a story lists its articles in this order).

    >>> arts = [Article(id="a1", input="/tmp/x.txt", text="", outlet="Kell Post", story="s"),
    ...         Article(id="a2", input="/tmp/y.txt", text="", url="https://www.avel.example/n/1", story="s"),
    ...         Article(id="a3", input="/tmp/z.txt", text="", story="s")]
    >>> source_labels(arts)
    {'a1': 'Kell Post', 'a2': 'avel.example', 'a3': 'Source 3'}
    """
    from urllib.parse import urlsplit

    counts: dict[str, int] = {}
    out: dict[str, str] = {}
    for a in articles:
        key = a.story or ""
        counts[key] = counts.get(key, 0) + 1
        host = None
        if a.url:
            try:
                host = urlsplit(a.url if "//" in a.url else "//" + a.url).hostname
            except ValueError:
                host = None
        if host and host.startswith("www."):
            host = host[4:]
        out[a.id] = (a.outlet or "").strip() or (host if host and "." in host else None) or f"Source {counts[key]}"
    return out


# ------------------------------------------------------------------------------- (de)serialisation


def to_data(obj: Any) -> Any:
    """JSON-ready data for a record (recursively); tuples become lists.

    >>> to_data(BriefSentence("Leaders met.", ("a1",)))
    {'text': 'Leaders met.', 'article_ids': ['a1'], 'language': None}
    """
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = (tuple(f.name for f in dataclasses.fields(obj))
                                      if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else False)
    if isinstance(names, tuple):
        return {name: to_data(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        if all(type(x) in _SCALARS for x in obj):  # a vector, offsets: no call per number
            return list(obj)
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_data(v) for k, v in obj.items()}
    return obj


# Encoding every article's notes (the parent stores each one) walked dataclasses.fields() for every record:
# the field names are looked up once per type instead, and plain values are returned at once.
_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...] | bool] = {}


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from :func:`to_data` output; unknown keys are ignored.

    >>> q = from_data(QuoteMention, {"text": "We will", "start": 3, "end": 10, "parts": [[1, 2]], "extra": 1})
    >>> q.parts, q.speaker
    (((1, 2),), None)
    """
    return _decoder(cls)(data)


# A decoder per type, compiled once from its type hints: every stored Notes is decoded at least twice per
# corpus-wide run (placing, then the analysis), and walking the type hints for every value took twice as
# long as decoding (~1.3 ms per synthetic article's notes, now ~0.6 ms; json.loads is another ~0.25 ms).
_DECODERS: dict[Any, Any] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def _identity(data: Any) -> Any:
    return data


def _decoder(tp: Any) -> Any:
    found = _DECODERS.get(tp)
    if found is None:
        found = _DECODERS[tp] = _compile(tp)
    return found


def _compile(tp: Any) -> Any:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _HINTS.get(tp)
        if hints is None:
            hints = _HINTS[tp] = typing.get_type_hints(tp)
        fields: dict[str, Any] = {}
        _DECODERS[tp] = lambda data: _DECODERS[tp](data)  # placeholder, for records that contain themselves
        for f in dataclasses.fields(tp):
            fields[f.name] = _decoder(hints[f.name])
        convert = [(k, dec) for k, dec in fields.items() if dec is not _identity]

        def record(data: Any) -> Any:
            if data is None:
                return None
            kw = dict(data) if fields.keys() >= data.keys() else {k: v for k, v in data.items() if k in fields}
            for k, dec in convert:
                if k in kw:
                    kw[k] = dec(kw[k])
            return tp(**kw)

        return _specialised(tp, fields, record)
    origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _decoder(args[0])
            if inner is _identity:
                return _tuple
            if inner is _float:
                return _floats
            each: Any = lambda data: None if data is None else tuple(inner(x) for x in data)  # noqa: E731
            each.each = inner
            return each
        members = [_decoder(a) for a in args]
        return lambda data: None if data is None else tuple(f(x) for f, x in zip(members, data, strict=False))
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decoder(members[0]) if len(members) == 1 else _identity
    if tp is float:
        return _float
    if tp is str:
        return _shared
    return _identity


def _float(data: Any) -> Any:
    return float(data) if isinstance(data, int) else data


def _tuple(data: Any) -> Any:
    return None if data is None else tuple(data)


def _floats(data: Any) -> Any:
    """A tuple of floats (a document's vector): as ``tuple(_float(x) for x in data)``, without a call per
    number where JSON gave nothing but floats."""
    if data is None:
        return None
    if type(data) is list and _ONLY_FLOAT.issuperset(map(type, data)):
        return tuple(data)
    return tuple(_float(x) for x in data)


_ONLY_FLOAT = frozenset({float})


def _specialised(tp: type, fields: dict[str, Any], record: Any) -> Any:
    """The decoder of one record type as a function written for it (``exec``): a record whose data holds
    every field is built by one call with its values in place, each converted inline (a string shared,
    an int widened to a float, a list made a tuple) rather than through a copy of the data, a loop over
    its fields and a call per value; data that lacks a field (a default applies), or is not a mapping,
    goes through ``record``, the general path. Keys the record does not know are ignored either way.

    Where the class's ``__init__`` only stores its arguments (:func:`_slots_filled_by_init`), the
    decoder stores them in the record's slots itself: a frozen dataclass's ``__init__`` sets each field
    through ``object.__setattr__``, half of what was left of decoding a mention.

    The 840 articles' stored notes as the corpus-wide steps read them (``Store.notes`` without the
    story-only fields, in the parent's serial tail; the run's collector policy) took 0.59-0.61 s of CPU
    (min of 5), 0.45 s through the written decoders, 0.38 s filling the slots (json.loads is ~0.28 s of
    it); decoded whole, as the workers do, 0.64-0.65 s, 0.47 s, 0.38-0.39 s.
    """
    dfields = dataclasses.fields(tp)
    if not dfields or any(not f.init for f in dfields):
        return record
    positional = not any(f.kw_only for f in dfields)
    env: dict[str, Any] = {"_cls": tp, "_record": record, "_intern": sys.intern, "_float": _float,
                           "_shared": _shared}
    fetch, args = [], []
    for i, (name, dec) in enumerate(fields.items()):
        v = f"v{i}"
        fetch.append(f"        {v} = data[{name!r}]")
        if dec is _identity:
            expr = v
        elif dec is _shared:
            expr = f"(_intern({v}) if type({v}) is str and len({v}) <= {SHARED_STR} else {v})"
        elif dec is _float:
            expr = f"(float({v}) if isinstance({v}, int) else {v})"
        elif dec is _tuple:
            expr = f"(None if {v} is None else tuple({v}))"
        elif getattr(dec, "each", None) is not None:
            env[f"_each{i}"] = dec.each
            expr = f"(None if {v} is None else tuple(map(_each{i}, {v})))"
        else:
            env[f"_dec{i}"] = dec
            expr = f"_dec{i}({v})"
        args.append(expr if positional else f"{name}={expr}")
    slots = _slots_filled_by_init(tp, dfields)
    if slots is not None:
        env["_new"] = object.__new__
        env.update((f"_set{i}", slot.__set__) for i, slot in enumerate(slots))
        build = ["    o = _new(_cls)", *(f"    _set{i}(o, {expr})" for i, expr in enumerate(args)), "    return o"]
    else:
        build = [f"    return _cls({', '.join(args)})"]
    source = "\n".join([
        "def decode(data):",
        "    if data is None:",
        "        return None",
        "    try:",
        *fetch,
        "    except (KeyError, TypeError):",
        "        return _record(data)",
        *build,
    ])
    exec(compile(source, f"<decoder of {tp.__qualname__}>", "exec"), env)
    decode = env["decode"]
    decode.general = record
    return decode


def _slots_filled_by_init(tp: type, dfields: tuple[dataclasses.Field[Any], ...]) -> list[Any] | None:
    """The slot of each field, in order, where the class's ``__init__`` is the one ``dataclass`` wrote and
    does nothing but store its arguments in them (a frozen one, through ``object.__setattr__``: ~1 us a
    record), so a decoder may store them itself, the record otherwise just as its ``__init__`` leaves it;
    None where anything else may happen (a ``__post_init__``, an ``__init__`` or ``__new__`` of its own)."""
    init = tp.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    if (code is None or code.co_filename != "<string>" or code.co_name != "__init__" or tp.__new__ is not object.__new__
            or hasattr(tp, "__post_init__") or "__slots__" not in tp.__dict__
            or not (tp.__dataclass_params__.frozen or tp.__setattr__ is object.__setattr__)):  # type: ignore[attr-defined]
        return None
    slots = []
    for f in dfields:
        slot = next((k.__dict__[f.name] for k in tp.__mro__ if f.name in k.__dict__), None)
        if type(slot) is not types.MemberDescriptorType:
            return None
        slots.append(slot)
    return slots


SHARED_STR = 40  # strings up to this length are decoded as one shared object per distinct value


def _shared(data: Any) -> Any:
    """A decoded string, the same object as every equal one decoded before (``sys.intern``) when short.
    ``json`` makes a new object for every value: a label ("PERSON"), a country, a rule, a name, repeated in
    every mention of every article, took a third of the corpus-wide steps' notes (14 KB an article, 9 KB
    shared). Longer strings (sentences, quotes) are seldom repeated and are left as they are.

    >>> _shared("PERSON") is _shared("".join(["PER", "SON"])), _shared(None)
    (True, None)
    """
    return sys.intern(data) if type(data) is str and len(data) <= SHARED_STR else data
