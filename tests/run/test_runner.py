"""The local runner (run/runner): what it learns across a run's documents before cleaning them."""

from __future__ import annotations

import dataclasses

from rashomon.config import Config
from rashomon.model import RawDocument
from rashomon.run.runner import ingest_items
from rashomon.store import Store

STUB = "Chat about it on the Kell app and never miss a story again.\nFind out what is happening as it unfolds."


def test_a_sites_stub_is_its_clutter_even_when_no_outlet_is_named(tmp_path):
    bodies = ["The council of Kell voted on Monday to rebuild the old harbour wall at Sorne after two storms.",
              "Fishermen in Avel said the new quota would halve their catch of cod this winter, their union said.",
              "The Lent ferry will run twice a day from June, the harbour master announced on Tuesday morning.",
              "A fire destroyed the old grain store in Sorne overnight; nobody was hurt, the fire service said."]
    raws = [RawDocument(input=f"p{i}.html", kind="html", text=f"{body}\n{STUB}",
                        url=f"https://www.kellpost.example/news/{i}") for i, body in enumerate(bodies)]
    with Store(str(tmp_path / "db.sqlite")) as store:
        ids, _ = ingest_items(raws, Config(), store)
        texts = [a.text for a in store.articles(ids)]
    assert len(texts) == 4 and not any("never miss a story" in t for t in texts)
    assert [t.split("\n")[0] for t in texts] == bodies


def test_the_analysis_holds_whole_notes_one_story_at_a_time_and_finds_the_same(tmp_path):
    """The corpus-wide steps read every article; the per-story part reads each story's figures, stances
    and vectors. The whole notes of every article must not be in memory at once (at 100k articles they
    were most of the run's memory), and the analysis must be the one of all notes held at once."""
    import gc

    from rashomon.model import Notes
    from rashomon.run.reduce import reduce, story_part
    from rashomon.run.runner import analysis_of, assign

    from ..pipeline_runs import _annotated

    articles = _annotated("examples")[0] + _annotated("seeds")[0]
    notes = {**_annotated("examples")[1], **_annotated("seeds")[1]}
    config = Config()
    held_before = {id(o) for o in gc.get_objects() if type(o) is Notes}

    def whole_notes_alive() -> int:  # notes with their per-story fields, made since the test began
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o) is Notes and id(o) not in held_before
                   and (o.vector or o.values or o.stances))

    class Watching:  # the per-story part in this process, counting what is alive as each story starts
        counts: list[int] = []
        workers = 1

        def imap(self, fn, items, *args, in_flight=None):
            for item in items:
                self.counts.append(whole_notes_alive())
                yield fn(item, *args)

    with Store(str(tmp_path / "db.sqlite")) as store:
        store.add_articles(articles)
        store.save_notes(list(notes.values()))
        families, stories = assign(config, store)
        ids = [a.id for a in articles]
        mapper = Watching()
        streamed = analysis_of(ids, config, store, families=families, stories=stories, mapper=mapper)  # type: ignore[arg-type]
        held = reduce(store.articles(ids), store.notes(ids), config, families=families, story_of=stories)
    sizes = sorted(len(s.article_ids) for s in streamed.stories)
    assert story_part and len(sizes) >= 3 and sizes[-1] < len(articles)  # several stories, none holds all
    assert len(mapper.counts) >= 3 and max(mapper.counts) <= sizes[-1], (mapper.counts, sizes)
    assert streamed.to_contract() | {"generated_at": ""} == held.to_contract() | {"generated_at": ""}


def test_no_article_notes_outlive_the_corpus_wide_steps(tmp_path):
    """Once the corpus-wide steps are done, the per-story part, the threads and the writing need no other
    story's notes: none of any form (whole or the corpus-wide steps' part) is alive but the story's own
    when each story starts (they were 14 KB an article, the reduce's largest holding after the texts), and
    the analysis is the one of all notes held at once, dates re-resolved included."""
    import gc

    from rashomon.model import Notes
    from rashomon.run.reduce import reduce
    from rashomon.run.runner import analysis_of, assign

    from ..pipeline_runs import _annotated

    articles = _annotated("examples")[0] + _annotated("seeds")[0]
    notes = {**_annotated("examples")[1], **_annotated("seeds")[1]}
    config = Config()
    held_before = {id(o) for o in gc.get_objects() if type(o) is Notes}

    with Store(str(tmp_path / "db.sqlite")) as store:
        # every third article undated: its date is inferred and its notes' times re-resolved
        store.add_articles([a if k % 3 else dataclasses.replace(a, date=None) for k, a in enumerate(articles)])
        store.save_notes(list(notes.values()))
        families, stories = assign(config, store)
        ids = [a.id for a in articles]
        mapper = Watching(held_before)
        streamed = analysis_of(ids, config, store, families=families, stories=stories, mapper=mapper)  # type: ignore[arg-type]
        held = reduce(store.articles(ids), store.notes(ids), config, families=families, story_of=stories)
    sizes = sorted(len(s.article_ids) for s in streamed.stories)
    assert len(sizes) >= 3 and sizes[-1] < len(articles)
    assert any(a.date_source == "inferred" for a in streamed.articles)
    assert len(mapper.counts) >= 3 and max(mapper.counts) <= sizes[-1], (mapper.counts, sizes)
    assert streamed.to_contract() | {"generated_at": ""} == held.to_contract() | {"generated_at": ""}


def test_the_corpus_wide_steps_apart_find_the_same_and_hold_nothing_here(tmp_path, monkeypatch):
    """With ``apart`` the notes are loaded and the corpus-wide steps run in a forked process (their freed
    memory used to stay with this one to the end): the analysis is the same, progress is heard here, and
    no article's notes were ever decoded in this process but each story's own."""
    import gc
    import os

    from rashomon.model import Notes
    from rashomon.run import runner
    from rashomon.run.reduce import reduce

    from ..pipeline_runs import _annotated

    articles = _annotated("examples")[0] + _annotated("seeds")[0]
    notes = {**_annotated("examples")[1], **_annotated("seeds")[1]}
    config = Config()
    pids = tmp_path / "pids"
    real = runner._corpus_part

    def recording(*args, **kwargs):  # the real step, noting which process ran it
        with open(pids, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_corpus_part", recording)
    held_before = {id(o) for o in gc.get_objects() if type(o) is Notes}

    class Heard:
        stages: list[str] = []
        advanced = 0

        def stage(self, name, total=None):
            self.stages.append(name)

        def advance(self, n=1):
            self.advanced += n

        def note(self, message):
            pass

    heard = Heard()
    with Store(str(tmp_path / "db.sqlite")) as store:
        store.add_articles([a if k % 3 else dataclasses.replace(a, date=None) for k, a in enumerate(articles)])
        store.save_notes(list(notes.values()))
        families, stories = runner.assign(config, store)
        ids = [a.id for a in articles]
        mapper = Watching(held_before)
        apart = runner.analysis_of(ids, config, store, families=families, stories=stories, mapper=mapper,  # type: ignore[arg-type]
                                   progress=heard, apart=True)
        held = reduce(store.articles(ids), store.notes(ids), config, families=families, story_of=stories)
    ran_in = [int(x) for x in pids.read_text().split()]
    assert len(ran_in) == 1 and ran_in[0] != os.getpid()
    assert heard.stages[:2] == ["loading the articles and their notes", "dates, entities, quotes, timeline and events"]
    assert heard.advanced >= len(ids) + 5
    sizes = sorted(len(s.article_ids) for s in apart.stories)
    assert len(sizes) >= 3 and max(mapper.counts) <= sizes[-1], (mapper.counts, sizes)
    assert any(a.date_source == "inferred" for a in apart.articles)
    assert apart.to_contract() | {"generated_at": ""} == held.to_contract() | {"generated_at": ""}


class Watching:
    """A mapper running the per-story part in this process that counts, as each story starts, the Notes
    alive that were not alive when the test began (``held_before``: their ids)."""

    def __init__(self, held_before: set[int]) -> None:
        self.held_before, self.counts = held_before, []

    workers = 1

    def imap(self, fn, items, *args, in_flight=None):
        import gc

        from rashomon.model import Notes

        for item in items:
            gc.collect()
            self.counts.append(sum(1 for o in gc.get_objects() if type(o) is Notes and id(o) not in self.held_before))
            yield fn(item, *args)
