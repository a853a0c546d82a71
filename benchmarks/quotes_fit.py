"""Quotes on PolNeAR without the whole pipeline: parse a corpus once, then re-run only the extraction.

The map-stage extractors (``find_mentions``, ``find_quotes``) and the corpus stage that turns speakers
into entities (``resolve``, ``build``) run on cached spaCy Docs, so an iteration over the 840 training
articles takes seconds, not the minutes of a parse. The scoring is the same as
``../shared/tools/score.py quotes`` (Jaccard >= 0.5 of word sets; a named speaker is right when the last
word of the predicted name is in the gold source), reimplemented here so that each miss, false positive
and wrong speaker can be listed.

    # once per corpus (minutes): parse and cache the Docs under out/quotes_fit/
    .venv/bin/python benchmarks/quotes_fit.py parse ../shared/data/quotes-train
    # every iteration (seconds): figures for the whole corpus and its two fixed halves
    .venv/bin/python benchmarks/quotes_fit.py score ../shared/data/quotes-train
    # the errors of one half, for reading
    .venv/bin/python benchmarks/quotes_fit.py errors ../shared/data/quotes-train --half a

The halves are fixed by a hash of the article id (:func:`half`), so every run splits the same way.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import pickle
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "out" / "quotes_fit"


def half(article_id: str) -> str:
    """"a" or "b": a fixed split of a corpus by a hash of the article id."""
    return "ab"[hashlib.sha1(article_id.encode("utf-8")).digest()[0] & 1]


def _name(corpus: Path) -> str:
    return corpus.resolve().name


def load_rows(corpus: Path) -> list[dict]:
    lines = (corpus / "input.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def parse(corpus: Path) -> None:
    from spacy.tokens import DocBin

    from rashomon import nlp

    rows = load_rows(corpus)
    t = time.perf_counter()
    bin_ = DocBin(store_user_data=False)
    for doc in nlp.parse((r["text"] for r in rows), batch_size=16):
        bin_.add(doc)
    CACHE.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(CACHE / f"{_name(corpus)}.spacy")
    print(f"parsed {len(rows)} articles in {time.perf_counter() - t:.1f}s")


def docs_of(corpus: Path) -> list:
    from spacy.tokens import DocBin

    from rashomon import nlp

    path = CACHE / f"{_name(corpus)}.spacy"
    if not path.exists():
        sys.exit(f"no cache at {path}: run `quotes_fit.py parse {corpus}` first")
    return list(DocBin().from_disk(path).get_docs(nlp.load().vocab))


def mentions_of(corpus: Path, rows: list[dict], docs: list) -> list:
    """Entity mentions, cached next to the Docs (they do not change while quotes are fitted; delete
    the ``.mentions`` file after editing entities.py)."""
    from rashomon.entities import find_mentions
    from rashomon.model import Article

    path = CACHE / f"{_name(corpus)}.mentions"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = [find_mentions(d, Article(id=r["id"], input="-", text=r["text"])) for r, d in zip(rows, docs, strict=True)]
    path.write_bytes(pickle.dumps(out))
    return out


def use_model(path: Path | None) -> None:
    """Make find_quotes use the model in ``path`` instead of the shipped ``data/quote_model.tsv``."""
    from rashomon import quotes

    if path is not None:
        model = read_model(path)
        quotes._model = lambda: model


def use_cues(path: Path | None) -> None:
    """Make the cue lexicon ``data/cue_verbs.tsv`` plus the learned cues in ``path`` (instead of the
    shipped ``data/cue_verbs_learned.tsv``)."""
    from rashomon import names

    if path is None:
        return
    cues = {row[0]: row[1].strip() for row in names.rows("cue_verbs.tsv")}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if line.strip() and not line.startswith("#") and cues.get(row[0]) != "strong":
            cues[row[0]] = row[1].strip()
    names._cues = lambda: cues


def read_model(path: Path):
    from rashomon.quotes import QuoteModel

    weights, threshold = {}, 0.0
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        name, value = row.split("\t")[:2]
        if name == "threshold":
            threshold = float(value)
        else:
            weights[name] = float(value)
    return QuoteModel(weights, threshold)


def run(corpus: Path, rows=None, docs=None, mentions=None) -> tuple[dict, float]:
    """analysis.json's data (articles, entities, quotes) for the corpus, and find_quotes' seconds."""
    from rashomon.entities import resolve
    from rashomon.model import Analysis, Article, Notes
    from rashomon.quotes import build, find_quotes

    rows = rows if rows is not None else load_rows(corpus)
    docs = docs if docs is not None else docs_of(corpus)
    mentions = mentions if mentions is not None else mentions_of(corpus, rows, docs)
    arts = [Article(id=r["id"], input="-", text=r["text"], source_id=r["id"]) for r in rows]
    if arts:  # one-off loads (lexicons, the gender dictionary) are not per-article work
        find_quotes(docs[0], arts[0], mentions[0])
    notes = {}
    spent = 0.0
    for a, doc, ms in zip(arts, docs, mentions, strict=True):
        t = time.perf_counter()
        qs = find_quotes(doc, a, ms)
        spent += time.perf_counter() - t
        notes[a.id] = Notes(a.id, mentions=ms, quotes=qs)
    ents, index = resolve(arts, notes)
    qs, diffs = build(arts, notes, index, {})
    data = Analysis(generated_at="now", articles=tuple(arts), entities=ents, quotes=qs, differences=diffs)
    return data.to_contract(), spent


# ------------------------------------------------------------------------------ scoring (as score.py)


def norm(s) -> str:
    s = unicodedata.normalize("NFKC", str(s or ""))
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return " ".join(s.split()).lower()


def toks(s) -> set[str]:
    return set(re.findall(r"\w+", norm(s)))


def named(src: str) -> bool:
    return bool(re.search(r"\b[A-Z][a-z]+", src)) and not re.fullmatch(r"(He|She|They|It|We|I)\b.*", src.strip())


def jac(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))


def score(data: dict, gold: dict, ids: set[str] | None = None) -> dict:
    """score.py's figures over the articles ``ids`` (all by default), with the errors listed."""
    ents = {e.get("id"): e for e in data.get("entities") or []}
    pred = collections.defaultdict(list)
    for q in data.get("quotes") or []:
        pred[q["article_id"]].append(q)
    keys = [k for k in gold if ids is None or k in ids]
    tot = hit = spk_tot = spk_ok = used = n_pred = 0
    misses, wrong, extra = [], [], []
    for k in keys:
        for g in gold[k]:
            tot += 1
            gt = toks(g["content"])
            best, bq = 0.0, None
            for q in pred.get(k, []):
                j = jac(gt, toks(q.get("text")))
                if j > best:
                    best, bq = j, q
            if best >= 0.5:
                hit += 1
                if named(g["source"]):
                    spk_tot += 1
                    name = bq.get("speaker") or (ents.get(bq.get("speaker_id")) or {}).get("name") or ""
                    last = name.split()[-1].lower() if name.split() else "\0"
                    ok = last in g["source"].lower()
                    spk_ok += ok
                    if not ok:
                        wrong.append((k, g, bq, name))
            else:
                misses.append((k, g, bq, best))
        gsets = [toks(g["content"]) for g in gold[k]]
        for q in pred.get(k, []):
            n_pred += 1
            ok = any(jac(gs, toks(q.get("text"))) >= 0.5 for gs in gsets)
            used += ok
            if not ok:
                extra.append((k, q))
    r = hit / max(1, tot)
    p = used / max(1, n_pred)
    f = 2 * p * r / max(1e-9, p + r)
    return {"gold": tot, "pred": n_pred, "P": p, "R": r, "F1": f, "spk": spk_ok / max(1, spk_tot),
            "spk_n": spk_tot, "misses": misses, "wrong": wrong, "extra": extra}


# ------------------------------------------------------------------------------------------ fitting


def labelled(corpus: Path, ids: set[str] | None = None) -> tuple[list[dict], list[int], list[tuple[str, int]], int]:
    """Every candidate quote of the corpus (articles ``ids``) with its features and label (1 when it
    matches a gold quote as the scorer matches), which gold quotes it matches, and the gold count."""
    from rashomon.model import Article
    from rashomon.quotes import candidates

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    rows = load_rows(corpus)
    docs = docs_of(corpus)
    mentions = mentions_of(corpus, rows, docs)
    feats, labels, matches, n_gold = [], [], [], 0
    for r, doc, ms in zip(rows, docs, mentions, strict=True):
        k = r["id"]
        if ids is not None and k not in ids:
            continue
        gsets = [toks(g["content"]) for g in gold.get(k, [])]
        n_gold += len(gsets)
        for qm, f in candidates(doc, Article(id=k, input="-", text=r["text"]), ms):
            if (qm.cue is None and qm.speaker is None) or "noletters" in f:
                continue  # never reported (find_quotes)
            qt = toks(qm.text)
            hit = [(k, g) for g, gs in enumerate(gsets) if jac(gs, qt) >= 0.5]
            feats.append(f)
            labels.append(int(bool(hit)))
            matches.append(hit)
    return feats, labels, matches, n_gold


def attribution_verbs(corpus: Path, ids: set[str] | None = None) -> dict[str, list[int]]:
    """lemma -> [quotes it attributes that are not gold, that are gold]: for every pair of marks, the
    verb that attributes it as the parse reads it (the verb the quoted words hang from, within the
    sentence, else the nearest verb outside the marks with a subject), and whether the quote is part of
    a gold quote (its words nearly all in one)."""
    from rashomon.quote_marks import scan
    from rashomon.quotes import _Reader
    from rashomon.speakers import subject

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    rows = load_rows(corpus)
    docs = docs_of(corpus)
    mentions = mentions_of(corpus, rows, docs)
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for r, doc, ms in zip(rows, docs, mentions, strict=True):
        k = r["id"]
        if ids is not None and k not in ids:
            continue
        text = r["text"]
        spans = scan(text)
        if not spans:
            continue
        gsets = [toks(g["content"]) for g in gold.get(k, [])]
        reader = _Reader(doc, text, ms, spans)
        for n, sp in enumerate(spans):
            qt = toks(text[sp.start:sp.end])
            if not qt:
                continue
            label = any(jac(gs, qt) >= 0.5 or len(qt & gs) >= 0.9 * len(qt) for gs in gsets)
            left, right = reader.frame(n)
            frame = set(left + right)
            lo, hi = reader.tok(sp.start), reader.tok_end(sp.end)
            verb = None
            for i in range(lo, hi):
                h, steps = doc[i].head, 0
                while (h.i < lo or h.i >= hi) and h.i in frame and steps < 3:
                    if h.pos_ == "VERB":
                        verb = h
                        break
                    h, steps = h.head, steps + 1
                if verb is not None:
                    break
            if verb is None:
                near = sorted(frame, key=lambda i: min(abs(i - lo), abs(i - hi)))
                verb = next((doc[i] for i in near[:8] if doc[i].pos_ == "VERB" and subject(doc[i]) is not None), None)
            if verb is not None:
                counts[verb.lemma_.lower()][label] += 1
    return counts


def learn_cues(corpus: Path, ids: set[str] | None, min_gold: int, min_share: float, out: Path) -> None:
    """Cue verbs learned from the training split: lemmas that attribute at least ``min_gold`` gold quotes,
    at least ``min_share`` of the quotes they attribute being gold. Writes ``lemma<TAB>strong`` rows for
    those not already strong in ``data/cue_verbs.tsv``."""
    from rashomon import names

    counts = attribution_verbs(corpus, ids)
    rows = [f"# quotes_fit.py cues: attribution verbs of PolNeAR training quotes; at least {min_gold} gold "
            f"quotes and a share of {min_share} gold among the quotes each attributes"]
    for lemma, (neg, pos) in sorted(counts.items(), key=lambda kv: -kv[1][1]):
        if pos >= min_gold and pos / (pos + neg) >= min_share and names.cue_strength(lemma) != "strong":
            rows.append(f"{lemma}\tstrong\t{pos}/{pos + neg}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} learned cues -> {out}")


def f1_at(scores, labels, matches, n_gold, threshold) -> float:
    kept = [i for i, sc in enumerate(scores) if sc >= threshold]
    if not kept:
        return 0.0
    p = sum(labels[i] for i in kept) / len(kept)
    r = len({m for i in kept for m in matches[i]}) / max(1, n_gold)
    return 2 * p * r / max(1e-9, p + r)


def fit(corpus: Path, ids: set[str] | None, c: float, out: Path) -> None:
    """Logistic regression over the candidates' features; the threshold (in log-odds) is the one that
    gives the best quote F1 on the same articles. Writes ``feature<TAB>weight`` rows and the threshold."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, labels, matches, n_gold = labelled(corpus, ids)
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    # "bias" is a feature of its own (always 1), so the intercept is left out and regularised with it
    lr = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    lr.fit(x, np.array(labels))
    weights = dict(zip(vec.get_feature_names_out(), lr.coef_[0], strict=True))
    scores = x @ lr.coef_[0]
    best = max((f1_at(scores, labels, matches, n_gold, t), -abs(t), t) for t in np.arange(-3.0, 3.01, 0.1))
    threshold = round(float(best[2]), 2)
    rows = [f"# quotes_fit.py fit: {len(labels)} candidates, {sum(labels)} matching gold, {n_gold} gold quotes;"
            f" C={c}; in-sample F1 {best[0]:.3f} at threshold {threshold}",
            f"threshold\t{threshold}"]
    rows += [f"{k}\t{v:.4f}" for k, v in sorted(weights.items(), key=lambda kv: -abs(kv[1])) if abs(v) >= 5e-4]
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(rows[0])


def line(name: str, s: dict) -> str:
    return (f"{name:<10} gold {s['gold']:>5} pred {s['pred']:>5}  P {s['P']:.3f} R {s['R']:.3f} "
            f"F1 {s['F1']:.3f}  named-speaker {s['spk']:.3f} over {s['spk_n']}")


def figures(corpus: Path) -> tuple[dict, dict]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    data, spent = run(corpus)
    out = {"all": score(data, gold)}
    for h in "ab":
        out[h] = score(data, gold, {k for k in gold if half(k) == h})
    out["_seconds"] = spent
    out["_n"] = len(gold)
    return out, data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=("parse", "score", "errors", "dump", "fit", "cues", "verbs"))
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--half", choices=("a", "b", "all"), default="all")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--model", type=Path, help="a model file to use instead of data/quote_model.tsv")
    ap.add_argument("--cues", type=Path, help="learned cues to use instead of data/cue_verbs_learned.tsv")
    ap.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength (fit)")
    ap.add_argument("--min-gold", type=int, default=3, help="cues: gold quotes a learned cue attributes")
    ap.add_argument("--min-share", type=float, default=0.5, help="cues: share of gold among its quotes")
    args = ap.parse_args()
    if args.command == "parse":
        parse(args.corpus)
        return
    if args.command in ("cues", "verbs"):
        gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
        ids = None if args.half == "all" else {k for k in gold if half(k) == args.half}
        if args.command == "verbs":
            for lemma, (neg, pos) in sorted(attribution_verbs(args.corpus, ids).items(), key=lambda kv: -kv[1][1]):
                print(f"{lemma:<16} gold {pos:>4} other {neg:>4}")
        else:
            learn_cues(args.corpus, ids, args.min_gold, args.min_share, args.out)
        return
    if args.command == "fit":
        gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
        ids = None if args.half == "all" else {k for k in gold if half(k) == args.half}
        fit(args.corpus, ids, args.C, args.out)
        return
    use_model(args.model)
    use_cues(args.cues)
    figs, data = figures(args.corpus)
    if args.command == "dump":
        args.out.write_text(json.dumps(data), encoding="utf-8")
    for name in ("all", "a", "b"):
        print(line(name, figs[name]))
    print(f"find_quotes {figs['_seconds']:.2f}s, {1000 * figs['_seconds'] / figs['_n']:.1f} ms per article")
    if args.command == "errors":
        s = figs[args.half]
        for k, g, q, best in s["misses"]:
            print(f"MISS {k} | {g['source']!r} | {g['content'][:160]!r} | best {best:.2f} {(q or {}).get('text', '')[:80]!r}")
        for k, q in s["extra"]:
            print(f"EXTRA {k} | {q.get('speaker')!r} cue={q.get('cue')!r} | {q['text'][:160]!r}")
        for k, g, q, name in s["wrong"]:
            print(f"WRONG {k} | gold {g['source']!r} got {name!r} cue={q.get('cue')!r} | {q['text'][:100]!r}")


if __name__ == "__main__":
    main()
