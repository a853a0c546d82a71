"""A function run in a process of its own, forked from this one, its result read back: for a step whose
working memory is large and short-lived (the reduce's corpus-wide steps over every article's notes).

Freed memory is not always handed back to the system: CPython's allocator returns an arena only when all
of it is free, so a step that builds millions of small records and drops them leaves the process holding
their pages, with holes the records made afterwards (of other sizes) do not fill. A forked child's memory
is returned whole when it exits; this process keeps only the result, unpickled from a temporary file (the
pickle is never held whole in memory on either side).

The child hears the caller's progress through a pipe (:class:`Relay`), and its exception is raised here.

>>> in_child(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from ..config import survivors_frozen
from .progress import Progress, Silent

R = TypeVar("R")


class ChildFailed(RuntimeError):
    """The child process ended without a result (killed, out of memory) or its exception could not be sent."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"


def in_child(fn: Callable[..., R], *args: Any, progress: Progress | None = None) -> R:
    """``fn(*args)`` (with ``progress=`` a relay to ``progress`` when one is given) in a forked process;
    its result, or its exception, here. Forked with every object of this process frozen (``gc.freeze``), so
    the child's collections do not copy this process's pages. Not for a process whose other threads may
    hold locks the child needs (a server): the runner's command-line runs only."""
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    kwargs = {"progress": Relay(writer)} if progress is not None else {}
    with tempfile.TemporaryFile(prefix="rashomon-") as out:
        child = forked(_run, (fn, args, kwargs, writer, out.fileno()), "rashomon-apart")
        writer.close()
        try:
            hear(reader, child, progress, f"the {getattr(fn, '__name__', 'step')} process")
        finally:
            reader.close()
            child.join()
        out.seek(0)
        result: R = pickle.load(out)
        return result


def forked(target: Callable[..., Any], args: tuple[Any, ...], name: str) -> BaseProcess:
    """A daemon process forked to run ``target(*args)``, started with every object of this process frozen
    (``gc.freeze``), so the child's collections do not copy this process's pages."""
    gc.collect()
    gc.freeze()
    try:
        child = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True, name=name)
        child.start()
        return child
    finally:
        if not survivors_frozen():
            gc.unfreeze()


def hear(reader: Connection, child: BaseProcess, progress: Progress | None, what: str) -> Any:
    """Read a child's messages until its result: each progress call is made on ``progress``, ``("done",
    result)`` returns the result, ``("error", exc)`` raises it here; a pipe closed before either (the child
    killed, out of memory) raises :class:`ChildFailed` naming ``what``."""
    while True:
        try:
            message = reader.recv()
        except EOFError:
            break
        if message[0] == "done":
            return message[1]
        if message[0] == "error":
            raise message[1]
        if progress is not None:
            getattr(progress, message[0])(*message[1:])
    child.join()
    raise ChildFailed(f"{what} ended with exit code {child.exitcode} and no result (out of memory, or killed?)")


class Relay(Silent):
    """A :class:`Progress` in the child that sends each call to the parent's."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def stage(self, name: str, total: int | None = None) -> None:
        self.conn.send(("stage", name, total))

    def advance(self, n: int = 1) -> None:
        self.conn.send(("advance", n))

    def note(self, message: str) -> None:
        self.conn.send(("note", message))


def _run(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], conn: Connection, fd: int) -> None:
    try:
        result = fn(*args, **kwargs)
        with os.fdopen(os.dup(fd), "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        conn.send(("done", None))
    except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to raise
        conn.send(("error", sendable(exc)))
    finally:
        conn.close()


def sendable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (to be raised in the parent), else a :class:`ChildFailed` with its
    traceback's text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - an exception that does not pickle goes as its text
        return ChildFailed("".join(traceback.format_exception(exc)).rstrip())
