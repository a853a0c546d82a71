"""The ``rashomon`` command (and ``python -m rashomon``).

This module imports almost nothing, so that ``analyze`` and ``ingest`` start their worker processes
(:func:`rashomon.run.workers.start_early`) before the command line interface loads typer and rich: the
workers load spaCy a fifth of a second sooner, which is the critical path of a short run.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point: start the workers of a run early, then hand over to :mod:`rashomon.cli`."""
    from .config import freeze_survivors, single_threaded_blas

    single_threaded_blas()  # before the workers are forked, so they inherit it
    if len(sys.argv) > 2 and sys.argv[1] in ("analyze", "ingest"):
        from .run.workers import start_early

        freeze_survivors()  # a run ends with its command (not so `serve` and `watch`)
        start_early(sys.argv[2:])
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
