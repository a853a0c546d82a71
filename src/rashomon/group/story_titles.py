"""A story's title and main date, for the output (corpus stage): :func:`describe` reads the articles
:class:`~rashomon.group.stories.StoryIndex` put in one story.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Notes
from ..text import textsim
from . import represent


def describe(articles: Sequence[Article], notes: dict[str, Notes]) -> tuple[str, str | None]:
    """A story's title and main date.

    The title is the headline (or, without headlines, the first sentence) that shares the most content
    words with the other articles' headlines and leads; the date is the one most independent reports
    carry (one vote per family, the earliest among equals), counting only dates the reports give
    themselves (a header, metadata, a dateline): a date inferred from the story would only echo the vote,
    so inferred dates decide only when no report is dated.

    >>> a = [Article(id="1", input="-", text="Ferry sinks off Port Avel.", title="Ferry sinks", date="2026-05-02"),
    ...      Article(id="2", input="-", text="A ferry sank near Port Avel on Friday.", date="2026-05-02"),
    ...      Article(id="3", input="-", text="Port Avel ferry sinking: 80 rescued.", date="2026-05-03")]
    >>> describe(a, {})
    ('Ferry sinks', '2026-05-02')
    """
    if not articles:
        return "", None
    heads = []
    for a in articles:
        lead = represent.sentences(a.text[:600])
        first = lead[0] if lead else a.text[:120]
        heads.append((a.title.strip() if a.title and a.title.strip() else "", first))
    keys = [textsim.keys(t or f) for t, f in heads]
    titled = [k for k, (t, _) in enumerate(heads) if t]
    pool = titled or list(range(len(heads)))

    def support(k: int) -> float:
        return sum(len(keys[k] & keys[j]) for j in range(len(keys)) if j != k) / (1.0 + 0.02 * len(keys[k]))

    best = max(pool, key=lambda k: (support(k), -k))
    title = heads[best][0] or _clip(heads[best][1])
    return title, _main_date(articles)


def _main_date(articles: Sequence[Article]) -> str | None:
    """The date most families give themselves (see :func:`describe`)."""
    own = [a for a in articles if a.date and a.date_source != "inferred"] or [a for a in articles if a.date]
    votes: dict[str, set[str]] = {}
    for a in own:
        votes.setdefault(a.date or "", set()).add(a.family or a.id)
    return min(votes, key=lambda d: (-len(votes[d]), d)) if votes else None


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
