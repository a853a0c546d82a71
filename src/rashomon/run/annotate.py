"""The per-article (map) stage: parse with spaCy once, run every per-article extractor, return Notes.

This is the part that runs in parallel (``--workers``) or as a partitioned map on Dask. It touches no
database and no global state beyond the process-wide spaCy pipelines.

Each article is read by its own language's pipeline: English by the English one (as always), French by
the French one — loaded only when a French article comes, so an English-only run never loads it — and
an article whose language is not analysed (``Article.analysed`` is False) by no model at all: its notes
hold its sentences, the quotes its own marks hold, its ISO dates and its document vector, nothing else.
PLOVER events and stances are coded from English text only (their dictionaries are English).

>>> from rashomon.model import Article
>>> notes = annotate([Article(id="a1", input="-", text="Mark Carney met Sanae Takaichi in Tokyo on Friday.",
...                           date="2026-03-06")])
>>> notes[0].article_id, len(notes[0].sentences)
('a1', 1)
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence

from ..agree.stance import find_stances
from ..config import Config
from ..group.features import embed
from ..model import Article, Notes, Sentence
from ..text import nlp
from ..text.quantities import find_values
from ..what.events import find_events
from ..when import multilingual as when_other
from ..when.times import find_times, sentence_tense
from ..who import multilingual as who_other
from ..who.mentions import find_mentions
from ..who.quotes import find_quotes


def pipeline_of(article: Article) -> str | None:
    """The language whose pipeline reads ``article`` ("en", "fr"), or None for an article not analysed.
    A text whose language could not be told is read as English, as before languages were told apart."""
    if not article.analysed or (article.language in nlp.MODELS and nlp.missing(article.language)):
        return None  # not analysed, or stored as analysed while its model was installed and now is not
    return article.language if article.language in nlp.MODELS else "en"


def annotate(articles: Sequence[Article], config: Config | None = None) -> list[Notes]:
    """Notes for each article, in order."""
    config = config or Config()
    vectors = embed([a.text for a in articles])
    by_pipeline: dict[str | None, list[int]] = {}
    for i, a in enumerate(articles):
        by_pipeline.setdefault(pipeline_of(a), []).append(i)
    out: list[Notes | None] = [None] * len(articles)
    for language, idx in by_pipeline.items():
        chunk = [articles[i] for i in idx]
        vecs = [vectors[i] for i in idx]
        if language == "en":
            found = _english(chunk, vecs, config)
        elif language is None:
            found = [_unanalysed(a, v) for a, v in zip(chunk, vecs, strict=True)]
        else:
            found = _parsed_other(chunk, vecs, language, config)
        for i, n in zip(idx, found, strict=True):
            out[i] = n
    return [n for n in out if n is not None]


def _english(articles: Sequence[Article], vectors: Sequence[tuple[float, ...]], config: Config) -> list[Notes]:
    out = []
    # Every string a chunk's parse adds to the vocabulary (each new name, number, typo) is dropped when
    # the zone closes, so a worker's memory does not grow with the number of distinct words it has seen.
    # Nothing may outlive the zone but plain Python values: Notes hold str/int/float only, and no
    # extractor caches a Token, Span, Lexeme or string hash across calls.
    with nlp.load().memory_zone():
        docs = nlp.parse((a.text for a in articles), batch_size=config.batch_size)
        for article, doc, vector in zip(articles, docs, vectors, strict=True):
            sentences = tuple(Sentence(s.start_char, s.end_char, sentence_tense(s)) for s in doc.sents)
            mentions = find_mentions(doc, article)
            times = find_times(doc, article)
            out.append(Notes(
                article_id=article.id,
                sentences=sentences,
                mentions=mentions,
                quotes=find_quotes(doc, article, mentions),
                times=times,
                events=find_events(doc, article, mentions, times),
                values=find_values(doc, article),
                vector=tuple(vector),
                stances=find_stances(doc, article, mentions),
            ))
    return out


def _parsed_other(articles: Sequence[Article], vectors: Sequence[tuple[float, ...]], language: str,
                  config: Config) -> list[Notes]:
    """A language with its own pipeline but not English (French): its entities, quotes, dates and figures;
    no PLOVER events or stances (their dictionaries are English)."""
    out = []
    with nlp.load(language=language).memory_zone():
        docs = nlp.parse((a.text for a in articles), batch_size=config.batch_size, language=language)
        for article, doc, vector in zip(articles, docs, vectors, strict=True):
            spans = who_other.sentences(article.text, language)
            starts = [s for s, _ in spans]
            mentions = who_other.mentions(doc, article, starts)
            times = when_other.find_times_fr(doc, article, starts) if language == "fr" else \
                when_other.iso_times(article, starts)
            in_times = [(t.start, t.end) for t in times]
            values = tuple(dataclasses.replace(v, sentence=max(0, bisect.bisect_right(starts, v.start) - 1))
                           for v in find_values(doc, article)
                           if not (v.kind in {"number", "year"} and any(a <= v.start < b for a, b in in_times)))
            out.append(Notes(
                article_id=article.id,
                sentences=tuple(Sentence(s, e) for s, e in spans),
                mentions=mentions,
                quotes=who_other.quotes(doc, article, mentions, spans),
                times=times,
                values=values,
                vector=tuple(vector),
            ))
    return out


def _unanalysed(article: Article, vector: tuple[float, ...]) -> Notes:
    """An article no pipeline reads: its sentences, the quotes its language's marks hold, its ISO dates."""
    spans = who_other.sentences(article.text, article.language)
    starts = [s for s, _ in spans]
    return Notes(article_id=article.id, sentences=tuple(Sentence(s, e) for s, e in spans),
                 quotes=who_other.marked_quotes(article, starts), times=when_other.iso_times(article, starts),
                 vector=tuple(vector))
