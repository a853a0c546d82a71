"""PLOVER event coding: who did what to whom, when and where (map stage); merged events (corpus stage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .entities import EntityIndex
from .model import Article, Event, EventMention, Mention, Notes, TimeMention

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_events(doc: Doc, article: Article, mentions: Sequence[Mention],
                times: Sequence[TimeMention]) -> tuple[EventMention, ...]:
    """PLOVER-coded interactions reported by the sentences of one article."""
    return ()


def build(articles: Sequence[Article], notes: Mapping[str, Notes], entities: EntityIndex) -> tuple[Event, ...]:
    """Contract events, the same event reported by several articles merged into one."""
    return ()
