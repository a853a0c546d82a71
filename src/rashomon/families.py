"""Syndication families: copies, light edits, rewrites and translations of the same report.

A family counts once as an independent source. Families are the connected components of a symmetric
"same report" relation, so the partition does not depend on arrival order.
"""

from __future__ import annotations

from collections.abc import Iterable

from .config import Config
from .model import Article


class FamilyIndex:
    """Incremental family assignment: ``add`` articles as they arrive, read ``assignments`` any time."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._family: dict[str, str] = {}

    def add(self, article: Article) -> str:
        """Place one article; returns its family id."""
        self._family[article.id] = article.id
        return article.id

    def extend(self, articles: Iterable[Article]) -> None:
        for a in articles:
            self.add(a)

    def assignments(self) -> dict[str, str]:
        """article id -> family id for every article added so far."""
        return dict(self._family)
