"""Who an event's participant is (map stage, for :mod:`rashomon.what.events`): a state (ISO alpha-3) reached through its name, capital, demonym, leader
or institutions, or else a sector (GOV, MIL, REB, IGO, ...), read from the participant's noun phrase.

"Canadian Prime Minister Mark Carney", "Ottawa", "Canada's government" and (later in the same article)
"Carney" all code as ``CAN``; "rebels" alone as ``REB``; "the United Nations" as ``IGO``.

>>> from rashomon.text import nlp
>>> doc = nlp.load()("Peruvian Prime Minister Ana Varga met police chiefs. Later Varga thanked the United Nations.")
>>> coder = ActorCoder(doc)
>>> [coder.code(doc[i]).code for i in (4, 7, 10, 14)]
['PER', 'COP', 'PER', 'IGO']
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..model import Mention
from ..text import geo

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: dependencies that stay inside a noun phrase when looking for what it names
_NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "appos", "flat", "case", "quantmod",
                      "prep", "pobj", "npadvmod"})
_NP_PREPS = frozenset({"of", "from"})
_STATE_LABELS = frozenset({"GPE", "NORP", "LOC"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "who", "which",
                       "that", "its", "their", "his"})


# the same names come up in every sentence: look each up once per process
state_of = lru_cache(maxsize=8192)(geo.state_of)
country_of = lru_cache(maxsize=8192)(geo.country_of)
place_kind = lru_cache(maxsize=8192)(geo.place_kind)


@dataclass(frozen=True, slots=True)
class Actor:
    """A coded participant: ``code`` is what an Event carries (country if known, else sector)."""

    code: str | None
    country: str | None
    sector: str | None
    text: str  # the phrase as written
    start: int  # offset of the name (or the head word) in the article
    name: str | None = None  # a person's or organisation's name, for entity lookup
    kind: str = "group"  # state | person | org | group


@lru_cache(maxsize=1)
def _sectors() -> tuple[dict[str, str], dict[str, tuple[str, str | None]], frozenset[str]]:
    """(head word -> sector, organisation name -> (sector, country or None), words that need a name)
    from actor_sectors.tsv."""
    words: dict[str, str] = {}
    named: set[str] = set()
    orgs: dict[str, tuple[str, str | None]] = {}
    text = resources.files("rashomon").joinpath("data/actor_sectors.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        name, sector = cols[0], cols[1]
        country = cols[2] if len(cols) > 2 and cols[2] else None
        if name.islower():
            words[name] = sector  # "-": a collective, not a sector of its own
            if country == "named":
                named.add(name)
        else:
            orgs[name] = (sector, country)
    return words, orgs, frozenset(named)


def sector_of_word(word: str, named: bool = True) -> str | None:
    """The sector a head noun names ("police" -> COP), or None; some words only next to a proper name
    (``named``): "the Umma party" is a party, "an office party" is not."""
    words, _, need_name = _sectors()
    sector = words.get(word.lower())
    if sector == "-" or (word.lower() in need_name and not named):
        return None
    return sector


def is_collective(word: str) -> bool:
    """A noun whose "of" phrase names the members: "group", "thousands", "delegation"."""
    return word.lower() in _sectors()[0] and _sectors()[0][word.lower()] in ("-", "GOV")


def org_code(name: str) -> tuple[str, str | None] | None:
    """(sector, country) of a known organisation name, also at the end of a longer one
    ("the U.N. Security Council" -> ("IGO", None)), or None."""
    orgs = _sectors()[1]
    words = _strip_possessive(name.strip()).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    for i in range(len(words)):
        form = " ".join(words[i:])
        for f in (form, form.replace(".", "")):
            if f in orgs:
                return orgs[f]
    return None


def is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.lower_ in _PRONOUNS


class ActorCoder:
    """Codes noun phrases of one parsed article. People are tied to states by what the article says of
    them anywhere ("Canadian Prime Minister Mark Carney" lets a later "Carney" code as CAN); ``mentions``
    from the entity stage add the countries it found."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention] = ()) -> None:
        self.doc = doc
        # read once: Doc.ents builds every Span anew on each access, and events asks sentence by sentence
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self._ent: dict[int, Span] = {}
        for e in self.ents:
            for i in range(e.start, e.end):
                self._ent[i] = e
        self.people: dict[str, str] = {}
        # tokens the entity stage found to be people, whatever label the model gave them ("Carney" as NORP)
        self._person: dict[int, Mention] = {}
        for m in mentions:
            if m.label == "PERSON" and place_kind(m.text) not in ("country", "demonym"):
                if m.country:
                    self._remember(m.text, m.country)
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                for tok in span or ():
                    self._person[tok.i] = m
        for e in self.ents:
            if e.label_ == "PERSON":
                root = e.root.head if e.root.dep_ == "appos" else e.root
                country = self._np_country(root, skip=set(range(e.start, e.end)), people=False)
                if country is None and e.root.dep_ != "appos":
                    # "Takaichi, Japan's prime minister": the appositive describes the name
                    for child in e.root.children:
                        if child.dep_ == "appos":
                            country = self._np_country(child, skip=set(range(e.start, e.end)), people=False)
                            if country:
                                break
                if country:
                    self._remember(e.text, country)

    def ents_in(self, span: Span) -> list[Span]:
        """The entities inside ``span``, as ``span.ents`` gives them, without rebuilding the doc's."""
        out = []
        for k in range(bisect.bisect_left(self._ent_starts, span.start), len(self.ents)):
            if self.ents[k].end > span.end:
                break
            out.append(self.ents[k])
        return out

    def _remember(self, name: str, country: str) -> None:
        name = _strip_possessive(name)
        self.people.setdefault(name.lower(), country)
        last = name.split()[-1].lower() if name.split() else ""
        if last:
            self.people.setdefault(last, country)

    def person_country(self, name: str) -> str | None:
        """The state the article ties a person to, by full name or surname."""
        name = _strip_possessive(name).lower()
        return self.people.get(name) or (self.people.get(name.split()[-1]) if name.split() else None)

    def ent(self, token: Token) -> Span | None:
        return self._ent.get(token.i)

    def phrase(self, head: Token) -> Iterator[Token]:
        """Tokens of the noun phrase headed by ``head``, nearest first (breadth-first)."""
        queue = deque([(head, 0)])
        while queue:
            tok, depth = queue.popleft()
            yield tok
            if depth >= 4:
                continue
            for child in tok.children:
                if child.dep_ not in _NP_DEPS:
                    continue
                if child.dep_ == "prep" and child.lower_ not in _NP_PREPS:
                    continue
                queue.append((child, depth + 1))

    def _np_country(self, head: Token, skip: set[int] | None = None, people: bool = True) -> str | None:
        for tok in self.phrase(head):
            if skip and tok.i in skip:
                continue
            code = self._token_country(tok, people)
            if code:
                return code
        return None

    def is_person(self, tok: Token) -> bool:
        """A token of a person's name: by the entity stage, the model, or a name the article ties to a
        state ("Carney" tagged as a nationality by the model, known here as Canada's prime minister)."""
        if tok.i in self._person:
            return True
        e = self._ent.get(tok.i)
        if e is None or e.label_ == "PERSON":
            return e is not None and place_kind(e.text) not in ("country", "demonym")
        return state_of(e.text) is None and self.person_country(e.text) is not None

    def _token_country(self, tok: Token, people: bool = True) -> str | None:
        if tok.i in self._person or (self._ent.get(tok.i) is not None and self.is_person(tok)):
            if not people:
                return None
            m = self._person.get(tok.i)
            e = self._ent.get(tok.i)
            return (m.country if m else None) or self.person_country(m.text if m else e.text if e else tok.text)
        e = self._ent.get(tok.i)
        if e is not None:
            if e.label_ in _STATE_LABELS:
                # "Bosnian Serbs": the whole name may be unknown while its first word is a demonym
                return state_of(e.text) or (state_of(tok.text) if tok.text[:1].isupper() else None)
            if e.label_ == "PERSON":
                if place_kind(e.text) in ("country", "demonym"):  # "Sri Lanka" read as a person's name
                    return state_of(e.text)
                return self.person_country(e.text) if people else None
            known = org_code(e.text) if e.label_ == "ORG" else None
            if known:
                return known[1]
            # the small model often labels a country ORG ("Mozambique"), or a body by its nationality
            # ("British Defence"): the name, then the word, may still be a state's
            return state_of(e.text) or (state_of(tok.text) if tok.text[:1].isupper() else None)
        if tok.pos_ in ("PROPN", "ADJ", "NOUN") and tok.text[:1].isupper():
            if people and tok.pos_ == "PROPN":
                found = self.person_country(tok.text)
                if found:
                    return found
            return state_of(tok.text)
        return None

    def code(self, head: Token) -> Actor | None:
        """The actor a noun phrase names, or None when it names nothing codable (or is a pronoun)."""
        if is_pronoun(head):
            return None
        country = sector = name = None
        kind = "group"
        start = head.idx
        head_ent = self._ent.get(head.i)
        mention = self._person.get(head.i)
        if mention is not None:
            kind, start, name = "person", mention.start, _strip_possessive(mention.text)
        elif head_ent is not None:
            start = head_ent.start_char
            name = _strip_possessive(head_ent.text)
            if self.is_person(head):
                kind = "person"
            elif state_of(head_ent.text):
                kind = "state"
            elif head_ent.label_ == "ORG":
                kind = "org"
        org = None  # an organisation the phrase names: IGO, NGO, ... (an affiliation, like a country)
        for tok in self.phrase(head):
            e = self._ent.get(tok.i)
            if org is None and ((e is not None and e.label_ == "ORG") or tok.pos_ == "PROPN"):
                # a known body, tagged or not: "The Red Cross", "U.N. Secretary-General Kofi Annan"
                known = org_code(e.text if e is not None and e.label_ == "ORG" else tok.text)
                if known:
                    org, org_country = known
                    country = country or org_country
                    name = name or _strip_possessive(e.text if e is not None else tok.text)
            if country is None:
                country = self._token_country(tok)
            if sector is None and (e is None or e.label_ == "ORG") and _names_members(tok, head):
                named = any(c.pos_ == "PROPN" for c in tok.children) or tok.text[:1].isupper()
                sector = sector_of_word(tok.lemma_, named) or sector_of_word(tok.lower_, named)
            if country and (sector or org):
                break
        if org and org not in ("IGO", "NGO", "IMG"):
            sector = sector or org  # a known group's own sector ("Hamas": REB)
            org = None
        if kind == "person" and sector is None:
            sector = "GOV" if country else None
        code = country or org or sector
        if code is None and kind != "person":
            return None
        return Actor(code=code, country=country, sector=sector or org, text=_np_text(head), start=start, name=name,
                     kind=kind)


def _names_members(tok: Token, head: Token) -> bool:
    """Whether a word of the phrase says who the actor is: the head noun, a noun compounded to it
    ("army bulldozers"), the object of "of" ("a group of diplomats") or an appositive; not an adjective
    ("military aid" is no military)."""
    if tok.i == head.i:
        return True
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if tok.dep_ == "pobj":  # only "a group of diplomats", not "the feasibility of a force"
        return is_collective(tok.head.head.lemma_) or is_collective(tok.head.head.lower_)
    return tok.dep_ in ("compound", "appos")


def _strip_possessive(text: str) -> str:
    for tail in ("'s", "’s", "'", "’"):
        if text.endswith(tail):
            return text[: -len(tail)]
    return text


def _np_text(head: Token) -> str:
    """The phrase without relative clauses and trailing punctuation."""
    toks = [t for t in head.subtree if t.dep_ not in ("relcl", "acl") and not any(
        a.dep_ in ("relcl", "acl", "conj", "cc") and a.i != head.i for a in _ancestors_to(t, head))]
    toks = [t for t in toks if t.dep_ not in ("conj", "cc") or t.i == head.i]
    if not toks:
        return head.text
    text = head.doc[min(t.i for t in toks): max(t.i for t in toks) + 1].text
    return text.strip(" ,;:")


def _ancestors_to(tok: Token, head: Token) -> list[Token]:
    out = []
    t = tok
    while t.i != head.i and t.head.i != t.i:
        out.append(t)
        t = t.head
    return out
