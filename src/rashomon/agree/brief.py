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
   sentences, each credited to its report by name ("AFP reports that ...; Source 3 reports that ...").

News comes before background: a passage dated well before the story, or told as a standing fact (present,
present perfect), or as a preview (future), is background — never the lead, at most ``MAX_BACKGROUND`` of
the rest, after the news. A happening of the story told in the past tense (a coded event between the
story's parties, or an agreement reached) is news even when one report alone tells it. One statement is told once: the other
reports' wordings of it (the claims alignment's matches) are not chosen again, and the reports that tell it
in their own words are cited beside the one quoted (:func:`support.corroborates`).

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

import heapq
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..config import Config
from ..model import (
    Article,
    BriefSentence,
    Claim,
    Difference,
    DifferenceItem,
    Event,
    Notes,
    Quote,
    Story,
    source_labels,
)
from ..read import boilerplate, metadata
from ..text.textsim import Passage, dice, family_of, is_statement, passages, stopwords
from .claims import Alignment, alignment, checkworthy, cue_kind, cue_weight, quoted_share
from .support import corroborates, frames, segments, supported, supporters

_PRONOUN = re.compile(r"(?i)(?:he|she|they|it|during (?:his|her|their))\b")
# a sentence whose subject is a pronoun, first or after one opening clause ("He could fare well in South
# Carolina"; "With Bush still in the mix, he won't have the money"): a disagreement quoting it says no one's
# figure or stance, and the reader cannot tell whose
_UNNAMED = re.compile(r"(?i)^(?:[^,;]{0,80},\s+)?(?:he|she|they|it|his|her|their|its)\b")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’][a-z]+)?\b")
SEEN = 0.35  # a word a chosen sentence already has still counts a little: topics recur, facts differ
BACKGROUND = 0.5  # weight of background: dated more than BACKGROUND_DAYS before the story, or a standing fact
BACKGROUND_DAYS = 10
NEWS = 0.35  # bonus of a happening told in the past tense (the invitation, the ministers' talks)
MAX_BACKGROUND = 2  # background sentences a brief tells at most, after the news (unless no news is left)
NEWS_FLOOR = 0.6  # the least weight of a content word of news, however few families use it
NOVEL = 0.15  # bonus, in units of the best candidate's gain, of a kind of happening the brief has not told yet
NEW_NAME = 0.03  # ... and of each name it has not given yet (the people a happening brings in)
STANDING = frozenset({"present", "perfect"})  # tenses of standing facts ("Japan is ...", "Ottawa has joined ...")


@dataclass
class _Candidate:
    passage: Passage
    text: str
    families: set[str]
    claim: str | None  # figure | agreement | first | commitment
    lead: float = 0.0
    cue: float = 0.0  # weight of its claim cue
    background: bool = False  # dated well before the story, or told as a standing fact: context, not the news
    news: bool = False  # a happening of the story told in the past tense (a coded event or an agreement)
    events: frozenset[tuple[str, str, str]] = frozenset()  # (type, source, target) of the events it tells
    past: bool = False  # told in the simple past
    corroborators: tuple[Passage, ...] = ()  # the same statement in other families' own words
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
    if not is_statement(p, int(cfg["min_words"])) or p.pronoun_start or not _starts_a_sentence(p.text):
        return False
    if _goes_on(p.text, cfg):
        return False
    if quoted_share(p.text) > float(cfg["max_quoted_share"]):
        return False
    # an address, a byline run together with a path, a table row: not prose
    tokens = p.text.split()
    wordy = sum(1 for t in tokens if _TWO_LETTERS.search(t) and "/" not in t and "www." not in t)
    if wordy / max(1, len(tokens)) < float(cfg["min_word_share"]) or tokens.count("/") >= 2:
        return False
    info = boilerplate.describe(p.text)
    # a publishing stamp ("On behalf of ..., Esq. posted in Road Safety on Friday, May 3, 2013.") says when
    # the page went up, not what happened
    return not (info.line_marker or info.end_marker or info.teaser or metadata.is_stamp(p.text))


def _starts_a_sentence(text: str) -> bool:
    """Whether a passage opens as a sentence does: its first word capitalised, a figure, or a name written
    with a capital inside ("eBay"). A passage opening in lower case is the tail of a sentence the parser cut
    (after a quotation's inner stop: "to steal the election," X said) or of a drop cap ("espite the ...").

    >>> _starts_a_sentence("“It will pass,” he said."), _starts_a_sentence("eBay sold it."), _starts_a_sentence("to steal it, he said.")
    (True, True, False)
    """
    words = text.lstrip("\"'“”‘’([ \u00a0").split(maxsplit=1)
    return bool(words) and (words[0][:1].isupper() or words[0][:1].isdigit() or any(c.isupper() for c in words[0]))


_THAT_VERB = re.compile(r"(?i)^that(?:['’]s|\s+(?:was|is|has|had|would|could|will|may|might|should|seems|means)\b)")


def _goes_on(text: str, cfg: Mapping[str, Any]) -> bool:
    """Whether a passage goes on from a sentence before it, which the brief would not show: it opens, its
    quotation marks aside, with a connective ("But ...", "And yet ...", "In fact, ...", ``connective_openers``)
    or with "that" standing for what was said before ("That was welcome news").

    >>> cfg = _settings()
    >>> [_goes_on(t, cfg) for t in ("But the vote failed.", "“And yet it passed.”", "So far, 20 have died.",
    ...                             "That was welcome news.", "That Lind won surprised no one.", "Butler won.",
    ...                             "In fact, the vote failed.", "In factories, the vote failed.")]
    [True, True, False, True, False, False, True, False]
    """
    bare = text.lstrip("\"'“”‘’([ \u00a0")
    low = bare.lower()
    if any(low.startswith(k) for k in cfg["connective_phrases_kept"]):
        return False
    return any(low.startswith(k) and not low[len(k):len(k) + 1].isalnum() for k in cfg["connective_openers"]) or bool(
        _THAT_VERB.match(bare))


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
    used: dict[str, set[str]] = {}  # each family's keys
    for aid, ps in align.passages.items():
        used.setdefault(family_of(families, aid), set()).update(*(p.keys for p in ps))
    return {k: float(n - 1) + 0.15 for k, n in Counter(k for keys in used.values() for k in keys).items()}


def _weigh(cands: Sequence[_Candidate], weight: Mapping[str, float]) -> None:
    """Give each candidate what :func:`_gain` needs that does not change while sentences are chosen: the
    weight of each of its keys (by how many families use it), and its scale, up for corroboration and for
    claims (a signed agreement most), down for quoted words."""
    for c in cands:
        # a happening of the story's days counts for what it tells even when one report alone tells it
        # (the invitation in the government's release, the ministers' talks in one agency's report)
        floor = NEWS_FLOOR if c.news else 0.15
        c.terms = tuple((k, max(floor, weight.get(k, 0.15))) for k in c.passage.keys)
        c.norm = max(6, len(c.passage.keys)) ** 0.5
        scale = 1.0 + 0.1 * (len(c.families) - 1) + 0.4 * c.cue - 0.6 * quoted_share(c.text)
        if c.claim in {"figure", "first"}:
            scale += 0.15
        if c.news:
            scale += NEWS
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
    core = _core_states(articles, notes, families)
    out = []
    for a in articles:
        for p in align.passages[a.id]:
            if not _eligible(p, cfg):
                continue
            text = _clip_list(p, by_id[a.id], int(cfg["list_words"]))
            if len(text.split()) > max_words:
                continue
            fams = {family_of(families, a.id)}
            told: list[Passage] = []  # its counterparts in other reports: the same statement
            for other in articles:
                if other.id == a.id:
                    continue
                match = align.best_match(p, other.id)
                if match is not None:
                    told.append(match[0])
                    fams.add(family_of(families, other.id))
            lead = 0.0
            if p.index < int(cfg["lead_positions"]) and quoted_share(p.text) < 0.2:
                lead = 1.0 + _lead_features(p, a, notes.get(a.id))
            note = notes.get(a.id)
            tense = _tense(p, note)
            happening = _happening(p, note, story_date, core)
            # context, not news: dated well before the story, a standing fact, what has been going on, a
            # preview of what the other reports tell as done
            background = _background(p, note, story_date) or tense in ("perfect", "pluperfect", "future") or (
                tense == "present" and not happening)
            out.append(_Candidate(p, text, fams, checkworthy(p) or cue_kind(p), lead, cue_weight(p),
                                  background, news=(happening or cue_kind(p) == "agreement") and tense == "past"
                                  and not background,
                                  corroborators=tuple(told), events=_events(p, note), past=tense == "past"))
    return out


def _tense(p: Passage, note: Notes | None) -> str | None:
    """The tense of the sentence a passage comes from (when/times.sentence_tense, stored by the map stage)."""
    if note is None or not 0 <= p.sentence < len(note.sentences):
        return None
    return note.sentences[p.sentence].tense


def _happening(p: Passage, note: Notes | None, story_date: str | None, core: frozenset[str]) -> bool:
    """The passage reports a coded event (who did what to whom) of the story's days, not of its past,
    between the story's own parties (an actor of a state most of the story's reports involve: the
    retaliation of a third state is the context of a summit, not its news)."""
    if note is None:
        return False
    for e in note.events:
        if not 0 <= e.sentence < len(note.sentences):
            continue
        s = note.sentences[e.sentence]
        recent = not (e.date and story_date and _days_before(e.date, story_date) > BACKGROUND_DAYS)
        states = {x for x in (e.source_actor, e.target_actor) if x}
        ours = not core or not states or bool(states & core)
        if s.start < p.end and p.start < s.end and recent and ours:
            return True
    return False


def _core_states(articles: Sequence[Article], notes: Mapping[str, Notes], families: Mapping[str, str]) -> frozenset[str]:
    """The states whose actors the events of most of a story's families involve (its parties)."""
    seen: dict[str, set[str]] = {}
    for a in articles:
        note = notes.get(a.id)
        for e in note.events if note else ():
            for code in (e.source_actor, e.target_actor):
                if code and len(code) == 3 and code.isupper():
                    seen.setdefault(code, set()).add(family_of(families, a.id))
    n = len({family_of(families, a.id) for a in articles})
    return frozenset(code for code, fams in seen.items() if 2 * len(fams) >= n)


def _events(p: Passage, note: Notes | None) -> frozenset[tuple[str, str, str]]:
    """The happenings a passage tells, as (PLOVER type, source, target) by the last word of each actor."""
    if note is None:
        return frozenset()
    out = set()
    for e in note.events:
        if 0 <= e.sentence < len(note.sentences):
            s = note.sentences[e.sentence]
            if s.start < p.end and p.start < s.end:
                who = [(x or "").split()[-1].lower() if (x or "").split() else "" for x in (e.source_text, e.target_text)]
                out.add((e.type, who[0], who[1]))
    return frozenset(out)


def _days_before(value: str, story_date: str) -> int:
    """How many days ``value`` (its last day, for a month or a year) lies before the story's day."""
    try:
        day = date.fromisoformat(story_date[:10]) if len(story_date) >= 10 else None
        when = date.fromisoformat(value if len(value) == 10 else
                                  (value + "-28" if len(value) == 7 else value + "-12-31"))
    except ValueError:
        return 0
    return (day - when).days if day else 0


def _cite(text: str, origin: str, raw: Mapping[str, Sequence[Passage]], order: Mapping[str, int],
          allowed: Sequence[str] = (), corroborators: Sequence[Passage] = ()) -> tuple[str, ...] | None:
    """The articles that support ``text`` (its origin first checked), or None when even the origin does not:
    those that carry it word for word, and those whose passage the claims alignment matched to it and that
    tell it in their own words (:func:`support.corroborates`) — every family that carries it."""
    if not supported(text, {origin: raw[origin]}, allowed):
        return None
    others = {aid: ps for aid, ps in raw.items() if aid != origin}
    ids = [origin] + supporters(text, others, allowed)
    for q in corroborators:
        if q.article_id not in ids and all(corroborates(seg, q) for seg in segments(text)):
            ids.append(q.article_id)
    return tuple(sorted(ids, key=order.__getitem__))


def _end(text: str) -> str:
    """A sentence without its final full stop (kept inside a closing quote mark's place)."""
    return re.sub(r"\.([\"”’']?)\s*$", r"\1", text.rstrip())


# prepositions and sentence adverbs that open a sentence and are never a name, which spaCy's stop words lack:
# lowered whatever the story writes ("Despite leading ..." where no report writes "despite" mid-sentence)
_OPENERS = frozenset({"despite", "amid", "amidst", "notwithstanding", "unlike", "furthermore", "nonetheless",
                      "instead"})


def _lower_first(text: str, lower: Collection[str] = ()) -> str:
    """"The accord ..." -> "the accord ..." after a connector; names keep their capital. A word that is no
    stop word loses its capital too where ``lower`` (the story's words written in lower case) shows it is
    a common one and no name follows it ("Despite leading ...", "Voters ..."; not "President Kell ...").

    >>> _lower_first("A deal was struck."), _lower_first("Despite the rain, talks went on.")
    ('a deal was struck.', 'despite the rain, talks went on.')
    >>> _lower_first("Voters stayed home.", {"voters"}), _lower_first("Voters stayed home.")
    ('voters stayed home.', 'Voters stayed home.')
    >>> _lower_first("President Kell spoke.", {"president"}), _lower_first("UN envoys met."), _lower_first("I agree.")
    ('President Kell spoke.', 'UN envoys met.', 'I agree.')
    """
    words = text.split()
    first = words[0] if words else ""
    if first == "I" or (first.isupper() and len(first) > 1):
        return text
    bare = first.rstrip(",;:")
    if first.lower() in stopwords() or bare.lower() in _OPENERS:
        return text[0].lower() + text[1:]
    follows = words[1] if len(words) > 1 else ""
    if bare[1:].islower() and bare.lower() in lower and not follows[:1].isupper() and bare.isalpha():
        return text[0].lower() + text[1:]
    return text


def _plainest(group: Sequence[DifferenceItem]) -> DifferenceItem:
    """The wording to quote for one side: no pronoun to resolve, carried by most copies, shortest."""
    return min(group, key=lambda it: (bool(_PRONOUN.match(it.text)), -sum(o.text == it.text for o in group),
                                      len(it.text)))


def _attributed(name: str, text: str, lower: Collection[str] = ()) -> str:
    """"Kell Post reports that the port reopened" — a statement credited to the report it comes from
    (``data/brief.toml``'s ``fuse.attribution``); ``lower`` as :func:`_lower_first` takes it."""
    return str(frames()["fuse"]["attribution"]).format(name=name, text=_lower_first(metadata.without_dateline(text),
                                                                                     lower))


def _lower_words(raw: Mapping[str, Sequence[Passage]]) -> set[str]:
    """The words a story's reports write in lower case (where no sentence starts)."""
    return {w for ps in raw.values() for p in ps for w in _LOWER_WORD.findall(p.text)}


_LOWER_WORD = re.compile(r"(?<=[\w,;:] )[a-z]+\b")


def _disagreements(diffs: Sequence[Difference], raw: Mapping[str, Sequence[Passage]],
                   families: Mapping[str, str], order: Mapping[str, int],
                   names: Mapping[str, str]) -> list[tuple[BriefSentence, set[str]]]:
    """Contradictions first, then figures in dispute: the two reports' own sentences, each credited to the
    report it comes from by name ("AFP reports that ...; Source 3 reports that ..."). Each comes with the
    texts of all its items, which the rest of the brief leaves out. A sentence one disagreement quotes is not
    quoted by another: two figures of one sentence disputed by two others made two brief sentences opening
    alike ("AP reports that Trump won at least 44 of the 50 delegates ...; AP reports that ..."). A sentence
    whose subject is a pronoun is not quoted (``_UNNAMED``): "Source 3 reports that he won't have the money
    ...; Source 4 reports that he could fare well ..." named no one."""
    out = []
    lower: set[str] | None = None  # made when the first disagreement comes
    quoted: set[str] = set()  # sentences a disagreement already quotes: the next one says something else
    for d in sorted((d for d in diffs if d.kind in {"contradiction", "number"}),
                    key=lambda d: d.kind != "contradiction"):
        items = [it for it in d.items
                 if it.article_id in raw and it.text and it.text not in quoted and not _UNNAMED.match(it.text)]
        sides: dict[str, list[DifferenceItem]] = {}
        for it in items:
            sides.setdefault(family_of(families, it.article_id), []).append(it)
        if len(sides) < 2:
            continue
        # from each side the plainest wording: no pronoun to resolve, then the shortest
        picks = [_plainest(group) for group in list(sides.values())[:2]]
        first, second = picks
        if lower is None:
            lower = _lower_words(raw)
        text = (_end(_attributed(names[first.article_id], first.text, lower)) + "; "
                + _attributed(names[second.article_id], second.text, lower))
        # each side is credited to one report: its words are cited from that report (and its copies)
        left = _cite(first.text, first.article_id, raw, order) or (first.article_id,)
        right = _cite(second.text, second.article_id, raw, order) or (second.article_id,)
        left = tuple(a for a in left if family_of(families, a) == family_of(families, first.article_id))
        right = tuple(a for a in right if family_of(families, a) == family_of(families, second.article_id))
        ids = tuple(sorted(set(left) | set(right), key=order.__getitem__))
        if supported(text, {aid: raw[aid] for aid in ids}, names=names):
            out.append((BriefSentence(text, ids), {it.text for it in items}))
            quoted.update((first.text, second.text))
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

    names = source_labels(articles)
    disagreements = _disagreements(differences, raw, families, order, names)
    n_dis = min(len(disagreements), 0 if budget < 3 else (1 if budget < 7 else 2))
    disagreements = disagreements[:n_dis]
    in_disagreement = {t for _, texts in disagreements for t in texts}

    chosen: list[tuple[_Candidate, tuple[str, ...]]] = []
    covered: set[str] = set()
    redundancy = float(cfg["redundancy"])

    told: set[tuple[str, int]] = set()  # passages whose statement the brief has told, in whatever words

    by_passage: dict[tuple[str, int], _Candidate] = {}  # filled once the pool is known

    def version(c: _Candidate) -> _Candidate:
        """Of the reports' wordings of one statement, the fullest (the one that names the partnership, not
        the one that only says the leaders agreed): it is told once, citing the others."""
        alts = [c] + [by_passage[k] for q in c.corroborators if (k := (q.article_id, q.index)) in by_passage
                      and not by_passage[k].background and c.passage in by_passage[k].corroborators]
        return max(alts, key=lambda a: (len(a.passage.keys), a is c))

    def take(c: _Candidate, capped: bool = True) -> bool:
        if c is not (better := version(c)) and take_one(better, capped):
            return True
        return take_one(c, capped)

    def take_one(c: _Candidate, capped: bool = True) -> bool:
        # the same content, copied (Dice) or paraphrased (the claims alignment), is told once: a candidate
        # another report's chosen sentence matched, or one matching a chosen sentence, is the same statement
        if (c.passage.article_id, c.passage.index) in told:
            return False
        if any(dice(c.passage.keys, o.passage.keys) >= redundancy or align.score(c.passage, o.passage) >= redundancy
               for o, _ in chosen):
            return False
        if any((q.article_id, q.index) in told for q in c.corroborators):
            return False
        if capped and c.background and sum(o.background for o, _ in chosen) >= MAX_BACKGROUND:
            return False
        cites = _cite(c.text, c.passage.article_id, raw, order, corroborators=c.corroborators)
        if cites is None:
            return False
        chosen.append((c, cites))
        covered.update(c.passage.keys)
        told.add((c.passage.article_id, c.passage.index))
        told.update((q.article_id, q.index) for q in c.corroborators)
        return True

    # passages in dispute are told as disagreements, not as facts
    disputed = {it.text for d in differences if d.kind in {"contradiction", "number"} for it in d.items}
    told_apart = in_disagreement | disputed
    pool = [c for c in cands if c.passage.text not in told_apart]
    by_passage.update(((c.passage.article_id, c.passage.index), c) for c in pool)
    _weigh(pool, weight)
    first = [_gain(c, covered) for c in pool]  # nothing covered yet: what each candidate adds on its own
    top = max(first, default=1.0) or 1.0

    def lead_score(c: _Candidate, gain: float) -> float:
        # the lead tells the event: a happening of the story's days, never a standing fact
        return c.lead + 0.4 * (len(c.families) - 1) + gain / top + 0.3 * c.past - 1.0 * c.background

    rank = {id(c): (order[c.passage.article_id], c.passage.index, k) for k, c in enumerate(pool)}
    leads = sorted((c for c in pool if c.lead), key=lambda c: (-lead_score(c, first[rank[id(c)][2]]),
                                                                *rank[id(c)][:2]))
    for c in leads:
        if take(c):
            break

    names_of = {id(c): set(_NAME.findall(c.text)[1:]) for c in pool if c.news}
    kinds_of = {id(c): {e[0] for e in c.events} for c in pool if c.news}

    def worth(c: _Candidate, told_kinds: set[str], named: set[str], gain: float) -> float:
        # a happening not told yet (the invitation, the ministers' own talks) is news even from one report:
        # a new kind of event, or one with people the brief has not named
        if not c.news:
            return gain
        new_kind = bool(kinds_of[id(c)] - told_kinds)
        new_names = len(names_of[id(c)] - named)
        return gain + NOVEL * top * new_kind + NEW_NAME * top * min(new_names, 6)

    def told_now() -> tuple[set[str], set[str]]:
        # the lead gives the gist (since the coder types a stated intent too, "vowed to strengthen
        # cooperation" is AGREE): the body still tells each kind of happening once in a sentence of its own
        return ({e[0] for o, _ in chosen[1:] for e in o.events},
                {w for o, _ in chosen for w in _NAME.findall(o.text)})

    # Each round takes the first candidate, by what it is worth now (then by article and place), that can
    # be taken. What a candidate is worth never grows as sentences are chosen (a covered key counts less, a
    # kind of happening told or a name given adds nothing new), so what it was worth in an earlier round
    # bounds it: candidates wait in a heap under their last worth, and only one that reaches the top with
    # an old worth is reckoned again (lazy greedy) — the candidates tried, and the one taken, are those of
    # ranking every candidate afresh each round, without reckoning every one each round. Should a
    # candidate's worth be able to grow (a negative scale), every round ranks them all afresh.
    lasting = top > 0 and all(c.scale >= 0 for c in pool) and not any(math.isnan(g) for g in first)
    state = told_now()
    nothing: set[str] = set()
    heap = [(-worth(c, nothing, nothing, g), *rank[id(c)], -1) for c, g in zip(pool, first, strict=True)]
    heapq.heapify(heap)  # worth before anything was chosen: a bound of what each is worth now
    taken = {id(o) for o, _ in chosen}
    turn = 0  # the round; an entry from an earlier one is a bound, not the worth
    for capped in (True, False):  # background beyond MAX_BACKGROUND only when no news is left to tell
        while len(chosen) < budget - n_dis:
            if not lasting:  # every candidate ranked afresh, every round
                rest = [c for c in pool if id(c) not in taken]
                rest.sort(key=lambda c: (-worth(c, *state, _gain(c, covered)), *rank[id(c)][:2]))
                if not any(take(c, capped) for c in rest):
                    break
                taken.add(id(chosen[-1][0]))
                state = told_now()
                continue
            tried: list[tuple[float, int, int, int, int]] = []
            while heap:
                entry = heapq.heappop(heap)
                c = pool[entry[3]]
                if id(c) in taken:
                    continue
                if entry[4] != turn:
                    heapq.heappush(heap, (-worth(c, *state, _gain(c, covered)), *entry[1:4], turn))
                    continue
                if take(c, capped):
                    if chosen[-1][0] is not c:  # it took the fuller wording of c's statement: c waits
                        tried.append(entry)
                    taken.add(id(chosen[-1][0]))
                    break
                tried.append(entry)
            else:
                for entry in tried:  # still this round's worth: nothing was taken
                    heapq.heappush(heap, entry)
                break
            for entry in tried:
                heapq.heappush(heap, entry)
            turn += 1
            state = told_now()

    body = chosen[1:]
    # the news before background; within each, agreements and claims first, then in the order chosen
    body.sort(key=lambda pair: (pair[0].background, pair[0].claim is None))
    out = [BriefSentence(metadata.without_dateline(c.text), cites) for c, cites in chosen[:1] + body]
    out += [b for b, _ in disagreements]
    return tuple(out[:budget])
