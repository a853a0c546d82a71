"""The corpus (reduce) stage: every corpus-wide step over a set of annotated articles, in order. Pure: no I/O.

families and stories (unless the store's indexes already placed them) -> inferred dates -> canonical entities
-> quote groups -> timeline -> merged events -> per story: claims, differences, the brief -> threads.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from ..agree import brief, claims, compare
from ..config import Config
from ..group import story_titles, threads
from ..group.families import FamilyIndex
from ..group.stories import StoryIndex
from ..model import (
    Analysis,
    Article,
    BriefSentence,
    Claim,
    Difference,
    Entity,
    Event,
    Notes,
    Quote,
    RunSummary,
    Story,
    TimelineItem,
)
from ..what import event_merge
from ..when import timeline as temporal
from ..who import entities, quote_groups
from .progress import Progress, Silent

R = TypeVar("R")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def warm_up() -> None:
    """Load the tables the corpus-wide stages keep per process (places, given names, the passage
    embedding model, figure patterns): a second or two on first use, which the runner spends while the
    workers parse rather than after them.

    >>> warm_up()  # later calls cost nothing: everything is cached per process
    """
    from ..text import geo, quantities, textsim
    from ..who import names

    geo.lookup("Kethra")
    names.given_gender("Ilsa")
    textsim.vectors(["Premier Ilsa Marrow met the envoys."])
    quantities.figures("40 million marks")


class StoryMapper(Protocol):
    """What runs the per-story part of the reduce elsewhere (the runner's worker pool): ``fn(item, *args)``
    for each item, results in input order."""

    @property
    def workers(self) -> int: ...

    def imap(self, fn: Callable[..., R], items: Iterable[Any], *args: Any,
             in_flight: int | None = None) -> Iterator[R]: ...


# Stories handed to the per-story part's workers and not yet taken back, per worker. Results are taken in
# story order, so with two per worker (the map stage's bound) a worker that finished its stories waited
# while the other worked on a big one; a story in flight holds only its stored notes (~15 KB an article).
STORIES_IN_FLIGHT = 16


# What the per-story part alone reads of an article's notes (figures, stances) and what only placing reads
# (the document vector): the corpus-wide steps never do, so a caller may hand :func:`reduce` notes without
# them (:func:`corpus_notes`) and the whole notes story by story (``whole``). At 100k articles the notes
# of every article at once were most of the run's memory, the vectors alone 256 floats an article.
STORY_ONLY_FIELDS = ("values", "stances", "vector")


class Encoded(Protocol):
    """An article's notes still encoded (the store's :class:`~rashomon.store.StoredNotes`): decoded where the
    per-story part runs, in a worker, not by the process that hands the story over."""

    def decode(self) -> Notes: ...


NotesOf = Callable[[Sequence[str]], Mapping[str, "Notes | Encoded"]]


def corpus_notes(notes: Notes) -> Notes:
    """An article's notes as the corpus-wide steps read them: without :data:`STORY_ONLY_FIELDS`.

    >>> from rashomon.model import ValueMention
    >>> corpus_notes(Notes("a1", values=(ValueMention("40", 0, 2, 0, "number", 40.0),), vector=(0.5,))).values
    ()
    """
    empty: dict[str, Any] = dict.fromkeys(STORY_ONLY_FIELDS, ())
    return dataclasses.replace(notes, **empty)


def reduce(articles: Sequence[Article], notes: Mapping[str, Notes], config: Config,
           families: Mapping[str, str] | None = None, story_of: Mapping[str, str] | None = None,
           run: RunSummary | None = None, mapper: StoryMapper | None = None,
           progress: Progress | None = None, whole: NotesOf | None = None) -> Analysis:
    """The whole analysis of a set of annotated articles. Pure: no I/O.

    ``families`` and ``story_of`` may come from the store's incremental indexes; when absent they are
    computed here over ``articles`` in the given order. The corpus-wide steps (dates, entities, quote
    groups, timeline, events) run here; the per-story part (claims, differences, the brief: most of the
    work) runs story by story, in ``mapper``'s processes when one is given — the same result either way.
    ``progress`` hears each step with its total (the corpus-wide steps, then one count per story); it
    changes nothing in the result.

    With ``whole`` (the runner's, over the store), ``notes`` may be :func:`corpus_notes` (placing must
    then be given): each story's whole notes are asked of ``whole`` when its turn comes, with what the
    corpus-wide steps changed (dates re-resolved) kept, and dropped once the story is done, so only a few
    stories' whole notes are ever held at once. ``notes`` is then this function's to consume: a ``dict``
    given is emptied once the dates are inferred, and every article's notes are let go once the
    corpus-wide steps are done (all but the re-resolved times of the articles given a date), so the
    per-story part, the threads and the caller's writing never hold them (14 KB an article).
    """
    progress = progress or Silent()
    if families is None:
        index = FamilyIndex(config)
        index.extend(articles)
        families = index.assignments()
    if story_of is None:
        sindex = StoryIndex(config)
        for a in articles:
            sindex.add(a, notes[a.id], families.get(a.id))
        story_of = sindex.assignments()
    corpus = corpus_part(articles, notes, families, story_of, progress, let_go=whole is not None)
    return story_parts(corpus, config, families, run, mapper, progress, whole)


@dataclass(slots=True)
class CorpusPart:
    """What the corpus-wide steps of :func:`reduce` found (:func:`corpus_part`), for the per-story part and
    the threads (:func:`story_parts`): the articles placed and dated, the notes the per-story part starts
    from (with ``whole``: only the re-resolved times, :class:`_Redated`), and the corpus' entities, quotes,
    quote differences, timeline and merged events. Picklable: the runner may compute it in a process of its
    own and read it back."""

    articles: list[Article]
    notes: Mapping[str, Notes]
    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    quote_diffs: tuple[Difference, ...]
    timeline: tuple[TimelineItem, ...]
    events: tuple[Event, ...]


def corpus_part(articles: Sequence[Article], notes: Mapping[str, Notes], families: Mapping[str, str],
                story_of: Mapping[str, str], progress: Progress, let_go: bool = False) -> CorpusPart:
    """The corpus-wide steps of :func:`reduce` (dates, entities, quote groups, timeline, events) over placed
    articles. With ``let_go`` (the per-story part will read each story's whole notes elsewhere), ``notes``
    is consumed as :func:`reduce` says for ``whole``."""
    arts = [dataclasses.replace(a, family=families.get(a.id, a.id), story=story_of.get(a.id)) for a in articles]
    progress.stage("dates, entities, quotes, timeline and events", 5)
    given = notes
    arts, notes = temporal.infer_dates(arts, notes, story_of)  # a new dict: ``given`` is not needed again
    redated = [aid for aid, n in notes.items() if given.get(aid) is not n]  # their times were re-resolved
    if let_go and isinstance(given, dict):
        given.clear()
    del given
    progress.advance()
    ents, eindex = entities.resolve(arts, notes)
    progress.advance()
    qs, quote_diffs = quote_groups.build(arts, notes, eindex, families)
    progress.advance()
    items = temporal.timeline(arts, notes)
    progress.advance()
    evs = event_merge.build(arts, notes, eindex)
    progress.advance()
    del eindex
    if let_go:  # the corpus-wide steps are done: each story's notes come from ``whole`` from now on
        notes = _Redated(set(notes), {aid: notes[aid].times for aid in redated})
    return CorpusPart(arts, notes, ents, qs, quote_diffs, items, evs)


def story_parts(corpus: CorpusPart, config: Config, families: Mapping[str, str], run: RunSummary | None = None,
                mapper: StoryMapper | None = None, progress: Progress | None = None,
                whole: NotesOf | None = None) -> Analysis:
    """The rest of :func:`reduce` after :func:`corpus_part`: claims, differences and the brief story by story
    (in ``mapper``'s processes when given), then the threads; the Analysis."""
    progress = progress or Silent()
    arts, notes, ents, qs = corpus.articles, corpus.notes, corpus.entities, corpus.quotes
    quote_diffs, items, evs = corpus.quote_diffs, corpus.timeline, corpus.events
    del corpus

    # each story's quotes, quote differences and events in their corpus order, gathered in one pass
    # (filtering the whole corpus' lists once per story would cost stories x items)
    story_of_article = {a.id: a.story for a in arts}
    story_quotes = _by_story(qs, lambda q: (q.article_id,), story_of_article)
    story_quote_diffs = _by_story(quote_diffs, lambda d: d.article_ids, story_of_article)
    story_events = _by_story(evs, lambda e: e.article_ids, story_of_article)
    # claims, differences and the brief story by story: each story's passages and claim alignment are
    # computed once and still cached when the next step reads them (stage by stage, a corpus bigger than
    # the caches would split and align every story again for each stage)
    groups = compare.story_groups(arts)
    progress.stage("comparing sources and writing briefs, story by story", len(groups))
    parts = (StoryPart(group, _story_notes(group, notes, whole),
                       {a.id: families[a.id] for a in group if a.id in families},
                       story_quotes.get(group[0].story or "", []), story_quote_diffs.get(group[0].story or "", []),
                       story_events.get(group[0].story or "", []))
             for group in groups)
    done = (mapper.imap(story_part, parts, config, in_flight=mapper.workers * STORIES_IN_FLIGHT)
            if mapper is not None else (story_part(x, config) for x in parts))
    cls: list[Claim] = []
    found: list[Difference] = []
    story_list = []
    for group_claims, group_diffs, story in done:
        progress.advance()
        cls.extend(group_claims)
        found.extend(group_diffs)
        if story is not None:
            story_list.append(story)
    diffs = tuple(quote_diffs) + tuple(found)
    story_list.sort(key=lambda s: (s.date or "", len(s.article_ids)), reverse=True)
    top_brief = story_list[0].brief if len(story_list) == 1 else ()
    progress.stage("linking stories into threads", 1)
    linked = threads.link(threads.facts(story_list, ents), config.thread_threshold, config.thread_min_names)
    progress.advance()
    return Analysis(generated_at=now_iso(), articles=tuple(arts), stories=tuple(story_list), entities=ents,
                    quotes=qs, claims=tuple(cls), events=evs, timeline=items, differences=diffs, brief=top_brief,
                    threads=tuple(linked), run=run or RunSummary())


class _Redated(Mapping[str, Notes]):
    """What :func:`reduce` keeps of the corpus-wide steps' notes once they are done: which articles had
    notes, and the times the dates step re-resolved (the rest is read again, story by story, from ``whole``).
    Looked up, an article's notes are empty but for those times; :func:`_story_notes` fills in the rest."""

    def __init__(self, ids: set[str], times: dict[str, tuple[Any, ...]]) -> None:
        self.ids, self.times = ids, times

    def __getitem__(self, aid: str) -> Notes:
        if aid not in self.ids:
            raise KeyError(aid)
        return Notes(aid)

    def __contains__(self, aid: object) -> bool:
        return aid in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _story_notes(group: Sequence[Article], notes: Mapping[str, Notes],
                 whole: NotesOf | None) -> dict[str, Notes | _Later]:
    """The notes of one story's articles for its per-story part: ``notes``, with the fields the corpus-wide
    steps went without taken from ``whole`` when given. Once the corpus-wide steps are done ``notes`` holds
    only the re-resolved times (:class:`_Redated`): each article's notes are then ``whole``'s, with those
    times; those ``whole`` gives still encoded stay so (:class:`_Later`), for :func:`story_part` to decode
    (in its worker: this process neither decodes them nor pickles the records)."""
    if isinstance(notes, _Redated):
        assert whole is not None  # noqa: S101 - only made when ``whole`` is given
        ids = [a.id for a in group if a.id in notes]
        full = whole(ids)
        out: dict[str, Notes | _Later] = {}
        for aid in ids:
            found = full.get(aid)
            if found is None or isinstance(found, Notes):
                out[aid] = dataclasses.replace(found or Notes(aid), **_times(notes.times, aid))
            else:  # decoded by the per-story part (in its worker), these times put in then
                out[aid] = _Later(found, _times(notes.times, aid))
        return out
    mine = {a.id: notes[a.id] for a in group if a.id in notes}
    if whole is None:
        return dict(mine)
    full = {aid: x if isinstance(x, Notes) else x.decode() for aid, x in whole(list(mine)).items()}
    return {aid: dataclasses.replace(n, **({name: getattr(full[aid], name) for name in STORY_ONLY_FIELDS}
                                           if aid in full else {}))
            for aid, n in mine.items()}


@dataclass(frozen=True, slots=True)
class _Later:
    """An article's notes for the per-story part, still encoded: :meth:`notes` decodes them and puts in what
    the corpus-wide steps changed (the times they re-resolved)."""

    encoded: Encoded
    changed: dict[str, Any]

    def notes(self) -> Notes:
        return dataclasses.replace(self.encoded.decode(), **self.changed)


def _times(times: Mapping[str, tuple[Any, ...]], aid: str) -> dict[str, Any]:
    return {"times": times[aid]} if aid in times else {}


@dataclass(frozen=True, slots=True)
class StoryPart:
    """What the per-story part of the reduce needs of one story (or of the articles no story holds)."""

    articles: list[Article]
    notes: dict[str, Notes | _Later]  # some perhaps still encoded (:class:`_Later`): decoded by story_part
    families: dict[str, str]
    quotes: list[Quote]
    quote_diffs: list[Difference]
    events: list[Event]


def story_part(part: StoryPart, config: Config) -> tuple[tuple[Claim, ...], tuple[Difference, ...], Story | None]:
    """Claims, differences and (for a story) the Story with its brief: the reduce's per-story part, pure."""
    group = part.articles
    notes = {aid: n.notes() if isinstance(n, _Later) else n for aid, n in part.notes.items()}
    group_claims = claims.build(group, notes, part.families)
    group_diffs = compare.differences(group, notes, group_claims, part.families)
    sid = group[0].story
    if not sid:
        return group_claims, group_diffs, None
    fams: dict[str, list[str]] = defaultdict(list)
    for a in group:
        fams[a.family or a.id].append(a.id)
    title, date = story_titles.describe(group, notes)
    story = Story(id=sid, title=title, article_ids=tuple(a.id for a in group),
                  families=tuple(tuple(v) for v in fams.values()), independent_sources=len(fams), date=date)
    sentences = brief.write(story, group, notes, group_claims, part.quote_diffs + list(group_diffs),
                            part.quotes, part.events, config)
    return group_claims, group_diffs, dataclasses.replace(story, brief=_languages(sentences, group, part.families))


def _languages(sentences: Sequence[BriefSentence], group: Sequence[Article],
               families: Mapping[str, str]) -> tuple[BriefSentence, ...]:
    """Each brief sentence marked with its language where it is not English: the language of the article
    it was taken from (its first citation), which it keeps, untranslated. A sentence in another language
    that only repeats, in its translation's words, a sentence the brief already has from the same family
    (the same anchors: names, figures, days) is dropped: the family said it once."""
    from ..group import crossing

    lang = {a.id: a.language for a in group}
    found = [lang.get(b.article_ids[0]) if b.article_ids else None for b in sentences]
    if all(x in (None, "en") for x in found):
        return tuple(sentences)
    anchors = [crossing.sentence_anchors(b.text, x or "en") for b, x in zip(sentences, found, strict=True)]
    out = []
    for k, (b, x) in enumerate(zip(sentences, found, strict=True)):
        if x in (None, "en"):
            out.append(b)
            continue
        family = families.get(b.article_ids[0])
        figures = {a for a in anchors[k] if a.startswith("#")}
        if len(anchors[k]) >= 2 and any(
                j != k and found[j] != x and families.get(o.article_ids[0]) == family
                and (len(anchors[k] & anchors[j]) >= 0.6 * len(anchors[k]) or figures and figures <= anchors[j])
                for j, o in enumerate(sentences) if o.article_ids):
            continue
        out.append(dataclasses.replace(b, language=x))
    return tuple(out)


def _by_story(items: Iterable[R], article_ids: Callable[[R], Iterable[str]],
              story_of: Mapping[str, str | None]) -> dict[str, list[R]]:
    """Items grouped by the stories of their articles, each story's list in the items' order.

    >>> _by_story(["x", "y"], lambda i: ("a1", "b1") if i == "x" else ("b2",), {"a1": "s1", "b1": "s2", "b2": "s2"})
    {'s1': ['x'], 's2': ['x', 'y']}
    """
    out: dict[str, list[R]] = defaultdict(list)
    for item in items:
        for sid in dict.fromkeys(story_of.get(x) for x in article_ids(item)):
            if sid:
                out[sid].append(item)
    return dict(out)
