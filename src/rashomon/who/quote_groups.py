"""The corpus stage for quotes: speakers as entities, one group per statement, wording differences.

The same statement reported by several outlets is rarely worded the same: agencies trim it, a
translation rewords it ("Firstly, ... we are strengthening our cooperation in security and defense" /
"We are enhancing our security and defence cooperation"). Two quotes are one statement when their
speakers agree (or one is unknown) and most of the shorter quote's content words (at least three, and
70% of them; 80% when a speaker is unknown), spelling-normalised and cut to a stem, are in the other: two
different statements of one speaker on one topic share a few words, not most. Quotes of two different
speakers are never one statement.

>>> _stems("We are strengthening our defence cooperation") == _stems("we strengthen defense cooperation")
True
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from ..model import Article, Difference, DifferenceItem, Notes, Quote, QuoteMention, source_labels
from ..text.textsim import english_stop_words
from . import names
from .entities import EntityIndex

_WORD = re.compile(r"[^\W_]+")
#: British -> American spellings, so "defence" and "defense" are one word when comparing quotes
_SPELLING = ((re.compile(r"isation"), "ization"), (re.compile(r"is(e|es|ed|ing)$"), r"iz\1"),
             (re.compile(r"our(s?)$"), r"or\1"), (re.compile(r"ence$"), "ense"), (re.compile(r"tre$"), "ter"),
             (re.compile(r"ys(e|ed|ing)$"), r"yz\1"))
_STEM = 6
# share of the shorter quote's content stems the other must carry to be the same statement: speakers known
# to be one entity, or not
SAME_KNOWN = 0.7
SAME_UNKNOWN = 0.8
_COMMON = 60  # a stem in more quotes than this does not propose pairs (it still counts when scoring)


def build(articles: Sequence[Article], notes: Mapping[str, Notes], entities: EntityIndex,
          families: Mapping[str, str]) -> tuple[tuple[Quote, ...], tuple[Difference, ...]]:
    """Contract quotes with speaker entities and groups, plus quote-wording differences."""
    quotes: list[Quote] = []
    for a in articles:
        n = notes.get(a.id)
        if n is None:
            continue
        for qm in n.quotes:
            quotes.append(_quote(a, qm, entities))
    groups = _groups(quotes)
    quotes = [_with_group(q, groups[i]) for i, q in enumerate(quotes)]
    outlets = {a.id: a.outlet for a in articles}
    return tuple(quotes), _differences(quotes, outlets, source_labels(articles))


def _quote(a: Article, qm: QuoteMention, entities: EntityIndex) -> Quote:
    entity = None
    if qm.speaker_mention is not None:
        entity = entities.entity_at(a.id, qm.speaker_mention)
    if entity is None and qm.speaker and qm.speaker_kind in ("name", "pronoun"):
        entity = entities.lookup(qm.speaker, a.id)
    if entity is not None and entity.type not in ("PERSON", "ORG", "GPE", "NORP"):
        entity = None
    qid = "q" + hashlib.sha1(f"{a.id}\n{qm.start}\n{qm.end}".encode()).hexdigest()[:12]
    return Quote(id=qid, text=qm.text, article_id=a.id, start=qm.start, end=qm.end,
                 speaker=entity.name if entity is not None else qm.speaker,
                 speaker_id=entity.id if entity is not None else None, fragment=qm.fragment,
                 cue=qm.cue, parts=qm.parts)


def _with_group(q: Quote, group: str) -> Quote:
    return replace(q, group=group)


# ----------------------------------------------------------------------------------------- groups


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _spelled(word)[:_STEM]


def _stems(text: str) -> frozenset[str]:
    """Content-word stems of a quote: stop words dropped, spelling normalised, cut to a prefix."""
    stop = english_stop_words()
    return frozenset(_stem(w) for w in _WORD.findall(names.fold(text)) if w not in stop and len(w) > 1)


def _same_statement(a: Quote, b: Quote, sa: frozenset[str], sb: frozenset[str]) -> bool:
    if a.speaker_id and b.speaker_id and a.speaker_id != b.speaker_id:
        return False
    if not a.speaker_id and not b.speaker_id and a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    shared = len(sa & sb)
    small = min(len(sa), len(sb))
    if small < 3:
        return sa == sb and small > 0
    # one statement trimmed, reworded or translated keeps most of its words; two statements of one speaker
    # on one topic share a few ("our families", "the harbour"), which is not enough
    known = bool(a.speaker_id and b.speaker_id)
    return shared >= 3 and shared / small >= (SAME_KNOWN if known else SAME_UNKNOWN)


def _groups(quotes: Sequence[Quote]) -> list[str]:
    """A group id per quote: quotes of one statement share it (union-find over candidate pairs)."""
    stems = [_stems(q.text) for q in quotes]
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stems):
        for w in s:
            index[w].append(i)
    seen: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > _COMMON:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                if find(i) != find(j) and _same_statement(quotes[i], quotes[j], stems[i], stems[j]):
                    parent[find(i)] = find(j)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members_of[find(i)].append(i)
    out = [""] * len(quotes)
    for group in members_of.values():
        gid = "g" + hashlib.sha1("\n".join(sorted(quotes[i].id for i in group)).encode()).hexdigest()[:12]
        for i in group:
            out[i] = gid
    return out


# ------------------------------------------------------------------------------------ differences


def _wording(text: str) -> tuple[str, ...]:
    """The words of a quote, case, punctuation and British/American spelling aside."""
    return tuple(_spelled(w) for w in _WORD.findall(names.fold(text)))


def _spelled(word: str) -> str:
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def _differences(quotes: Sequence[Quote], outlets: Mapping[str, str | None],
                 names: Mapping[str, str]) -> tuple[Difference, ...]:
    """One ``quote-wording`` difference per statement whose full quotes are worded differently."""
    by_group: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.group and not q.fragment:
            by_group[q.group].append(q)
    out = []
    for members in by_group.values():
        per_article: dict[str, Quote] = {}
        for q in members:
            best = per_article.get(q.article_id)
            if best is None or len(q.text) > len(best.text):
                per_article[q.article_id] = q
        if len(per_article) < 2 or len({_wording(q.text) for q in per_article.values()}) < 2:
            continue
        versions = list(per_article.values())
        speaker = next((q.speaker for q in versions if q.speaker), None)
        where = [names.get(q.article_id) or "another report" for q in versions]
        who = f"{speaker}'s statement" if speaker else "The same statement"
        summary = f"{who} is worded differently in {len(versions)} reports ({', '.join(where)})."
        out.append(Difference(
            kind="quote-wording", summary=summary, article_ids=tuple(q.article_id for q in versions),
            items=tuple(DifferenceItem(article_id=q.article_id, text=q.text, outlet=outlets.get(q.article_id))
                        for q in versions),
        ))
    return tuple(out)
