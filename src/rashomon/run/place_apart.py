"""Placing in a process of its own, forked from the run's, so the run's process only reads, stores and hands
over while the workers parse: with many workers, placing (~6 ms an article) was half of what the run's own
process did per article, and that process is what every worker waits on once it is busy.

:class:`PlacerApart` has :class:`~rashomon.run.place.Placer`'s verbs (``arrive``, ``expect``, ``offer``,
``finish``). Each call is handed to a :class:`Placer` in the child, which opens the store itself and places
exactly as it would here: in the store's arrival order, from the notes offered or stored, saving now and
then and at the end. The calls go through a thread of this process, so ``offer`` returns at once and the
child places one piece while this process stores the next; at most ``BACKLOG`` calls wait for it. The
result (the store's families and stories, or None when another writer saved placements meanwhile) comes
back from :meth:`PlacerApart.finish`, with the child's progress relayed and its exception raised here.

If this process dies, the child sees its end of the pipe close and stops without saving, as a placer in
this process would have stopped with it; what it saved before stands (placing resumes from it).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import queue
import sys
import threading
from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from ..config import Config
from ..group.features import Placing
from ..model import Article, Notes
from ..store import Store
from .apart import Relay, can_fork, forked, hear, sendable
from .place import Placer
from .progress import Progress

log = logging.getLogger(__name__)

BACKLOG = 16  # calls handed over and not yet read by the child; beyond that ``offer`` waits for it
# how long the run's writes wait for the child's saves of the indexes (their state grows with the store:
# ~8 MB per 1,000 articles, tens of seconds to write at 100k; the store's own 30 s is for other writers)
WAIT_FOR_SAVES = 1800.0

NAME = b"rashomon-placer"  # the child's name in ps and top (Linux: at most 15 bytes)

Placed = tuple[dict[str, str], dict[str, str]]


def placer_for(config: Config, store: Store, apart: bool) -> Placer | PlacerApart:
    """A placer in a process of its own where that can be (``apart``, a forking platform and a store on
    disk: the child opens the same file), else one in this process."""
    if apart and can_fork() and store.path != ":memory:":
        return PlacerApart(config, store)
    return Placer(config, store)


class PlacerApart:
    """A :class:`Placer` in a forked process; see the module's docstring."""

    def __init__(self, config: Config, store: Store) -> None:
        ctx = multiprocessing.get_context("fork")
        calls_in, calls_out = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._child = forked(_serve, (config, store.path, calls_in, calls_out, results_out), "rashomon-placer")
        calls_in.close()
        results_out.close()
        self._store = store
        self._wait = store.wait_for_writers(WAIT_FOR_SAVES)
        self._calls: queue.Queue[tuple[Any, ...] | None] = queue.Queue(BACKLOG)
        self._sender = threading.Thread(target=_send, args=(self._calls, calls_out), daemon=True,
                                        name="rashomon-placer-calls")
        self._sender.start()
        self._closed = False

    def arrive(self, ids: Sequence[str]) -> None:
        self._call("arrive", list(ids))

    def expect(self, ids: Iterable[str]) -> None:
        self._call("expect", list(ids))

    def offer(self, articles: Sequence[Article], notes: Sequence[Notes], found: Sequence[Placing] | None = None) -> None:
        self._call("offer", list(articles), list(notes), list(found) if found is not None else None)

    def offer_packed(self, articles: Sequence[Article], packed: bytes, keep: Sequence[int] | None = None) -> None:
        self._call("offer_packed", list(articles), packed, list(keep) if keep is not None else None)

    def finish(self, progress: Progress | None = None) -> Placed | None:
        """What :meth:`Placer.finish` returns, from the child, which then exits."""
        self._call("finish")
        self._stop_sending()
        try:
            placed: Placed | None = hear(self._results, self._child, progress, "the placing process")
        finally:
            self.close()
        return placed

    def close(self) -> None:
        """Stop the child (it saves nothing more unless :meth:`finish` asked it to) and wait for it."""
        if self._closed:
            return
        self._closed = True
        self._stop_sending()
        self._results.close()
        self._child.join(timeout=5)
        if self._child.is_alive():  # blocked on a lock, say: it must not outlive the run
            self._child.terminate()
            self._child.join()
        self._store.wait_for_writers(self._wait)

    def __enter__(self) -> PlacerApart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, *message: Any) -> None:
        self._put(message)

    def _put(self, message: tuple[Any, ...] | None) -> None:
        """Hand over a call, waiting while ``BACKLOG`` wait; dropped once the sender stopped (the child is
        gone, and :meth:`finish` says why)."""
        while self._sender.is_alive():
            try:
                self._calls.put(message, timeout=0.5)
                return
            except queue.Full:
                continue

    def _stop_sending(self) -> None:
        self._put(None)
        self._sender.join()


def _send(calls: queue.Queue[tuple[Any, ...] | None], conn: Connection) -> None:
    """The calls, pickled and written to the child's pipe in order, in a thread of the run's process."""
    try:
        while (message := calls.get()) is not None:
            conn.send(message)
    except OSError:  # the child is gone (its failure is read back by finish)
        pass
    finally:
        conn.close()


def _serve(config: Config, path: str, calls: Connection, calls_out: Connection, results: Connection) -> None:
    """The child: a :class:`Placer` on its own connection to the store, doing each call it is handed."""
    calls_out.close()  # this end is the parent's: with it closed here, the parent's death reads as EOF
    _name(NAME)
    try:
        with Store(path) as store:
            placer = Placer(config, store)
            while True:
                try:
                    message = calls.recv()
                except EOFError:  # the run's process is gone: stop where it stopped
                    return
                if message[0] == "finish":
                    results.send(("done", placer.finish(Relay(results))))
                    return
                getattr(placer, message[0])(*message[1:])
    except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to raise
        results.send(("error", sendable(exc)))
    finally:
        results.close()


def _name(name: bytes) -> None:
    """This process's name as ps, top and psutil show it (Linux's ``prctl(PR_SET_NAME)``; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name[:15]), 0, 0, 0)  # 15: PR_SET_NAME
