"""How a long run reports what it is doing: the :class:`Progress` protocol every runner (the local one, the
Dask engine) reports through, and :class:`Silent`, the library default. The CLI draws it with rich."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws it with rich on stderr)."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


class Silent:
    """A progress reporter that reports nothing (library default)."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass
