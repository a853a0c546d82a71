"""What grouping compares, per article (map stage): computed where the article is parsed — a worker
process or a Dask worker — and handed to the corpus stage's indexes, which never need the text again.

* :class:`Features` (:func:`features`): a report's fingerprint for :class:`~rashomon.group.families.FamilyIndex`
  — MinHash of word shingles (copies) and content stems (rewrite candidates), each sentence's content
  keys, its quotes, figures, wire agency, names and date, and what crosses languages (its language, each
  sentence's anchors and their MinHash, :mod:`rashomon.group.crossing`) for translations;
* :func:`story_counts`: the weighted story features for :class:`~rashomon.group.stories.StoryIndex`;
* :func:`embed`: the dense document vector stored in ``Notes.vector``;
* :func:`placing_features`: what placing one article needs, as the runner's workers return it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..config import Config
from ..model import Article, Notes
from ..read import metadata
from . import crossing, represent
from .minhash import LeanMinHash, minhash

_WORD = re.compile(r"\w+")
MAX_SENTENCES = 200  # a longer text is aligned on its first 200 sentences
MATCH_MIN_KEYS = 3  # a sentence with fewer content keys is not kept for alignment
SHORT_TEXT = 40  # words: a text shorter than this is told apart from others by its headline too
STUB_WORDS = 15  # words: a text shorter than this holds no reporting of its own; its headline places it

@dataclass(frozen=True, slots=True)
class Features:
    """What placing an article in a family needs of its text: computed per article, anywhere (a worker
    process, a Dask worker), and handed to :meth:`FamilyIndex.add` or compared pairwise."""

    shingles: LeanMinHash  # word shingles, for copies
    content: LeanMinHash  # content stems, for rewrite candidates
    sentences: tuple[frozenset[str], ...]  # content keys of each sentence with enough of them, in order
    quotes: tuple[frozenset[str], ...]
    figures: frozenset[str]
    agency: str | None
    names: frozenset[str]  # names used inside sentences (represent.names)
    dates: tuple[int, int] | None  # the article's date as (first, last) day ordinal (represent.date_span)
    language: str | None = None
    anchors: tuple[frozenset[str], ...] = ()  # each sentence's anchors (crossing.anchors)
    anchor_hash: LeanMinHash | None = None  # MinHash of all its anchors, for translation candidates
    anchor_names: frozenset[str] = frozenset()  # the names and states among them


def features(article: Article, config: Config, own: str | None = None) -> Features:
    """The family features of one article (the same in every process for the same text and config).

    >>> from rashomon.model import Article
    >>> f = features(Article(id="a", input="-", text="Kessin's council voted to close the port (AFP)."), Config())
    >>> f.agency, len(f.shingles.hashvalues)
    ('AFP', 128)
    """
    # embedded posts and reader prompts are no shared reporting (``own``: this, when the caller has it)
    text = represent.own_text(article.text) if own is None else own
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHORT_TEXT and article.title and article.title not in text:
        # too few words of its own to tell one report from another (a page holding its site's stub): the
        # headline says which report it is
        words = [w.lower() for w in _WORD.findall(article.title)] + words
    k = config.family_shingle
    shingles = {" ".join(words[i:i + k]).encode() for i in range(max(1, len(words) - k + 1))}
    split = represent.sentences(text)  # split once: the content keys, the anchors and the names read it
    sent_keys = [represent.content_keys(s) for s in split[:MAX_SENTENCES]]
    stems = set().union(*sent_keys) if sent_keys else set()
    anchors = tuple(crossing.anchors(text, article.language, split[:MAX_SENTENCES])[:MAX_SENTENCES])
    every = set().union(*anchors) if anchors else set()
    return Features(
        language=article.language,
        anchors=anchors,
        anchor_hash=minhash({a.encode() for a in every} or {b""}, config.family_num_perm, config.seed),
        anchor_names=crossing.name_anchors(anchors),
        shingles=minhash(shingles, config.family_num_perm, config.seed),
        content=minhash({s.encode() for s in stems} or {b""}, config.family_num_perm, config.seed),
        sentences=tuple(frozenset(keys) for keys in sent_keys if len(keys) >= MATCH_MIN_KEYS),
        quotes=tuple(represent.quotes(text)),
        figures=frozenset(represent.figures(text)),
        agency=wire_agency(text),
        names=represent.names(text, article.language, split),
        dates=represent.date_span(article.date),
    )


@lru_cache(maxsize=1)
def _wire_cue() -> re.Pattern[str]:
    """One pattern for every agency cue: "(AFP)", "told AFP", "AFP reported", a "- AFP" or byline line."""
    names = "|".join(re.escape(alias) for alias, _ in metadata.agencies())
    return re.compile(rf"\((?P<a>{names})\)|\btold (?P<b>{names})\b|\b(?P<c>{names}) (?:reported|said|learned)\b"
                      rf"|^\s*(?:[—–-]|By [^\n]{{2,60}}?[,|/])\s*(?P<d>{names})\s*$", re.MULTILINE)


def wire_agency(text: str) -> str | None:
    """The news agency a text credits through a wire cue, by its canonical name; None without a cue.

    >>> wire_agency("The mayor resigned, an aide told AFP on Monday."), wire_agency("No cue here.")
    ('AFP', None)
    """
    m = _wire_cue().search(text)
    if not m:
        return None
    alias = next(g for g in m.groups() if g)
    return dict(metadata.agencies()).get(alias, alias)


def embed(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """Dense document vectors (256 floats, unit length) from wordllama's packaged weights, computed in
    batches in the map stage and stored in ``Notes.vector``.

    >>> v = embed(["Flooding closed the Kessin road.", "Floods shut a road near Kessin."])
    >>> len(v[0]), round(sum(x * y for x, y in zip(*v)), 1) > 0.5
    (256, True)
    """
    return [tuple(float(x) for x in row) for row in represent.embed(texts)]


def story_counts(article: Article, notes: Notes, own: str | None = None) -> Counter[str]:
    """An article's weighted story features (title and text words, names), before corpus weighting:
    per article, so they can be computed where the article is parsed. ``own``: the article's
    ``represent.own_text``, when the caller has it."""
    if own is None:
        own = represent.own_text(article.text)  # an embedded post or a reader prompt is no part of the story
    if article.title and len(_WORD.findall(own)) < STUB_WORDS:
        # a dozen words of its own (a page that kept only its site's stub): its headline says what it is about
        return represent.story_features(article.title, (), article.language)
    text = f"{article.title}\n{own}" if article.title and article.title not in own else own
    return represent.story_features(text, (m.text for m in notes.mentions if own is article.text
                                           or article.text[m.start:m.end] in own), article.language)


SPREAD_SENTENCES = 32  # sentences a feature's spread reads (a bit each); features only later count in none
SPREAD_MIN = 4  # sentences an article needs for its spread to be read


def sentence_spread(article: Article, notes: Notes, keys: Iterable[str]) -> tuple[int, ...] | None:
    """For each of ``keys`` (an article's :func:`story_counts`, in their order), a bitmask of the sentences
    (the first ``SPREAD_SENTENCES`` of the parse) whose own words give that feature: where in the text what
    it shares with another article lies (:data:`rashomon.group.stories.SPREAD_BAR`). None for an article of
    fewer than ``SPREAD_MIN`` sentences (a short text's overlap lies in one sentence whatever it reports).

    >>> from rashomon.model import Sentence
    >>> text = "Kell won. Ollis lost. Rain fell. Kell left."
    >>> n = Notes("a", sentences=tuple(Sentence(s, e) for s, e in ((0, 9), (10, 21), (22, 32), (33, 43))))
    >>> sentence_spread(Article(id="a", input="-", text=text), n, ["n:kell", "t:fell", "n:avel"])
    (9, 4, 0)
    """
    if len(notes.sentences) < SPREAD_MIN:
        return None
    where = dict.fromkeys(keys, 0)
    for k, sentence in enumerate(notes.sentences[:SPREAD_SENTENCES]):
        for key in represent.story_features(article.text[sentence.start:sentence.end], (), article.language):
            if key in where:
                where[key] |= 1 << k
    return tuple(where.values())


Placing = tuple[Features, Counter[str], tuple[int, ...] | None]


def placing_features(article: Article, notes: Notes, config: Config) -> Placing:
    """What placing one article needs of its text and notes (the per-article part of placing)."""
    own = represent.own_text(article.text)
    counts = story_counts(article, notes, own)
    return features(article, config, own), counts, sentence_spread(article, notes, counts)
