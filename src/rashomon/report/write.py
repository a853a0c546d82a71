"""The files of an analysis: ``analysis.json``, ``brief.md`` and the HTML report (``report.html``, the
entry point, with ``stories/*.html`` and ``entities.html`` beside it), each written atomically.

Every file goes to a temporary name in its folder and is moved into place (``os.replace``), so no reader
ever opens a half-written file. The temporary files are synced to disk together, in threads, before any
is moved into place: one ``fsync`` after each of a big report's hundreds of pages cost seconds of waiting
(3 ms each here), many at once cost about one. Nothing is held whole: ``analysis.json`` is encoded record by record
(:func:`write_json`, the same bytes as one ``json.dumps``) and the report page by page, so writing needs
memory for one story's page, not for a second copy of the analysis as text. The story pages are written before ``report.html``, so the entry point never
links to a page that is not there yet; pages left from an earlier run whose story is gone are removed
last. From ``ASIDE_MIN`` articles on, ``analysis.json``, ``brief.md`` and a third of the story pages are
written by a process forked for them while this one renders the rest (:class:`_Aside`), every file still
moved into place here, in the same order.

>>> import pathlib, tempfile
>>> from rashomon.model import Analysis, Story
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> paths = write_outputs(Analysis(generated_at="now", stories=(Story("s1", "Kell votes", (), (), 0),)), out)
>>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
['analysis.json', 'brief.md', 'entities.html', 'report.html', 'stories/s1.html']
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from ..model import Analysis
from .html import page_names, report_files
from .markdown import render_markdown


def write_outputs(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write analysis.json, brief.md and the report folder, each file atomically; returns the paths of
    ``analysis.json``, ``brief.md``, ``report.html`` and the ``stories`` folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = out / "stories"
    pages.mkdir(exist_ok=True)
    with _Files() as files:
        if len(analysis.articles) >= ASIDE_MIN and _Aside.possible():
            # analysis.json, brief.md and every ASIDE_SHARE-th story page in a process forked from this one,
            # while this one renders the other pages and the index: none needs another
            aside: _Aside | None = _Aside(lambda mine: _write_part(analysis, out, mine, _aside_page, data=True,
                                                                   index=False))
            try:
                for name, content in report_files(analysis, lambda k: not _aside_page(k)):
                    if name == "report.html" and aside is not None:  # written last, after every page it links
                        joining, aside = aside, None  # (a child that failed removed its files)
                        files.adopt(joining.join())
                    files.write(out / name, content)
                if aside is not None:
                    joining, aside = aside, None
                    files.adopt(joining.join())
            except BaseException:
                if aside is not None:
                    files.adopt(aside.join(failed=True))  # removed with this process's own
                raise
            files.order([out / name for name in ("analysis.json", "brief.md", *page_names(analysis.stories).values(),
                                                 "entities.html", "report.html")])  # as when written here
        else:
            _write_part(analysis, out, files, None, data=True, index=True)
        files.commit()  # moved into place in the order written: report.html after every page it links
    written = set(files.paths)
    for old in pages.glob("*.html"):
        if old not in written:
            old.unlink(missing_ok=True)
    return {"analysis.json": out / "analysis.json", "brief.md": out / "brief.md",
            "report.html": out / "report.html", "stories": pages}


def _write_part(analysis: Analysis, out: Path, files: _Files, pages: Callable[[int], bool] | None, data: bool,
                index: bool) -> None:
    """Some of the files (all, with ``pages`` None and ``data`` and ``index``): ``analysis.json`` and
    ``brief.md`` with ``data``; the story pages ``pages`` accepts (by the story's position), then with
    ``index`` ``entities.html`` and ``report.html`` last."""
    if data:
        files.write(out / "analysis.json", lambda handle: write_json(analysis, handle))
        files.write(out / "brief.md", render_markdown(analysis))
    for name, content in report_files(analysis, pages, index):
        files.write(out / name, content)


def _aside_page(k: int) -> bool:
    """The story pages :class:`_Aside`'s process renders besides analysis.json (about a third of the
    writing) and brief.md: every ``ASIDE_SHARE``-th, so both processes take about as long."""
    return k % ASIDE_SHARE == ASIDE_SHARE - 1


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


Content = str | Callable[[TextIO], None]
ASIDE_MIN = 100  # articles from which part of the files are written by a process of their own (_Aside)
ASIDE_SHARE = 3  # ... which renders every third story page besides analysis.json and brief.md


class _Aside:
    """Files written by a process forked from this one (:meth:`possible`), under temporary names, while this
    one goes on; :meth:`join` waits for it and gives the (path, temporary name) of each, for this process's
    :class:`_Files` to sync and move into place with its own. The child's exception is raised here; the
    files of a child that failed are removed by the child."""

    def __init__(self, write: Callable[[_Files], None]) -> None:
        reader, writer = os.pipe()
        gc.freeze()  # the child's collections then leave this process's pages shared, not copied
        try:
            self.pid = os.fork()
        finally:
            gc.unfreeze()
        if self.pid == 0:  # the child: never returns
            os.close(reader)
            _write_aside(write, writer)
        os.close(writer)
        self.reader = reader

    @staticmethod
    def possible() -> bool:
        """A fork is safe where this process runs no other thread (one could hold a lock the child needs)."""
        return hasattr(os, "fork") and threading.active_count() == 1

    def join(self, failed: bool = False) -> list[tuple[Path, str]]:
        """The child's files, once it is done; its exception raised unless this process ``failed`` already."""
        with os.fdopen(self.reader, "rb") as pipe:
            message = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            kind, found = pickle.loads(message)
        except Exception:  # noqa: BLE001 - nothing, or half a message: the child was killed
            kind, found = "error", OSError(f"the process writing analysis.json ended with status {status}")
        if kind == "ok":
            return list(found)
        if not failed:
            raise found
        return []


def _write_aside(write: Callable[[_Files], None], fd: int) -> None:
    """:class:`_Aside`'s child: writes its files, sends their temporary names (or its exception), and exits."""
    try:
        try:
            with _Files() as files:
                write(files)
                message = pickle.dumps(("ok", list(zip(files.paths, files.temps, strict=True))))
                files.temps.clear()  # the parent's from now on
        except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to raise
            try:
                message = pickle.dumps(("error", exc))
                pickle.loads(message)
            except Exception:  # noqa: BLE001 - an exception that does not pickle goes as its text
                message = pickle.dumps(("error", OSError("".join(traceback.format_exception(exc)).rstrip())))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(message)
    finally:
        os._exit(0)


class _Files:
    """Files written to temporary names, then synced together and moved into place in the order written
    (:meth:`commit`); temporary files left when anything fails are removed."""

    SYNC_THREADS = 16

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.temps: list[str] = []

    def __enter__(self) -> _Files:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp in self.temps:  # whatever was not moved into place
            Path(tmp).unlink(missing_ok=True)

    def adopt(self, written: Sequence[tuple[Path, str]]) -> None:
        """Files written elsewhere (:class:`_Aside`), as (path, temporary name): synced and moved into place
        with these, before them."""
        self.paths[:0] = [path for path, _ in written]
        self.temps[:0] = [tmp for _, tmp in written]

    def order(self, paths: Sequence[Path]) -> None:
        """Move the files into place in the order of ``paths`` (any other after them, as they were)."""
        rank = {path: k for k, path in enumerate(paths)}
        pairs = sorted(zip(self.paths, self.temps, strict=True), key=lambda pair: rank.get(pair[0], len(rank)))
        self.paths, self.temps = [path for path, _ in pairs], [tmp for _, tmp in pairs]

    def write(self, path: Path, content: Content) -> None:
        """``content`` (a string, or a function that writes to the handle it is given) under a temporary
        name beside ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.temps.append(tmp)
        self.paths.append(path)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the report is meant to be opened and shared

    def commit(self) -> None:
        """Sync every file to disk, then move each into place."""
        with ThreadPoolExecutor(max_workers=min(self.SYNC_THREADS, max(1, len(self.temps)))) as pool:
            list(pool.map(_sync, self.temps))
        while self.temps:
            os.replace(self.temps[0], self.paths[len(self.paths) - len(self.temps)])
            self.temps.pop(0)


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
