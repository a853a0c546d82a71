"""The per-article (map) stage: parse with spaCy once, run every per-article extractor, return Notes.

This is the part that runs in parallel (``--workers``) or as a partitioned map on Dask. It touches no
database and no global state beyond the process-wide spaCy pipeline.

>>> from rashomon.model import Article
>>> notes = annotate([Article(id="a1", input="-", text="Mark Carney met Sanae Takaichi in Tokyo on Friday.",
...                           date="2026-03-06")])
>>> notes[0].article_id, len(notes[0].sentences)
('a1', 1)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..agree.stance import find_stances
from ..config import Config
from ..group.features import embed
from ..model import Article, Notes, Sentence
from ..text import nlp
from ..text.quantities import find_values
from ..what.events import find_events
from ..when.times import find_times, sentence_tense
from ..who.mentions import find_mentions
from ..who.quotes import find_quotes


def annotate(articles: Sequence[Article], config: Config | None = None) -> list[Notes]:
    """Notes for each article, in order."""
    config = config or Config()
    vectors = embed([a.text for a in articles])
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
