"""Scale of family and story placement: time and peak memory for 1k, 10k and 100k articles.

    .venv/bin/python benchmarks/scale_clustering.py                 # 1000 10000 100000
    .venv/bin/python benchmarks/scale_clustering.py 1000 10000      # some sizes only

Each size runs in a fresh subprocess (so its peak RSS is its own) and feeds a synthetic stream straight
into :class:`~rashomon.group.families.FamilyIndex` and :class:`~rashomon.group.stories.StoryIndex`, one article at a
time as the runner does (no spaCy: the map stage is measured elsewhere). The synthetic corpus is built to
look like news where it matters for cost: a Zipf vocabulary, fifty kinds of event whose stories share
their kind's words, stories of 1 to 40 articles with their own names, places, figures and dates, wire
copies and light edits (families), and dense vectors near their story's and kind's centroids, standing
in for wordllama vectors (which the map stage computes). BCubed F1 against the synthetic story labels
shows the indexes stay sound as they grow.

Prints one line per size and the 1k->10k and 10k->100k time ratios (10.0 is linear).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "ul", "gre", "po", "sin", "dar", "el", "mu", "tor", "bi",
             "an", "kes", "ri", "ve", "zo", "hal", "ny", "qu", "ost"]


def _words(rng: random.Random, n: int, lo: int = 2, hi: int = 4) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def corpus(n: int, seed: int = 7) -> list[dict]:
    """``n`` synthetic articles in arrival order: id, text, date, story label, 256-d vector."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = _words(rng, 20000)
    zipf = np.array([1.0 / (i + 10) for i in range(len(vocab))])
    zipf /= zipf.sum()
    names = [w.capitalize() for w in _words(rng, 60000, 3, 4)]
    kinds = []
    for _ in range(50):
        centre = nrng.standard_normal(256)
        kinds.append((rng.sample(vocab[2000:], 30), centre / np.linalg.norm(centre)))
    start = date(2025, 1, 1)

    def filler(k: int) -> list[str]:
        return [vocab[i] for i in nrng.choice(len(vocab), size=k, p=zipf)]

    articles: list[dict] = []
    story = 0
    while len(articles) < n:
        kind_words, kind_centre = kinds[rng.randrange(len(kinds))]
        people = rng.sample(names, 4)
        place = rng.choice(names)
        figures = [str(rng.randint(2, 900)), f"{rng.randint(1, 9)}.{rng.randint(0, 9)}", f"{rng.randint(1, 99)},000"]
        day = start + timedelta(days=rng.randrange(730))
        centre = kind_centre + 0.8 * nrng.standard_normal(256) / 16
        facts = []
        for _ in range(12):
            words = filler(9) + rng.sample(kind_words, 3)
            words.insert(rng.randrange(len(words)), rng.choice(people))
            if rng.random() < 0.5:
                words.insert(rng.randrange(len(words)), place)
            if rng.random() < 0.4:
                words.insert(rng.randrange(len(words)), rng.choice(figures))
            facts.append(words)
        size = min(40, int(rng.expovariate(1 / 5)) + 1)
        texts: list[str] = []
        for _ in range(size):
            if texts and rng.random() < 0.15:  # a wire copy with a light edit
                text = rng.choice(texts).replace(".", " today.", 1)
            else:
                chosen = sorted(rng.sample(range(len(facts)), rng.randint(6, 10)))
                sentences = []
                for i in chosen:
                    words = [w if rng.random() > 0.3 else filler(1)[0] for w in facts[i]]
                    sentences.append(" ".join(words).capitalize() + ".")
                for _ in range(rng.randint(2, 4)):
                    sentences.insert(rng.randrange(len(sentences) + 1), " ".join(filler(12)).capitalize() + ".")
                text = " ".join(sentences)
            texts.append(text)
            vector = centre + nrng.standard_normal(256) / 16
            articles.append({"id": f"a{len(articles):06d}", "text": text, "story": story,
                             "date": (day + timedelta(days=rng.randint(0, 3))).isoformat(),
                             "vector": (vector / np.linalg.norm(vector)).astype(np.float32)})
        story += 1
    articles = articles[:n]
    articles.sort(key=lambda a: (a["date"], rng.random()))  # a stream: roughly in date order
    return articles


def run_one(n: int) -> dict:
    from rashomon.config import Config
    from rashomon.group.families import FamilyIndex
    from rashomon.group.metrics import bcubed
    from rashomon.group.stories import StoryIndex
    from rashomon.model import Article, Notes

    arts = corpus(n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    config = Config()
    families, stories = FamilyIndex(config), StoryIndex(config)
    t0 = time.perf_counter()
    for a in arts:
        article = Article(id=a["id"], input="synthetic", text=a["text"], date=a["date"])
        family = families.add(article)
        stories.add(article, Notes(article_id=a["id"], vector=tuple(a["vector"].tolist())), family)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    blob = len(families.dump()) + len(stories.dump())
    dump_seconds = time.perf_counter() - t1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    fam = families.assignments()
    return {"articles": n, "seconds": round(seconds, 1), "per_article_ms": round(1000 * seconds / n, 2),
            "peak_rss_mb": round(peak / 1024), "corpus_rss_mb": round(rss_before / 1024),
            "state_mb": round(blob / 2**20, 1), "dump_seconds": round(dump_seconds, 1),
            "families": len(set(fam.values())), "stories": len(set(stories.assignments().values())),
            "story_bcubed_f1": round(bcubed(stories.assignments(), {a["id"]: a["story"] for a in arts})[2], 3)}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
        return 0
    sizes = [int(x) for x in sys.argv[1:]] or [1000, 10000, 100000]
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(json.dumps(result), flush=True)
    for a, b in zip(results, results[1:], strict=False):
        print(f"time ratio {a['articles']} -> {b['articles']}: {b['seconds'] / a['seconds']:.2f} "
              f"(articles x{b['articles'] / a['articles']:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
