"""The files of an analysis: ``analysis.json``, ``brief.md`` and the HTML report (``report.html``, the
entry point, with ``stories/*.html`` and ``entities.html`` beside it), each written atomically.

Every file goes to a temporary name in its folder and is moved into place (``os.replace``), so no reader
ever opens a half-written file. The temporary files are synced to disk together, in threads, before any
is moved into place: one ``fsync`` after each of a big report's hundreds of pages cost seconds of waiting
(3 ms each here), many at once cost about one. Nothing is held whole: ``analysis.json`` is encoded record by record
(:func:`write_json`, the same bytes as one ``json.dumps``) and the report page by page, so writing needs
memory for one story's page, not for a second copy of the analysis as text. The story pages are written before ``report.html``, so the entry point never
links to a page that is not there yet; pages left from an earlier run whose story is gone are removed
last.

>>> import pathlib, tempfile
>>> from rashomon.model import Analysis, Story
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> paths = write_outputs(Analysis(generated_at="now", stories=(Story("s1", "Kell votes", (), (), 0),)), out)
>>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
['analysis.json', 'brief.md', 'entities.html', 'report.html', 'stories/s1.html']
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from ..model import Analysis
from .html import report_files
from .markdown import render_markdown


def write_outputs(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write analysis.json, brief.md and the report folder, each file atomically; returns the paths of
    ``analysis.json``, ``brief.md``, ``report.html`` and the ``stories`` folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = out / "stories"
    pages.mkdir(exist_ok=True)
    with _Files() as files:
        files.write(out / "analysis.json", lambda handle: write_json(analysis, handle))
        files.write(out / "brief.md", render_markdown(analysis))
        for name, content in report_files(analysis):  # the story pages, then entities.html, report.html last
            files.write(out / name, content)
        files.commit()  # moved into place in the order written: report.html after every page it links
    written = set(files.paths)
    for old in pages.glob("*.html"):
        if old not in written:
            old.unlink(missing_ok=True)
    return {"analysis.json": out / "analysis.json", "brief.md": out / "brief.md",
            "report.html": out / "report.html", "stories": pages}


def write_json(analysis: Analysis, handle: TextIO) -> None:
    """``analysis.json``, written as it is encoded: byte for byte ``json.dumps(analysis.to_contract(),
    ensure_ascii=False, indent=1)``, one record at a time, each record's data let go once written (the
    records' strings are the analysis' own, so the data costs only its dicts; the text encoded in one
    piece cost the whole corpus again, and several times that while ``json`` joined its pieces).

    >>> import io
    >>> a = Analysis(generated_at="now")
    >>> buffer = io.StringIO()
    >>> write_json(a, buffer)
    >>> buffer.getvalue() == json.dumps(a.to_contract(), ensure_ascii=False, indent=1)
    True
    """
    contract = analysis.to_contract()
    handle.write("{")
    for k, key in enumerate(list(contract)):
        value = contract.pop(key)
        handle.write(("," if k else "") + "\n " + _encode(key, 1) + ": ")
        if isinstance(value, list):
            _write_list(value, handle, 1)
        else:
            handle.write(_encode(value, 1))
    handle.write("\n}")  # the contract always has keys


def _write_list(items: list[Any], handle: TextIO, level: int) -> None:
    """A list at nesting ``level`` as ``json.dumps(..., indent=1)`` writes it, item by item; each item is
    dropped from the list once written."""
    if not items:
        handle.write("[]")
        return
    inner = "\n" + " " * (level + 1)
    for i in range(len(items)):
        handle.write(("[" if i == 0 else ",") + inner + _encode(items[i], level + 1))
        items[i] = None
    handle.write("\n" + " " * level + "]")


def _encode(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=1)`` writes it ``level`` deep: its own lines shifted by ``level``
    spaces (a JSON string never holds a raw line break, so every one is structure)."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


class _Files:
    """Files written to temporary names, then synced together and moved into place in the order written
    (:meth:`commit`); temporary files left when anything fails are removed."""

    SYNC_THREADS = 16

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self._temps: list[str] = []

    def __enter__(self) -> _Files:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp in self._temps:  # whatever was not moved into place
            Path(tmp).unlink(missing_ok=True)

    def write(self, path: Path, content: str | Callable[[TextIO], None]) -> None:
        """``content`` (a string, or a function that writes to the handle it is given) under a temporary
        name beside ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self._temps.append(tmp)
        self.paths.append(path)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the report is meant to be opened and shared

    def commit(self) -> None:
        """Sync every file to disk, then move each into place."""
        with ThreadPoolExecutor(max_workers=min(self.SYNC_THREADS, max(1, len(self._temps)))) as pool:
            list(pool.map(_sync, self._temps))
        while self._temps:
            os.replace(self._temps[0], self.paths[len(self.paths) - len(self._temps)])
            self._temps.pop(0)


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
