"""The corpus (reduce) stage: its progress reports, and that they change nothing."""

from __future__ import annotations

from rashomon.config import Config
from rashomon.run.reduce import reduce

from ..pipeline_runs import _annotated


class Recording:
    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append([name, total, 0])

    def advance(self, n: int = 1) -> None:
        self.stages[-1][2] += n

    def note(self, message: str) -> None:
        pass


def test_every_reduce_step_has_a_total_it_reaches_and_the_result_is_the_same():
    articles, notes = _annotated("examples")
    quiet = reduce(articles, notes, Config()).to_contract()
    progress = Recording()
    heard = reduce(articles, notes, Config(), progress=progress).to_contract()
    quiet.pop("generated_at"), heard.pop("generated_at")
    assert heard == quiet
    names = [s[0] for s in progress.stages]
    assert names[0].startswith("dates, entities") and names[-1] == "linking stories into threads"
    for name, total, done in progress.stages:
        assert total is not None and done == total, (name, total, done)
    per_story = next(s for s in progress.stages if s[0].startswith("comparing sources"))
    assert per_story[1] == len({a.story for a in reduce(articles, notes, Config()).articles})
