"""Story placing's array functions (corpus stage): pure functions of arrays that
:class:`~rashomon.group.stories.StoryIndex` and its block clustering
(:class:`~rashomon.group.story_linkage.StoryLinkage`) apply: arrays grown by doubling, sentence bitmasks as
bits, a lone article attached to the group it is closest to, the dates an article mentions, and the time
factor of dated pairs.
"""

from __future__ import annotations

import numpy as np

from ..model import Notes
from . import represent

BIG_GAP = 1 << 30  # "no gap known"


def grown(a: np.ndarray, size: int, fill: int) -> np.ndarray:
    """``a`` with its first axis grown to ``size``, the new rows ``fill``.

    >>> grown(np.array([[1, 2]]), 3, -1).tolist()
    [[1, 2], [-1, -1], [-1, -1]]
    """
    out = np.full((size, *a.shape[1:]), fill, dtype=a.dtype)
    out[:len(a)] = a
    return out


def sentence_bits(masks: np.ndarray) -> np.ndarray:
    """Sentence bitmasks (uint32) as rows of 32 zeros and ones, bit 0 first.

    >>> sentence_bits(np.array([5], dtype=np.uint32))[0, :4].tolist()
    [1, 0, 1, 0]
    """
    return np.unpackbits(masks.astype("<u4").view(np.uint8).reshape(-1, 4), axis=1, bitorder="little")


def attach_lone(labels: np.ndarray, sims: np.ndarray, bar: float) -> np.ndarray:
    """Labels after each lone article joins the group of two or more it is most similar to on average, when
    that average reaches ``bar`` (below the merge threshold): starting a new event takes more evidence than
    joining one, and a report that shares a story's names but tells it from another angle is an outlier of
    that story, not a story of its own.

    >>> sims = np.array([[1, .9, .13], [.9, 1, .12], [.13, .12, 1]])
    >>> attach_lone(np.array([1, 1, 2]), sims, 0.12).tolist(), attach_lone(np.array([1, 1, 2]), sims, 0.13).tolist()
    ([1, 1, 1], [1, 1, 2])
    """
    ids, sizes = np.unique(labels, return_counts=True)
    groups = ids[sizes >= 2]
    lone = np.flatnonzero(np.isin(labels, ids[sizes == 1]))
    if not len(groups) or not len(lone):
        return labels
    member = labels[None, :] == groups[:, None]  # (groups, articles)
    means = (sims[lone] @ member.T) / member.sum(axis=1)  # (lone, groups)
    best = means.argmax(axis=1)
    out = labels.copy()
    join = means[np.arange(len(lone)), best] >= bar - 1e-9
    out[lone[join]] = groups[best[join]]
    return out


def date_refs(notes: Notes, span: tuple[int, int] | None, window: int, limit: int) -> np.ndarray:
    """Spans of the dates an article mentions away from its own date (at most ``limit``, in text order):
    a trial report names the day of the shooting, a follow-up the day of the first report."""
    out: list[tuple[int, int]] = []
    if span is not None:
        for t in notes.times:
            ref = represent.date_span(t.value)
            if ref is None or ref in out or represent.date_gap(ref, span) <= window:
                continue
            out.append(ref)
            if len(out) == limit:
                break
    return np.array(out, dtype=np.int32).reshape(-1, 2)


def _span_gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Days between spans (0 when they overlap), broadcast over the leading axes; -1 spans are missing."""
    gap = np.maximum(0, np.maximum(a[..., 0] - b[..., 1], b[..., 0] - a[..., 1]))
    return np.where((a[..., 0] >= 0) & (b[..., 0] >= 0), gap, BIG_GAP)


def time_factor(a: np.ndarray, b: np.ndarray, refs_a: np.ndarray, refs_b: np.ndarray, window: int) -> np.ndarray:
    """Similarity factor for dated pairs (spans ``a`` (n, 2) against ``b`` (m, 2), their mentioned spans
    ``refs_a`` (n, k, 2) and ``refs_b`` (m, k, 2)): 1 within ``window`` days, then ``window / gap``, so a
    follow-up two weeks later still joins but the same festival a year later does not.

    The gap is the smaller of the two dates' distance and the distance from either date to a date the
    other text mentions: a report of a trial two years after a shooting names the day of the shooting,
    while next year's festival report does not name last year's.

    >>> s = np.array([represent.date_span(x) for x in ("2026-03-01", "2026-03-29", "2027-03-01")])
    >>> none = np.full((3, 1, 2), -1)
    >>> np.round(time_factor(s[:1], s, none[:1], none, 10), 2).tolist()
    [[1.0, 0.36, 0.03]]
    >>> back = none.copy(); back[2, 0] = represent.date_span("2026-03")  # the third names March 2026
    >>> np.round(time_factor(s[:1], s, none[:1], back, 10), 2).tolist()
    [[1.0, 0.36, 1.0]]
    >>> undated = np.full((1, 2), -1)
    >>> time_factor(undated, s, none[:1], back, 10).tolist()  # a pair with an undated side is not scaled
    [[1.0, 1.0, 1.0]]
    """
    a_dated, b_dated = a[:, 0] >= 0, b[:, 0] >= 0
    if not (a_dated.any() and b_dated.any()):  # an undated corpus: no pair has a gap (the same result, early)
        return np.ones((len(a), len(b)))
    dated = a_dated[:, None] & b_dated[None, :]
    gap = _span_gap(a[:, None, :], b[None, :, :])
    # a's date against the dates b mentions, and b's against the dates a mentions (a missing one is no gap)
    if refs_b.size and (refs_b[:, :, 0] >= 0).any():
        gap = np.minimum(gap, _span_gap(a[:, None, None, :], refs_b[None, :, :, :]).min(axis=2))
    if refs_a.size and (refs_a[:, :, 0] >= 0).any():
        gap = np.minimum(gap, _span_gap(refs_a[:, None, :, :], b[None, :, None, :]).min(axis=2))
    factor = np.minimum(1.0, window / np.maximum(gap, 1.0))
    return np.where(dated, factor, 1.0)
