"""Memory while streaming a long input through the per-article stages (reading, cleaning, storing, the
map stage), sampled as it goes, to see whether it stays flat.

    .venv/bin/python benchmarks/memory_stream.py [--articles 4000] [--workers 1] [--every 250]
        [--same-names]

The input is a synthetic corpus (benchmarks/synthetic.py) whose collages get invented names, so every
report brings new words, as a real news stream does (``--same-names`` keeps the source reports' names).
It runs the runner's ``ingest`` + ``annotate_stored`` into a fresh store and prints, every ``--every``
articles: the proportional set size of this process and its workers together, and, with ``--workers 1``
(the parse happens in this process), the size of spaCy's string store. The corpus-wide stages are not
run: the analysis they build holds every article and grows with the corpus by design.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
import throughput  # noqa: E402

from rashomon.config import Config  # noqa: E402
from rashomon.run.runner import annotate_stored, ingest  # noqa: E402
from rashomon.run.workers import Workers, warm_up  # noqa: E402
from rashomon.store import Store  # noqa: E402
from rashomon.text import nlp  # noqa: E402


class Sampler:
    """A runner progress reporter that samples memory every ``every`` annotated articles."""

    def __init__(self, every: int, memory: throughput.Memory, in_process: bool) -> None:
        self.every, self.memory, self.in_process = every, memory, in_process
        self.done, self.rows, self._annotating, self._t = 0, [], False, time.perf_counter()

    def stage(self, name: str, total: int | None = None) -> None:
        self._annotating = name == "analysing articles"
        if self._annotating:
            self.sample()

    def advance(self, n: int = 1) -> None:
        if not self._annotating:
            return
        before, self.done = self.done, self.done + n
        if self.done // self.every > before // self.every:
            self.sample()

    def note(self, message: str) -> None:
        pass

    def sample(self) -> None:
        strings = len(nlp.load().vocab.strings) if self.in_process else None
        row = (self.done, self.memory.now(), strings, time.perf_counter() - self._t)
        self.rows.append(row)
        print(f"  {row[0]:6d} articles  {row[1] / 2**20:7.0f} MB" + (f"  {strings:8d} strings" if strings else "")
              + f"  {row[3]:6.0f} s", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--every", type=int, default=250)
    ap.add_argument("--same-names", action="store_true", help="keep the source reports' names")
    ap.add_argument("--input", default="", help="stream this JSONL instead (e.g. one an earlier run wrote)")
    ap.add_argument("--pool", nargs="*", default=[str(throughput.DATA / d / "input.jsonl")
                                                  for d in ("quotes", "ecbplus", "timex")])
    a = ap.parse_args()
    config = Config(workers=a.workers)
    if a.input:
        path = Path(a.input)
    else:
        path = throughput.OUT / f"stream-{a.articles}{'-same' if a.same_names else ''}.jsonl"
        synthetic.write_jsonl(path, a.articles, throughput.sources(config, a.pool), new_names=not a.same_names)
        print(f"wrote {path}")
    with throughput.Memory() as memory:
        warm_up()
        sampler = Sampler(a.every, memory, in_process=a.workers <= 1)
        print(f"{a.articles} articles ({'source names' if a.same_names else 'invented names'}), "
              f"{a.workers} worker(s): memory (PSS, this process + workers) while annotating")
        with tempfile.TemporaryDirectory(dir=throughput.OUT) as tmp, Store(Path(tmp) / "db.sqlite") as store:
            if a.workers > 1:
                with Workers(a.workers) as pool:
                    ids, _ = ingest([str(path)], config, store, sampler, None, pool)
                    annotate_stored(ids, config, store, sampler, pool)
            else:
                ids, _ = ingest([str(path)], config, store, sampler)
                annotate_stored(ids, config, store, sampler)
            sampler.sample()
    rows = sampler.rows
    half = [r for r in rows if r[0] >= rows[-1][0] / 2]
    if len(half) >= 2:
        slope = (half[-1][1] - half[0][1]) / 2**20 / max(1, half[-1][0] - half[0][0]) * 1000
        print(f"second half: {slope:+.1f} MB per 1000 articles "
              f"({half[0][1] / 2**20:.0f} -> {half[-1][1] / 2**20:.0f} MB); peak {max(r[1] for r in rows) / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
