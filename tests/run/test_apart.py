"""run/apart: a step in a forked process, its result, progress and failures brought back."""

from __future__ import annotations

import os

import pytest

from rashomon.run.apart import ChildFailed, in_child


def _counted(n: int, progress) -> list[int]:
    progress.stage("counting", n)
    for _ in range(n):
        progress.advance()
    return [os.getpid()] * n


def test_the_result_comes_back_from_another_process_with_its_progress():
    heard: list[tuple] = []

    class Heard:
        def stage(self, name, total=None):
            heard.append(("stage", name, total))

        def advance(self, n=1):
            heard.append(("advance", n))

        def note(self, message):
            heard.append(("note", message))

    pids = in_child(_counted, 3, progress=Heard())
    assert len(pids) == 3 and pids[0] != os.getpid()
    assert heard == [("stage", "counting", 3)] + [("advance", 1)] * 3


def test_a_large_result_is_read_back_whole():
    text = in_child(lambda: "x" * 50_000_000 + "end")
    assert len(text) == 50_000_003 and text.endswith("end")


def _fails() -> None:
    raise ValueError("no such article: a9")


def _dies() -> None:
    os._exit(9)


class _Unpicklable(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _fails_oddly() -> None:
    raise _Unpicklable("the store is locked", "try again")


def test_the_childs_exception_is_raised_here():
    with pytest.raises(ValueError, match="no such article: a9"):
        in_child(_fails)


def test_an_exception_that_cannot_travel_comes_as_its_text():
    with pytest.raises(ChildFailed, match="the store is locked"):
        in_child(_fails_oddly)


def test_a_child_that_dies_is_an_error_not_a_result():
    with pytest.raises(ChildFailed, match="exit code 9"):
        in_child(_dies)
