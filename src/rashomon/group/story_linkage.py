"""The stories of a block of articles (corpus stage): the average-linkage clustering that
:class:`~rashomon.group.stories.StoryIndex` runs over the stories a new article reaches (:meth:`_recluster`),
the merging of whole stories at each doubling of the articles placed (:meth:`_consolidate`, see
``stories.CONSOLIDATE``), and the bookkeeping of story ids and members (the method and the ids: the module
docstring of :mod:`rashomon.group.stories`).

:class:`StoryLinkage` is :class:`~rashomon.group.stories.StoryIndex`'s base: it holds no state of its own
(the index's state, saved by ``StoryIndex.dump``, is the index's) and reads the block's similarities from the
index (:meth:`_cut`, :meth:`_similarity`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Protocol

import numpy as np

from ..config import Config
from .story_math import attach_lone


class _Placed(Protocol):
    id: str  # the article's id


class StoryLinkage:
    """Stories of a block of articles, cut from the similarities the index gives (see the module docstring)."""

    # the index's state (``StoryIndex.__init__``) read and written here
    config: Config
    _docs: Sequence[_Placed | None]  # by arrival index; None once removed
    _near: np.ndarray  # arrival index -> arrival indexes of its nearest articles
    _story: dict[int, str]  # arrival index -> story id
    _members: dict[str, list[int]]  # story id -> arrival indexes, ascending

    def _cut(self, local: list[int], renew: bool = False) -> np.ndarray:
        """The similarity a block's clustering cuts (``StoryIndex._cut``)."""
        raise NotImplementedError

    def _similarity(self, rows: list[int], cols: list[int]) -> np.ndarray:
        """Article-to-article similarity (``StoryIndex._similarity``)."""
        raise NotImplementedError

    def _consolidate(self) -> None:
        """Each story that some member's nearest articles link to other stories is weighed against them
        (:meth:`_merge_stories`); see ``stories.CONSOLIDATE``."""
        done: set[str] = set()
        for story in sorted(self._members):
            if story not in self._members or story in done:
                continue
            members = self._members[story]
            near = self._near[members]
            linked = {self._story[j] for j in near[near >= 0].tolist() if j in self._story} - {story} - done
            if not linked:
                continue
            local = sorted(set(members).union(*(self._members[s] for s in linked)))
            if len(local) > self.config.story_local_max:
                continue
            self._merge_stories(local)
            done.update(self._story[m] for m in local)

    def _merge_stories(self, local: list[int]) -> None:
        """Average linkage over the block's whole stories (none is split): the two closest merge while their
        average cut similarity (as :meth:`_recluster` cuts it) reaches ``story_threshold``; the members'
        nearest articles are renewed first. The merged story keeps the id of its largest part."""
        cut = self._cut(local, renew=True)
        names = sorted({self._story[m] for m in local}, key=lambda s: min(self._members[s]))
        label = np.array([names.index(self._story[m]) for m in local])
        member = (label[None, :] == np.arange(len(names))[:, None]).astype(float)
        size = member.sum(axis=1)
        total = member @ cut @ member.T  # summed cut similarity between stories
        groups = [[k] for k in range(len(names))]
        alive = list(range(len(names)))
        while len(alive) > 1:
            best, pair = -1.0, None
            for x in range(len(alive)):
                for y in range(x + 1, len(alive)):
                    a, b = alive[x], alive[y]
                    avg = total[a, b] / (size[a] * size[b])
                    if avg > best:
                        best, pair = avg, (a, b)
            if pair is None or best < self.config.story_threshold:
                break
            a, b = pair
            total[a] += total[b]
            total[:, a] += total[:, b]
            size[a] += size[b]
            groups[a] += groups[b]
            alive.remove(b)
        for a in alive:
            if len(groups[a]) > 1:
                keep = max((names[k] for k in groups[a]), key=lambda s: (len(self._members[s]), -min(self._members[s])))
                merged = sorted(m for k in groups[a] for m in self._members[names[k]])
                for k in groups[a]:
                    del self._members[names[k]]
                self._set_story(merged, keep)

    def _recluster(self, local: list[int]) -> None:
        """Average-linkage clustering of the affected stories plus the new article; ids carried over."""
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        cut = self._cut(local)
        dist = np.clip(1.0 - cut, 0.0, None)
        np.fill_diagonal(dist, 0.0)
        labels = fcluster(linkage(squareform(dist, checks=False), "average"),
                          1.0 - self.config.story_threshold, "distance")
        labels = attach_lone(labels, cut, self.config.story_attach * self.config.story_threshold)
        groups: dict[int, list[int]] = defaultdict(list)
        for member, label in zip(local, labels.tolist(), strict=True):
            groups[label].append(member)
        old = {self._story[m] for m in local if m in self._story}
        for story in old:
            del self._members[story]
        # each old id goes to the group holding most of its members (ties: the earlier group)
        overlap = sorted(((-sum(1 for m in g if self._story.get(m) == s), min(g), s)
                          for g in groups.values() for s in old), key=lambda t: (t[0], t[1], t[2]))
        given: dict[int, str] = {}
        used: set[str] = set()
        for count, first, story in overlap:
            if count < 0 and first not in given and story not in used:
                given[first] = story
                used.add(story)
        ordered = sorted(groups.values(), key=lambda g: (min(g) not in given, min(g)))
        for g in ordered:  # groups keeping an old id first, so a new id never takes one still handed out
            self._set_story(g, given.get(min(g)), reserved=used)

    def _join_best(self, i: int, stories: list[str]) -> None:
        """For a very large neighbourhood: join the story with the best average similarity to its most
        recent members, or start a new one."""
        best, best_sim = None, -1.0
        for story in stories:
            members = self._members[story][-64:]
            sim = float(self._similarity([i], members)[0].mean())
            if sim > best_sim:
                best, best_sim = story, sim
        if best is not None and best_sim >= self.config.story_threshold:
            self._members[best].append(i)
            self._story[i] = best
        else:
            self._new_story([i])

    def _new_story(self, members: list[int]) -> None:
        self._set_story(members, None)

    def _set_story(self, members: list[int], story: str | None, reserved: Collection[str] = ()) -> None:
        if story is None:
            first = self._docs[min(members)]
            assert first is not None  # noqa: S101 - internal invariant
            story = base = f"s-{first.id}"
            n = 1
            while story in self._members or story in reserved:
                n += 1
                story = f"{base}-{n}"
        self._members[story] = sorted(members)
        for m in members:
            self._story[m] = story
