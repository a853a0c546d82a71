"""Story placement on ECB+ by halves: fit on one half (by topic), score on the other, from a store the CLI filled.

    .venv/bin/rashomon analyze ../shared/data/ecbplus/input.jsonl --out out/ecbplus --db out/ecbplus/db.sqlite --workers 2
    .venv/bin/python benchmarks/stories_fit.py [out/ecbplus/db.sqlite] [errors|grid|shared|pairs]
    .venv/bin/python benchmarks/stories_fit.py - synthetic [N]
    .venv/bin/python benchmarks/stories_fit.py out/ecbplus/db.sqlite events|agree|entities [N]
    .venv/bin/python benchmarks/stories_fit.py out/ecbplus/db.sqlite draws [N] [13-20]
    .venv/bin/python benchmarks/stories_fit.py out/ecbplus/db.sqlite fit NAME v1,v2,... [N]

``errors`` (default): BCubed of the placement of all articles (input order and shuffled), per half, and the
gold events it splits or merges. ``grid``: a small grid of settings placed on each half alone; the setting
best on one half is scored on the other (cross-fit); ``shared`` the same over the shared-neighbour settings.
``synthetic``: ``scale_clustering.py``'s synthetic stream (one-off and long stories) placed before and now;
``events``: ``synthetic.py``'s stream of events retold from the stored reports, placed before and now;
``draws``: that stream drawn once per seed (13-20 by default) and placed now, with the means over the draws
(a change to the stored notes redraws the stream: compare means).
``agree``: the two-signal agreement bars (``stories.AGREE_DENSE``) fitted on one half and scored on the other,
where a half is the ECB+ topics of ``folds.py`` *and* the event stream's articles whose event was retold from a
report of those topics (placed alone); on a half, the bar chosen is the one with the best stream F1 among those
that keep its ECB+ F1 (mean of three arrival orders) at its best. ``entities``: the same for ``stories.AGREE_ENTITIES``
over ``ENTITY_GRID`` (or the env ``ENTITY_GRID=0,0.02,...``), with the stream's one-article precision per half;
``STORIES_EXTRA=ENTITY_POWER=1,ENTITY_OR_NAMES=0,...`` sets other module constants of stories.py for the run
(``entities`` and ``errors``; ``STORIES_EXTRA=CONSOLIDATE=0 ... errors`` places as before the merging at doublings). ``fit NAME v1,v2,...``: any
module constant of stories.py (e.g. ``SPREAD_BAR``) fitted on a half as ``entities`` fits, scored on the other.
``pairs``: per-channel similarities of every pair in a
half, a logistic model of "same event" over them fitted on one half, its channel weights placed on the other.
Halves are those of ``benchmarks/folds.py`` (the ECB+ topic decides).
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.config import Config
from rashomon.group import represent, stories, story_math
from rashomon.group.families import FamilyIndex
from rashomon.group.features import story_counts
from rashomon.group.metrics import bcubed
from rashomon.model import Article, Notes
from rashomon.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import folds  # noqa: E402

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus" / "gold.json"


class Corpus:
    def __init__(self, db: Path) -> None:
        store = Store(db)
        self.articles = store.articles()
        self.notes = store.notes([a.id for a in self.articles])
        self.key = {a.id: a.source_id or a.id for a in self.articles}
        self.gold = json.loads(GOLD.read_text())
        self.half = {a.id: folds.half_of("clustering", self.key[a.id]) for a in self.articles}
        self.counts = {a.id: story_counts(a, self.note(a)) for a in self.articles}
        families = FamilyIndex(Config())
        self.family = {a.id: families.add(a) for a in self.articles}

    def note(self, a: Article) -> Notes:
        return self.notes.get(a.id) or Notes(article_id=a.id)

    def subset(self, half: str | None, seed: int | None = None) -> list[Article]:
        out = [a for a in self.articles if half is None or self.half[a.id] == half]
        if seed is not None:
            random.Random(seed).shuffle(out)
        return out

    def place(self, articles: list[Article], config: Config) -> dict[str, str]:
        index = stories.StoryIndex(config)
        for a in articles:
            index.add(a, self.note(a), self.family[a.id], self.counts[a.id])
        return {self.key[k]: v for k, v in index.assignments().items()}

    def score(self, assigned: dict[str, str], half: str | None = None) -> tuple[float, float, float]:
        gold = {k: v for k, v in self.gold.items() if k in assigned
                and (half is None or folds.half_of("clustering", k) == half)}
        p, r, f = bcubed(assigned, gold)
        return round(f, 4), round(p, 4), round(r, 4)


@contextmanager
def setting(channels: dict[str, float] | None = None, dense: float | None = None, **consts: float) -> Iterator[None]:
    """Module constants of stories.py changed for a while (channel shares, dense weight, NEIGHBOUR_SHARE...)."""
    saved = {"_SHARES": stories._SHARES, "DENSE_WEIGHT": stories.DENSE_WEIGHT}
    saved |= {k: getattr(stories, k) for k in consts}
    try:
        if channels is not None:
            stories._SHARES = np.sqrt(np.array([channels[c] for c in represent.CHANNELS], dtype=np.float64))
        if dense is not None:
            stories.DENSE_WEIGHT = dense
        for k, v in consts.items():
            setattr(stories, k, v)
        yield
    finally:
        for k, v in saved.items():
            setattr(stories, k, v)


def errors(corpus: Corpus, assigned: dict[str, str]) -> None:
    by_gold: dict[str, list[str]] = defaultdict(list)
    for k, g in corpus.gold.items():
        by_gold[g].append(k)
    by_pred: dict[str, list[str]] = defaultdict(list)
    for k in corpus.gold:
        by_pred[assigned[k]].append(k)
    print("split gold events (gold: sizes of its predicted parts):")
    for g, ks in sorted(by_gold.items()):
        parts = Counter(assigned[k] for k in ks)
        if len(parts) > 1:
            print(f"  {g} ({len(ks)}):", sorted(parts.values(), reverse=True),
                  [k for k in ks if parts[assigned[k]] < max(parts.values())][:8])
    print("merged stories (story: gold events it holds):")
    for s, ks in sorted(by_pred.items()):
        events = Counter(corpus.gold[k] for k in ks)
        if len(events) > 1:
            print(f"  {s}:", dict(events))


def run_errors(corpus: Corpus) -> None:
    base = Config()
    s = corpus.place(corpus.articles, base)
    print("input order", corpus.score(s), "A", corpus.score(s, "A"), "B", corpus.score(s, "B"))
    errors(corpus, s)
    for seed in (1, 2, 3):
        t = corpus.place(corpus.subset(None, seed), base)
        print(f"shuffled {seed}", corpus.score(t), "A", corpus.score(t, "A"), "B", corpus.score(t, "B"))
    for h in "AB":
        t = corpus.place(corpus.subset(h), base)
        print(f"half {h} placed alone", corpus.score(t, h))


def grid_settings(what: str) -> list[tuple[str, Config, dict]]:
    out = []
    if what == "grid":
        for thr, att in itertools.product((0.14, 0.16, 0.18), (0.6, 0.75, 0.9)):
            out.append((f"thr {thr} attach {att}", Config(story_threshold=thr, story_attach=att), {}))
    elif what == "shared":
        for k, lam, thr in itertools.product((3, 4, 6), (0.2, 0.3, 0.5), (0.12, 0.14, 0.16)):
            out.append((f"nearest {k} weight {lam} thr {thr}", Config(story_threshold=thr),
                        {"NEAREST": k, "SHARED_WEIGHT": lam}))
        out.append(("before (no shared neighbours, thr 0.16)", Config(story_threshold=0.16), {"SHARED_WEIGHT": 0.0}))
    return out


def cross_fit(corpus: Corpus, settings: list[tuple[str, Config, dict]]) -> None:
    """Each setting placed on each half alone (input order and one shuffle); best on A scored on B and back."""
    table = {}
    for name, config, consts in settings:
        row = {}
        for h in "AB":
            with setting(**consts):
                f1 = [corpus.score(corpus.place(corpus.subset(h, seed), config), h)[0] for seed in (None, 1, 2)]
            row[h] = sum(f1) / len(f1)
        table[name] = row
        print(f"{name:40s} A {row['A']:.4f} B {row['B']:.4f}", flush=True)
    for fit, other in (("A", "B"), ("B", "A")):
        best = max(table, key=lambda n: table[n][fit])  # ties: the first in the grid
        print(f"fitted on {fit}: {best} ({table[best][fit]:.4f}); scored on {other}: {table[best][other]:.4f}")


_BEFORE_NOW: tuple[tuple[str, Config, dict], ...] = (
    ("before (no shared neighbours, thr 0.16)", Config(story_threshold=0.16),
     {"SHARED_WEIGHT": 0.0, "AGREE_DENSE": 0.0, "AGREE_NAMES": 0.0, "AGREE_ENTITIES": 0.0, "CONSOLIDATE": 0.0}),
    ("no agreement (e3728af)", Config(),
     {"AGREE_DENSE": 0.0, "AGREE_NAMES": 0.0, "AGREE_ENTITIES": 0.0, "CONSOLIDATE": 0.0}),
    ("dense bar only (56d5e14)", Config(), {"AGREE_ENTITIES": 0.0, "CONSOLIDATE": 0.0}),
    ("no merging at doublings (53d608d)", Config(), {"CONSOLIDATE": 0.0}),
    ("now", Config(), {}))


def run_synthetic(n: int) -> None:
    """The synthetic stream placed with the old setting and the shipped one: BCubed overall and, per gold
    story size 1/2/3, the BCubed precision and recall of those stories' articles."""
    import scale_clustering

    arts = scale_clustering.corpus(n)
    gold = {a["id"]: a["story"] for a in arts}
    for name, config, consts in _BEFORE_NOW:
        families, index = FamilyIndex(config), None
        with setting(**consts):
            index = stories.StoryIndex(config)
            for a in arts:
                article = Article(id=a["id"], input="synthetic", text=a["text"], date=a["date"])
                index.add(article, Notes(article_id=a["id"], vector=tuple(a["vector"].tolist())), families.add(article))
        _report(name, index.assignments(), gold)


def run_events(corpus: Corpus, n: int) -> None:
    """``synthetic.event_annotated``'s stream of events (each a stored report retold with invented names and
    words, plus a sentence of each of two events of the same days), placed before and now."""
    import synthetic

    sources = [synthetic.split(a, corpus.note(a)) for a in corpus.articles]
    labels: dict[str, int] = {}
    stream = list(synthetic.event_annotated(n, sources, labels=labels))
    size = Counter(labels.values())
    print(f"{len(stream)} articles, {len(size)} events, {sum(1 for v in size.values() if v == 1)} of one article")
    for name, config, consts in _BEFORE_NOW:
        families = FamilyIndex(config)
        with setting(**consts):
            index = stories.StoryIndex(config)
            for article, notes in stream:
                index.add(article, notes, families.add(article))
        _report(name, index.assignments(), labels)


def run_draws(corpus: Corpus, n: int, seeds: list[int]) -> None:
    """The event stream drawn once per seed and placed with the code as it is: F1 and the one-article events'
    precision per draw, then their means. A draw comes from the stored notes, so a change to what the map
    stage stores redraws it, and one draw swings by more than most changes: compare means over draws."""
    import synthetic

    sources = [synthetic.split(a, corpus.note(a)) for a in corpus.articles]
    f1s, ones = [], []
    for seed in seeds:
        labels: dict[str, int] = {}
        stream = list(synthetic.event_annotated(n, sources, seed=seed, labels=labels))
        size = Counter(labels.values())
        families, index = FamilyIndex(Config()), stories.StoryIndex(Config())
        for article, notes in stream:
            index.add(article, notes, families.add(article))
        _, _, f, small = _scores(index.assignments(), labels)
        f1s.append(f)
        lone, one_p, _ = small.get(1, (0, 1.0, 1.0))
        ones.append(one_p)
        print(f"seed {seed}: {len(size)} events, {lone} of one article; F1 {f:.4f}, one-article P {one_p:.3f}", flush=True)
    print(f"mean of {len(seeds)} draws: F1 {sum(f1s) / len(f1s):.4f} ({min(f1s):.4f}-{max(f1s):.4f}), "
          f"one-article P {sum(ones) / len(ones):.3f} ({min(ones):.3f}-{max(ones):.3f})")


def event_stream(corpus: Corpus, n: int) -> tuple[list[tuple[Article, Notes]], dict[str, int], dict[str, str]]:
    """The event stream, its labels, and each article's half (that of the ECB+ report its event retells)."""
    import synthetic

    sources = [synthetic.split(a, corpus.note(a)) for a in corpus.articles]
    labels: dict[str, int] = {}
    stream = list(synthetic.event_annotated(n, sources, labels=labels))
    events, _ = synthetic._event_plan(n, sources, 13)
    half = {aid: corpus.half[corpus.articles[events[e].source].id] for aid, e in labels.items()}
    return stream, labels, half


def _half(corpus: Corpus, stream: list[tuple[Article, Notes]], labels: dict[str, int], half: dict[str, str],
          h: str) -> tuple[float, dict[str, str], dict[str, int]]:
    """Half ``h`` placed alone with the settings in force: its ECB+ F1 (mean of input order and two shuffles),
    and its part of the event stream's placement with the gold events of those articles."""
    ecb = [corpus.score(corpus.place(corpus.subset(h, seed), Config()), h)[0] for seed in (None, 1, 2)]
    families, index = FamilyIndex(Config()), stories.StoryIndex(Config())
    for article, notes in stream:
        if half[article.id] == h:
            index.add(article, notes, families.add(article))
    pred = index.assignments()
    return sum(ecb) / 3, pred, {k: labels[k] for k in pred}


def run_agree(corpus: Corpus, n: int) -> None:
    """AGREE_DENSE (names off) over a grid, each half of ECB+ and of the event stream placed alone."""
    stream, labels, half = event_stream(corpus, n)
    table = {}
    for d in (0.0, 0.2, 0.25, 0.3, 0.35):
        row = {}
        with setting(AGREE_DENSE=d, AGREE_NAMES=0.0):
            for h in "AB":
                ecb, pred, gold = _half(corpus, stream, labels, half, h)
                row[h] = (ecb, bcubed(pred, gold)[2])
        table[d] = row
        print(f"AGREE_DENSE {d}: " + "; ".join(f"{h}: ECB+ {e:.4f} stream {f:.4f}" for h, (e, f) in row.items()),
              flush=True)
    for fit, other in (("A", "B"), ("B", "A")):
        top = max(round(table[d][fit][0], 4) for d in table)
        best = max((d for d in table if round(table[d][fit][0], 4) == top), key=lambda d: table[d][fit][1])
        e, f = table[best][other]
        print(f"fitted on {fit}: AGREE_DENSE {best}; scored on {other}: ECB+ {e:.4f} stream {f:.4f}"
              f" (with 0: ECB+ {table[0.0][other][0]:.4f} stream {table[0.0][other][1]:.4f})")


ENTITY_GRID = (0.0, 0.02, 0.03, 0.05, 0.08, 0.12)


def _one_off_precision(pred: dict[str, str], gold: dict[str, int]) -> float:
    """BCubed precision of the articles whose gold event has one article (1.0 when alone in their story)."""
    size = Counter(gold.values())
    story = Counter(pred.values())
    ks = [k for k in gold if size[gold[k]] == 1]
    return sum(1.0 / story[pred[k]] for k in ks) / max(len(ks), 1)


Row = tuple[float, float, float]  # a half's ECB+ F1 (mean of three orders), stream F1, one-article precision


def _fit_halves(corpus: Corpus, n: int, name: str, values: list[float],
                extra: dict[str, float] | None = None) -> dict[float, dict[str, Row]]:
    """Each of ``values`` of the stories.py constant ``name`` (with the constants ``extra``) placed on each
    half: ECB+ and the event stream's articles retold from that half's topics, each placed alone."""
    stream, labels, half = event_stream(corpus, n)
    table = {}
    for v in values:
        row = {}
        with setting(**{name: v}, **(extra or {})):
            for h in "AB":
                ecb, pred, gold = _half(corpus, stream, labels, half, h)
                row[h] = (ecb, bcubed(pred, gold)[2], _one_off_precision(pred, gold))
        table[v] = row
        print(f"{name} {v}: " + "; ".join(f"{h}: ECB+ {a:.4f} stream {f:.4f} one-off P {p:.3f}"
                                           for h, (a, f, p) in row.items()), flush=True)
    return table


def _cross_fit(table: dict[float, dict[str, Row]], name: str, key: Callable[[Row], Any], reference: float) -> None:
    """The value chosen on each half (the best ``key`` among those that keep its ECB+ F1 at its best), scored
    on the other, next to ``reference`` there."""
    for fit, other in (("A", "B"), ("B", "A")):
        top = max(round(table[v][fit][0], 4) for v in table)
        best = max((v for v in table if round(table[v][fit][0], 4) == top), key=lambda v: key(table[v][fit]))
        a, f, p = table[best][other]
        a0, f0, p0 = table[reference][other]
        print(f"fitted on {fit}: {name} {best}; scored on {other}: ECB+ {a:.4f} stream {f:.4f} one-off P {p:.3f}"
              f" (with {reference}: ECB+ {a0:.4f} stream {f0:.4f} one-off P {p0:.3f})")


def run_agree_entities(corpus: Corpus, n: int) -> None:
    """AGREE_ENTITIES (the entity mentions' bar, next to the shipped AGREE_DENSE) over ENTITY_GRID, fitted on a
    half as ``agree`` fits AGREE_DENSE (the best stream F1 among the bars that keep the half's ECB+ F1 at its
    best) and scored on the other; per half also the stream's one-article precision."""
    import os

    extra = {k: float(v) for k, v in (x.split("=") for x in os.environ.get("STORIES_EXTRA", "").split(",") if x)}
    grid = [float(x) for x in os.environ["ENTITY_GRID"].split(",")] if "ENTITY_GRID" in os.environ else list(ENTITY_GRID)
    table = _fit_halves(corpus, n, "AGREE_ENTITIES", grid, extra)
    _cross_fit(table, "AGREE_ENTITIES", lambda row: row[1], min(table))


def run_fit(corpus: Corpus, n: int, name: str, values: list[float]) -> None:
    """Any module constant of stories.py over ``values``, fitted on a half and scored on the other: among the
    values that keep the half's ECB+ F1 (mean of three arrival orders) at its best, the one with the best mean
    of the half's stream F1 and its one-article events' precision (the two stream goals, weighed alike; ties:
    the better F1). The first value is the reference (e.g. the test switched off)."""
    table = _fit_halves(corpus, n, name, values)
    _cross_fit(table, name, lambda row: (round((row[1] + row[2]) / 2, 4), row[1]), values[0])


def _scores(pred: dict[str, str], gold: dict[str, int]) -> tuple[float, float, float, dict[int, tuple[int, float, float]]]:
    """BCubed P, R, F1 and, for the articles of gold stories of 1, 2 and 3 articles, (articles, P, R)."""
    p, r, f = bcubed(pred, gold)
    size = Counter(gold.values())
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[int, set[str]] = defaultdict(set)
    for k in gold:
        pc[pred[k]].add(k)
        gc[gold[k]].add(k)
    small = {}
    for b in (1, 2, 3):
        ks = [k for k in gold if size[gold[k]] == b]
        if ks:
            sp = sum(len(pc[pred[k]] & gc[gold[k]]) / len(pc[pred[k]]) for k in ks) / len(ks)
            sr = sum(len(pc[pred[k]] & gc[gold[k]]) / len(gc[gold[k]]) for k in ks) / len(ks)
            small[b] = (len(ks), sp, sr)
    return p, r, f, small


def _report(name: str, pred: dict[str, str], gold: dict[str, int]) -> None:
    """BCubed overall and, for the articles of gold stories of 1, 2 and 3 articles, their BCubed P and R."""
    p, r, f, small = _scores(pred, gold)
    rounded = {b: (n, round(sp, 3), round(sr, 3)) for b, (n, sp, sr) in small.items()}
    print(f"{name}: F1 {f:.4f} P {p:.4f} R {r:.4f}; stories of 1/2/3 articles (articles, P, R): {rounded}", flush=True)


def main() -> int:
    what = sys.argv[2] if len(sys.argv) > 2 else "errors"
    if what == "synthetic":
        run_synthetic(int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
        return 0
    db = Path(sys.argv[1] if len(sys.argv) > 1 else "out/ecbplus/db.sqlite")
    corpus = Corpus(db)
    if what == "errors":
        import os

        extra = {k: float(v) for k, v in (x.split("=") for x in os.environ.get("STORIES_EXTRA", "").split(",") if x)}
        with setting(**extra):  # e.g. STORIES_EXTRA=CONSOLIDATE=0: placement before the merging at doublings
            run_errors(corpus)
    elif what in ("grid", "shared"):
        cross_fit(corpus, grid_settings(what))
    elif what == "pairs":
        run_pairs(corpus)
    elif what == "events":
        run_events(corpus, int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    elif what == "draws":  # draws [N] [FIRST-LAST seeds]
        first, last = (int(x) for x in (sys.argv[4] if len(sys.argv) > 4 else "13-20").split("-"))
        run_draws(corpus, int(sys.argv[3]) if len(sys.argv) > 3 else 2000, list(range(first, last + 1)))
    elif what == "agree":
        run_agree(corpus, int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    elif what == "entities":
        run_agree_entities(corpus, int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    elif what == "fit":  # fit NAME v1,v2,... [N]
        run_fit(corpus, int(sys.argv[5]) if len(sys.argv) > 5 else 2000, sys.argv[3],
                [float(x) for x in sys.argv[4].split(",")])
    return 0



CHANNEL_NAMES = (*represent.CHANNELS, "dense")


def pair_table(corpus: Corpus, articles: list[Article]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of ``articles`` (placed together, so IDF is theirs): per-channel cosines (pairs, 5 channels:
    stems, names, bigrams, figures, dense), time factor, same family, same gold event, same topic."""
    from scipy.sparse import csr_matrix

    index = stories.StoryIndex(Config())
    for a in articles:
        index.add(a, corpus.note(a), corpus.family[a.id], corpus.counts[a.id])
    rows = list(range(len(articles)))
    mats = []
    for c in represent.CHANNELS:
        onehot = {k: (1.0 if k == c else 0.0) for k in represent.CHANNELS}
        with setting(channels=onehot):
            data, cols, ptr = index._entries(rows)
        m = csr_matrix((data, cols, ptr), shape=(len(rows), len(index._df)))
        mats.append((m @ m.T).toarray())
    v = index._vectors(rows)
    mats.append(np.clip(v @ v.T, 0, 1))
    s, r = index._dates(rows)
    time = story_math.time_factor(s, s, r, r, Config().story_window_days)
    fam = index._families(rows)
    iu = np.triu_indices(len(rows), 1)
    keys = [corpus.key[a.id] for a in articles]
    gold = np.array([corpus.gold[k] for k in keys], dtype=object)
    topic = np.array([k.split("-")[1] for k in keys], dtype=object)
    x = np.stack([m[iu] for m in mats], axis=1)
    same = (gold[:, None] == gold[None, :])[iu]
    same_topic = (topic[:, None] == topic[None, :])[iu]
    famsame = (fam[:, None] == fam[None, :])[iu]
    return x, time[iu], np.stack([same, same_topic, famsame], axis=1), np.array(iu).T


def auc(score: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    r = rankdata(score)
    pos = y.sum()
    return float((r[y].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos)))


def run_pairs(corpus: Corpus) -> None:
    for h in "AB":
        x, time, lab, _ = pair_table(corpus, corpus.subset(h))
        same, topic = lab[:, 0], lab[:, 1]
        print(f"half {h}: {len(x)} pairs, {same.sum()} same event, {(topic & ~same).sum()} same topic other event")
        for j, c in enumerate(CHANNEL_NAMES):
            print(f"  {c:6s} mean same {x[same, j].mean():.3f} topic-other {x[topic & ~same, j].mean():.3f}"
                  f" other {x[~topic, j].mean():.3f}  AUC within topic {auc(x[topic, j], same[topic]):.3f}"
                  f"  AUC all {auc(x[:, j], same):.3f}")
        base = (x[:, :4] @ np.array(list(represent.CHANNELS.values())) + stories.DENSE_WEIGHT * x[:, 4]) / (1 + stories.DENSE_WEIGHT)
        sim = base * time
        print(f"  current sim: AUC within topic {auc(sim[topic], same[topic]):.3f} all {auc(sim, same):.3f};"
              f" without time within topic {auc(base[topic], same[topic]):.3f}")


if __name__ == "__main__":
    sys.exit(main())
