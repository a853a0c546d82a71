"""Where the reports differ: numbers, contradictions and facts only one family reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import Article, Claim, Difference, Notes


def differences(articles: Sequence[Article], notes: Mapping[str, Notes], claims: Sequence[Claim],
                families: Mapping[str, str]) -> tuple[Difference, ...]:
    """Number mismatches, contradictions and only-in items (quote wording comes from :mod:`quotes`)."""
    return ()
