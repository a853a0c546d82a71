"""Throughput of rashomon against a bare spaCy pass, peak memory, and how time grows with corpus size.

    .venv/bin/python benchmarks/throughput.py [CORPUS] [--workers 2] [--rounds 2]
        [--growth 1000,10000] [--corpus-stages 1000,10000,100000] [--fixed-pool] [--json out/bench/throughput.json]

A bare run (``make bench``) measures the ratio and peak memory on CORPUS, ~5 minutes; growth is opt-in
(``--growth`` and ``--corpus-stages`` take the sizes: 1k takes minutes, 10k the better part of an hour,
100k hours). It prints:

1. **ratio** on CORPUS (default ``../shared/data/quotes/input.jsonl``; any input rashomon reads): the whole
   ``rashomon analyze`` (read, clean, store, annotate, families, stories, the corpus-wide comparison and
   briefs, writing analysis.json/brief.md/report.html) against a bare ``nlp.pipe`` over the same texts,
   same model, same batch size, same number of processes, back to back in each round (the CPU may be
   shared: the best of the rounds is kept for each). Both run in this process after one warm-up, so
   neither pays for loading models (the one-off start-up is printed apart), and with ``--workers N``
   both fork N workers from it. The bare pass runs rashomon's own pipeline (the same model, its attribute
   ruler and lemmatizer sped up with identical annotations: what rashomon adds beyond parsing), and in the
   same rounds spaCy's stock pipeline (what a user's own ``nlp.pipe`` runs); both ratios are printed.
2. **peak memory** (proportional set size of this process and its workers together, sampled), overall
   and during the streaming stages (reading + annotating) alone, from one more round of each run with
   the sampler on (reading PSS costs CPU, so the timed rounds run without it).
3. **growth** of the whole pipeline on synthetic corpora (``--growth``: the synthetic articles' texts
   written as JSONL and parsed for real; see benchmarks/synthetic.py), and of the corpus-wide stages alone (``--corpus-stages``:
   families, stories, entities, quotes, claims, differences, briefs and writing the outputs, from notes
   assembled per sentence, so 100k articles need no 100k parses; the map stage's per-article cost does
   not depend on corpus size). By default a stream of events (more articles = more events, story sizes
   drawn from one heavy-tailed law); ``--fixed-pool`` uses collages of a fixed pool of ~800 sources
   instead, where stories grow with N (the big-stories stress case).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from usertime import BARE, bytecode_ready, timed  # noqa: E402

from rashomon.config import Config  # noqa: E402
from rashomon.group.metrics import bcubed  # noqa: E402
from rashomon.model import Article, RawDocument  # noqa: E402
from rashomon.read.ingest import iter_inputs  # noqa: E402
from rashomon.report import write_outputs  # noqa: E402
from rashomon.run.runner import analysis_of, analyze, annotate_stored, assign, ingest  # noqa: E402
from rashomon.run.workers import chunk_sizes, warm_up  # noqa: E402
from rashomon.store import Store  # noqa: E402
from rashomon.text import nlp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "out" / "bench"


# --------------------------------------------------------------------------------------- measuring


class Memory:
    """Samples the memory of this process and its children (PSS: shared pages counted once) while
    ``sampling`` is set. Reading PSS costs ~8 ms of CPU per process and sample (the kernel walks every
    mapping), a quarter of a core at 3 processes and 10 samples a second, so timed rounds run without it."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self.sampling = threading.Event()
        self.sampling.set()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def now(self) -> int:
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                info = p.memory_full_info()
                total += getattr(info, "pss", info.rss)
            except (psutil.Error, OSError):
                pass
        return total

    def reset(self) -> int:
        self.peak = self.now() if self.sampling.is_set() else 0
        return self.peak

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self.sampling.is_set():
                self.peak = max(self.peak, self.now())


class Stages:
    """A runner progress reporter that times each stage and keeps the memory peak of each."""

    def __init__(self, memory: Memory) -> None:
        self.memory, self.times, self.peaks = memory, {}, {}
        self._name, self._t = "start", time.perf_counter()
        memory.reset()

    def stage(self, name: str, total: int | None = None) -> None:
        now = time.perf_counter()
        self.times[self._name] = self.times.get(self._name, 0.0) + now - self._t
        self.peaks[self._name] = max(self.peaks.get(self._name, 0), self.memory.peak)
        self.memory.reset()
        self._name, self._t = name, now

    def advance(self, n: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def done(self) -> None:
        self.stage("end")


STREAMING = ("start", "reading", "reading and analysing articles", "analysing articles")


def mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def run_rashomon(inputs: list[str], config: Config, memory: Memory) -> dict[str, Any]:
    """The whole analysis into a fresh store and output folder; wall time, stage times and peaks."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        stages = Stages(memory)
        start, cpu_start = time.perf_counter(), cpu_seconds()
        with Store(Path(tmp) / "db.sqlite") as store:
            analysis = analyze(inputs, config, store, stages)
            stages.stage("writing outputs")
            write_outputs(analysis, tmp)
        took, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        stages.done()
    return {"seconds": took, "cpu_seconds": cpu, "articles": len(analysis.articles), "stories": len(analysis.stories),
            "stages": stages.times, "peak": max(stages.peaks.values()),
            "streaming_peak": max(v for k, v in stages.peaks.items() if k in STREAMING)}


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the runner's workers exit with each run):
    unlike wall time, it hardly changes when other jobs share the machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_bare(texts: list[str], config: Config, memory: Memory, stock: bool = False) -> dict[str, Any]:
    """``nlp.pipe`` over the texts with the batch size rashomon's chunks have (nlp.pipe hands whole
    batches to its processes: 84 texts in batches of 64 would leave one process with 20). The pipeline is
    rashomon's own (the same model with its attribute ruler and lemmatizer sped up, identical
    annotations), or with ``stock`` the model as spaCy loads it, as a user's own ``nlp.pipe`` runs it."""
    model = _stock() if stock else nlp.load()
    batch = chunk_sizes(len(texts), config.workers, config.batch_size)[0] if config.workers > 1 else config.batch_size
    memory.reset()
    start = time.perf_counter()
    for _ in model.pipe(texts, batch_size=batch, n_process=config.workers):
        pass
    return {"seconds": time.perf_counter() - start, "peak": memory.peak, "batch": batch}


@lru_cache(maxsize=1)
def _stock() -> Any:
    import spacy

    return spacy.load(nlp.MODEL, exclude=["senter"])


def texts_of(inputs: list[str], config: Config) -> list[str]:
    return [x.text for x in iter_inputs(inputs, config) if isinstance(x, RawDocument)]


# ------------------------------------------------------------------------------------------ parts


def ratio(corpus: str, config: Config, rounds: int, memory: Memory) -> dict[str, Any]:
    """``rounds`` timed rounds (rashomon, then the bare pass, back to back; no memory sampling), then one
    round of each with memory sampled, for the peaks."""
    texts = texts_of([corpus], config)
    bytecode_ready()
    ours, bare, stock = [], [], []
    memory.sampling.clear()
    for r in range(rounds):
        ours.append(run_rashomon([corpus], config, memory))
        bare.append(run_bare(texts, config, memory))
        stock.append(run_bare(texts, config, memory, stock=True))
        print(f"  round {r + 1}: rashomon {ours[-1]['seconds']:.1f}s, bare nlp.pipe {bare[-1]['seconds']:.1f}s "
              f"(x{ours[-1]['seconds'] / bare[-1]['seconds']:.2f}), with spaCy's stock pipeline "
              f"{stock[-1]['seconds']:.1f}s (x{ours[-1]['seconds'] / stock[-1]['seconds']:.2f})", flush=True)
    memory.sampling.set()
    mem_ours, mem_bare = run_rashomon([corpus], config, memory), run_bare(texts, config, memory)
    best, base = min(ours, key=lambda x: x["seconds"]), min(bare, key=lambda x: x["seconds"])
    spacys = min(stock, key=lambda x: x["seconds"])
    n = best["articles"]
    out = {"corpus": corpus, "articles": n, "texts": len(texts), "workers": config.workers,
           "rashomon_s": best["seconds"], "bare_s": base["seconds"],
           "rashomon_aps": n / best["seconds"], "bare_aps": len(texts) / base["seconds"],
           "ratio": best["seconds"] / base["seconds"], "stages": best["stages"],
           "round_seconds": [[o["seconds"], b["seconds"]] for o, b in zip(ours, bare, strict=True)],
           "peak_bytes": mem_ours["peak"], "streaming_peak_bytes": mem_ours["streaming_peak"],
           "bare_peak_bytes": mem_bare["peak"],
           "round_ratios": [o["seconds"] / b["seconds"] for o, b in zip(ours, bare, strict=True)],
           "stock_s": spacys["seconds"], "ratio_stock": best["seconds"] / spacys["seconds"],
           "round_ratios_stock": [o["seconds"] / b["seconds"] for o, b in zip(ours, stock, strict=True)]}
    print(f"rashomon: {out['rashomon_aps']:.2f} articles/s ({n} articles in {best['seconds']:.1f}s, "
          f"{config.workers} worker(s))")
    print(f"bare nlp.pipe: {out['bare_aps']:.2f} articles/s ({len(texts)} texts in {base['seconds']:.1f}s, "
          f"n_process={config.workers}, batch_size={base['batch']})")
    print(f"ratio: {out['ratio']:.2f}x the bare spaCy pass, best of {rounds} rounds each (per round: "
          f"{', '.join(f'{x:.2f}' for x in out['round_ratios'])})")
    print(f"against spaCy's stock pipeline ({spacys['seconds']:.1f}s): {out['ratio_stock']:.2f}x (per round: "
          f"{', '.join(f'{x:.2f}' for x in out['round_ratios_stock'])})")
    print("  stages: " + ", ".join(f"{k} {v:.1f}s" for k, v in best["stages"].items() if v >= 0.05))
    print(f"peak memory (a round of each with memory sampled): rashomon {mb(out['peak_bytes'])} "
          f"(streaming stages {mb(out['streaming_peak_bytes'])}), bare nlp.pipe {mb(out['bare_peak_bytes'])}")
    return out


# ----------------------------------------------------------------------- as a user times it


def user_ratio(corpus: str, config: Config, rounds: int, processes: int) -> dict[str, Any]:
    """What a user times: ``rashomon analyze CORPUS`` with no --workers (the default, auto), a fresh process
    and a fresh store each round, against a fresh Python that loads the same spaCy model and runs
    ``nlp.pipe(n_process=processes)`` over the same texts; both with start-up. Best of the rounds each."""
    texts = texts_of([corpus], config)
    bytecode_ready()
    ours, bare = [], []
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        folder = Path(tmp)
        (folder / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        batch = chunk_sizes(len(texts), processes, config.batch_size)[0] if processes > 1 else config.batch_size
        for r in range(rounds):
            run = folder / f"run{r}"
            ours.append(timed([str(Path(sys.executable).parent / "rashomon"), "analyze", corpus, "--out", str(run),
                               "--db", str(run / "store.db"), "--quiet"]))
            bare.append(timed([sys.executable, "-c", BARE, str(folder / "texts.json"), str(processes), str(batch)]))
            print(f"  round {r + 1}: rashomon analyze {ours[-1]['seconds']:.1f}s (parent CPU "
                  f"{ours[-1]['parent_cpu']:.1f}s, all CPU {ours[-1]['cpu']:.1f}s), fresh nlp.pipe "
                  f"{bare[-1]['seconds']:.1f}s (x{ours[-1]['seconds'] / bare[-1]['seconds']:.2f})", flush=True)
    best, base = min(ours, key=lambda x: x["seconds"]), min(bare, key=lambda x: x["seconds"])
    out = {"corpus": corpus, "texts": len(texts), "processes": processes, "rashomon_s": best["seconds"],
           "bare_s": base["seconds"], "ratio": best["seconds"] / base["seconds"],
           "parent_cpu_s": best["parent_cpu"], "cpu_s": best["cpu"],
           "round_seconds": [[o["seconds"], b["seconds"]] for o, b in zip(ours, bare, strict=True)]}
    print(f"user's ratio on {len(texts)} texts: {out['ratio']:.2f}x (rashomon analyze {best['seconds']:.1f}s, "
          f"fresh nlp.pipe n_process={processes} {base['seconds']:.1f}s; best of {rounds}); rashomon's parent "
          f"process used {best['parent_cpu']:.1f}s of CPU ({1000 * best['parent_cpu'] / max(1, len(texts)):.0f} ms "
          f"per article), all its processes {best['cpu']:.1f}s")
    return out


def one_article(corpus: str, config: Config, rounds: int) -> dict[str, Any]:
    """``rashomon analyze`` of one short article end to end (fresh process and store), against loading the
    spaCy model in a fresh Python; best of the rounds each."""
    first = next(x for x in iter_inputs([corpus], config) if isinstance(x, RawDocument))
    ours, loads = [], []
    bytecode_ready()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        folder = Path(tmp)
        source = folder / "one.jsonl"
        source.write_text(json.dumps({"id": "one", "text": first.text, "date": first.date}) + "\n", encoding="utf-8")
        (folder / "none.json").write_text("[]", encoding="utf-8")
        for r in range(rounds):
            run = folder / f"run{r}"
            ours.append(timed([str(Path(sys.executable).parent / "rashomon"), "analyze", str(source), "--out", str(run),
                               "--db", str(run / "store.db"), "--quiet"]))
            loads.append(timed([sys.executable, "-c", BARE, str(folder / "none.json"), "1", "1"]))
    best, base = min(o["seconds"] for o in ours), min(x["seconds"] for x in loads)
    print(f"one article ({len(first.text.split())} words): rashomon analyze {best:.2f}s; a fresh Python loading "
          f"the spaCy model {base:.2f}s; difference {best - base:.2f}s (goal <= 1 s; best of {rounds})")
    return {"rashomon_s": best, "spacy_load_s": base, "difference_s": best - base,
            "rounds": [[o["seconds"], x["seconds"]] for o, x in zip(ours, loads, strict=True)]}


def sources(config: Config, pool: list[str]) -> list[synthetic.Source]:
    """The parsed source reports the collages are made of (parsed once, cached under out/bench)."""
    key = hashlib.sha1(json.dumps([pool, nlp_version()]).encode()).hexdigest()[:10]
    cache = OUT / f"sources-{key}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # noqa: S301 - our own cache
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp, Store(Path(tmp) / "db.sqlite") as store:
        ids, _ = ingest(pool, config, store)
        annotate_stored(ids, config, store)
        notes = store.notes(ids)
        out = [synthetic.split(a, notes[a.id]) for a in store.articles(ids)]
    cache.write_bytes(pickle.dumps(out))
    return out


def nlp_version() -> str:
    from rashomon.model import NOTES_VERSION

    return f"notes-{NOTES_VERSION}"


def growth(sizes: list[int], config: Config, pool: list[str], memory: Memory,
           fixed_pool: bool = False) -> list[dict[str, Any]]:
    """The whole pipeline (parsing included) over synthetic corpora of each size, written as JSONL: by
    default the stream of events of ``corpus_stages`` (their texts only), with ``fixed_pool`` the collages."""
    src = sources(config, pool)
    rows = []
    for n in sizes:
        if fixed_pool:
            path = synthetic.write_jsonl(OUT / f"synthetic-{n}.jsonl", n, src)
        else:
            path = write_articles(OUT / f"events-{n}.jsonl", (a for a, _ in synthetic.event_annotated(n, src)))
        r = run_rashomon([str(path)], config, memory)
        rows.append({"n": n, "seconds": r["seconds"], "cpu_seconds": r["cpu_seconds"], "aps": r["articles"] / r["seconds"],
                     "stories": r["stories"], "stages": r["stages"], "peak_bytes": r["peak"],
                     "streaming_peak_bytes": r["streaming_peak"], "load": os.getloadavg()[0]})
        print(f"  whole pipeline, {n} articles: {r['seconds']:.0f}s ({r['articles'] / r['seconds']:.2f} articles/s; "
              f"CPU {r['cpu_seconds']:.0f}s over all processes, load average {os.getloadavg()[0]:.1f}), "
              f"{r['stories']} stories, peak {mb(r['peak'])} (streaming stages {mb(r['streaming_peak'])}); "
              + ", ".join(f"{k} {v:.0f}s" for k, v in r["stages"].items() if v >= 0.5), flush=True)
    _growth_line("whole pipeline", rows)
    return rows


def write_articles(path: Path, articles: Iterable[Article]) -> Path:
    """Articles as rashomon's JSONL input (id, title, date, outlet, text), to be read and parsed for real."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            record = {"id": a.id, "title": a.title, "date": a.date, "outlet": a.outlet, "text": a.text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def corpus_stages(sizes: list[int], config: Config, pool: list[str], memory: Memory,
                  fixed_pool: bool = False) -> list[dict[str, Any]]:
    """The corpus-wide stages alone over synthetic corpora of each size: by default a stream of events
    (``synthetic.event_annotated``: more articles = more events of the same size law), with
    ``fixed_pool`` the collages of a fixed pool of sources (``synthetic.annotated``: stories grow with N)."""
    src = sources(config, pool)
    rows = []
    for n in sizes:
        OUT.mkdir(parents=True, exist_ok=True)
        labels: dict[str, int] = {}
        corpus = synthetic.annotated(n, src) if fixed_pool else synthetic.event_annotated(n, src, labels=labels)
        with tempfile.TemporaryDirectory(dir=OUT) as tmp, Store(Path(tmp) / "db.sqlite") as store:
            batch_a, batch_n = [], []
            for article, notes in corpus:
                batch_a.append(article)
                batch_n.append(notes)
                if len(batch_a) >= 1000:
                    store.add_articles(batch_a)
                    store.save_notes(batch_n)
                    batch_a, batch_n = [], []
            if batch_a:
                store.add_articles(batch_a)
                store.save_notes(batch_n)
            ids = [row[0] for row in store.placements()]
            memory.reset()
            t0, c0 = time.perf_counter(), time.process_time()
            families, stories = assign(config, store)
            t1, c1 = time.perf_counter(), time.process_time()
            analysis = analysis_of(ids, config, store, None, families, stories)
            t2, c2 = time.perf_counter(), time.process_time()
            write_outputs(analysis, tmp)
            t3, c3 = time.perf_counter(), time.process_time()
        # CPU seconds of this process too: on a shared machine wall time says how busy the others were
        row = {"n": n, "seconds": t3 - t0, "assign_s": t1 - t0, "reduce_s": t2 - t1, "write_s": t3 - t2,
               "stories": len(analysis.stories), "peak_bytes": memory.peak,
               "mode": "fixed-pool" if fixed_pool else "events", "cpu_s": c3 - c0, "assign_cpu_s": c1 - c0,
               "reduce_cpu_s": c2 - c1, "write_cpu_s": c3 - c2, "load": os.getloadavg()[0]}
        if labels:  # the events are known: how well stories find them (a sanity check on the generator)
            row["events"] = len(set(labels.values()))
            row["story_bcubed_f1"] = bcubed(stories, labels)[2]
        rows.append(row)
        print(f"  corpus-wide stages, {n} articles: {row['seconds']:.0f}s (families+stories {row['assign_s']:.0f}s, "
              f"comparison+briefs {row['reduce_s']:.0f}s, writing {row['write_s']:.0f}s), {row['stories']} stories, "
              f"peak {mb(row['peak_bytes'])}", flush=True)
        print(f"    CPU {row['cpu_s']:.0f}s (families+stories {row['assign_cpu_s']:.0f}s, comparison+briefs "
              f"{row['reduce_cpu_s']:.0f}s, writing {row['write_cpu_s']:.0f}s); load average {row['load']:.1f}"
              + (f"; {row['mode']} mode: {row['events']} events, story BCubed F1 against them "
                 f"{row['story_bcubed_f1']:.3f}" if labels else f"; {row['mode']} mode"), flush=True)
        del analysis
    _growth_line("corpus-wide stages", rows)
    _growth_line("corpus-wide stages, CPU", [{**r, "seconds": r["cpu_s"]} for r in rows])
    return rows


def _growth_line(what: str, rows: list[dict[str, Any]]) -> None:
    steps = []
    for a, b in zip(rows, rows[1:], strict=False):
        factor = b["seconds"] / a["seconds"]
        step = (f"{a['n']}->{b['n']}: x{factor:.1f} time for x{b['n'] / a['n']:.0f} articles "
                f"(exponent {math.log(factor) / math.log(b['n'] / a['n']):.2f})")
        if "cpu_seconds" in a and "cpu_seconds" in b:
            step += f", x{b['cpu_seconds'] / a['cpu_seconds']:.1f} CPU time"
        steps.append(step)
    if steps:
        print(f"growth, {what}: " + "; ".join(steps))


# ------------------------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DATA / "quotes" / "input.jsonl"))
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the ratio measurement (0 to skip it)")
    ap.add_argument("--growth", default="", help="whole-pipeline sizes, e.g. 1000,10000 (none by default)")
    ap.add_argument("--corpus-stages", default="",
                    help="corpus-wide stage sizes, e.g. 1000,10000,100000 (none by default)")
    ap.add_argument("--fixed-pool", action="store_true",
                    help="corpus-wide stages on collages of a fixed pool of sources (stories grow with N: the "
                         "big-stories stress case) instead of a stream of events")
    ap.add_argument("--pool", nargs="*", default=[str(DATA / d / "input.jsonl") for d in ("quotes", "ecbplus", "timex")],
                    help="real corpora the synthetic collages are cut from")
    ap.add_argument("--user", nargs="*", default=None, metavar="CORPUS",
                    help="also the user's end-to-end ratio (fresh processes, start-up included) on these corpora, "
                         "and the one-article time; with no corpus: quotes (84) and quotes-train (840)")
    ap.add_argument("--user-rounds", type=int, default=3)
    ap.add_argument("--json", default=str(OUT / "throughput.json"))
    a = ap.parse_args()
    config = Config(workers=a.workers)
    sizes = [int(x) for x in a.growth.split(",") if x]
    stage_sizes = [int(x) for x in a.corpus_stages.split(",") if x]
    report: dict[str, Any] = {"workers": a.workers, "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    with Memory() as memory:
        if a.rounds > 0 or sizes or stage_sizes:  # the in-process measures start warm
            start = time.perf_counter()
            warm_up()
            report["start_up_s"] = time.perf_counter() - start
            print(f"one-off start-up (spaCy pipeline, lexicons, embedding model): {report['start_up_s']:.1f}s; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if a.rounds > 0:
            report["ratio"] = ratio(a.corpus, config, a.rounds, memory)
        if a.user is not None:
            corpora = a.user or [str(DATA / d / "input.jsonl") for d in ("quotes", "quotes-train")]
            processes = len(os.sched_getaffinity(0))
            report["one_article"] = one_article(corpora[0], config, a.user_rounds)
            report["user"] = [user_ratio(c, config, a.user_rounds, processes) for c in corpora]
        if sizes:
            report["growth"] = growth(sizes, config, a.pool, memory, a.fixed_pool)
        if stage_sizes:
            report["corpus_stages"] = corpus_stages(stage_sizes, config, a.pool, memory, a.fixed_pool)
    report["load_after"] = os.getloadavg()
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"figures written to {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
