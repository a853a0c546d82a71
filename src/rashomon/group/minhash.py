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

__all__ = ["Bands", "LeanMinHash", "MinHash", "RankTable", "band_hashes", "minhash", "optimal_bands"]


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
    # every (bands, rows) with bands * rows <= num_perm, scored at once (one row each)
    layouts = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=float)
    bands, rows = layouts[:, :1], layouts[:, 1:]

    def integral(lo: float, hi: float, false_positive: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p = 1.0 - (1.0 - s ** rows) ** bands  # probability that a pair of similarity s collides
        return (hi - lo) / 2 * np.sum(weights * (p if false_positive else 1.0 - p), axis=1)

    error = integral(0.0, threshold, True) * fp_weight + integral(threshold, 1.0, False) * fn_weight
    best = int(np.argmin(error))  # the first of equal errors, as datasketch's loop keeps it
    return int(layouts[best, 0]), int(layouts[best, 1])


class RankTable:
    """Ranks (ints) filed under 64-bit keys, each key's in the order they were added: a multimap that costs
    12 bytes an entry (two sorted arrays) rather than a dict entry, a key object and a container per key.
    New entries wait in a small dict and are merged into the arrays when it reaches an eighth of them.

    >>> t = RankTable()
    >>> for key, rank in [(5, 0), (7, 1), (5, 2)]:
    ...     t.add(key, rank)
    >>> t.get(5).tolist(), t.get(6).tolist()
    ([0, 2], [])
    """

    MERGE_MIN = 4096

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted; a key's ranks in the order they were added
        self._ranks = np.zeros(0, dtype=np.int32)
        self._fresh: dict[int, int | list[int]] = {}
        self._n_fresh = 0

    def __len__(self) -> int:
        return len(self._keys) + self._n_fresh

    def add(self, key: int, rank: int) -> None:
        hit = self._fresh.get(key)
        if hit is None:
            self._fresh[key] = rank
        elif isinstance(hit, int):
            self._fresh[key] = [hit, rank]
        else:
            hit.append(rank)
        self._n_fresh += 1
        if self._n_fresh >= max(self.MERGE_MIN, len(self._keys) // 8):
            self._merge()

    def get(self, key: int) -> np.ndarray:
        """The ranks filed under ``key``, oldest first."""
        return self.get_many(np.array([key], dtype=np.uint64))[0]

    def get_many(self, keys: np.ndarray) -> list[np.ndarray]:
        """The ranks filed under each of ``keys`` (uint64), oldest first."""
        lo = np.searchsorted(self._keys, keys, side="left").tolist()
        hi = np.searchsorted(self._keys, keys, side="right").tolist()
        out = []
        for key, a, b in zip(keys.tolist(), lo, hi, strict=True):
            hit = self._fresh.get(key)
            old = self._ranks[a:b]
            if hit is not None:
                new = np.array([hit] if isinstance(hit, int) else hit, dtype=np.int32)
                old = np.concatenate([old, new]) if len(old) else new
            out.append(old)
        return out

    def _merge(self) -> None:
        keys = np.fromiter((k for k, v in self._fresh.items() for _ in ((v,) if isinstance(v, int) else v)),
                           dtype=np.uint64, count=self._n_fresh)
        ranks = np.fromiter((r for v in self._fresh.values() for r in ((v,) if isinstance(v, int) else v)),
                            dtype=np.int32, count=self._n_fresh)
        keys, ranks = np.concatenate([self._keys, keys]), np.concatenate([self._ranks, ranks])
        order = np.argsort(keys, kind="stable")  # the arrays' entries first, then the newer ones, in order
        self._keys, self._ranks = keys[order], ranks[order]
        self._fresh, self._n_fresh = {}, 0


def band_hashes(values: np.ndarray, b: int, r: int) -> np.ndarray:
    """A 64-bit hash of each of ``b`` bands of ``r`` values, mixed with the band's number (the same in every
    process: no ``hash()``)."""
    bands = np.asarray(values, dtype=np.uint64).reshape(b, r)
    h = np.arange(b, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(0xCBF29CE484222325)
    for j in range(r):  # FNV-style mixing, wrapping at 64 bits
        h = (h ^ bands[:, j]) * np.uint64(0x100000001B3)
        h ^= h >> np.uint64(29)
    return h


class Bands:
    """A banded LSH index over MinHash signatures (datasketch's ``MinHashLSH`` with in-memory storage): a
    key is a candidate of a query when one band of their signatures is identical.

    Held compactly, since it grows with the corpus (one entry per band per key: 25 bands for the families'
    copies, 42 for translations): each key's banded part of its signature is one row of an array, and a
    :class:`RankTable` files each key's rank (arrival number) under a 64-bit hash of each band. A query
    checks each hit's band against its own values, so a hash collision never makes a candidate: the
    candidates are exactly those of identical bands. (Before: a set of keys and a bytes object per band
    per key, ~10 KB per key.) A removed key's entries stay, skipped when read.
    """

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.b, self.r = optimal_bands(threshold, num_perm)
        self.hashranges = [(i * self.r, (i + 1) * self.r) for i in range(self.b)]
        self._table = RankTable()
        self._sigs = np.zeros((0, self.b * self.r), dtype=np.uint32)  # by rank: the banded values
        self._ids: list[str | None] = []  # rank -> key (None once removed)
        self._rank: dict[str, int] = {}

    def _values(self, m: LeanMinHash) -> np.ndarray:
        return np.asarray(m.hashvalues[:self.b * self.r], dtype=np.uint64)

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
        for h in band_hashes(values, self.b, self.r).tolist():
            self._table.add(h, rank)

    def query(self, m: LeanMinHash) -> set[str]:
        values = self._values(m)
        ranks: list[np.ndarray] = []
        bands: list[np.ndarray] = []
        for k, hit in enumerate(self._table.get_many(band_hashes(values, self.b, self.r))):
            if len(hit):
                ranks.append(hit)
                bands.append(np.full(len(hit), k))
        if not ranks:
            return set()
        rank, band = np.concatenate(ranks), np.concatenate(bands)
        mine = values.reshape(self.b, self.r)[band]
        theirs = self._sigs[rank].reshape(len(rank), self.b, self.r)[np.arange(len(rank)), band]
        same = rank[(theirs == mine).all(axis=1)].tolist()
        return {x for x in (self._ids[r] for r in same) if x is not None}

    def remove(self, key: str) -> None:
        self._ids[self._rank.pop(key)] = None

    def __contains__(self, key: str) -> bool:
        return key in self._rank

    def keys(self) -> Iterable[str]:
        return self._rank.keys()
