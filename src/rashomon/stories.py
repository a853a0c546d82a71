"""Stories: articles about the same real-world event, built incrementally as articles arrive."""

from __future__ import annotations

from collections.abc import Sequence

from .config import Config
from .model import Article, Notes


def embed(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """Dense document vectors from a model that ships inside its package (computed in the map stage)."""
    return [() for _ in texts]


class StoryIndex:
    """Incremental story assignment: each new article joins an existing story or starts a new one."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._story: dict[str, str] = {}

    def add(self, article: Article, notes: Notes, family: str | None = None) -> str:
        """Place one article; returns its story id."""
        self._story[article.id] = "s-" + article.id
        return self._story[article.id]

    def assignments(self) -> dict[str, str]:
        """article id -> story id."""
        return dict(self._story)


def describe(articles: Sequence[Article], notes: dict[str, Notes]) -> tuple[str, str | None]:
    """A story's title and main date from its articles."""
    titled = [a.title for a in articles if a.title]
    dates = sorted(a.date for a in articles if a.date)
    return (titled[0] if titled else (articles[0].text[:80] if articles else "")), (dates[0] if dates else None)
