"""CPU seconds of the parts of the parent's tail (issue 21, seventh round), in one process, over a store that
already holds a corpus' articles, notes and placements (a first ``rashomon analyze ... --db DB`` made it).

    PYTHONPATH=src .venv/bin/python benchmarks/tail_parts.py --db DB [--rounds 2]

Prints, for the code on ``PYTHONPATH`` (so a commit's ``git archive`` of ``src`` can be timed against the
working tree, on the same store):

* the corpus-wide pass's decode of every article's notes (``runner._corpus_notes``, in chunks as the runner reads them);
* each story's notes as the parent hands them over (read, decoded where it decodes them, pickled), and as the
  worker takes them (unpickled, decoded where it decodes them);
* ``analysis_of`` in one process (no workers), and of it ``brief.write`` summed over the stories;
* writing that analysis's files, rendered to memory: all of them in one process, and (where the code has it)
  the forked writer's part (analysis.json, brief.md, every third story page) and the parent's (the rest).

``time.process_time`` throughout: the machine is shared, wall time says little.
"""

from __future__ import annotations

import argparse
import io
import pickle
import time
from typing import Any


def cpu(fn: Any) -> tuple[float, Any]:
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    for _ in range(args.rounds):
        one_round(args.db)


def one_round(db: str) -> None:
    from rashomon.agree import brief
    from rashomon.config import Config
    from rashomon.report import html, write
    from rashomon.report.markdown import render_markdown
    from rashomon.run import reduce, runner
    from rashomon.store import Store

    html.warm_up()
    with Store(db) as store:
        ids = [a.id for a in store.articles()]
        _, stories = store.assignments()
        t, _ = cpu(lambda: [runner._corpus_notes(store, chunk) for chunk in runner._chunks(iter(ids), runner.NOTES_CHUNK)])
        print(f"corpus pass, decode: {t:.3f}")
        groups: dict[str, list[str]] = {}
        for aid in ids:
            groups.setdefault(stories.get(aid) or "", []).append(aid)
        if hasattr(store, "stored_notes"):  # handed over encoded, decoded by the worker
            def parent() -> list[bytes]:
                return [pickle.dumps({aid: reduce._Later(n, {}) for aid, n in store.stored_notes(g).items()},
                                     protocol=pickle.HIGHEST_PROTOCOL) for g in groups.values()]

            def worker(blobs: list[bytes]) -> list[Any]:
                return [{aid: n.notes() for aid, n in pickle.loads(b).items()} for b in blobs]
        else:  # decoded by the parent, pickled, unpickled by the worker
            def parent() -> list[bytes]:
                return [pickle.dumps(store.notes(g), protocol=pickle.HIGHEST_PROTOCOL) for g in groups.values()]

            def worker(blobs: list[bytes]) -> list[Any]:
                return [pickle.loads(b) for b in blobs]
        t, blobs = cpu(parent)
        w, _ = cpu(lambda: worker(blobs))
        print(f"story notes: parent {t:.3f}, worker {w:.3f}")
        spent = [0.0]
        real_write = brief.write

        def timed(*a: Any, **k: Any) -> Any:
            t0 = time.process_time()
            out = real_write(*a, **k)
            spent[0] += time.process_time() - t0
            return out

        brief.write = timed
        try:
            t, analysis = cpu(lambda: runner.analysis_of(ids, Config(), store))
        finally:
            brief.write = real_write
        print(f"analysis_of in one process: {t:.2f}, of it brief.write {spent[0]:.3f}")
    t, _ = cpu(lambda: (write.write_json(analysis, io.StringIO()), render_markdown(analysis),
                        [len(c) for _, c in html.report_files(analysis)]))
    print(f"writing, all in one process: {t:.3f}")
    if hasattr(write, "_aside_page"):
        t, _ = cpu(lambda: (write.write_json(analysis, io.StringIO()), render_markdown(analysis),
                            [len(c) for _, c in html.report_files(analysis, write._aside_page, False)]))
        p, _ = cpu(lambda: [len(c) for _, c in html.report_files(analysis, lambda k: not write._aside_page(k))])
        print(f"writing, the forked writer's part {t:.3f}, the parent's {p:.3f}")

if __name__ == "__main__":
    main()
