"""The speaker side of a quote's parse (map stage, for :mod:`rashomon.who.quotes`): which subject of a speech verb speaks, its noun phrase, and
whether it is something that can speak at all.

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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import names

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

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
