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


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, bool]]:
    """Place name -> (state, whether the name stands for the state), from the Countries actor file's state
    entries (data/plover_places.tsv): the regions and towns a gazetteer of large cities lacks ("Samarra",
    "Darfur"), and the spellings of states' names and demonyms it lacks ("Ecuadorian")."""
    table: dict[str, tuple[str, bool]] = {}
    text = resources.files("rashomon").joinpath("data/plover_places.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            table[cols[0]] = (cols[1], cols[2:3] == ["state"])
    return table


def _place_key(name: str) -> str:
    key = " ".join(_strip_possessive(name.strip()).lower().replace("’", "'").replace(".", " ").split())
    key = key[4:] if key.startswith("the ") else key
    if key not in _places() and key.endswith("s") and _places().get(key[:-1], ("", False))[1]:
        return key[:-1]  # "Ecuadorians": the plural of a state's demonym
    return key


_DEMONYM_ENDS = ("an", "ans", "ese", "i", "is", "ish", "ch")


@lru_cache(maxsize=8192)
def country_of(name: str) -> str | None:
    """The state a place lies in: the gazetteer's (rashomon.text.geo), else the Countries dictionary's."""
    found = _places().get(_place_key(name))
    return geo.country_of(name) or (found[0] if found else None)


@lru_cache(maxsize=8192)
def state_of(name: str) -> str | None:
    """The state a name stands for (its name, demonym, capital or seat): the gazetteer's, else a variant of
    a state's name the Countries dictionary lists ("Ecuadorian")."""
    found = _places().get(_place_key(name))
    return geo.state_of(name) or (found[0] if found and found[1] else None)


@lru_cache(maxsize=8192)
def place_kind(name: str) -> str | None:
    """The gazetteer's kind of place (country, demonym, capital, seat, city); for a name only the Countries
    dictionary knows, "demonym" or "country" for a variant of a state's name, else "region"."""
    kind = geo.place_kind(name)
    if kind is not None:
        return kind
    key = _place_key(name)
    found = _places().get(key)
    if found is None:
        return None
    if not found[1]:
        return "region"
    return "demonym" if key.endswith(_DEMONYM_ENDS) else "country"


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


#: Words whose "of" phrase names the members ("a group of diplomats", "thousands of refugees"): phrase
#: structure, not a sector of their own.
_COLLECTIVE = frozenset({"group", "groups", "number", "team", "band", "members", "member", "thousands", "hundreds",
                         "dozens", "tens", "millions", "some", "most", "many", "contingent", "unit", "delegation",
                         "patch", "body", "bodies"})

#: Non-state actor codes (PLOVER's IGO, NGO, IMG and CAMEO's MNC, unidentified ...) and sector codes: a
#: dictionary code that starts with one of these names no state.
NONSTATE = frozenset({"IGO", "NGO", "IMG", "MNC", "UIS", "NGM"})
SECTORS = frozenset({"GOV", "MIL", "REB", "OPP", "COP", "JUD", "BUS", "MED", "EDU", "LAB", "AGR", "REL", "CVL", "HLH",
                     "ELI", "SPY", "UAF", "REF", "HRI", "ENV", "DEV", "LEG", "PTY", "CRM", "PPL", "RAD", "MOD",
                     "SEP", "MOS"})


@lru_cache(maxsize=1)
def _agents() -> tuple[dict[str, str], int]:
    """Agent phrase -> sector (data/plover_agents.tsv, from PETRARCH2's Phoenix agents), and the longest
    phrase's length in words."""
    table: dict[str, str] = {}
    text = resources.files("rashomon").joinpath("data/plover_agents.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            phrase, sector = line.split("\t")[:2]
            table[phrase] = sector
    return table, max((p.count(" ") + 1 for p in table), default=1)


@dataclass(frozen=True, slots=True)
class Role:
    """One coded role of a named actor, valid from ``start`` to ``end`` (YYYYMMDD, "" = open)."""

    country: str | None
    sector: str | None  # GOV, REB, ... or the affiliation IGO/NGO/IMG
    start: str = ""
    end: str = ""

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)

    def holds_on(self, day: str) -> bool:
        return (not self.start or self.start <= day) and (not self.end or day <= self.end)


def _role(text: str) -> Role:
    code, _, span = text.partition("@")
    start, _, end = span.partition("~")
    head = code[:3]
    if head in NONSTATE:
        return Role(None, head, start, end)
    if head in SECTORS:
        return Role(None, head, start, end)
    sector = code[3:6] or None
    if sector is not None and sector not in SECTORS:
        sector = None
    return Role(head, sector, start, end)


@lru_cache(maxsize=1)
def _named() -> dict[str, str]:
    """Name (lower case) -> its roles as written, from data/plover_actors.tsv (PETRARCH2's Phoenix actor
    dictionaries); the roles are parsed only for the names a text asks about."""
    return _actor_tables()[0]


@lru_cache(maxsize=1)
def _actor_tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(:func:`_named`, :func:`_surnames`), built once per machine and kept (:mod:`rashomon.text.tables`):
    parsing the 19,000 lines of the dictionary and indexing its surnames took a tenth of a second of every
    worker's start."""
    from ..text.tables import cached

    source = resources.files("rashomon").joinpath("data/plover_actors.tsv")
    return cached("plover-actors", _build_actor_tables, sources=[__file__, str(source)])


def _build_actor_tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    table: dict[str, str] = {}
    text = resources.files("rashomon").joinpath("data/plover_actors.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        names, _, roles = line.partition("\t")
        for n in names.split("|"):
            table.setdefault(n, roles)
    found: dict[str, set[str]] = {}
    for key, raw in table.items():
        words = key.split()
        if len(words) > 1 and "@" in raw and words[-1].isalpha() and len(words[-1]) > 2:
            found.setdefault(words[-1], set()).add(raw)
    return table, {k: tuple(sorted(v)) for k, v in found.items()}


@lru_cache(maxsize=4096)
def _roles(key: str) -> tuple[Role, ...]:
    raw = _named().get(key)
    return tuple(_role(r) for r in raw.split()) if raw else ()


def _day(date: str | None) -> str | None:
    return date[:10].replace("-", "") if date and len(date) >= 10 else None


def dictionary_role(name: str, date: str | None = None) -> Role | None:
    """What the actor dictionaries say a name is on ``date`` (the article's day): the role whose dates
    include that day; outside every dated role, the person's state alone (no sector); an actor with no
    dated role (an organisation, an armed group) keeps its code. None for a name the dictionaries lack.

    >>> dictionary_role("Hamas")
    Role(country='PSE', sector='REB', start='', end='')
    """
    key = " ".join(_strip_possessive(name.strip()).lower().replace("’", "'").split())
    if key.startswith("the "):
        key = key[4:]
    roles = _roles(key) or _roles(key.replace(".", ""))
    if not roles and "-" in key:  # "al-Thani": the dictionaries write AL_THANI
        roles = _roles(key.replace("-", " "))
    if not roles:
        return None
    dated = [r for r in roles if r.dated]
    if not dated:
        return roles[0]
    day = _day(date)
    if day is not None:
        for r in dated:
            if r.holds_on(day):
                return r
    home = next((r.country for r in roles if r.country), None)
    return Role(home, None) if home else None


def _surnames() -> dict[str, tuple[str, ...]]:
    """Surname -> the roles (as written) of the people with dated roles whose names end in it."""
    return _actor_tables()[1]


@lru_cache(maxsize=4096)
def surname_role(surname: str, date: str | None, states: frozenset[str] = frozenset()) -> Role | None:
    """The role on ``date`` of the person the dictionaries know by this surname who held a dated role that
    day ("Koizumi" in 2003: Japan's government). Where several did: the one in government, else the one of
    a state in ``states`` (those the article names); the state alone when all are of one state; None when
    that leaves more than one, and with no date.

    >>> surname_role("Yeltsin", "1995-05-01")
    Role(country='RUS', sector='GOV', start='19910710', end='19991231')
    """
    day = _day(date)
    if day is None:
        return None
    holders = []
    for raw in _surnames().get(surname.lower(), ()):
        held = [r for r in (_role(x) for x in raw.split()) if r.dated and r.holds_on(day)]
        if held:
            holders.append(held[0])
    for narrow in (lambda r: r.sector == "GOV", lambda r: r.country in states):
        if len(holders) > 1 and any(narrow(r) for r in holders):
            holders = [r for r in holders if narrow(r)]
    if len(holders) == 1:
        return holders[0]
    countries = {r.country for r in holders}
    if len(countries) == 1 and None not in countries:
        return Role(holders[0].country, None)
    return None


def sector_of_word(word: str, named: bool = True) -> str | None:
    """The sector a head noun names ("police" -> COP), or None. (``named`` is kept for callers: the
    dictionary's agents need no proper name beside them.)"""
    return _agents()[0].get(word.lower())


def sector_of_phrase(words: Sequence[str]) -> str | None:
    """The sector of the longest agent phrase that ends the given words ("riot police", "foreign
    minister", "minister"), or None."""
    table, longest = _agents()
    for k in range(min(len(words), longest), 0, -1):
        sector = table.get(" ".join(w.lower() for w in words[-k:]))
        if sector:
            return sector
    return None


def is_collective(word: str) -> bool:
    """A noun whose "of" phrase names the members: "group", "thousands", "delegation"."""
    return word.lower() in _COLLECTIVE


def org_code(name: str, date: str | None = None) -> tuple[str | None, str | None] | None:
    """(sector or affiliation, country) of a known organisation or office, also at the end of a longer name
    ("the U.N. Security Council" -> ("IGO", None)), from the actor dictionaries; None if unknown."""
    words = _strip_possessive(name.strip()).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    for i in range(len(words)):
        role = dictionary_role(" ".join(words[i:]), date)
        if role is not None and (role.sector or role.country):
            return role.sector, role.country
    return None


_INITIAL_SKIP = frozenset({"of", "for", "the", "and", "on", "in", "to", "de", "du", "des", "la", "le", "&"})


@lru_cache(maxsize=1)
def _acronyms() -> dict[str, str]:
    """Initials -> the one body of the actor dictionaries with them ("ilo" -> "international labor
    organization"); people (dated roles) are left out, and so are initials bodies of other codes share."""
    found: dict[str, str] = {}
    codes: dict[str, set[str]] = {}
    for name, roles in _named().items():
        words = [w for w in name.split() if w not in _INITIAL_SKIP]
        if "@" in roles:
            continue  # a person (roles with dates), whose initials name no one
        if len(words) < 3 or not all(w.replace("-", "").isalpha() for w in words):
            continue
        initials = "".join(w[0] for w in words)
        found.setdefault(initials, name)
        codes.setdefault(initials, set()).add(roles)
    return {k: v for k, v in found.items() if len(codes[k]) == 1}


@lru_cache(maxsize=1)
def _international_openings() -> dict[str, str]:
    """First word -> IGO or NGO, for the first words that open three or more bodies of the actor dictionaries
    and only international ones ("european": the European Commission, Parliament, Free Trade Association, the
    European Students Forum ...), the affiliation most of them have; a word that also opens a state's body
    ("islamic", "united", "american") is left out."""
    kinds: dict[str, dict[str, int]] = {}
    for name, roles in _named().items():
        words = name.split()
        if "@" in roles or len(words) < 2:
            continue  # a person (roles with dates), or a one-word name with no opening word
        heads = {r[:3] for r in roles.split()}
        kind = next(iter(heads)) if len(heads) == 1 and heads <= {"IGO", "NGO"} else "other"
        counts = kinds.setdefault(words[0], {})
        counts[kind] = counts.get(kind, 0) + 1
    return {w: max(("IGO", "NGO"), key=lambda k: (c.get(k, 0), k == "IGO"))
            for w, c in kinds.items() if "other" not in c and sum(c.values()) >= 3}


def international_body(name: str) -> str | None:
    """IGO or NGO for a body the dictionaries lack whose name opens as only international bodies' names do
    ("the European Community": IGO or NGO, never one state's), else None.

    >>> international_body("the European Community") in ("IGO", "NGO")
    True
    """
    words = _strip_possessive(name.strip()).lower().split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) < 2 or state_of(words[0]) or country_of(words[0]):
        return None  # "China ...", "Norwegian ...": a state's name or demonym says whose the body is
    return _international_openings().get(words[0])


def town_of_named_state(e: Span, code: str) -> str | None:
    """The other state a town's name may lie in, when the sentence names that state and not ``code``
    ("in Tripoli ... the north Lebanese port": Lebanon's Tripoli, not Libya's)."""
    states = geo.states_with_city(e.text)
    if code not in states:
        return None
    named = {state_of(t.text) for t in e.sent if not e.start <= t.i < e.end and t.text[:1].isupper()} - {None}
    if code in named:
        return None
    pick = (states - {code}) & named
    return next(iter(pick)) if len(pick) == 1 else None


def is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" or token.lower_ in _PRONOUNS


def _new(tok: Token) -> bool:
    return tok.text == "New"


def word_state(tok: Token) -> str | None:
    """The state one capitalised word of a longer name names ("Bosnian" of "Bosnian Serbs"), unless the word
    follows "New": "New Mexico", "New Jersey", "New Guinea" are other places than the state named."""
    if not tok.text[:1].isupper() or (tok.i > 0 and _new(tok.doc[tok.i - 1])):
        return None
    return state_of(tok.text)


class ActorCoder:
    """Codes noun phrases of one parsed article. People are tied to states by what the article says of
    them anywhere ("Canadian Prime Minister Mark Carney" lets a later "Carney" code as CAN); ``mentions``
    from the entity stage add the countries it found."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention] = (), date: str | None = None) -> None:
        self.doc = doc
        self.date = date  # the article's day: a dictionary role counts only on a day inside its dates
        # read once: Doc.ents builds every Span anew on each access, and events asks sentence by sentence
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self._ent: dict[int, Span] = {}
        for e in self.ents:
            for i in range(e.start, e.end):
                self._ent[i] = e
        # the states the article names, to tell apart people of one surname ("Bush" in 2003)
        self.states = frozenset(c for c in (state_of(e.text) for e in self.ents
                                            if e.label_ in ("GPE", "NORP")) if c)
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

    def country(self, tok: Token) -> str | None:
        """The state a token names or is tied to (a state, demonym, a person or body the article places)."""
        return self._token_country(tok)

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
                # "New Mexico", "New Jersey", "New Guinea" are other places than the state named, whether or
                # not the model's span holds the "New" ("New Zealand" is known whole)
                if e.start > 0 and _new(tok.doc[e.start - 1]):
                    return None
                code = state_of(e.text)
                if code is not None:
                    return town_of_named_state(e, code) or code
                # "Bosnian Serbs": the whole name may be unknown while its first word is a demonym
                return word_state(tok)
            if e.label_ == "PERSON":
                if place_kind(e.text) in ("country", "demonym"):  # "Sri Lanka" read as a person's name
                    return state_of(e.text)
                return self.person_country(e.text) if people else None
            role = dictionary_role(e.text, self.date) if e.label_ == "ORG" else None
            if role is not None and (role.country or role.sector in NONSTATE):
                return role.country
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

    def _known(self, text: str, org: bool) -> Role | None:
        """The dictionary's role for a name on the article's day (for an organisation also at the end of a
        longer name: "the U.N. Security Council")."""
        if not org:
            return dictionary_role(text, self.date)
        found = org_code(text, self.date)
        return Role(found[1], found[0]) if found else None

    def _initials(self, head: Token) -> Role | None:
        """A body named by initials the dictionaries lack ("The International Labor Office (ILO)"): the one
        dictionary name with those initials, if the phrase spells no other name out (a name it spells out
        shares a word with it)."""
        phrase = self.phrase(head)
        for tok in phrase:
            if not (tok.text.isupper() and tok.text.isalpha() and 3 <= len(tok.text) <= 6):
                continue
            full = _acronyms().get(tok.lower_)
            if full is None:
                continue
            spelled = {t.lower_ for t in phrase if t.i != tok.i and t.pos_ == "PROPN"}
            if spelled and spelled.isdisjoint(full.split()):
                continue  # "a Memorandum of Understanding (MOU)": the text says what its initials stand for
            role = dictionary_role(full, self.date)
            if role is not None and (role.sector or role.country):
                return role
        return None

    def _agent(self, tok: Token) -> str | None:
        """The sector an agent word (with its modifiers) names: "police" -> COP, "riot police" -> COP."""
        words = _agent_words(tok)
        found = sector_of_phrase(words)
        if found is None and tok.lemma_.lower() != tok.lower_:
            found = sector_of_phrase(words[:-1] + [tok.lemma_.lower()])
        return found

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
        # what the text states: a state word, an organisation it names, an agent word ...
        country = text_sector = None
        org_role: Role | None = None  # a named body the dictionaries know ("Hamas", "the U.N.")
        person_role: Role | None = None  # a named person the dictionaries know, on the article's day
        looked: set[int] = set()
        for tok in self.phrase(head):
            e = self._ent.get(tok.i)
            span = e if e is not None and e.label_ in ("ORG", "PERSON") else None
            if tok.i > 0 and _new(tok.doc[tok.i - 1]):
                continue  # "New Jersey Gov. Chris Christie": not Jersey's, nor Mexico's in "New Mexico"
            if (span is not None or tok.pos_ == "PROPN") and (span is None or span.start not in looked):
                if span is not None:
                    looked.add(span.start)
                label = span.label_ if span is not None else "ORG"
                if label == "PERSON" or self.is_person(tok):
                    if person_role is None:
                        person_role = self._person_role(tok, span)
                elif org_role is None:
                    org_role = self._known(span.text if span is not None else tok.text, org=True)
                    if org_role is not None:
                        name = name or _strip_possessive(span.text if span is not None else tok.text)
            if country is None:
                country = self._token_country(tok)
            if text_sector is None and (e is None or e.label_ == "ORG") and _names_members(tok, head):
                text_sector = self._agent(tok)
        if org_role is None and person_role is None:
            org_role = self._initials(head)
        if org_role is None and person_role is None and country is None:
            # a body the dictionaries lack whose name opens as only international bodies' do ("the European
            # Community", "its European Community partners")
            body = next((e for t in self.phrase(head) if (e := self._ent.get(t.i)) is not None
                         and e.label_ == "ORG"), None)
            found = international_body(body.text) if body is not None else None
            if found:
                org_role, name = Role(None, found), name or _strip_possessive(body.text)  # type: ignore[union-attr]
        if org_role is None and person_role is not None and person_role.sector in NONSTATE and not person_role.dated:
            # a name the tagger took for a person's that the dictionaries know as a body ("Red Cross")
            org_role, person_role, kind = person_role, None, "org"
        # ... then what the dictionaries say of the names: a body's own code, a person's role on the day
        org = org_role.sector if org_role is not None and org_role.sector in NONSTATE else None
        if country is None and org_role is not None:
            country = org_role.country
        if country is None and person_role is not None and org is None:
            country = person_role.country  # an affiliation the text states ("U.N. mediator X") wins
        sector = text_sector
        for role in (org_role, person_role):
            if sector is None and role is not None and role.sector not in NONSTATE:
                sector = role.sector
        code = country or org or sector
        if code is None and kind != "person":
            return None
        return Actor(code=code, country=country, sector=sector or org, text=_np_text(head), start=start, name=name,
                     kind=kind)

    def _person_role(self, tok: Token, span: Span | None) -> Role | None:
        """The dictionary role of the person a token names, tried with the noun phrase's title words too
        ("President Bush") and as the entity stage's mention."""
        names = []
        title = [c.text for c in tok.head.lefts if c.dep_ == "compound"] if tok.dep_ == "compound" else \
            [c.text for c in tok.lefts if c.dep_ == "compound"]
        text = span.text if span is not None else tok.text
        m = self._person.get(tok.i)
        if m is not None:
            names.append(m.text)
        names.append(text)
        if title:
            names.append(" ".join(title + [text] if span is None or tok.i == span.root.i else title))
        for n in names:
            role = dictionary_role(n, self.date)
            if role is not None:
                return role
        words = _strip_possessive(text).split()
        return surname_role(words[-1], self.date, self.states) if words else None


def _agent_words(tok: Token) -> list[str]:
    """The words of an agent phrase ending in ``tok``: its compounds and adjectives, then the word itself
    ("riot police", "foreign minister")."""
    mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ", "PROPN")]
    return [c.lower_ for c in mods] + [tok.lower_]


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
