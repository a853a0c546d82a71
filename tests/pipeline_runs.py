"""Real runs of the whole pipeline (ingest -> clean -> annotate -> reduce), once per test process.

Claims, compare, brief and report tests look at the same runs over the seeds and the example corpus;
caching them here keeps the suite fast (one spaCy pass per corpus, not one per test module).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from rashomon.config import Config
from rashomon.model import Analysis, Article, Notes, RawDocument
from rashomon.read.clean import clean
from rashomon.read.ingest import iter_inputs
from rashomon.run import reduce as pipeline
from rashomon.run.annotate import annotate

from .conftest import EXAMPLES, SEEDS


def read(paths: list[Path], config: Config) -> list[Article]:
    """Cleaned articles from input files, as the CLI reads them."""
    out = []
    for item in iter_inputs([str(p) for p in paths], config):
        if isinstance(item, RawDocument):
            art = clean(item, config)
            if isinstance(art, Article):
                out.append(art)
    return out


@lru_cache(maxsize=4)
def run(corpus: str, brief_sentences: int = 8) -> tuple[Analysis, dict[str, Notes]]:
    """The analysis of ``corpus`` ("seeds" or "examples") and the notes it was built from."""
    config = Config().with_overrides(brief_sentences=brief_sentences)
    articles, notes = _annotated(corpus)
    return pipeline.reduce(articles, notes, config), notes


@lru_cache(maxsize=2)
def _annotated(corpus: str) -> tuple[list[Article], dict[str, Notes]]:
    folder = {"seeds": SEEDS, "examples": EXAMPLES}[corpus]
    config = Config()
    articles = read(sorted(folder.iterdir()), config)
    notes = {n.article_id: n for n in annotate(articles, config)}
    return articles, notes


def by_prefix(analysis: Analysis, prefix: str) -> Article:
    """The article read from the input file whose name starts with ``prefix``."""
    return next(a for a in analysis.articles if Path(a.input.split("#")[0].split(":")[0]).name.startswith(prefix))


def with_story(articles: list[Article], story: str = "s") -> list[Article]:
    return [dataclasses.replace(a, story=story) for a in articles]
