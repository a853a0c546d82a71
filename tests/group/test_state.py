"""Saved index state across the source-tree move: a store whose saved families and stories name the old flat
module paths (``rashomon.stories``, ...) keeps them; one that cannot be read is rebuilt from the stored notes
with a warning, never a ModuleNotFoundError."""

from __future__ import annotations

import io
import logging
import pickle
import sys
from contextlib import contextmanager

import pytest

from rashomon.config import Config
from rashomon.errors import ConfigError
from rashomon.group import families, represent, state, stories
from rashomon.run.runner import analyze
from rashomon.store import Store

TEXTS = {
    "a.txt": " date 2026-02-02 Kessin ferry sinks\nThe Kessin ferry sank off Port Avel on Monday; all 40 "
             "passengers were rescued by the coast guard, officials in Port Avel said.",
    "b.txt": " date 2026-02-02 Ferry goes down near Port Avel\nA ferry from Kessin went down near Port Avel on "
             "Monday. The coast guard rescued all 40 passengers, Port Avel officials said.",
    "c.txt": " date 2026-02-03 Velmora wheat harvest\nVelmora's wheat harvest rose by a fifth this year, the "
             "farm ministry in Ostrana said on Tuesday, citing rain in the spring.",
}
LATE = ("d.txt", " date 2026-02-03 Kessin ferry: inquiry opens\nAn inquiry into Monday's sinking of the Kessin "
                 "ferry off Port Avel opened on Tuesday, after the coast guard rescued all 40 passengers.")


@contextmanager
def old_module_paths():
    """Pickle rashomon's classes under the flat paths of 0.1.0 (rashomon.families, rashomon.stories,
    rashomon.represent), as a store saved before the move holds them."""
    patched = []
    for module, old in ((families, "rashomon.families"), (stories, "rashomon.stories"),
                        (represent, "rashomon.represent")):
        sys.modules[old] = module
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == module.__name__:
                obj.__module__ = old
                patched.append((obj, module.__name__))
    try:
        yield
    finally:
        for obj, name in patched:
            obj.__module__ = name
        for old in ("rashomon.families", "rashomon.stories", "rashomon.represent"):
            sys.modules.pop(old, None)


def _store(tmp_path) -> tuple[Store, list[str]]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path / "s.db")
    analyze([str(folder)], Config(), store)
    return store, [str(folder)]


def _rewrite_state(store: Store, blobs: dict[str, bytes]) -> None:
    fam, story = store.assignments()
    store.save_assignments(fam, story, blobs)


def test_a_store_saved_under_the_old_module_paths_keeps_its_families_and_stories(tmp_path, caplog):
    store, inputs = _store(tmp_path)
    before = store.assignments()
    with old_module_paths():
        blobs = {name: pickle.dumps(pickle.loads(store.load_state(name)), protocol=pickle.HIGHEST_PROTOCOL)
                 for name in ("families", "stories")}
    assert b"rashomon.stories" in blobs["stories"] and b"rashomon.group.stories" not in blobs["stories"]
    assert b"rashomon.families" in blobs["families"] and b"rashomon.group.families" not in blobs["families"]
    with pytest.raises(ModuleNotFoundError):  # what a plain pickle.loads did before
        pickle.loads(blobs["stories"])
    _rewrite_state(store, blobs)
    (tmp_path / "in" / LATE[0]).write_text(LATE[1], encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        analysis = analyze(inputs, Config(), store)
    assert not [r for r in caplog.records if "Placing every stored article again" in r.getMessage()]
    fam, story = store.assignments()
    assert {k: v for k, v in fam.items() if k in before[0]} == before[0]
    assert {k: v for k, v in story.items() if k in before[1]} == before[1]
    by_input = {a.input.rsplit("/", 1)[-1]: a for a in analysis.articles}
    assert by_input["d.txt"].story == by_input["a.txt"].story == by_input["b.txt"].story
    assert by_input["c.txt"].story != by_input["a.txt"].story
    store.close()


def test_a_state_that_cannot_be_read_is_rebuilt_from_the_notes_with_a_warning(tmp_path, caplog):
    store, inputs = _store(tmp_path)
    before = store.assignments()
    missing = pickle.dumps({"version": 3, "state": {"x": pickle.PickleBuffer}})  # a class from nowhere
    missing = missing.replace(b"pickle", b"gone01")  # same length: a module that does not exist
    with pytest.raises(ConfigError, match="cannot be read"):
        state.load(missing, "story")
    _rewrite_state(store, {"families": missing, "stories": missing})
    with caplog.at_level(logging.WARNING):
        analyze(inputs, Config(), store)
    warned = [r.getMessage() for r in caplog.records if "Placing every stored article again" in r.getMessage()]
    assert warned and "cannot be read" in warned[0]
    assert store.assignments() == before  # the same families and stories, placed again from the notes
    store.close()


def test_a_saved_state_never_imports_anything_outside_what_an_index_holds():
    evil = b"cos\nsystem\n(S'echo owned'\ntR."  # os.system('echo owned') as a pickle
    with pytest.raises(ConfigError, match="unexpected os.system"):
        state.load(evil, "family")


def test_the_saved_story_state_names_its_classes_where_stores_saved_before_the_split_name_them():
    """stories.py was split (story_linkage, story_math, story_titles): the saved state still names each class
    it holds where a store saved before the split names it (an article as ``rashomon.group.stories._Doc``),
    so that store and this code read each other's state, and names none of the new modules."""
    from rashomon.model import Article, Notes

    index = stories.StoryIndex(Config())
    for i, text in enumerate(("The Kessin ferry sank off Port Avel on Monday.", "A Kessin ferry sank near Port Avel.")):
        index.add(Article(id=f"a{i}", input="-", text=text, date="2026-02-02"), Notes(article_id=f"a{i}"))
    named: set[tuple[str, str]] = set()

    class Recorder(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> object:
            named.add((module, name))
            return super().find_class(module, name)

    Recorder(io.BytesIO(index.dump())).load()
    assert ("rashomon.group.stories", "_Doc") in named
    assert not [m for m, _ in named if m.startswith("rashomon.group.story_")]
    assert stories.StoryIndex.load(index.dump(), Config()).assignments() == index.assignments()
