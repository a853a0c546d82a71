"""The source tree reads as the pipeline: folders by stage, no import loops, lower layers never import higher.

Every import counts — at module level, inside functions and under ``TYPE_CHECKING`` — since a loop hidden in
a function still ties the two modules together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "rashomon"

# Each top-level module or folder and its layer: a module may import its own layer or lower ones only.
# (docs/architecture.md draws the same picture.)
LAYERS = {
    "errors": 0, "model": 0, "config": 1, "store": 1,
    "text": 2,                      # shared text tools: spaCy, places, figures, passages
    "read": 3,                      # inputs -> cleaned articles
    "who": 4, "when": 4, "group": 4,  # per-article finders and their corpus stages
    "what": 5,                      # events (uses who's actors and entities)
    "agree": 6,                     # claims, differences, the brief
    "run": 7,                       # map, reduce, runner, workers, Dask
    "report": 8, "views": 8,        # outputs
    "api": 9, "web": 9, "cli": 9,   # interfaces
    "__init__": 10,                 # the package's lazy re-exports
    "__main__": 10,                 # the console script: starts a run's workers, then hands over to cli
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every rashomon module ``name`` imports, wherever the import statement stands."""
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "rashomon")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "rashomon":
                continue
            for alias in node.names:  # "from . import geo" imports the module rashomon.text.geo
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(name, path, known) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS["__init__" if len(parts) == 1 else parts[1]]


def test_the_walker_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    """The loop test would pass vacuously if the walker missed hidden imports: show it finds them."""
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..run.runner import Progress\n"
              "def f():\n    from ..store import Store\n    from . import geo\n")
    path = PACKAGE / "text" / "_probe.py"
    path.write_text(source, encoding="utf-8")
    try:
        found = imports("rashomon.text._probe", path, set(modules()))
    finally:
        path.unlink()
    assert found == {"rashomon.run.runner", "rashomon.store", "rashomon.text.geo"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_that_imports_it_back() -> None:
    loops = cycles(graph())
    assert not loops, "import loops (directly or through others):\n" + "\n".join(" <-> ".join(c) for c in loops)


def test_lower_layers_never_import_higher_ones() -> None:
    """The package root is exempt as a target: importing any ``rashomon.x`` runs it anyway, which is why it
    must import nothing at module level (next test); ``from rashomon import __version__`` is a constant."""
    wrong = sorted(f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
                   for a, targets in graph().items() for b in targets if b != "rashomon" and layer(b) > layer(a))
    assert not wrong, "\n".join(wrong)


def test_the_package_root_imports_nothing_until_an_entry_point_is_used() -> None:
    """``import rashomon`` runs at every CLI start: its re-exports load lazily, inside ``__getattr__``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    eager = [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)
             and not (isinstance(n, ast.ImportFrom) and n.module in ("__future__", "typing"))]
    assert not eager, eager


def test_every_top_level_module_and_folder_has_a_layer() -> None:
    names = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
             if (p.suffix == ".py") or (p / "__init__.py").exists()}
    assert names <= set(LAYERS), sorted(names - set(LAYERS))


@pytest.mark.parametrize("folder", sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and (p / "__init__.py").exists()) + [PACKAGE],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_no_folder_holds_more_than_about_twelve_modules(folder: Path) -> None:
    count = sum(1 for p in folder.glob("*.py") if p.name != "__init__.py")
    assert count <= 12, f"{folder.relative_to(SRC)} holds {count} modules"


def test_folders_say_which_stage_they_belong_to() -> None:
    """Each folder's docstring names its job; per-article and corpus modules say which they are."""
    per_stage = defaultdict(list)
    for name, path in modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert doc, f"{name} has no docstring"
        per_stage[name.split(".")[1] if "." in name else ""].append(name)
    for folder in ("read", "who", "when", "what", "group", "agree", "run"):
        assert per_stage[folder], folder
    for folder in ("who", "when", "what", "group", "agree"):  # one concern each: which stage is each module?
        for name in per_stage[folder]:
            if name.endswith(f".{folder}"):
                continue
            path = modules()[name]
            first = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").split("\n\n")[0]
            assert any(w in first.lower() for w in ("map stage", "corpus stage", "shared by")), \
                f"{name}: its docstring's first paragraph should say map stage, corpus stage or shared by"


def test_tests_mirror_the_source_tree() -> None:
    tests = Path(__file__).resolve().parent
    test_folders = {p.name for p in tests.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    src_folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert test_folders <= src_folders, sorted(test_folders - src_folders)
    stages = {"read", "text", "who", "when", "what", "group", "agree", "run", "report", "api", "web"}
    assert stages <= test_folders, sorted(stages - test_folders)
