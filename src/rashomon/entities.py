"""Named entities: per-article mentions (map stage) and one canonical entity per referent (corpus stage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Article, Entity, Mention, Notes

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class EntityIndex:
    """Where each mention went: (article_id, mention start) -> entity id, and entity id -> Entity."""

    by_mention: Mapping[tuple[str, int], str] = field(default_factory=dict)
    by_id: Mapping[str, Entity] = field(default_factory=dict)


def find_mentions(doc: Doc, article: Article) -> tuple[Mention, ...]:
    """Entity mentions of one article, with local corrections, titles, roles and countries."""
    return ()


def resolve(articles: Sequence[Article], notes: Mapping[str, Notes]) -> tuple[tuple[Entity, ...], EntityIndex]:
    """Merge mentions across the corpus into canonical entities."""
    return (), EntityIndex()
