"""rashomon: one trustworthy, structured, cited account from many news reports of the same events.

The library is the product; the CLI (:mod:`rashomon.cli`), the REST API and the web app (:mod:`rashomon.api`)
are thin layers over it. The entry points are re-exported here::

    from rashomon import Config, analyze, open_store

    with open_store("news.db") as store:
        analysis = analyze(["reports/"], Config(), store)

They load on first use, so ``import rashomon`` (every CLI start) costs nothing: the runner, spaCy and the
corpus stages are imported only by what needs them. Where everything lives: ``docs/architecture.md``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Analysis", "Article", "Config", "Store", "analysis_of", "analyze", "ingest", "open_store",
           "write_outputs"]


def __getattr__(name: str) -> Any:
    """The re-exported entry points, imported on first use."""
    if name in ("analyze", "analysis_of", "ingest"):
        from .run import runner as module
    elif name in ("Store", "open_store"):
        from . import store as module  # type: ignore[no-redef]
    elif name == "Config":
        from . import config as module  # type: ignore[no-redef]
    elif name in ("Analysis", "Article"):
        from . import model as module  # type: ignore[no-redef]
    elif name == "write_outputs":
        from . import report as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module 'rashomon' has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
