"""Placing stored articles in families and stories (corpus stage, incremental): the store's saved
:class:`~rashomon.group.families.FamilyIndex` and :class:`~rashomon.group.stories.StoryIndex` are loaded,
each stored article is added in the store's arrival order, with its notes, and the state is saved back.

Placement follows the arrival order the store recorded, whoever wrote: whatever the writers and the kills,
the families and stories are those of one writer adding the same articles in that order. A :class:`Placer`
places while the workers parse, on its own copy of the saved state, and saves only if the store's placement
generation has not moved meanwhile; otherwise the run places again from the newer state
(:func:`rashomon.run.runner.assign`).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import itertools
import logging
import pickle
import sys
import time
from collections import deque
from collections.abc import Iterable, Sequence

from ..config import Config
from ..errors import ConfigError
from ..group.families import FamilyIndex
from ..group.features import Placing
from ..group.stories import StoryIndex
from ..model import Article, Notes
from ..store import StateWriter, Store
from .progress import Progress, Silent

log = logging.getLogger(__name__)

SAVE_EVERY = 60.0  # seconds between saves of the family/story indexes during a long placement
# ... and at least this many times as long as the last save took: the state grows with the store (~8 MB
# per 1,000 articles; a save takes tens of seconds at 100k), so saving keeps under ~3 % of the placing
SAVE_SPACING = 30


class Placer:
    """Places stored articles in families and stories in the store's arrival order — every writer's articles,
    not only this run's — each once it and every article that arrived before it have notes, so placing runs
    while the map stage parses and the stories never depend on how writers interleaved or who was killed:
    they are those of one writer adding the same articles in the recorded order.

    An article is placed only with its notes: one without (another process is computing them, or a killed run
    left it) stops placing there until its notes are stored; :func:`lacking` says which, so a caller can
    compute them first (:func:`rashomon.run.runner.assign`).

    It works on its own copy of the saved indexes, loaded when it starts, and saves placements with the
    indexes' state (one transaction) only if nobody else saved meanwhile (the store's placement
    generation is unchanged); otherwise it stops placing and :meth:`finish` returns None, so the caller
    places again from the newer state. It saves every ``SAVE_EVERY`` seconds (or ``SAVE_SPACING`` times as
    long as the last save took, for big states) and at the end.
    """

    def __init__(self, config: Config, store: Store) -> None:
        self.config, self.store = config, store
        with store.placement_lock():
            self.families, self.stories = load_indexes(config, store)
            self.generation = store.placement_generation()
            self.todo: deque[str] = deque()
            self._seq = 0  # the last arrival number read into ``todo``
            self.refresh()
        self._waiting: set[str] = set()  # ids whose notes this run's map stage is computing
        self._ready: dict[str, tuple[Article, Notes, Placing | None]] = {}
        self.blocked: str | None = None  # the first article placing waits for (no notes yet)
        self._next_save, self._dirty, self.stale = time.monotonic() + SAVE_EVERY, False, False

    def refresh(self) -> None:
        """Read the articles stored since the last look (by any writer) into the queue, in arrival order."""
        fresh = self.store.unassigned_after(self._seq)
        if fresh:
            self._seq = fresh[-1][0]
            self.todo.extend(i for _, i in fresh)

    def arrive(self, ids: Sequence[str]) -> None:
        """This run stored these articles and is computing their notes (hand them over with :meth:`offer`)."""
        self._waiting.update(ids)
        self.refresh()

    def expect(self, ids: Iterable[str]) -> None:
        """These articles are being annotated: wait for :meth:`offer` to bring their notes."""
        self.refresh()
        self._waiting.update(set(ids).intersection(self.todo))

    def offer(self, articles: Sequence[Article], notes: Sequence[Notes], found: Sequence[Placing] | None = None) -> None:
        """Articles whose notes are computed; places whatever has become placeable."""
        for k, (article, note) in enumerate(zip(articles, notes, strict=True)):
            if article.id in self._waiting:
                self._ready[article.id] = (article, note, found[k] if found is not None else None)
        self._advance(final=False)

    def offer_packed(self, articles: Sequence[Article], packed: bytes, keep: Sequence[int] | None = None) -> None:
        """:meth:`offer`, with what a worker packed for placing (``rashomon.run.runner._pack``: a piece's
        placing notes and features, pickled). ``keep``: the positions in the piece of ``articles`` (all, by
        default); each one's notes take its id (a corpus id renamed when it was stored)."""
        notes, found = pickle.loads(packed)  # noqa: S301 - written by this run's own workers
        keep = range(len(articles)) if keep is None else keep
        self.offer(articles, [notes[k] if notes[k].article_id == a.id else dataclasses.replace(notes[k], article_id=a.id)
                              for k, a in zip(keep, articles, strict=True)], [found[k] for k in keep])

    def finish(self, progress: Progress | None = None) -> tuple[dict[str, str], dict[str, str]] | None:
        """Place every article that can be placed (reading those not offered from the store) and save.
        Returns the store's families and stories, or None if another process saved placements meanwhile.
        Articles after the first one without notes stay unplaced (:attr:`blocked`)."""
        progress = progress or Silent()
        self.refresh()
        progress.stage("placing in families and stories", len(self.todo))
        self._advance(final=True, progress=progress)
        if self.stale or (self._dirty and not self._save()):
            return None
        return self.store.assignments()

    def _advance(self, final: bool, progress: Progress | None = None) -> None:
        self.blocked = None
        while self.todo and not self.stale:
            head = self.todo[0]
            if head in self._ready:
                article, notes, found = self._ready.pop(head)
                self._place(article, notes, found)
                self.todo.popleft()
                if progress is not None:
                    progress.advance(1)
            elif head in self._waiting and not final:
                return  # its notes are still being computed here
            else:  # not computed here (stored earlier, or by another writer): read a run of them from the store
                run = list(itertools.islice((x for x in self.todo if x not in self._ready), 500))
                run = run[:next((k for k, x in enumerate(run) if x in self._waiting and not final), len(run))]
                stored, by_id = self.store.articles(run), self.store.notes(run)
                for a in stored:
                    if a.id in by_id:
                        self._ready[a.id] = (a, by_id[a.id], None)
                for missing in set(run) - {x.id for x in stored}:  # deleted meanwhile: nothing to place
                    self.todo.remove(missing)
                    self._waiting.discard(missing)
                if self.todo and self.todo[0] == head and head not in self._ready and head in {a.id for a in stored}:
                    self.blocked = head  # no notes yet: placing waits for them, whoever computes them
                    return
            if time.monotonic() > self._next_save and self._dirty and not self._save():
                return

    def _place(self, article: Article, notes: Notes, found: Placing | None) -> None:
        self._waiting.discard(article.id)
        fam_features, story_features, spread = found if found is not None else (None, None, None)
        family = self.families.add(article, fam_features)
        self.stories.add(article, notes, family, story_features, spread)
        self._dirty = True

    def _save(self) -> bool:
        """Save placements and state if the saved state is still the one we started from."""
        start = time.monotonic()
        # the indexes' state grows with the store: it is saved with the placements (one transaction, so they
        # always agree) now and then rather than every chunk; a killed run redoes at most that much placing
        with self.store.placement_lock():
            if self.store.placement_generation() != self.generation:
                log.info("another process placed articles in this store meanwhile: placing again from its state")
                self.stale = True
                return False
            self.store.save_assignments(self.families.assignments(), self.stories.assignments(),
                                        dump_indexes(self.families, self.stories))
            self.generation = self.store.placement_generation()
        took = time.monotonic() - start
        self._next_save, self._dirty = time.monotonic() + max(SAVE_EVERY, SAVE_SPACING * took), False
        return True


def release_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing). Placing
    is the corpus stages' high-water mark: the indexes' arrays and objects, freed when placing ends, would
    otherwise stay in this process's heap through the reduce and the writing."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def lacking(store: Store, others: str = "all", own: Iterable[str] = ()) -> list[str]:
    """Unplaced articles without notes that placing would stop at, in arrival order: every one (``"all"``:
    a batch run computes them, even where another live process is computing them too — notes are the
    same whoever computes them), only those whose writer is gone (``"orphans"``: a server adding one
    article leaves a live batch run its own), or none. ``own`` (being computed by the caller) are left out."""
    if others == "none":
        return []
    skip = set(own)
    found = [x for x in store.unplaced_without_notes() if x not in skip]
    return store.orphans(found) if others == "orphans" else found


def load_indexes(config: Config, store: Store) -> tuple[FamilyIndex, StoryIndex]:
    # each state is unpickled as it is read from the store, never held whole next to what it becomes
    with store.state_file("families") as fblob, store.state_file("stories") as sblob:
        if fblob is not None and sblob is not None and fblob.peek(1) and sblob.peek(1):
            try:
                return FamilyIndex.load(fblob, config), StoryIndex.load(sblob, config)
            except ConfigError as e:  # saved by another version of rashomon: rebuild (no re-parsing)
                log.warning("%s Placing every stored article again, in arrival order.", e)
    # no usable saved state: start over, so every article is placed again in arrival order
    store.clear_state()
    return FamilyIndex(config), StoryIndex(config)


def dump_indexes(families: FamilyIndex, stories: StoryIndex) -> dict[str, bytes | StateWriter]:
    """The indexes' states for :meth:`Store.save_assignments`: their ``dump_to``, streamed into the store
    (a pickled copy of the whole state held next to the indexes was most of placing's peak)."""
    if hasattr(families, "dump_to") and hasattr(stories, "dump_to"):
        return {"families": families.dump_to, "stories": stories.dump_to}
    if hasattr(families, "dump") and hasattr(stories, "dump"):
        return {"families": families.dump(), "stories": stories.dump()}
    return {}
