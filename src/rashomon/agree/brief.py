"""The cited brief (corpus stage, per story): a short account of a story in which every sentence cites, and is checked against, the
articles that support it.

The brief is extractive (lightly fused at most), so nothing in it is invented:

1. **lead** — what happened, when and where: among the first passages of the articles, the one that is
   best corroborated and names a time, a place and an actor;
2. **agreements and claims** — passages chosen greedily for content that many independent families
   report (each content word weighs by the number of families that use it), with a bonus for claims
   (:mod:`claims`: agreements, figures, firsts) and for corroboration; a candidate too close to a chosen
   sentence is skipped, so copies and paraphrases appear once;
3. **disagreements** — a contradiction or a figure in dispute (:mod:`compare`), as the two reports' own
   sentences joined with "; another report says".

Citations are the article a sentence comes from plus every other article that supports it on its own
(:mod:`support`, strict); a sentence whose check fails is dropped and the next candidate takes its place.
Headings, captions, mostly-quoted passages and boilerplate lines are never candidates.

>>> from rashomon.config import Config
>>> from rashomon.model import Article, Notes, Sentence, Story
>>> text = "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks."
>>> arts = [Article(id=i, input=i, text=text, story="s", family=i) for i in ("a", "b")]
>>> notes = {i: Notes(i, sentences=(Sentence(0, len(text)),)) for i in ("a", "b")}
>>> story = Story("s", "Pact", ("a", "b"), (("a",), ("b",)), 2)
>>> [(b.text, b.article_ids) for b in write(story, arts, notes, (), (), (), (), Config())]
[('Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks.', ('a', 'b'))]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..config import Config
from ..model import Article, BriefSentence, Claim, Difference, DifferenceItem, Event, Notes, Quote, Story
from ..read import boilerplate
from ..text.textsim import Passage, dice, family_of, is_statement, passages, stopwords
from .claims import Alignment, alignment, checkworthy, cue_kind, cue_weight, quoted_share
from .support import check_passages, frames, supporters

_PRONOUN = re.compile(r"(?i)(?:he|she|they|it|during (?:his|her|their))\b")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
SEEN = 0.35  # a word a chosen sentence already has still counts a little: topics recur, facts differ
BACKGROUND = 0.6  # weight of a passage dated more than BACKGROUND_DAYS before the story
BACKGROUND_DAYS = 10


@dataclass
class _Candidate:
    passage: Passage
    text: str
    families: set[str]
    claim: str | None  # figure | agreement | first | commitment
    lead: float = 0.0
    cue: float = 0.0  # weight of its claim cue
    background: bool = False  # dated well before the story: context, not the news
    # set by _weigh from its story's key weights, so _gain does no lookups in the selection loop
    terms: tuple[tuple[str, float], ...] = ()  # (content key, weight)
    norm: float = 1.0
    scale: float = 1.0


def _settings() -> dict[str, Any]:
    return dict(frames()["select"])


def _clip_list(p: Passage, article: Article, max_words: int) -> str:
    """A fused list over ``max_words``: each item cut at the first clause break ("..., to assist ...")."""
    if p.n_words <= max_words or "parts" not in p.extra:
        return p.text
    breaks = "|".join(re.escape(w) for w in _settings()["clause_breaks"])
    parts = p.extra["parts"]
    intro_start, intro_end = parts[0]
    intro = re.sub(r"\s+", " ", article.text[intro_start:intro_end]).strip()
    items = []
    for start, end in parts[1:]:
        item = re.sub(r"\s+", " ", article.text[start:end]).strip().rstrip(" .;")
        item = re.split(rf",\s+(?:{breaks})\b", item, maxsplit=1)[0]
        items.append(item[0].lower() + item[1:] if len(item) > 1 and item[1].islower() else item)
    return intro + " " + "; ".join(items) + "."


def _eligible(p: Passage, cfg: Mapping[str, Any]) -> bool:
    if not is_statement(p, int(cfg["min_words"])) or p.pronoun_start:
        return False
    if quoted_share(p.text) > float(cfg["max_quoted_share"]):
        return False
    # an address, a byline run together with a path, a table row: not prose
    tokens = p.text.split()
    wordy = sum(1 for t in tokens if _TWO_LETTERS.search(t) and "/" not in t and "www." not in t)
    if wordy / max(1, len(tokens)) < float(cfg["min_word_share"]) or tokens.count("/") >= 2:
        return False
    info = boilerplate.describe(p.text)
    return not (info.line_marker or info.end_marker or info.teaser)


def _lead_features(p: Passage, article: Article, note: Notes | None) -> float:
    """The lead's marks: early in its article, in a dated article, naming a time (that resolves to a
    date), a place and an actor — who, when and where."""
    position = (0.8, 0.4)[p.index] if p.index < 2 else 0.0
    dated = 0.3 if article.date and article.date_source != "inferred" else 0.0
    if note is None:
        return position + dated
    inside = [m for m in note.mentions if p.start <= m.start < p.end]
    # "today" is only true on the day the report came out; a brief outlives it
    deictic = set(_settings()["deictic_times"])
    has_time = any(p.start <= t.start < p.end and t.value and t.expression.lower().strip() not in deictic
                   for t in note.times)
    has_place = any(m.label in {"GPE", "LOC", "FAC"} for m in inside)
    has_actor = any(m.label in {"PERSON", "ORG", "NORP", "GPE"} for m in inside)  # states act too
    return position + dated + 0.8 * has_time + 0.5 * has_place + 0.4 * has_actor


def _weights(align: Alignment, families: Mapping[str, str]) -> dict[str, float]:
    """Each content key weighs by the number of families that use it (one family: almost nothing)."""
    fams: dict[str, set[str]] = {}
    for aid, ps in align.passages.items():
        fam = family_of(families, aid)
        for p in ps:
            for k in p.keys:
                fams.setdefault(k, set()).add(fam)
    return {k: float(len(v) - 1) + 0.15 for k, v in fams.items()}


def _weigh(cands: Sequence[_Candidate], weight: Mapping[str, float]) -> None:
    """Give each candidate what :func:`_gain` needs that does not change while sentences are chosen: the
    weight of each of its keys (by how many families use it), and its scale, up for corroboration and for
    claims (a signed agreement most), down for quoted words."""
    for c in cands:
        c.terms = tuple((k, weight.get(k, 0.15)) for k in c.passage.keys)
        c.norm = max(6, len(c.passage.keys)) ** 0.5
        scale = 1.0 + 0.1 * (len(c.families) - 1) + 0.4 * c.cue - 0.6 * quoted_share(c.text)
        if c.claim in {"figure", "first"}:
            scale += 0.15
        if c.background:
            scale *= BACKGROUND
        c.scale = scale


def _gain(c: _Candidate, covered: set[str]) -> float:
    """What a candidate adds (weighed by :func:`_weigh`): its content, a word already covered counting
    only a little (``SEEN``)."""
    concept = math.fsum(w * SEEN if k in covered else w for k, w in c.terms)
    concept /= c.norm
    return concept * c.scale


def _background(p: Passage, note: Notes | None, story_date: str | None) -> bool:
    """The passage is dated well before the story ("signed a trade deal in January"): background."""
    if note is None or not story_date:
        return False
    try:
        day = date.fromisoformat(story_date[:10]) if len(story_date) >= 10 else None
    except ValueError:
        return False
    if day is None:
        return False
    for t in note.times:
        if p.start <= t.start < p.end and t.value:
            try:
                when = date.fromisoformat(t.value if len(t.value) == 10 else
                                          (t.value + "-28" if len(t.value) == 7 else t.value + "-12-31"))
            except ValueError:
                continue
            if (day - when).days > BACKGROUND_DAYS:
                return True
    return False


def _candidates(align: Alignment, articles: Sequence[Article], notes: Mapping[str, Notes],
                families: Mapping[str, str], cfg: Mapping[str, Any], story_date: str | None) -> list[_Candidate]:
    by_id = {a.id: a for a in articles}
    max_words = int(cfg["max_words"])
    out = []
    for a in articles:
        for p in align.passages[a.id]:
            if not _eligible(p, cfg):
                continue
            text = _clip_list(p, by_id[a.id], int(cfg["list_words"]))
            if len(text.split()) > max_words:
                continue
            fams = {family_of(families, a.id)}
            for other in articles:
                fam = family_of(families, other.id)
                if fam not in fams and align.best_match(p, other.id) is not None:
                    fams.add(fam)
            lead = 0.0
            if p.index < int(cfg["lead_positions"]) and quoted_share(p.text) < 0.2:
                lead = 1.0 + _lead_features(p, a, notes.get(a.id))
            out.append(_Candidate(p, text, fams, checkworthy(p) or cue_kind(p), lead, cue_weight(p),
                                  _background(p, notes.get(a.id), story_date)))
    return out


def _cite(text: str, origin: str, raw: Mapping[str, Sequence[Passage]], order: Mapping[str, int],
          allowed: Sequence[str] = ()) -> tuple[str, ...] | None:
    """The articles that support ``text`` (its origin first checked), or None when even the origin does not."""
    if not check_passages(text, {origin: raw[origin]}, allowed).ok:
        return None
    others = {aid: ps for aid, ps in raw.items() if aid != origin}
    ids = [origin] + supporters(text, others, allowed)
    return tuple(sorted(ids, key=order.__getitem__))


def _end(text: str) -> str:
    """A sentence without its final full stop (kept inside a closing quote mark's place)."""
    return re.sub(r"\.([\"”’']?)\s*$", r"\1", text.rstrip())


def _lower_first(text: str) -> str:
    """"The accord ..." -> "the accord ..." after a connector; names keep their capital."""
    first = text.split()[0] if text.split() else ""
    if first.lower() in stopwords() and not first.isupper():
        return text[0].lower() + text[1:]
    return text


def _plainest(group: Sequence[DifferenceItem]) -> DifferenceItem:
    """The wording to quote for one side: no pronoun to resolve, carried by most copies, shortest."""
    return min(group, key=lambda it: (bool(_PRONOUN.match(it.text)), -sum(o.text == it.text for o in group),
                                      len(it.text)))


def _disagreements(diffs: Sequence[Difference], raw: Mapping[str, Sequence[Passage]],
                   families: Mapping[str, str], order: Mapping[str, int]) -> list[tuple[BriefSentence, set[str]]]:
    """Contradictions first, then figures in dispute: the two reports' own sentences, fused. Each comes
    with the texts of all its items, which the rest of the brief leaves out."""
    joiner = str(frames()["fuse"]["disagreement"])
    out = []
    for d in sorted((d for d in diffs if d.kind in {"contradiction", "number"}),
                    key=lambda d: d.kind != "contradiction"):
        items = [it for it in d.items if it.article_id in raw and it.text]
        sides: dict[str, list[DifferenceItem]] = {}
        for it in items:
            sides.setdefault(family_of(families, it.article_id), []).append(it)
        if len(sides) < 2:
            continue
        # from each side the plainest wording: no pronoun to resolve, then the shortest
        picks = [_plainest(group) for group in list(sides.values())[:2]]
        first, second = picks
        text = _end(first.text) + joiner + _lower_first(second.text)
        left = _cite(first.text, first.article_id, raw, order) or (first.article_id,)
        right = _cite(second.text, second.article_id, raw, order) or (second.article_id,)
        ids = tuple(sorted(set(left) | set(right), key=order.__getitem__))
        if check_passages(text, {aid: raw[aid] for aid in ids}).ok:
            out.append((BriefSentence(text, ids), {it.text for it in items}))
    return out


def write(story: Story, articles: Sequence[Article], notes: Mapping[str, Notes], claims: Sequence[Claim],
          differences: Sequence[Difference], quotes: Sequence[Quote], events: Sequence[Event],
          config: Config) -> tuple[BriefSentence, ...]:
    """The story's brief: at most ``config.brief_sentences`` sentences, lead first, then agreements and
    claims, then disagreements; each sentence cites the articles that support it."""
    if not articles or config.brief_sentences < 1:
        return ()
    cfg = _settings()
    families = {a.id: a.family or a.id for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    align = alignment(articles, notes)
    raw = {a.id: passages(a, notes.get(a.id)) for a in articles}
    weight = _weights(align, families)
    story_date = story.date or min((a.date for a in articles if a.date), default=None)
    cands = _candidates(align, articles, notes, families, cfg, story_date)
    budget = config.brief_sentences

    disagreements = _disagreements(differences, raw, families, order)
    n_dis = min(len(disagreements), 0 if budget < 3 else (1 if budget < 7 else 2))
    disagreements = disagreements[:n_dis]
    in_disagreement = {t for _, texts in disagreements for t in texts}

    chosen: list[tuple[_Candidate, tuple[str, ...]]] = []
    covered: set[str] = set()
    redundancy = float(cfg["redundancy"])

    def take(c: _Candidate) -> bool:
        # the same content, copied (Dice) or paraphrased (the claims alignment), is told once
        if any(dice(c.passage.keys, o.passage.keys) >= redundancy or align.score(c.passage, o.passage) >= redundancy
               for o, _ in chosen):
            return False
        cites = _cite(c.text, c.passage.article_id, raw, order)
        if cites is None:
            return False
        chosen.append((c, cites))
        covered.update(c.passage.keys)
        return True

    # passages in dispute are told as disagreements, not as facts
    disputed = {it.text for d in differences if d.kind in {"contradiction", "number"} for it in d.items}
    told_apart = in_disagreement | disputed
    pool = [c for c in cands if c.passage.text not in told_apart]
    _weigh(pool, weight)
    top = max((_gain(c, covered) for c in pool), default=1.0) or 1.0

    def lead_score(c: _Candidate) -> float:
        return c.lead + 0.4 * (len(c.families) - 1) + _gain(c, covered) / top

    leads = sorted((c for c in pool if c.lead), key=lambda c: (-lead_score(c), order[c.passage.article_id],
                                                                c.passage.index))
    for c in leads:
        if take(c):
            break
    while len(chosen) < budget - n_dis:
        rest = [c for c in pool if all(c is not o for o, _ in chosen)]
        rest.sort(key=lambda c: (-_gain(c, covered), order[c.passage.article_id], c.passage.index))
        for c in rest:
            if take(c):
                break
        else:
            break

    body = chosen[1:]
    # agreements and claims before background, each group in the order it was chosen (importance)
    body.sort(key=lambda pair: pair[0].claim is None)
    out = [BriefSentence(c.text, cites) for c, cites in chosen[:1] + body]
    out += [b for b, _ in disagreements]
    return tuple(out[:budget])
