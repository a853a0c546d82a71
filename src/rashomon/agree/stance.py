"""Stances (map stage): who is reported as backing or opposing what, read from the dependency parse.

Two kinds of cue (``data/stance.tsv``):

* *act* cues name an attitude the subject holds toward the object: "Velmora backed Ostrana's claim",
  "Ottawa has expressed its support for Washington" (noun cue: the holder is the subject of the verb that
  governs it, or its possessor);
* *judge* cues are verdicts on a target ("the strikes appeared inconsistent with international law"); the
  holder is whoever the sentence reports as saying so (the subject of "said", "stating", "called" above it).

A governing negator ("refused to back", "stopped short of supporting") or a negation flips the polarity.
Pronoun holders are resolved to the last person (he/she) or state/organisation (it/its) named before them.

>>> from rashomon.text import nlp
>>> from rashomon.model import Article
>>> text = "Velmora has refused to back Ostrana's claim to the Lind islands."
>>> s = find_stances(nlp.load()(text), Article(id="a", input="-", text=text), ())[0]
>>> s.polarity, s.holder, s.target_head, s.target_actors
('oppose', 'Velmora', 'claim', ('ostrana',))
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..model import Article, Mention, StanceMention
from ..text import geo

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_CLIMB = {"ccomp", "xcomp", "conj", "advcl", "parataxis", "relcl", "acl", "pcomp", "prep", "pobj", "dobj"}
_HOLDER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC"}
_PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
_THING_PRONOUNS = {"it", "its"}


@dataclass(frozen=True, slots=True)
class _Cue:
    lemmas: tuple[str, ...]
    role: str  # act | judge | negator | report
    polarity: str  # support | oppose | ""


@lru_cache(maxsize=1)
def _table() -> dict[str, list[_Cue]]:
    """First lemma -> cues starting with it, longest first."""
    by_first: dict[str, list[_Cue]] = defaultdict(list)
    text = resources.files("rashomon").joinpath("data/stance.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        lemmas = tuple(cols[0].strip().split())
        role = cols[1].strip()
        pol = {"+": "support", "-": "oppose"}.get(cols[2].strip() if len(cols) > 2 else "", "")
        by_first[lemmas[0]].append(_Cue(lemmas, role, pol))
    for cues in by_first.values():
        cues.sort(key=lambda c: -len(c.lemmas))
    return dict(by_first)


def _roles(role: str) -> set[str]:
    return {c.lemmas[0] for cues in _table().values() for c in cues if c.role == role and len(c.lemmas) == 1}


def _match(lemmas: Sequence[str], i: int) -> _Cue | None:
    """The act or judge cue starting at token ``i`` of a doc whose lower-cased lemmas are ``lemmas``."""
    for cue in _table().get(lemmas[i], ()):
        if cue.role not in {"act", "judge"}:
            continue
        n = len(cue.lemmas)
        if tuple(lemmas[i:i + n]) == cue.lemmas:
            return cue
    return None


def _negated(tok: Token) -> bool:
    """A negation on the cue or on a verb that governs it, or a governing negator ("refused to back")."""
    negators = _roles("negator")
    node, steps = tok, 0
    while steps < 3:
        if any(c.dep_ == "neg" or c.lower_ in {"never", "no"} for c in node.children):
            return True
        if node is not tok and node.lemma_.lower() in negators:
            return True
        # "stopped short of backing": the negator is a multiword verb + particle/preposition
        if node.lemma_.lower() == "stop" and any(c.lower_ == "short" for c in node.children):
            return True
        if node.dep_ not in {"xcomp", "pcomp", "pobj", "prep", "dobj", "advmod", "acomp"} or node.head is node:
            break
        node = node.head
        steps += 1
    return False


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            return c
    # "Carney ... and that strikes appeared ...": a conjoined verb shares its first conjunct's subject
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head)
    return None


def _head_verb(tok: Token) -> Token:
    """The verb a cue hangs on ("expressed" for "its support"; "refused" for "to back")."""
    node = tok
    while node.dep_ in {"dobj", "pobj", "prep", "xcomp", "attr", "acomp", "pcomp", "amod", "compound"} and node.head is not node:
        node = node.head
        if node.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} for c in node.children):
            return node
    return node


def _act(tok: Token) -> tuple[Token | None, Token | None]:
    """(holder, target) for an attitude cue."""
    holder: Token | None = None
    target: Token | None = None
    if tok.pos_ in {"VERB", "AUX"}:
        for c in tok.children:
            if c.dep_ == "dobj":
                target = c
            elif c.dep_ == "prep" and c.lower_ in {"with", "for", "against", "behind"}:
                target = next((g for g in c.children if g.dep_ == "pobj"), target)
            elif c.dep_ == "nsubjpass":
                target = c
            elif c.dep_ == "agent":
                holder = next((g for g in c.children if g.dep_ == "pobj"), holder)
        if holder is None and not any(c.dep_ == "nsubjpass" for c in tok.children):
            holder = _subject(tok) or _subject(_head_verb(tok))
    else:  # a noun: "its support for Washington", "backing from Kessin"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in {"for", "of", "to", "against", "behind"}:
                target = next((g for g in c.children if g.dep_ == "pobj"), target)
            elif c.dep_ == "prep" and c.lower_ in {"from", "by"}:
                holder = next((g for g in c.children if g.dep_ == "pobj"), holder)
            elif c.dep_ == "poss" and holder is None:
                holder = c
        if holder is None or holder.lower_ in _THING_PRONOUNS | {"their"}:
            verb = _head_verb(tok)
            holder = _subject(verb) if verb is not tok else holder
    return holder, target


def _judge(tok: Token) -> tuple[Token | None, Token | None]:
    """(holder, target) for a verdict: the target is what the verdict is about, the holder who says it."""
    target: Token | None = None
    if tok.pos_ in {"VERB", "AUX"}:  # "the operation violates international law"
        target = _subject(tok)
        clause = tok
    elif tok.dep_ == "amod":  # "an illegal invasion"
        target = tok.head
        clause = _head_verb(tok.head)
    else:  # "the strikes appeared illegal", "it is a violation of ..."
        clause = tok.head if tok.dep_ in {"acomp", "attr", "oprd", "xcomp"} else _head_verb(tok)
        target = _subject(clause)
    reports = _roles("report")
    node = clause
    for _ in range(6):
        if node.lemma_.lower() in reports and node is not clause:
            subj = _subject(node)
            if subj is not None:
                return subj, target
        if node.dep_ not in _CLIMB or node.head is node:
            break
        node = node.head
    return None, target


class _Ents:
    """A doc's entities, read once: ``Doc.ents`` builds every Span anew on each access."""

    def __init__(self, doc: Doc) -> None:
        self.all: tuple[Span, ...] = tuple(doc.ents)
        self._at = {i: e for e in self.all for i in range(e.start, e.end)}

    def at(self, tok: Token) -> Span | None:
        """The entity ``tok`` is part of, if any."""
        return self._at.get(tok.i)


def _noun_phrase(tok: Token) -> str:
    """The target phrase as written, kept short."""
    toks = list(tok.subtree)
    if len(toks) > 14:
        toks = [t for t in toks if t.i <= tok.i or t.i - tok.i <= 8]
    # never past a line break, nor ending on a stop: a parse that hangs the next paragraph on the target
    # ("support Trump .\n\n McCarthy's move") showed "opposing Trump . \n\n" in a contradiction
    cut = next((k for k, t in enumerate(toks) if t.i > tok.i and "\n" in t.text), len(toks))
    toks = toks[:cut]
    while len(toks) > 1 and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].i > tok.i:
        toks.pop()
    return " ".join(t.text for t in toks).replace(" 's", "'s").replace(" \u2019s", "\u2019s").replace(" - ", "-").replace(" ,", ",")


def _actor_key(text: str) -> str:
    code = geo.state_of(text)
    return "#" + code if code else text.lower()


def _actors(ents: _Ents, head: Token) -> tuple[str, ...]:
    """Keys of who the target is or belongs to: the head itself when a name, and the names before it
    ("US-Israeli strikes" -> #USA, #ISR; "Ostrana's claim" -> ostrana). Objects after it ("on Iran") are not
    actors: the strikes are by the US, not by Iran."""
    keys: list[str] = []
    toks = [t for left in head.lefts for t in left.subtree] + [head]
    seen_ents: set[int] = set()
    for t in toks:
        ent = ents.at(t)
        if _rival_of(ent[-1] if ent is not None else t):
            continue  # "Trump rival Ted Cruz" is Cruz: backing him is no stance on Trump
        if ent is not None:
            if ent.start in seen_ents:
                continue
            seen_ents.add(ent.start)
            if ent.label_ in _HOLDER_LABELS:
                for part in ent.text.replace("'s", "").replace("’s", "").split("-"):
                    if part.strip():
                        keys.append(_actor_key(part.strip()))
        elif t.pos_ == "PROPN" or (t.pos_ == "ADJ" and geo.state_of(t.text)):
            keys.append(_actor_key(t.text))
    return tuple(dict.fromkeys(k for k in keys if k))


_RIVALS = frozenset({"rival", "opponent", "challenger", "critic", "foe", "enemy", "adversary", "competitor",
                     "nemesis", "detractor"})


def _rival_of(last: Token) -> bool:
    """Whether a name (``last`` its last word) is written before a word for someone against it ("Trump
    rival", "Trump's critics"): the target is that someone, not the name."""
    doc = last.doc
    i = last.i + 1
    if i < len(doc) and doc[i].text in ("'s", "\u2019s", "'", "\u2019"):
        i += 1
    return i < len(doc) and doc[i].lemma_.lower() in _RIVALS


def _resolve(ents: _Ents, tok: Token, mentions: Sequence[Mention]) -> tuple[str | None, str | None]:
    """The holder's name and state: its entity or mention, or for a pronoun the last fitting one before it."""
    low = tok.lower_
    if low in _PERSON_PRONOUNS | _THING_PRONOUNS:
        labels = {"PERSON"} if low in _PERSON_PRONOUNS else {"GPE", "ORG", "NORP"}
        before = [m for m in mentions if m.end <= tok.idx and m.label in labels]
        if before:
            m = before[-1]
            return m.text, m.country or _person_country(m, mentions)
        before_ents = [e for e in ents.all if e.end_char <= tok.idx and e.label_ in labels]
        if before_ents:
            return before_ents[-1].text, geo.state_of(before_ents[-1].text)
        return None, None
    for m in mentions:
        if m.start <= tok.idx < m.end:
            return m.text, m.country or _person_country(m, mentions) or geo.state_of(m.text)
    ent = ents.at(tok)
    if ent is not None and ent.label_ in _HOLDER_LABELS:
        return ent.text, geo.state_of(ent.text)
    if tok.pos_ in {"NOUN", "PROPN"}:
        # "the Canadian government": the state is named by a modifier
        for t in tok.subtree:
            code = geo.state_of(t.text) if t.pos_ in {"PROPN", "ADJ"} else None
            if code:
                return _noun_phrase(tok), code
        return (_noun_phrase(tok), None) if tok.pos_ == "PROPN" else (None, None)
    return None, None


def _person_country(m: Mention, mentions: Sequence[Mention]) -> str | None:
    """A person's state from another mention of the same surname that carries one."""
    if m.label != "PERSON":
        return None
    last = m.text.split()[-1].lower()
    for other in mentions:
        if other.label == "PERSON" and other.country and other.text.split()[-1].lower() == last:
            return other.country
    return None


def find_stances(doc: Doc, article: Article, mentions: Sequence[Mention]) -> tuple[StanceMention, ...]:
    """Support and opposition statements in one article, with holder and target."""
    if not len(doc):
        return ()
    sent_starts = [s.start for s in doc.sents]
    out: list[StanceMention] = []
    lemmas = [t.lemma_.lower() for t in doc]  # read once: ``doc[i]`` builds a Token each time
    table = _table()
    ents: _Ents | None = None
    for i, lemma in enumerate(lemmas):
        cue = _match(lemmas, i) if lemma in table else None
        if cue is None:
            continue
        tok = doc[i]
        holder_tok, target_tok = _act(tok) if cue.role == "act" else _judge(tok)
        if holder_tok is None or target_tok is None:
            continue
        if ents is None:
            ents = _Ents(doc)
        holder, country = _resolve(ents, holder_tok, mentions)
        if holder is None:
            continue
        polarity = cue.polarity
        if _negated(tok):
            polarity = "oppose" if polarity == "support" else "support"
        end = doc[tok.i + len(cue.lemmas) - 1].idx + len(doc[tok.i + len(cue.lemmas) - 1])
        out.append(StanceMention(
            sentence=max(0, bisect.bisect_right(sent_starts, i) - 1), start=tok.idx, end=end, cue=" ".join(cue.lemmas),
            polarity=polarity, holder=holder, holder_country=country, target=_noun_phrase(target_tok),
            target_head=target_tok.lemma_.lower(), target_actors=_actors(ents, target_tok),
        ))
    return tuple(out)
