"""Evaluation measures shared by the benchmarks and tests (not used by the pipeline itself).

>>> bcubed({"a": "s1", "b": "s1", "c": "s2"}, {"a": 1, "b": 2, "c": 2})
(0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering ``pred`` (item -> cluster) against ``gold``, over
    the items of ``gold`` (the definition ``../shared/tools/score.py clustering`` uses)."""
    pc: dict[Hashable, set[str]] = defaultdict(set)
    gc: dict[Hashable, set[str]] = defaultdict(set)
    for k in gold:
        pc[pred[k]].add(k)
        gc[gold[k]].add(k)
    p = sum(len(pc[pred[k]] & gc[gold[k]]) / len(pc[pred[k]]) for k in gold) / len(gold)
    r = sum(len(pc[pred[k]] & gc[gold[k]]) / len(gc[gold[k]]) for k in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)
