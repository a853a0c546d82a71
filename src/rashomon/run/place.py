"""Placing stored articles in families and stories (corpus stage, incremental): the store's saved
:class:`~rashomon.group.families.FamilyIndex` and :class:`~rashomon.group.stories.StoryIndex` are loaded,
each new article is added in arrival order, and the state is saved back.

One process at a time places articles in a store (``Store.placement_lock``). A :class:`Placer` places
while the workers parse, on its own copy of the saved state, and saves only if the store's placement
generation has not moved meanwhile; otherwise the run places again from the newer state (:func:`assign`).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Iterable, Sequence

from ..config import Config
from ..errors import ConfigError
from ..group.families import FamilyIndex
from ..group.features import Placing
from ..group.stories import StoryIndex
from ..model import Article, Notes
from ..store import Store
from .progress import Progress, Silent

log = logging.getLogger(__name__)

SAVE_EVERY = 60.0  # seconds between saves of the family/story indexes during a long placement
# ... and at least this many times as long as the last save took: the state grows with the store (~8 MB
# per 1,000 articles; a save takes tens of seconds at 100k), so saving keeps under ~3 % of the placing
SAVE_SPACING = 30


# ------------------------------------------------------------------------------------------- assign


def assign(config: Config, store: Store, progress: Progress | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Place every unplaced stored article in a family and a story, incrementally, in arrival order."""
    with store.placement_lock():  # load, place, save: one process at a time per store
        placed = Placer(config, store).finish(progress)
    assert placed is not None  # noqa: S101 - nobody else can save while we hold the lock
    return placed


class Placer:
    """Places stored articles in families and stories in arrival order, each as soon as it and every
    article that arrived before it have notes, so placing can run while the map stage parses.

    It works on its own copy of the saved indexes, loaded when it starts, and saves placements with the
    indexes' state (one transaction) only if nobody else saved meanwhile (the store's placement
    generation is unchanged); otherwise it stops placing and :meth:`finish` returns None, so the caller
    places again from the newer state (:func:`assign`). It saves every ``SAVE_EVERY`` seconds (or
    ``SAVE_SPACING`` times as long as the last save took, for big states) and at the end.
    """

    def __init__(self, config: Config, store: Store) -> None:
        self.config, self.store = config, store
        with store.placement_lock():
            self.families, self.stories = _load_indexes(config, store)
            self.generation = store.placement_generation()
            self.todo: deque[str] = deque(store.unassigned())
        self._waiting: set[str] = set()  # ids whose notes the map stage is computing
        self._ready: dict[str, tuple[Article, Notes, Placing | None]] = {}
        self._next_save, self._dirty, self.stale = time.monotonic() + SAVE_EVERY, False, False

    def arrive(self, ids: Sequence[str]) -> None:
        """Articles stored after this placer started (in arrival order), whose notes are being computed."""
        self.todo.extend(ids)
        self._waiting.update(ids)

    def expect(self, ids: Iterable[str]) -> None:
        """These articles are being annotated: wait for :meth:`offer` to bring their notes."""
        self._waiting.update(set(ids).intersection(self.todo))

    def offer(self, articles: Sequence[Article], notes: Sequence[Notes], found: Sequence[Placing] | None = None) -> None:
        """Articles whose notes are computed; places whatever has become placeable."""
        for k, (article, note) in enumerate(zip(articles, notes, strict=True)):
            if article.id in self._waiting:
                self._ready[article.id] = (article, note, found[k] if found is not None else None)
        self._advance(final=False)

    def finish(self, progress: Progress | None = None) -> tuple[dict[str, str], dict[str, str]] | None:
        """Place every article left (reading the ones not offered from the store) and save. Returns the
        store's families and stories, or None if another process saved placements meanwhile."""
        progress = progress or Silent()
        progress.stage("placing in families and stories", len(self.todo))
        self._advance(final=True, progress=progress)
        if self.stale or (self._dirty and not self._save()):
            return None
        return self.store.assignments()

    def _advance(self, final: bool, progress: Progress | None = None) -> None:
        while self.todo and not self.stale:
            head = self.todo[0]
            if head in self._ready:
                article, notes, found = self._ready.pop(head)
                self._place(article, notes, found)
                self.todo.popleft()
                if progress is not None:
                    progress.advance(1)
            elif head in self._waiting and not final:
                return  # its notes are still being computed
            else:  # not being annotated (stored earlier): read a run of such articles from the store
                run = list(itertools.islice((x for x in self.todo if x not in self._ready), 500))
                run = run[:next((k for k, x in enumerate(run) if x in self._waiting and not final), len(run))]
                stored, by_id = self.store.articles(run), self.store.notes(run)
                for a in stored:
                    self._ready[a.id] = (a, by_id.get(a.id) or Notes(article_id=a.id), None)
                for missing in set(run) - {x.id for x in stored}:  # deleted meanwhile: nothing to place
                    self.todo.remove(missing)
            if time.monotonic() > self._next_save and self._dirty and not self._save():
                return

    def _place(self, article: Article, notes: Notes, found: Placing | None) -> None:
        self._waiting.discard(article.id)
        fam_features, story_features = found if found is not None else (None, None)
        family = self.families.add(article, fam_features)
        self.stories.add(article, notes, family, story_features)
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
                                        _dump_indexes(self.families, self.stories))
            self.generation = self.store.placement_generation()
        took = time.monotonic() - start
        self._next_save, self._dirty = time.monotonic() + max(SAVE_EVERY, SAVE_SPACING * took), False
        return True


def _load_indexes(config: Config, store: Store) -> tuple[FamilyIndex, StoryIndex]:
    fblob, sblob = store.load_state("families"), store.load_state("stories")
    if fblob and sblob:
        try:
            return FamilyIndex.load(fblob, config), StoryIndex.load(sblob, config)
        except ConfigError as e:  # saved by another version of rashomon: rebuild (no re-parsing)
            log.warning("%s Placing every stored article again, in arrival order.", e)
    # no usable saved state: start over, so every article is placed again in arrival order
    store.clear_state()
    return FamilyIndex(config), StoryIndex(config)


def _dump_indexes(families: FamilyIndex, stories: StoryIndex) -> dict[str, bytes]:
    if hasattr(families, "dump") and hasattr(stories, "dump"):
        return {"families": families.dump(), "stories": stories.dump()}
    return {}


def remove_articles(ids: Sequence[str], config: Config, store: Store, progress: Progress | None = None) -> list[str]:
    """Delete stored articles and take them out of their families and stories. Indexes that can
    ``remove(article_id)`` keep everyone else where they are; otherwise placement is rebuilt from the
    remaining articles in arrival order (from stored notes: nothing is parsed again).
    Returns the ids that were stored and are now gone."""
    with store.placement_lock():
        families, stories = _load_indexes(config, store)
        deleted = [i for i in dict.fromkeys(ids) if store.delete_article(i)]
        if not deleted:
            return []
        if hasattr(families, "remove") and hasattr(stories, "remove"):
            for article_id in deleted:
                families.remove(article_id)
                stories.remove(article_id)
            store.save_assignments(families.assignments(), stories.assignments(), _dump_indexes(families, stories))
        else:
            store.clear_state()
        assign(config, store, progress)
    return deleted
