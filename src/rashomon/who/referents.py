"""Who a pronoun or a description stands for, within one article (map stage, for quote speakers).

* "he said", "she added": the nearest earlier person who fits, the sentence's subject first, trusting
  a given name's gender only nearby ("she" never goes to a "Mr.");
* "the professor said", "the senator said": the person the article gave that role or title
  ("Sen." is "senator"); "the Danish leader": the nearest person of that state;
* "the 34-year-old mother replied", "the New York banker said": a writer re-describing the person
  just written about. Only the subject of the nearest sentence that names someone who fits, and only
  when one person fits: two candidates, a gender the article never states ("the businessman" for a
  bare surname), a noun compound naming a particular role ("the band leader") or a possessor
  ("Lee's aide") leave the description as written.

>>> from rashomon.text import nlp
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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..model import Mention
from ..text import geo
from . import names, speakers
from .mentions import People, Person

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
                out.append((m.start, person, root.dep_ in speakers.SUBJ))
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
        # first the near past with every gender cue, then further back trusting only strong ones
        for window, strict in ((1, True), (6, False)):
            for sent in range(here, max(here - window, 0) - 1, -1):
                in_sent = [c for c in cands if self.sentence_of(c[0]) == sent]
                in_sent.sort(key=lambda c: (c[2], c[0]), reverse=True)
                for _, person, _subj in in_sent:
                    known = person.gender or (person.given_gender if strict else None)
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

        cues = {it.cue.idx for it in self.done if it.cue is not None and speakers.main_verb(it.cue)}
        for sent in range(here, max(here - _DESCRIPTION_WINDOW, 0) - 1, -1):
            fitting = [(off, p, subj) for off, p, subj in cands if self.sentence_of(off) == sent and known_fit(off, p)]
            if fitting:
                # an earlier sentence is about the subject of its main clause ("If Lee wins, Kovac leaves");
                # the description's own sentence about the subject of a clause before it ("As Lee spoke,
                # the senator ...")
                topic = {id(p): p for off, p, subj in fitting
                         if (subj if sent == here else off in cues or speakers.main_subject(self._name_head(off)))}
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
            if gender and t.dep_ in speakers.SUBJ and self.quoted[t.i] == -1:
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
