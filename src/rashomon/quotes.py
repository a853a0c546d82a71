"""Direct quotes and their speakers (map stage); the same statement across outlets (corpus stage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .entities import EntityIndex
from .model import Article, Difference, Mention, Notes, Quote, QuoteMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_quotes(doc: Doc, article: Article, mentions: Sequence[Mention]) -> tuple[QuoteMention, ...]:
    """Direct quotes in one article with cue, speaker as written and speaker resolved within the article."""
    return ()


def build(articles: Sequence[Article], notes: Mapping[str, Notes], entities: EntityIndex,
          families: Mapping[str, str]) -> tuple[tuple[Quote, ...], tuple[Difference, ...]]:
    """Contract quotes with speaker entities and groups, plus quote-wording differences."""
    return (), ()
