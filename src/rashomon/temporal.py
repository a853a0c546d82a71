"""Temporal expressions resolved against the article date (map stage); inferred article dates and the
merged timeline (corpus stage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .model import Article, Notes, TimelineItem, TimeMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_times(doc: Doc, article: Article) -> tuple[TimeMention, ...]:
    """Temporal expressions of one article, resolved against ``article.date`` where it is known."""
    return ()


def infer_dates(articles: Sequence[Article], notes: Mapping[str, Notes],
                stories: Mapping[str, str]) -> tuple[list[Article], dict[str, Notes]]:
    """Fill missing article dates from the story and the text (``date_source='inferred'``); re-resolve times."""
    return list(articles), dict(notes)


def timeline(articles: Sequence[Article], notes: Mapping[str, Notes]) -> tuple[TimelineItem, ...]:
    """Every dated statement, the same happening across outlets merged into one item, sorted by date."""
    return ()
