"""Where the reports of a story differ (corpus stage): figures, contradictions, and facts only one family reports.

* ``number``: two families give different values for the same quantity — same kind and unit ("1.2 billion
  marks" against "1.4 billion marks"), said about the same thing (content words around the figures overlap),
  and neither report also gives the other's value.
* ``contradiction``: one family reports a holder backing a target, another the same holder opposing it
  (stances from :mod:`stance`: "Velmora has backed Ostrana's claim" / "Velmora has refused to back
  Ostrana's claim"; a verdict of illegality against an expression of support for the attacker).
* ``only-in``: a check-worthy claim that a single family reports, in a story other families also cover.

Quote wording differences come from :mod:`quotes`.

>>> from rashomon.model import Article, Notes, Sentence, ValueMention
>>> a = Article(id="a", input="a", text="The joint fund for the Holm dam holds 1.2 billion marks.", outlet="Wire", story="s")
>>> b = Article(id="b", input="b", text="A joint fund of 1.4 billion marks will pay for the Holm dam.", outlet="Ledger", story="s")
>>> def figure(art, t):
...     i = art.text.index(t)
...     return ValueMention(t, i, i + len(t), 0, "money", float(t.split()[0]) * 1e9, "mark")
>>> notes = {x.id: Notes(x.id, sentences=(Sentence(0, len(x.text)),), values=(figure(x, t),))
...          for x, t in [(a, "1.2 billion marks"), (b, "1.4 billion marks")]}
>>> [d.summary for d in differences([a, b], notes, (), {"a": "a", "b": "b"})]
['The reports give different figures for the same amount: Wire says "1.2 billion marks", Ledger says "1.4 billion marks".']
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import (
    Article,
    Claim,
    Difference,
    DifferenceItem,
    Notes,
    StanceMention,
    ValueMention,
    source_labels,
)
from ..text import geo, quantities
from ..text.textsim import Passage, dice, family_of, idf, keys, passages, stopwords

ONLY_IN_PER_STORY = 8  # only-in items per story, the most notable first
_CONTEXT_WORDS = 8  # content words each side of a figure that say what it measures
_OWNER_WORDS = 6  # how far before a figure a name can say whose it is
_MIN_OVERLAP = 0.15  # passages that disagree on a figure still share this much content (Dice)
_CONTEXT_WEIGHT = 2.5  # rarity-weighted (idf) words the contexts of two conflicting figures share,
_CONTEXT_KEYS = 4  # or this many words, however common
_KIND_NAMES = {"money": "amount", "percent": "percentage", "rank": "ranking", "count": "number",
               "number": "figure"}


def story_groups(articles: Sequence[Article]) -> list[list[Article]]:
    """Articles grouped by story, in first-seen order (articles without a story form one group)."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.story or ""].append(a)
    return list(groups.values())


def label(article: Article, names: Mapping[str, str] | None = None) -> str:
    """How a report is named in summaries: ``names[article.id]`` (:func:`rashomon.model.source_labels` of
    its story: outlet, site, or "Source N"), else its outlet, else "another report" — never a path or an id."""
    if names is not None and article.id in names:
        return names[article.id]
    return article.outlet or "another report"


def _family_face(group: Sequence[Article]) -> Article:
    """The article that names a family in summaries: the first with a known outlet."""
    return next((a for a in group if a.outlet), group[0])


def _labels(articles: Sequence[Article], families: Mapping[str, str] | None = None,
            names: Mapping[str, str] | None = None, first: Article | None = None) -> str:
    """"MPA, The Herald and X": the reports' names, one per family when ``families`` is given; ``first``
    names its own family (the report whose words the summary quotes)."""
    if families is not None:
        by_family: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            by_family[family_of(families, a.id)].append(a)
        faces = {fam: _family_face(group) for fam, group in by_family.items()}
        if first is not None:
            key = family_of(families, first.id)
            faces = {key: first, **{k: v for k, v in faces.items() if k != key}}
        articles = list(faces.values())
    found = list(dict.fromkeys(label(a, names) for a in articles))
    if len(found) <= 2:
        return " and ".join(found)
    return ", ".join(found[:-1]) + " and " + found[-1]


# --------------------------------------------------------------------------------- figures


@dataclass(frozen=True, slots=True)
class NumberConflict:
    left: Passage
    left_value: ValueMention
    right: Passage
    right_value: ValueMention


def _context(p: Passage, v: ValueMention, article_text: str) -> frozenset[str]:
    """Content keys of the words around a figure, without figures and the counted noun itself."""
    before = article_text[p.start:v.start]
    after = article_text[v.end:p.end]
    stop = stopwords()
    left = [w for w in before.split() if w.lower().strip(".,;:()\"“”'") not in stop][-_CONTEXT_WORDS:]
    right = [w for w in after.split() if w.lower().strip(".,;:()\"“”'") not in stop][:_CONTEXT_WORDS]
    ks = keys(" ".join(left + right), places=False)
    if v.unit:
        ks = ks - keys(v.unit, places=False)
    return frozenset(k for k in ks if not any(c.isdigit() for c in k))


def _owner(article_text: str, p: Passage, v: ValueMention) -> str | None:
    """A name shortly before a figure in its clause that says whose it is ("Lent gets 40 percent",
    "gives Ostrana 45 percent")."""
    clause = re.split(r"[,;:()–—]", article_text[p.start:v.start])[-1]
    stop = stopwords()
    for w in reversed(clause.split()[-_OWNER_WORDS:]):
        w = w.strip("\"“”'’").replace("'s", "").replace("’s", "")
        if w[:1].isupper() and w.lower() not in stop:
            return "#" + code if (code := geo.state_of(w)) else w.lower()
    return None


def _figures(p: Passage) -> list[ValueMention]:
    return list(quantities.notable(p.values))


def _actors(notes: Notes | None, p: Passage) -> frozenset[str]:
    """Surnames of the people a passage names (from the parse). Organisations are left out: "the
    agriculture ministry" and "the Holm barrage" can give the same figure."""
    if notes is None:
        return frozenset()
    return frozenset(m.text.split()[-1].lower() for m in notes.mentions
                     if m.label == "PERSON" and p.start <= m.start < p.end)


def number_conflicts(articles: Sequence[Article], families: Mapping[str, str],
                     by_article: Mapping[str, Sequence[Passage]],
                     notes: Mapping[str, Notes] | None = None) -> list[NumberConflict]:
    """Pairs of passages from different families giving different values for the same quantity: same
    kind and unit, about the same thing (shared words around the figures, some shared content overall),
    and not about different people ("Teixeira's $160 million" is not "Sabathia's $161 million")."""
    comparable = quantities.comparable
    notes = notes or {}
    texts = {a.id: a.text for a in articles}
    # bare numbers ("52-3", "46 KOs" parsed without a noun) say too little about what they count, and a
    # bound ("at least 30 homers") does not name a value
    out: list[NumberConflict] = []
    # only passages with a figure left can conflict: the people they name are read for those alone
    figs = {aid: [(p, pv, _actors(notes.get(aid), p)) for p in ps
                  if (pv := [v for v in _figures(p) if v.kind != "number"
                             and not quantities.bounded(texts[aid][max(p.start, v.start - 40):v.start])])]
            for aid, ps in by_article.items()}
    weight: dict[str, float] | None = None  # the story's idf, computed when a first pair gets that far
    for i, a in enumerate(articles):
        for b in articles[i + 1:]:
            if family_of(families, a.id) == family_of(families, b.id):
                continue
            for p, pv, p_actors in figs.get(a.id, ()):
                for q, qv, q_actors in figs.get(b.id, ()):
                    if not pv or not qv or (p_actors and q_actors and not p_actors & q_actors):
                        continue
                    if dice(p.keys, q.keys) < _MIN_OVERLAP:
                        continue
                    for v in pv:
                        for w in qv:
                            if v.kind != w.kind or not comparable(v, w) or quantities.same_value(v.value, w.value):
                                continue
                            # either report also giving the other's value means they measure different things
                            if any(comparable(v, x) and quantities.same_value(v.value, x.value) for x in qv):
                                continue
                            if any(comparable(w, x) and quantities.same_value(w.value, x.value) for x in pv):
                                continue
                            if v.kind in {"count", "number"} and v.unit != w.unit:
                                continue
                            owners = _owner(texts[a.id], p, v), _owner(texts[b.id], q, w)
                            if None not in owners and owners[0] != owners[1]:
                                continue  # Velmora's 55 percent and Ostrana's 45 percent
                            shared = _context(p, v, texts[a.id]) & _context(q, w, texts[b.id])
                            # words every report of the story uses ("Hunger Games") say little about
                            # which quantity a figure is; a percentage needs more than "farmers" or "marks"
                            least = 3 if v.kind == "percent" else 2
                            if weight is None:
                                weight = idf([x.keys for xs in by_article.values() for x in xs])
                            rare = math.fsum(weight.get(k, 1.0) for k in shared) >= _CONTEXT_WEIGHT
                            if len(shared) >= least and (rare or len(shared) >= _CONTEXT_KEYS):
                                out.append(NumberConflict(p, v, q, w))
    return out


# --------------------------------------------------------------------------------- stances


@dataclass(frozen=True, slots=True)
class StanceConflict:
    left_article: str
    left: StanceMention
    right_article: str
    right: StanceMention


def _holder_keys(s: StanceMention, countries: Mapping[str, str]) -> set[str]:
    out: set[str] = set()
    if s.holder_country:
        out.add("#" + s.holder_country)
    if s.holder:
        last = s.holder.split()[-1].lower().replace("’s", "").replace("'s", "")
        out.add(last)
        if last in countries:
            out.add("#" + countries[last])
    return out


def _same_target(a: StanceMention, b: StanceMention, holders: set[str]) -> bool:
    actors = (set(a.target_actors) & set(b.target_actors)) - holders
    if actors:
        return True
    # the same kind of thing named the same way ("Ostrana's claim to the Lind islands" / "... claim")
    if a.target_head and a.target_head == b.target_head and a.target_head not in stopwords():
        shared = keys(a.target, places=False) & keys(b.target, places=False)
        return len(shared) >= 2
    return False


def stance_conflicts(articles: Sequence[Article], notes: Mapping[str, Notes],
                     families: Mapping[str, str]) -> list[StanceConflict]:
    """Pairs of stances, from different families, of the same holder toward the same target with opposite
    polarity."""
    countries: dict[str, str] = {}  # surname -> state, from every mention in the story that knows it
    for a in articles:
        n = notes.get(a.id)
        for m in (n.mentions if n else ()):
            if m.label == "PERSON" and m.country:
                countries.setdefault(m.text.split()[-1].lower(), m.country)
    stances = [(a.id, s) for a in articles for s in (notes[a.id].stances if a.id in notes else ())]
    out = []
    for i, (aid, s) in enumerate(stances):
        for bid, t in stances[i + 1:]:
            if s.polarity == t.polarity or family_of(families, aid) == family_of(families, bid):
                continue
            hs, ht = _holder_keys(s, countries), _holder_keys(t, countries)
            if not hs & ht:
                continue
            if _same_target(s, t, hs | ht):
                out.append(StanceConflict(aid, s, bid, t))
    return out


# --------------------------------------------------------------------------------- for claims


def disputes(articles: Sequence[Article], notes: Mapping[str, Notes], families: Mapping[str, str],
             by_article: Mapping[str, Sequence[Passage]]) -> dict[tuple[str, int], list[tuple[ValueMention | None, str]]]:
    """(article id, passage index) -> what another family says instead: the figure of this passage it
    disputes (None for a contradiction) and a note."""
    by_id = {a.id: a for a in articles}
    names = source_labels(articles)
    out: dict[tuple[str, int], list[tuple[ValueMention | None, str]]] = defaultdict(list)
    for c in number_conflicts(articles, families, by_article, notes):
        out[(c.left.article_id, c.left.index)].append(
            (c.left_value, f'{label(by_id[c.right.article_id], names)} gives "{c.right_value.text}".'))
        out[(c.right.article_id, c.right.index)].append(
            (c.right_value, f'{label(by_id[c.left.article_id], names)} gives "{c.left_value.text}".'))
    for s in stance_conflicts(articles, notes, families):
        for aid, mine, other_aid, other in ((s.left_article, s.left, s.right_article, s.right),
                                            (s.right_article, s.right, s.left_article, s.left)):
            for p in by_article.get(aid, ()):
                if p.start <= mine.start < p.end:
                    out[(aid, p.index)].append(
                        (None, f"{label(by_id[other_aid], names)} reports {other.holder} {_stance_phrase(other)}."))
    return dict(out)


# --------------------------------------------------------------------------------- differences


def _item(article: Article, text: str) -> DifferenceItem:
    return DifferenceItem(article_id=article.id, text=text, outlet=article.outlet)


def _sentence_at(article: Article, notes: Notes | None, offset: int) -> str:
    for p in passages(article, notes):
        if p.start <= offset < p.end:
            return p.text
    return ""


def _stance_phrase(s: StanceMention) -> str:
    verb = "backing" if s.polarity == "support" else "opposing"
    if s.cue in {"support", "back", "endorse", "oppose", "reject", "condemn", "welcome"} or s.polarity == "support":
        return f"{verb} {s.target}"
    return f"{verb} {s.target} (“{s.cue}”)"


def _number_differences(articles: Sequence[Article], families: Mapping[str, str],
                        by_article: Mapping[str, Sequence[Passage]], notes: Mapping[str, Notes]) -> list[Difference]:
    by_id = {a.id: a for a in articles}
    names = source_labels(articles)
    # one difference per quantity: conflicts between the same two values are the same disagreement
    grouped: dict[tuple[str, str | None, float, float], list[NumberConflict]] = defaultdict(list)
    for c in number_conflicts(articles, families, by_article, notes):
        lo, hi = sorted([(c.left_value.value or 0.0), (c.right_value.value or 0.0)])
        grouped[(c.left_value.kind, c.left_value.unit, lo, hi)].append(c)
    out = []
    for (kind, _unit, _lo, _hi), conflicts in grouped.items():
        sides: dict[float, dict[str, tuple[Passage, ValueMention]]] = defaultdict(dict)
        for c in conflicts:
            sides[c.left_value.value or 0.0].setdefault(c.left.article_id, (c.left, c.left_value))
            sides[c.right_value.value or 0.0].setdefault(c.right.article_id, (c.right, c.right_value))
        # copies in the same family that carry the same figure stand on the same side
        for value, members in sides.items():
            fams = {family_of(families, aid) for aid in members}
            for aid, ps in by_article.items():
                if aid in members or family_of(families, aid) not in fams:
                    continue
                for p in ps:
                    hit = next((v for v in _figures(p) if v.kind == kind and quantities.same_value(v.value, value)), None)
                    if hit is not None:
                        members[aid] = (p, hit)
                        break
        parts, items, ids = [], [], []
        for members in sides.values():
            arts = [by_id[aid] for aid in members]
            first_value = next(iter(members.values()))[1]
            said_by = _labels(arts, families, names, first=arts[0])
            parts.append(f'{said_by} say{"" if " and " in said_by else "s"} "{first_value.text}"')
            for aid, (p, _v) in members.items():
                items.append(_item(by_id[aid], p.text))
                ids.append(aid)
        summary = (f"The reports give different figures for the same {_KIND_NAMES.get(kind, 'figure')}: "
                   + ", ".join(parts) + ".")
        out.append(Difference(kind="number", summary=summary, article_ids=tuple(dict.fromkeys(ids)),
                              items=tuple(items)))
    return out


def _contradictions(articles: Sequence[Article], notes: Mapping[str, Notes],
                    families: Mapping[str, str]) -> list[Difference]:
    by_id = {a.id: a for a in articles}
    # group pairs that share a stance, so three reports of one disagreement give one difference
    groups: list[dict[str, list[tuple[str, StanceMention]]]] = []
    for c in stance_conflicts(articles, notes, families):
        for g in groups:
            if (c.left_article, c.left) in g[c.left.polarity] or (c.right_article, c.right) in g[c.right.polarity]:
                break
        else:
            g = {"support": [], "oppose": []}
            groups.append(g)
        for aid, s in ((c.left_article, c.left), (c.right_article, c.right)):
            if (aid, s) not in g[s.polarity]:
                g[s.polarity].append((aid, s))
    out = []
    names = source_labels(articles)
    for g in groups:
        # each side quoted in the words of one report, credited to that report (the wire's own wording
        # before its translation's): the first report with a known outlet, else the first
        sup = sorted(g["support"], key=lambda x: not by_id[x[0]].outlet)
        opp = sorted(g["oppose"], key=lambda x: not by_id[x[0]].outlet)
        s_arts = [by_id[a] for a, _ in sup]
        o_arts = [by_id[a] for a, _ in opp]
        o_names = _labels(o_arts, families, names, first=o_arts[0])
        s_names = _labels(s_arts, families, names, first=s_arts[0])
        summary = (f"The reports contradict each other: {o_names} report{'' if ' and ' in o_names else 's'} "
                   f"{opp[0][1].holder} {_stance_phrase(opp[0][1])}, while {s_names} "
                   f"report{'' if ' and ' in s_names else 's'} {sup[0][1].holder} {_stance_phrase(sup[0][1])}.")
        items = [_item(by_id[a], _sentence_at(by_id[a], notes.get(a), s.start)) for a, s in opp + sup]
        out.append(Difference(kind="contradiction", summary=summary,
                              article_ids=tuple(dict.fromkeys(a for a, _ in opp + sup)), items=tuple(items)))
    return out


def _only_in(articles: Sequence[Article], claims: Sequence[Claim], families: Mapping[str, str]) -> list[Difference]:
    by_id = {a.id: a for a in articles}
    if len({family_of(families, a.id) for a in articles}) < 2:
        return []  # one family only: everything is "only in" it, which says nothing
    notable = [c for c in claims if c.status == "single-source" and by_id.keys() >= set(c.article_ids)]
    # figures first, then the claims carried by most copies, in reading order otherwise
    notable.sort(key=lambda c: (not c.values, -len(c.article_ids)))
    out = []
    names = source_labels(articles)
    for c in notable[:ONLY_IN_PER_STORY]:
        arts = [by_id[a] for a in c.article_ids]
        copies = f" (and {len(arts) - 1} cop{'y' if len(arts) == 2 else 'ies'})" if len(arts) > 1 else ""
        summary = f"Only {label(_family_face(arts), names)}{copies} report{'s' * (not copies)} this: {c.text}"
        out.append(Difference(kind="only-in", summary=summary, article_ids=c.article_ids,
                              items=tuple(_item(a, c.text) for a in arts[:1])))
    return out


def differences(articles: Sequence[Article], notes: Mapping[str, Notes], claims: Sequence[Claim],
                families: Mapping[str, str]) -> tuple[Difference, ...]:
    """Number mismatches, contradictions and only-in items, story by story (quote wording comes from
    :mod:`quotes`)."""
    out: list[Difference] = []
    groups = story_groups(articles)
    # each group's candidate claims, gathered in one pass (a claim lies within the group of its first
    # article), in corpus order: filtering all claims once per group would cost stories x claims
    group_of = {a.id: k for k, group in enumerate(groups) for a in group}
    claims_of: dict[int, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.article_ids and c.article_ids[0] in group_of:
            claims_of[group_of[c.article_ids[0]]].append(c)
    for k, group in enumerate(groups):
        by_article = {a.id: passages(a, notes.get(a.id)) for a in group}
        out.extend(_number_differences(group, families, by_article, notes))
        out.extend(_contradictions(group, notes, families))
        out.extend(_only_in(group, claims_of.get(k, []), families))
    return tuple(out)
