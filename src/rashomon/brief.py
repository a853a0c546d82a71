"""The cited brief: a short account in which every sentence cites and is checked against its sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .config import Config
from .model import Article, BriefSentence, Claim, Difference, Event, Notes, Quote, Story


def write(story: Story, articles: Sequence[Article], notes: Mapping[str, Notes], claims: Sequence[Claim],
          differences: Sequence[Difference], quotes: Sequence[Quote], events: Sequence[Event],
          config: Config) -> tuple[BriefSentence, ...]:
    """The story's brief, each sentence citing the articles that support it."""
    return ()
