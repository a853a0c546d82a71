"""Check-worthy claims (numbers, amounts, rankings, agreements, firsts) aligned across articles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .model import Article, Claim, Notes, ValueMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_values(doc: Doc, article: Article) -> tuple[ValueMention, ...]:
    """Numbers, amounts, percentages, ranks and counts of one article, normalised."""
    return ()


def build(articles: Sequence[Article], notes: Mapping[str, Notes], families: Mapping[str, str]) -> tuple[Claim, ...]:
    """Claims with every article that reports them and the number of independent families among them."""
    return ()
