"""The speaker side of a quote's parse (map stage, for :mod:`rashomon.who.quotes`): which subject of a
speech verb speaks, its noun phrase, whether it is something that can speak at all, and whom a pronoun or a
description stands for.

The parser gives a speech verb its subject, but not always the right one: a time heading glued to the
next sentence ("5:45 p.m. The senator's doctor is calling ..."), a dash taken for a noun, a relative
clause hung on the wrong noun ("calls from listeners to his radio program who said ..."). A speaker is
a person, a group or a document; times, amounts, percentages and abstract nouns are not
(``data/mute_nouns.tsv``, and spaCy's TIME/DATE/PERCENT/MONEY/QUANTITY/ORDINAL labels). A quantifier
speaks through its complement ("a number of lawmakers said", "one of the guards said").

>>> from rashomon.text import nlp
>>> doc = nlp.load()("The tall New York banker said that prices rose.")
>>> said = doc[5]
>>> noun_phrase(subject(said)).text, can_speak(subject(said))
('The tall New York banker', True)
>>> doc = nlp.load()("Only 40 percent of the voters agreed.")
>>> can_speak(subject(doc[6]))
False

Whom a pronoun or a description stands for, within one article (:class:`Referents`):

* "he said", "she added": the nearest earlier person who fits, the sentence's subject first, trusting
  a given name's gender only nearby ("she" never goes to a "Mr.");
* "the professor said", "the senator said": the person the article gave that role or title
  ("Sen." is "senator"); "the Danish leader": the nearest person of that state;
* "the 34-year-old mother replied", "the New York banker said": a writer re-describing the person
  just written about. Only the subject of the nearest sentence that names someone who fits, and only
  when one person fits: two candidates, a gender the article never states ("the businessman" for a
  bare surname), a noun compound naming a particular role ("the band leader") or a possessor
  ("Lee's aide") leave the description as written.

>>> from rashomon.who.mentions import find_mentions
>>> from rashomon.model import Article
>>> text = "Greta Lind cited the harbour figures. Later the Fenwick businesswoman spoke."
>>> doc = nlp.load()(text)
>>> refs = Referents(doc, find_mentions(doc, Article(id="a", input="-", text=text)))
>>> refs.resolve_description(doc[10], doc[8:11]).name
'Greta Lind'
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from ..model import Mention
from ..text import geo
from . import names
from .mentions import People, Person

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJ = ("nsubj", "nsubjpass")
# a participle or second verb takes its subject from the clause it hangs from ("..., adding", "Fresh from saying")
CLIMB = ("conj", "advcl", "xcomp", "pcomp", "ccomp", "acl", "prep", "advmod", "npadvmod", "acomp")
#: entity labels of heads that name a time or an amount, never a speaker
_MUTE_ENTS = frozenset({"TIME", "DATE", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
#: dependents that belong to a noun phrase on the head's left ("the 34-year-old mother", "Lee's aide")
_NP_LEFT = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "case"})
_MAX_NP = 12  # tokens; a longer left side is a parse slip, not a description
#: pronouns that stand for things or situations, never for whoever speaks
_THING_PRONOUNS = frozenset({"it", "this", "that", "there", "which", "what"})
#: the relative pronouns that refer to persons ("listeners who said"), unlike "which" and "that"
_PERSONAL_RELATIVES = frozenset({"who", "whom"})


def subject(verb: Token) -> Token | None:
    """The subject of a speech verb, climbing from a participle or second verb to its clause's subject.

    Of two subjects the parser gave one verb, one that can speak wins, the nearer the cue the better ("No
    wonder Trump said": Trump).
    """
    if verb.lower_ == "according":
        for to in verb.children:
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
        return None
    v = verb
    for _ in range(5):
        # the agent of a passive first ("was written by X"): its subject is what was said, not who said it;
        # only the cue's own ("said the move was made by Bratton and said": Bratton made, did not say)
        for c in (v.children if v is verb or verb.dep_ != "conj" else ()):
            if c.dep_ == "agent":
                for obj in c.children:
                    if obj.dep_ == "pobj":
                        return obj
        subjects = [c for c in v.children if c.dep_ in SUBJ]
        if v is not verb:  # a clause climbed to speaks through a person, not "it" ("said it was early but added")
            subjects = [c for c in subjects if c.lower_ not in _THING_PRONOUNS]
        if subjects:
            return min(subjects, key=lambda c: (not can_speak(c), SUBJ.index(c.dep_), abs(c.i - verb.i)))
        if v.dep_ == "relcl":
            return v.head
        if v.dep_ == "xcomp" and v.tag_ == "VBG":
            seen = _seen_speaking(v.head)
            if seen is not None:
                return seen
        if v.dep_ not in CLIMB or v.head.i == v.i:
            return None
        v = v.head
    return None


def _seen_speaking(verb: Token) -> Token | None:
    """"The ad shows Lee saying ...", "the spot uses footage of Lee asking ...": the object of a verb
    whose "-ing" complement it performs, through a recording it is "footage of"; else None."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    if not can_speak(obj) or is_document(obj):
        obj = of_object(obj)
    return obj if obj is not None and can_speak(obj) else None


def main_subject(tok: Token) -> bool:
    """Whether a word heading a name is the subject of its sentence's main clause, alone or joined
    ("Lee and Kovac met"), not of a clause inside it ("If Lee wins, Kovac leaves": only Kovac) and
    not a modifier of the subject ("A Lee ad asked": the ad).

    >>> from rashomon.text import nlp
    >>> doc = nlp.load()("If Anna Lee wins, Tomas Kovac and Ivan Berg will leave.")
    >>> [t.text for t in doc if main_subject(t)]
    ['Kovac', 'Berg']
    """
    while tok.dep_ in ("conj", "appos") and tok.head.i < tok.i:
        tok = tok.head
    return tok.dep_ in SUBJ and main_verb(tok.head)


def main_verb(tok: Token) -> bool:
    """Whether a verb is its sentence's main verb, or joined to it ("Lee stood up and said")."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    return tok.dep_ == "ROOT"


def can_speak(tok: Token) -> bool:
    """Whether a subject's head can be a speaker: not punctuation, a time, an amount or an abstract noun.

    >>> from rashomon.text import nlp
    >>> [can_speak(t) for t in nlp.load()("The choice pleased officials.") if t.dep_ in ("nsubj", "dobj")]
    [False, True]
    """
    if not any(c.isalpha() for c in tok.text):
        return False
    # a nominalised adjective speaks for a person ("the 34-year-old said") whatever its entity label
    if tok.ent_type_ in _MUTE_ENTS and tok.pos_ != "ADJ":
        return False
    kind = _class(tok)
    if kind == "quantifier" or (kind is None and tok.ent_type_ == "CARDINAL"):
        complement = of_object(tok)
        return complement is not None and can_speak(complement)
    return kind is None


def is_document(tok: Token, phrase: str = "") -> bool:
    """A statement, report or other document ("the statement said", "the IMF report stated")."""
    docs = names.lexicon("documents.tsv")
    return tok.lemma_.lower() in docs or tok.lower_ in docs or phrase.lower() in docs


def _class(tok: Token) -> str | None:
    table = names.classes("mute_nouns.tsv")
    return table.get(tok.lemma_.lower()) or table.get(tok.lower_)


def of_object(tok: Token) -> Token | None:
    """The object of an "of" complement ("one of the guards" -> guards), else None."""
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def antecedent(relative: Token, clause: Token) -> Token:
    """Who a relative clause's subject pronoun stands for: the noun the clause hangs from, unless
    "who" hangs from something that cannot speak, when the nearest earlier noun that can is meant
    ("calls from listeners to his radio program who said ..." -> listeners).

    >>> from rashomon.text import nlp
    >>> doc = nlp.load()("He took calls from farmers to his radio program who said prices fell.")
    >>> antecedent(doc[9], doc[10]).text
    'farmers'
    """
    head = clause.head
    if relative.lower_ not in _PERSONAL_RELATIVES or (can_speak(head) and not is_document(head)):
        return head
    sent_start = head.sent.start
    for i in range(head.left_edge.i - 1, sent_start - 1, -1):
        t = head.doc[i]
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod", "poss") and can_speak(t) \
                and not is_document(t):
            return t
    return head


def noun_phrase(head: Token, outside: Callable[[int], bool] = lambda i: True) -> Span:
    """The head noun with what stands before it in its phrase: determiner, adjectives (with their own
    modifiers: "the 34-year-old mother"), compounds ("the New York banker"), a possessor ("Lee's aide");
    a quantifier keeps its complement ("a number of lawmakers"). ``outside(i)`` is False for tokens
    that must not be taken in (inside quotation marks).
    """
    doc = head.doc
    lo = head.i
    for t in sorted(head.lefts, key=lambda t: -t.i):
        if t.dep_ not in _NP_LEFT or t.right_edge.i != lo - 1:
            break
        first = t.left_edge.i
        if head.i - first > _MAX_NP or not all(outside(i) and not doc[i].is_space for i in range(first, lo)):
            break
        lo = first
    hi = head.i + 1
    if _class(head) == "quantifier" or (_class(head) is None and head.ent_type_ == "CARDINAL"):
        obj = of_object(head)
        if obj is not None and obj.right_edge.i - head.i <= _MAX_NP and all(
                outside(i) and not doc[i].is_space for i in range(hi, obj.right_edge.i + 1)):
            hi = obj.right_edge.i + 1
    return doc[lo:hi]


def lower_det(text: str) -> str:
    """A description as it reads mid-sentence: "The statement" -> "the statement"."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("The", "A", "An", "This", "That") else text


# -- whom a pronoun or a description stands for

PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
# sentences back (besides its own) a definite description looks for the person it re-describes
_DESCRIPTION_WINDOW = 2
_DEFINITE = ("the", "this", "that")


class Said(Protocol):
    """An earlier quote as attributed so far: its cue and the person it went to."""

    person: Person | None
    cue: Token | None


class Referents:
    """The persons of one article's parse, and who its pronouns and descriptions stand for.

    ``quoted`` marks tokens inside quotation marks (-1 outside), ``done`` the quotes attributed so far;
    both are filled by the caller (names inside quotes are not candidates; earlier speakers are).
    """

    def __init__(self, doc: Doc, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.quoted = [-1] * len(doc)  # token -> index of the quote whose marks enclose it
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.people = People(mentions)
        self.sent_starts = [s.start_char for s in doc.sents]
        self.done: Sequence[Said] = []

    def tok(self, char: int) -> int:
        """Index of the token containing or following ``char``."""
        i = bisect.bisect_right(self.starts, char) - 1
        return max(i, 0) if i < len(self.starts) and (i < 0 or self.starts[i] + len(self.doc[i]) > char) else i + 1

    def tok_end(self, char: int) -> int:
        """Index just past the last token starting before ``char``."""
        return bisect.bisect_left(self.starts, char)

    def sentence_of(self, char: int) -> int:
        return max(bisect.bisect_right(self.sent_starts, char) - 1, 0)

    def mention_at(self, char: int) -> Mention | None:
        i = bisect.bisect_right(self.mention_starts, char) - 1
        if i >= 0 and self.mentions[i].start <= char < self.mentions[i].end:
            return self.mentions[i]
        return None

    def candidates(self, before: int) -> list[tuple[int, Person, bool]]:
        """Persons named before ``before`` outside quotes, and earlier quotes' speakers: (offset, person, subject)."""
        out = []
        for m in self.mentions:
            if m.start >= before:
                break
            if m.label != "PERSON" or self.quoted[self.tok(m.start)] != -1:
                continue
            person = self.people.at(m.start)
            if person is not None:
                tok = self.doc[self.tok(m.start)]
                root = tok
                while root.dep_ == "compound" and root.head.i > root.i:
                    root = root.head
                while root.dep_ == "conj" and root.head.i < root.i:  # "Lee and Kovac said": both speak
                    root = root.head
                out.append((m.start, person, root.dep_ in SUBJ))
        for it in self.done:
            if it.person is not None and it.cue is not None and it.cue.idx < before:
                out.append((it.cue.idx, it.person, True))
        out.sort(key=lambda x: x[0])
        return out

    def resolve_pronoun(self, at: int, gender: str) -> Person | None:
        cands = self.candidates(at)
        if not cands:
            return None
        here = self.sentence_of(at)
        # first the near past with every gender cue, then further back trusting only strong ones: a title or
        # a role, and beyond the near past a given name of one gender alone too ("she" three sentences after
        # "John Kasich" is not his). In the near past a given name's gender may be overruled: the dictionary
        # takes "Tomoo" (Kikuchi, "he added") for a woman's name.
        for window, strict in ((1, True), (6, False)):
            for sent in range(here, max(here - window, 0) - 1, -1):
                in_sent = [c for c in cands if self.sentence_of(c[0]) == sent]
                in_sent.sort(key=lambda c: (c[2], c[0]), reverse=True)
                for _, person, _subj in in_sent:
                    known = person.gender or (person.given_gender if strict
                                              else person.given_sure if sent < here - 1 else None)
                    if known in (None, gender):
                        return person
        return None

    def resolve_description(self, head: Token, phrase: Span) -> Person | None:
        """"The professor said": the person the article gave that role; "the Danish leader said": the
        nearest person of that state; else, as a writer re-describes the person just written about
        ("Kovac cited the figures. "...," the Danish banker said"), the one person who fits and is
        the subject of the nearest sentence that names someone who fits. Never a pick between two."""
        at = phrase.start_char
        noun = names.fold(head.text)
        owners = set()  # "Lee's aide" is not Lee
        for t in head.lefts:
            m = self.mention_at(t.idx) if t.dep_ == "poss" else None
            owner = self.people.at(m.start) if m is not None else None
            if owner is not None:
                owners.add(id(owner))
        cands = [c for c in self.candidates(at) if id(c[1]) not in owners]
        # a noun compound names a particular role ("the band leader", "the campaign manager"): only
        # someone the article gave that role is meant, never simply the person written about last
        role = [names.fold(t.text) for t in head.lefts if t.dep_ == "compound" and t.pos_ == "NOUN"] + [noun]
        for _, person, _subj in reversed(cands):
            roles = [names.role_words(r) for r in person.descriptions + person.titles]
            if any(all(w in r for w in role) for r in roles):
                return person
        if len(role) > 1 or phrase[0].lower_ not in _DEFINITE or any(t.dep_ == "poss" for t in head.lefts):
            return None  # "Lee's aide", "the band leader": a new person unless the article gave the role
        gender = names.role_gender(head.text)

        def fits(p: Person) -> bool:
            return gender is None or (p.gender or p.given_gender) in (None, gender)

        code = next((c for t in phrase if t.i != head.i and (c := geo.state_of(t.text))), None)
        if code:
            return next((p for _, p, _s in reversed(cands) if p.country == code and fits(p)), None)
        here = self.sentence_of(at)
        said_by = {off: (p, g) for off, p, g in self._pronoun_subjects(at, here - _DESCRIPTION_WINDOW)
                   if id(p) not in owners}
        cands += [(off, p, True) for off, (p, _g) in said_by.items()]

        def known_fit(off: int, p: Person) -> bool:
            # without a role to go by, a gendered description needs the gender known: "the businessman"
            # is not someone the article never marks as a man
            return gender is None or (said_by[off][1] if off in said_by else p.gender or p.given_gender) == gender

        cues = {it.cue.idx for it in self.done if it.cue is not None and main_verb(it.cue)}
        for sent in range(here, max(here - _DESCRIPTION_WINDOW, 0) - 1, -1):
            fitting = [(off, p, subj) for off, p, subj in cands if self.sentence_of(off) == sent and known_fit(off, p)]
            if fitting:
                # an earlier sentence is about the subject of its main clause ("If Lee wins, Kovac leaves");
                # the description's own sentence about the subject of a clause before it ("As Lee spoke,
                # the senator ...")
                topic = {id(p): p for off, p, subj in fitting
                         if (subj if sent == here else off in cues or main_subject(self._name_head(off)))}
                return next(iter(topic.values())) if len(topic) == 1 else None
        return None

    def _name_head(self, start: int) -> Token:
        """The last word of the mention starting at ``start`` (a name's head), or the word there."""
        m = self.mention_at(start)
        return self.doc[self.tok_end(m.end) - 1] if m is not None else self.doc[self.tok(start)]

    def _pronoun_subjects(self, before: int, first_sentence: int) -> list[tuple[int, Person, str]]:
        """"She said ..." before a description: the persons the subject pronouns of the last sentences
        stand for, as (offset, person, the pronoun's gender)."""
        out = []
        start = self.sent_starts[max(first_sentence, 0)]
        for t in self.doc[self.tok(start):self.tok(before)]:
            gender = PRONOUNS.get(t.lower_)
            if gender and t.dep_ in SUBJ and self.quoted[t.i] == -1:
                person = self.resolve_pronoun(t.idx, gender)
                if person is not None:
                    out.append((t.idx, person, gender))
        return out


def definite(phrase: Span, head: Token) -> bool:
    """"the professor", "that aide", "Lee's former strategist": a description that points at someone
    the reader already knows ("a professor", "my father" do not)."""
    first = phrase[0]
    if first.lower_ in _DEFINITE:
        return True
    return first.pos_ == "PROPN" and any(t.dep_ == "poss" and t.pos_ == "PROPN" for t in head.lefts)
