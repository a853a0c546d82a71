"""MinHash signatures and a banded LSH index for families (shared by the map stage, which computes
signatures, and the corpus stage, which indexes them).

The signatures are datasketch's :class:`MinHash` and :class:`LeanMinHash`, imported without the rest of the
datasketch package: its ``__init__`` imports every sketch it has, and its LSH module imports
``scipy.integrate`` to tune band sizes — about 0.45 s of every start, for two integrals. :class:`Bands` is
the in-memory index families use, with datasketch's band layout and band keys (the same candidates as its
``MinHashLSH``); :func:`optimal_bands` finds the band layout by the same rule, with exact Gauss-Legendre
quadrature instead of scipy.

>>> m = minhash({b"kessin", b"port", b"vote"}, num_perm=16, seed=1)
>>> index = Bands(threshold=0.5, num_perm=16)
>>> index.insert("a", m)
>>> index.query(m)
{'a'}
"""

from __future__ import annotations

import importlib.util
import sys
import types
from array import array
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np


def _light_datasketch() -> None:
    """Make ``import datasketch.minhash`` skip the package's ``__init__`` (every sketch, scipy.integrate).
    The package module stands in until someone asks it for anything else: then its real ``__init__`` runs
    into it, so ``from datasketch import MinHashLSH`` elsewhere still works."""
    if "datasketch" in sys.modules:
        return
    spec = importlib.util.find_spec("datasketch")
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return  # not installed as a package: the import below will say so
    package = types.ModuleType("datasketch")
    package.__spec__ = spec
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__package__ = "datasketch"

    def complete(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        delattr(package, "__getattr__")
        assert spec is not None and spec.loader is not None  # noqa: S101 - checked above
        spec.loader.exec_module(package)
        return getattr(package, name)

    setattr(package, "__getattr__", complete)  # noqa: B010 - a module-level __getattr__ (PEP 562)
    sys.modules["datasketch"] = package


_light_datasketch()

from datasketch.lean_minhash import LeanMinHash  # noqa: E402
from datasketch.minhash import MinHash  # noqa: E402

__all__ = ["Bands", "LeanMinHash", "MinHash", "minhash", "optimal_bands"]


def minhash(items: set[bytes], num_perm: int, seed: int) -> LeanMinHash:
    """The signature of a set of byte strings (datasketch's, so stored signatures stay comparable)."""
    template = _template(num_perm, seed)
    m = MinHash(num_perm=num_perm, seed=seed, permutations=template.permutations, scheme=template.scheme)
    m.update_batch(list(items))
    return LeanMinHash(m)


@lru_cache(maxsize=4)
def _template(num_perm: int, seed: int) -> MinHash:
    """A MinHash whose permutations are reused: building them per article costs more than hashing."""
    return MinHash(num_perm=num_perm, seed=seed)


@lru_cache(maxsize=32)
def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """The (bands, rows) minimising the weighted false-positive and false-negative probability mass around
    ``threshold`` — datasketch's ``_optimal_param``. The integrands are polynomials of degree ``b * r <=
    num_perm`` in the similarity, so Gauss-Legendre quadrature with ``num_perm`` nodes is exact.

    >>> optimal_bands(0.5, 128), optimal_bands(0.2, 128)
    ((25, 5), (28, 2))
    """
    nodes, weights = np.polynomial.legendre.leggauss(max(2, num_perm // 2 + 1))

    def integral(lo: float, hi: float, b: int, r: int, false_positive: bool) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p = 1.0 - (1.0 - s ** float(r)) ** float(b)  # probability that a pair of similarity s collides
        return float((hi - lo) / 2 * np.sum(weights * (p if false_positive else 1.0 - p)))

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = (integral(0.0, threshold, b, r, True) * fp_weight
                     + integral(threshold, 1.0, b, r, False) * fn_weight)
            if error < best:
                best, opt = error, (b, r)
    return opt


class Bands:
    """A banded LSH index over MinHash signatures (datasketch's ``MinHashLSH`` with in-memory storage): a
    key is a candidate of a query when one band of their signatures is identical.

    Held compactly, since it grows with the corpus (one entry per band per key: 25 bands for the families'
    copies, 42 for translations): each key's banded part of its signature is one row of an array, and each
    band's table maps a 60-bit hash of the band's values to the ranks (arrival numbers) of the keys that
    have them, one int, or an ``array`` when several do. A query checks each hit's band against its own
    values, so a hash collision never makes a candidate: the candidates are exactly those of identical
    bands. (Before: a set of keys and a bytes object per band per key, ~10 KB per key.)
    """

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.b, self.r = optimal_bands(threshold, num_perm)
        self.hashranges = [(i * self.r, (i + 1) * self.r) for i in range(self.b)]
        self._tables: list[dict[int, int | array]] = [{} for _ in range(self.b)]
        self._sigs = np.zeros((0, self.b * self.r), dtype=np.uint32)  # by rank: the banded values
        self._ids: list[str | None] = []  # rank -> key (None once removed)
        self._rank: dict[str, int] = {}

    def _values(self, m: LeanMinHash) -> np.ndarray:
        return np.asarray(m.hashvalues[:self.b * self.r], dtype=np.uint64)

    def _hashes(self, values: np.ndarray) -> list[int]:
        """A 60-bit hash of each band's values (the same in every process: no ``hash()``)."""
        bands = values.reshape(self.b, self.r)
        h = np.full(self.b, 0xCBF29CE484222325, dtype=np.uint64)
        for j in range(self.r):  # FNV-style mixing, wrapping at 64 bits
            h = (h ^ bands[:, j]) * np.uint64(0x100000001B3)
            h ^= h >> np.uint64(29)
        return (h >> np.uint64(4)).tolist()

    def insert(self, key: str, m: LeanMinHash) -> None:
        if key in self._rank:
            raise ValueError(f"{key!r} is already in the index")
        values = self._values(m)
        rank = len(self._ids)
        if rank == len(self._sigs):
            grown = np.zeros((max(64, 2 * rank), self._sigs.shape[1]), dtype=self._sigs.dtype)
            grown[:rank] = self._sigs
            self._sigs = grown
        if self._sigs.dtype != np.uint64 and len(values) and int(values.max()) > 0xFFFFFFFF:
            self._sigs = self._sigs.astype(np.uint64)  # not a datasketch signature (those are 32-bit)
        self._sigs[rank] = values
        self._ids.append(key)
        self._rank[key] = rank
        for h, table in zip(self._hashes(values), self._tables, strict=True):
            hit = table.get(h)
            if hit is None:
                table[h] = rank  # the same int object in every band
            elif isinstance(hit, int):
                table[h] = array("i", (hit, rank))
            else:
                hit.append(rank)

    def query(self, m: LeanMinHash) -> set[str]:
        values = self._values(m)
        ranks: list[int] = []
        bands: list[int] = []
        for band, (h, table) in enumerate(zip(self._hashes(values), self._tables, strict=True)):
            hit = table.get(h)
            if hit is None:
                continue
            if isinstance(hit, int):
                ranks.append(hit)
                bands.append(band)
            else:
                ranks.extend(hit)
                bands.extend([band] * len(hit))
        if not ranks:
            return set()
        mine = values.reshape(self.b, self.r)[bands]
        theirs = self._sigs[ranks].reshape(len(ranks), self.b, self.r)[np.arange(len(ranks)), bands]
        same = (theirs == mine).all(axis=1).tolist()
        return {self._ids[r] for r, ok in zip(ranks, same, strict=True) if ok} - {None}  # type: ignore[misc]

    def remove(self, key: str) -> None:
        rank = self._rank.pop(key)
        self._ids[rank] = None
        for h, table in zip(self._hashes(self._sigs[rank].astype(np.uint64)), self._tables, strict=True):
            hit = table[h]
            if isinstance(hit, int):
                del table[h]
            else:
                hit.remove(rank)
                if len(hit) == 1:
                    table[h] = hit[0]

    def __contains__(self, key: str) -> bool:
        return key in self._rank

    def keys(self) -> Iterable[str]:
        return self._rank.keys()
