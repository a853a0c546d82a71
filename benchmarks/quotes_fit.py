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
from dataclasses import dataclass
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

    from rashomon.text import nlp

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

    from rashomon.text import nlp

    path = CACHE / f"{_name(corpus)}.spacy"
    if not path.exists():
        sys.exit(f"no cache at {path}: run `quotes_fit.py parse {corpus}` first")
    return list(DocBin().from_disk(path).get_docs(nlp.load().vocab))


def mentions_of(corpus: Path, rows: list[dict], docs: list) -> list:
    """Entity mentions, cached next to the Docs (they do not change while quotes are fitted; delete
    the ``.mentions`` file after editing entities.py)."""
    from rashomon.model import Article
    from rashomon.who.mentions import find_mentions

    path = CACHE / f"{_name(corpus)}.mentions"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = [find_mentions(d, Article(id=r["id"], input="-", text=r["text"])) for r, d in zip(rows, docs, strict=True)]
    path.write_bytes(pickle.dumps(out))
    return out


@dataclass(frozen=True)
class Model:
    """A logistic model over a candidate's features: reported when the weighted sum reaches ``threshold``."""

    weights: dict
    threshold: float

    def keep(self, feats: dict) -> bool:
        return sum(self.weights.get(k, 0.0) * v for k, v in feats.items()) >= self.threshold


def use_cues(path: Path | None) -> None:
    """Make the cue lexicon ``data/cue_verbs.tsv`` plus the learned cues in ``path``."""
    from rashomon.who import names

    if path is None:
        return
    cues = {row[0]: row[1].strip() for row in names._rows("cue_verbs.tsv")}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if line.strip() and not line.startswith("#") and cues.get(row[0]) != "strong":
            cues[row[0]] = row[1].strip()
    names._cues = lambda: cues


def read_model(path: Path) -> Model:
    weights, threshold = {}, 0.0
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        name, value = row.split("\t")[:2]
        if name == "threshold":
            threshold = float(value)
        else:
            weights[name] = float(value)
    return Model(weights, threshold)


def features(it, reader) -> dict[str, float]:
    """What a candidate quote looks like, for the model that decides whether it is reported
    (tried, not shipped: see benchmarks/quotes.md): how its cue was found and which, who speaks, where the marks
    stand in the sentence, how the quoted words hang from the words outside, its length and form."""
    from rashomon.who.quote_cues import FINAL, WORD
    from rashomon.who.quotes import joined_text

    s, text, doc = it.span, reader.text, reader.doc
    content = joined_text(text, it.parts)
    f: dict[str, float] = {"bias": 1.0}
    f["how=" + it.how] = 1.0
    if it.cue is not None:
        lemma = "according" if it.cue.lower_ == "according" else it.cue.lemma_.lower()
        f["cue=" + lemma] = 1.0
        f["strength=" + (reader._strength(it.cue) or "none")] = 1.0
        f["cue_side=" + ("left" if it.cue.idx < s.open else "right")] = 1.0
    f["spk=" + (it.speaker_kind or "none") if it.speaker is not None or it.speaker_kind else "spk=none"] = 1.0
    for name, on in (("person", it.person is not None), ("inherited", it.inherited), ("fragment", it.fragment),
                     ("standalone", it.standalone), ("heading", reader.heading(it)),
                     ("parts", len(it.parts) > 1), ("unclosed", not s.closed), ("continues", s.continues)):
        if on:
            f[name] = 1.0
    words = WORD.findall(content)
    n = len(words)
    f["len=" + next(b for lim, b in ((1, "1"), (3, "2-3"), (6, "4-6"), (12, "7-12"), (25, "13-25"),
                                      (10 ** 9, "26+")) if n <= lim)] = 1.0
    if not any(c.isalpha() for c in content):
        f["noletters"] = 1.0
    alpha = [w for w in words if w[:1].isalpha()]
    if alpha and n <= 8 and all(w[:1].isupper() for w in alpha if len(w) > 3):
        f["titlecase"] = 1.0
    if content[:1].islower():
        f["lower"] = 1.0
    first = text[s.start:s.end].rstrip("\"'\u2019\u201d ")
    f["end=" + ("final" if first.endswith(FINAL) else "comma" if first.endswith(",") else "other")] = 1.0
    j = s.open - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    before = text[j] if j >= 0 else "\n"
    f["before=" + ("newline" if before == "\n" else "alnum" if before.isalnum() else
                   before if before in ",:;(\u2014-" else "other")] = 1.0
    k = s.close
    while k < len(text) and text[k] in " \t\u00a0":
        k += 1
    after = text[k] if k < len(text) else "\n"
    f["after=" + ("newline" if after == "\n" else "alnum" if after.isalnum() else
                  after if after in ",.:;(\u2014-" else "other")] = 1.0
    lo, hi = reader.tok(s.start), reader.tok_end(s.end)
    anchor = next((doc[i] for i in range(lo, hi) if not (lo <= doc[i].head.i < hi) and not doc[i].is_punct), None)
    if anchor is None:
        f["dep=root"] = 1.0
    else:
        f["dep=" + anchor.dep_] = 1.0
        f["headpos=" + anchor.head.pos_] = 1.0
        if it.cue is not None and anchor.head.i == it.cue.i:
            f["head=cue"] = 1.0
            f["dep=" + anchor.dep_ + "&cue"] = 1.0
    if it.cue is not None and anchor is not None:
        # how much of the cue's complement the marks enclose: all of it ("says "the game is soft"",
        # "argued that "only Cruz can win"") or a part ("said the deal was "unhinged"")
        t, steps = anchor, 0
        while t.head.i != it.cue.i and t.head.i != t.i and steps < 4:
            t, steps = t.head, steps + 1
        if t.head.i == it.cue.i and t.i != it.cue.i:
            inside = {i for a, b in it.parts for i in range(reader.tok(a), reader.tok_end(b))}
            sub = [x.i for x in t.subtree if not (x.is_punct or x.is_space) and x.dep_ != "mark"]
            cover = sum(i in inside for i in sub) / max(1, len(sub))
            f["cover=" + ("whole" if cover >= 0.9 else "most" if cover >= 0.6 else "part")] = 1.0
            f["comp=" + t.dep_] = 1.0
            if it.fragment and cover >= 0.9:
                f["fragment&whole"] = 1.0
    if any(doc[i].pos_ in ("VERB", "AUX") for i in range(lo, hi)):
        f["verb"] = 1.0
    if lo > 0 and doc[lo - 1].lower_ == "that" or lo > 1 and doc[lo - 2].lower_ == "that":
        f["that"] = 1.0
    return f

def decide(quotes: tuple, doc, article, mentions, model: Model) -> tuple:
    """find_quotes' output with the model deciding which quotes are reported: a quote it turns down is
    dropped, a fragment it takes is reported."""
    from dataclasses import replace

    out = []
    for q, f in featured(quotes, doc, article, mentions):
        keep = model.keep(f)
        if keep or q.fragment:
            out.append(replace(q, fragment=not keep))
    return tuple(out)


def featured(quotes: tuple, doc, article, mentions) -> list[tuple]:
    """find_quotes' quotes, each with its features."""
    from rashomon.who.quotes import attributed

    feats = {it.parts[0][0]: features(it, reader) for it, reader in attributed(doc, article, mentions)}
    return [(q, feats[q.parts[0][0]]) for q in quotes]


def run(corpus: Path, rows=None, docs=None, mentions=None, model: Model | None = None) -> tuple[dict, float]:
    """analysis.json's data (articles, entities, quotes) for the corpus, and find_quotes' seconds."""
    from rashomon.model import Analysis, Article, Notes
    from rashomon.who.entities import resolve
    from rashomon.who.quote_groups import build
    from rashomon.who.quotes import find_quotes

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
        if model is not None:
            qs = decide(qs, doc, a, ms, model)
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
    from rashomon.who.quotes import find_quotes

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
        art = Article(id=k, input="-", text=r["text"])
        for qm, f in featured(find_quotes(doc, art, ms), doc, art, ms):  # reported quotes and fragments
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
    from rashomon.who.quote_marks import scan
    from rashomon.who.quotes import _Reader
    from rashomon.who.speakers import subject

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
    from rashomon.who import names

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


def figures(corpus: Path, model: Model | None = None) -> tuple[dict, dict]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    data, spent = run(corpus, model=model)
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
    ap.add_argument("--model", type=Path, help="a model (from fit) deciding which quotes are reported")
    ap.add_argument("--cues", type=Path, help="learned cues (from cues) added to data/cue_verbs.tsv")
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
    use_cues(args.cues)
    figs, data = figures(args.corpus, read_model(args.model) if args.model else None)
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
