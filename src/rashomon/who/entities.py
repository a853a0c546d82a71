"""The corpus stage of entity resolution: one canonical entity per real-world referent.

Persons: each article's full names are clustered by their set of name words, so "Sanae Takaichi" and
"Takaichi Sanae" are one person; the family name is the word the corpus uses alone ("Takaichi"), and the
canonical name puts the given names first. Surname-only and titled mentions join the full name their
own article gives; where the article gives none, they join the only person in the corpus with that family
name, and stay apart when two people share it. Mentions the model labelled as places or organisations
join a person when their words are that person's name and no geo table knows them as a state.

Places: every form of a country (US, U.S., the United States) is one GPE named after the state; capitals,
demonyms and cities stay their own entities with the state's ISO code in ``country``. Organisations, places,
groups and vessels are keyed and merged by :mod:`rashomon.who.non_persons`.

>>> from rashomon.model import Article, Mention, Notes
>>> arts = [Article(id="a", input="-", text=""), Article(id="b", input="-", text="")]
>>> notes = {"a": Notes("a", mentions=(Mention("Anna Kovac", "PERSON", 0, 10, 0),)),
...          "b": Notes("b", mentions=(Mention("Kovac Anna", "PERSON", 0, 10, 0), Mention("Kovac", "ORG", 30, 35, 1)))}
>>> ents, index = resolve(arts, notes)
>>> [(e.name, e.type, e.aliases) for e in ents]
[('Anna Kovac', 'PERSON', ('Anna Kovac', 'Kovac Anna', 'Kovac'))]
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Article, Entity, Mention, Notes
from ..text import geo
from . import names
from .entity_context import in_context, vote
from .mentions import People, Person
from .non_persons import (
    DOMINANT,
    Cluster,
    absorb,
    add,
    drop_common_acronyms,
    known_label,
    merge_acronyms,
    merge_groups,
    merge_place_heads,
    other_name,
    place_key,
    ship_words,
    short_forms,
)

_STATE_KINDS = frozenset({"country", "capital", "seat", "demonym"})
_NAMEABLE = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT"})


@dataclass(frozen=True)
class EntityIndex:
    """Where each mention went: (article_id, mention start) -> entity id, and entity id -> Entity.

    ``by_alias`` maps a folded surface form to the ids of the entities that carry it, for speakers and
    actors the parser found where the model saw no entity.
    """

    by_mention: Mapping[tuple[str, int], str] = field(default_factory=dict)
    by_id: Mapping[str, Entity] = field(default_factory=dict)
    by_alias: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def entity_at(self, article_id: str, start: int) -> Entity | None:
        """The entity of the mention starting at ``start`` in an article, or None."""
        eid = self.by_mention.get((article_id, start))
        return self.by_id.get(eid) if eid else None

    def lookup(self, name: str, article_id: str | None = None) -> Entity | None:
        """The entity a name refers to: one seen in ``article_id`` first, else the only one with that alias."""
        ids = self.by_alias.get(names.fold(names.strip_possessive(name)), ())
        if article_id is not None:
            local = [i for i in ids if article_id in self.by_id[i].article_ids]
            if len(local) == 1:
                return self.by_id[local[0]]
        return self.by_id[ids[0]] if len(ids) == 1 else None



def resolve(articles: Sequence[Article], notes: Mapping[str, Notes]) -> tuple[tuple[Entity, ...], EntityIndex]:
    """Canonical entities for the corpus and the index from mentions to them."""
    own = _not_persons({a.id: [m for m in notes[a.id].mentions if m.label != "PERSON" or names.is_name(m.text)]
                        for a in articles if a.id in notes})
    own = _named_after(own)
    own = in_context({a.id: a.text for a in articles if a.id in own}, own)
    if not any(own.values()):
        return (), EntityIndex()
    people = {aid: People(ms) for aid, ms in own.items()}
    several = {(aid, start) for aid, p in people.items() for start in p.several}  # no one: see People
    mentions = [(aid, m) for aid, ms in own.items() for m in ms if (aid, m.start) not in several]
    labelled = _labelled(mentions)
    clusters = _person_clusters(articles, people, mentions, labelled)
    person_of = {member: c for c in clusters for member in c.members}
    single, full = _person_words(clusters)
    others: dict[tuple[str, ...], Cluster] = {}
    shortened = short_forms(own)
    # what a mention's label and text say (its name words, its key) is worked out once per distinct pair:
    # the same names recur in article after article
    seen: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for aid, m in mentions:
        if (aid, m.start) in person_of:
            continue
        said = seen.get((m.label, m.text))
        if said is None:
            said = seen[(m.label, m.text)] = (_name_words(m), place_key(m))
        target = _as_person(aid, said[0], single, full)
        if target is not None and labelled[names.form(m.text)][1] <= target.labels["PERSON"]:
            add(target, aid, m)
            person_of[(aid, m.start)] = target
            continue
        key = shortened.get((aid, m.start), said[1])
        cluster = others.get(key)
        if cluster is None:
            cluster = others[key] = Cluster(key)
        add(cluster, aid, m)
    merge_acronyms(others, articles, own)
    merge_place_heads(others)
    merge_groups(others)
    drop_common_acronyms(others, articles)
    entities: list[tuple[Cluster, Entity]] = []
    for c in clusters:
        entities.append((c, _entity(c, "PERSON", _person_name(c))))
    for c in others.values():
        label = known_label(c) or ("LOC" if c.place_head else vote(c.labels))
        entities.append((c, _entity(c, label, other_name(c, label))))
    entities = _unique_ids(entities)
    entities.sort(key=lambda ce: (-len(ce[0].members), ce[1].type, ce[1].name))
    by_mention = {member: e.id for c, e in entities for member in c.members}
    by_alias: dict[str, list[str]] = defaultdict(list)
    for _c, e in entities:
        for alias in dict.fromkeys(names.fold(a) for a in e.aliases):
            by_alias[alias].append(e.id)
    texts = {a.id: a.text for a in articles}
    ents = tuple(dataclasses.replace(e, aliases=names.shown_forms(e.aliases, [texts[x] for x in e.article_ids if x in texts]))
                 if e.type == "PERSON" else e for _, e in entities)
    return ents, EntityIndex(by_mention=by_mention, by_id={e.id: e for e in ents},
                             by_alias={k: tuple(v) for k, v in by_alias.items()})


# -------------------------------------------------------------------------------------- persons

NAMED_AFTER = 5  # a family name this many times likelier a person's last word than the building word is


def _named_after(own: dict[str, Sequence[Mention]]) -> dict[str, Sequence[Mention]]:
    """Person mentions the corpus shows to name a building, an institution or a family after a person.

    * A building or an institution ("Trump Tower", labelled a person 15 times of 24 in a campaign corpus,
      where it made a person "Tower Trump") takes the label of its noun: a name whose last word is a
      building's head noun (``data/buildings.tsv``) and whose word before it ends persons' full names in at
      least ``NAMED_AFTER`` times as many of the corpus' person mentions as that noun does ("Senator John
      Tower" stays a person: no one else's name ends in "John"). The noun alone ("the Building") is then the
      building too, unless it ends a person's name that is left.
    * A family name in the plural ("the Clintons", "the Obamas", "the Bushes") names a family (NORP): a
      one-word mention whose word less its plural ending ends persons' full names while the word itself
      ends none. "Clintons" was a person of 26 articles. So does a people's ("Latinos", a person of 16
      articles): the word less its "s" is labelled a group, a place or an organisation elsewhere in the
      corpus ("Latino"), and the word is no given name ("Carlos").
    """
    nouns = names.classes("buildings.tsv")
    texts = Counter(m.text for ms in own.values() for m in ms if m.label == "PERSON")  # each text once
    last: Counter[str] = Counter()
    for t, n in texts.items():
        if len(words := names.form_words(t)) > 1:
            last[words[-1]] += n

    def building(t: str) -> str | None:
        words = names.form_words(t)
        if len(words) < 2 or words[-1] not in nouns or last[words[-2]] < max(1, NAMED_AFTER * last[words[-1]]):
            return None
        return nouns[words[-1]]

    label = {t: x for t in texts if (x := building(t))}
    named = {w[-1] for t in texts if t not in label and len(w := names.form_words(t)) > 1 and w[-1] in nouns}
    label |= {t: nouns[w[0]] for t in texts if len(w := names.form_words(t)) == 1 and w[0] in nouns and w[0] not in named}
    for t, n in texts.items():  # what is left of persons' names
        if t in label and len(words := names.form_words(t)) > 1:
            last[words[-1]] -= n

    # one-word names the model labels as something other than a person, somewhere in the corpus
    alone = {w[0] for ms in own.values() for m in ms if m.label != "PERSON" and len(w := names.form_words(m.text)) == 1}

    def family(word: str) -> bool:
        return word.endswith("s") and last[word] <= 0 and (
            last[word[:-1]] > 0 or (word.endswith("es") and last[word[:-2]] > 0)
            or (word[:-1] in alone and not _given(word)))

    label |= {t: "NORP" for t in texts if t not in label and len(w := names.form_words(t)) == 1 and family(w[0])}
    if not label:
        return own
    return {aid: [dataclasses.replace(m, label=label[m.text]) if m.label == "PERSON" and m.text in label else m
                  for m in ms] if any(m.label == "PERSON" and m.text in label for m in ms) else ms
            for aid, ms in own.items()}


def _not_persons(own: dict[str, Sequence[Mention]]) -> dict[str, Sequence[Mention]]:
    """Each article's mentions with what a name says of itself put before the model's person label, which a
    small model gives to many names that are no person's: a platform's (``data/platforms.tsv``: "Twitter",
    labelled a person 181 times of 183 in a campaign corpus, where no vote of the corpus' labels outvotes it)
    is an organisation; a ship's ("MV Gibe", "INS Mysore": ``data/vessels.tsv``) a vehicle (PRODUCT), and so
    is its name alone ("the Mysore", "Sukanya" labelled a place) anywhere in the corpus; a people in the plural ("Greeks") a group; a
    place's written in full ("Bandar Abbas") a place; and a title or a ship's prefix alone ("Sgt", "INS")
    names no one and is dropped. Each led or stood high among a corpus' persons.

    >>> ms = [Mention("Twitter", "PERSON", 0, 7, 0), Mention("Ilsa", "PERSON", 9, 13, 0), Mention("Sgt", "PERSON", 20, 23, 0),
    ...       Mention("HMS Kell", "PERSON", 30, 38, 0)]
    >>> [(m.text, m.label) for m in _not_persons({"a": ms, "b": [Mention("Kell", "PERSON", 0, 4, 0)]})["b"]]
    [('Kell', 'PRODUCT')]
    """
    said = {m.text: _own_label(m.text) for ms in own.values() for m in ms if m.label == "PERSON"}  # each text once
    # a word that follows a given name in a person's name is a surname, and left to the persons: "King" of
    # "Billy King" is no title alone, "Van Buren" of "Martin Van Buren" no town
    surnames = {names.form_words(t)[-1] for t, x in said.items() if x is None and _after_given(t)}
    label = {t: x for t, x in said.items() if x and not (x in ("-", "GPE") and names.form_words(t)[-1] in surnames)}
    ships = {w for t, x in label.items() if x == "PRODUCT" for w in names.form_words(t)[1:]} - surnames
    label |= {t: "PRODUCT" for t in said if t not in label and len(f := names.form_words(t)) == 1 and f[0] in ships}
    # a ship's name alone that the model called a place or an organisation ("INS Sukanya ... Sukanya"), unless
    # a place's name (a ship named after one: "USS Arizona" leaves Arizona a state)
    afloat = ship_words(own) - surnames
    if not label and not afloat:
        return own
    out: dict[str, Sequence[Mention]] = {}
    for aid, ms in own.items():
        if any(m.label == "PERSON" and m.text in label for m in ms):
            ms = [m if m.label != "PERSON" or m.text not in label else dataclasses.replace(m, label=label[m.text])
                  for m in ms if m.label != "PERSON" or label.get(m.text) != "-"]
        if afloat and any(m.label in _PLACE_LABELS and names.form(m.text) in afloat for m in ms):
            ms = [dataclasses.replace(m, label="PRODUCT") if m.label in _PLACE_LABELS and names.form(m.text) in afloat
                  else m for m in ms]
        out[aid] = ms
    return out


_PLACE_LABELS = frozenset({"GPE", "LOC", "ORG", "FAC"})



@lru_cache(maxsize=65536)
def _after_given(text: str) -> bool:
    """Whether a name's last word follows a given name ("Billy King", "Martin Van Buren")."""
    words = names.strip_possessive(text).split()
    return len(words) > 1 and any(names.is_given_name(w) for w in words[:-1])


@lru_cache(maxsize=65536)
def _own_label(text: str) -> str | None:
    """The label a person mention's own words give it (see :func:`_not_persons`); "-" for a title alone or
    a span holding a handle ("Twitter @IanHanchett" of "Follow Ian Hanchett on Twitter @IanHanchett");
    None for a person's name."""
    form = names.form(text)
    if form in names.lexicon("platforms.tsv"):
        return "ORG"
    words = names.strip_possessive(text).split()
    if not words:
        return None
    if any(w.startswith("@") for w in words):
        return "-"
    if names.fold(words[0]).strip(".") in names.lexicon("vessels.tsv") and words[0].isupper():
        return "PRODUCT" if len(words) > 1 else "-"
    title = names.title_after(words)
    if title is not None and title.size >= len(words):
        return "-"
    place = geo.lookup(" ".join(words))
    if place is not None and place.kind == "demonym" and form.endswith("s"):
        return "NORP"
    if place is not None and len(words) > 1 and place.kind != "demonym":
        return "GPE"
    return None


def _labelled(mentions: Iterable[tuple[str, Mention]]) -> defaultdict[str, list[int]]:
    """How often the model labelled each written name (folded, possessive cut) a person, and how often
    something else (a place, an organisation, a group, a law), over the corpus.

    The model's labels are right far more often than wrong, so a name's many labels outvote its few: a
    small model calls "Florida" or "Democratic" a person now and then in a corpus that names them hundreds
    of times as a state and a party. One mislabelled mention made a person, and every other mention of the
    state then joined that person (:func:`_as_person`): "Florida" became the corpus' tenth person."""
    out: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _aid, m in mentions:
        out[names.form(m.text)][0 if m.label == "PERSON" else 1] += 1
    return out


def _outvoted(name: str, labelled: Mapping[str, list[int]]) -> bool:
    """Whether the corpus labels this written name as something other than a person more often than as a
    person (see :func:`_labelled`)."""
    person, other = labelled.get(names.form(name), (0, 0))
    return other > person


def _person_clusters(articles: Sequence[Article], people: Mapping[str, People],
                     mentions: Sequence[tuple[str, Mention]], labelled: Mapping[str, list[int]]) -> list[Cluster]:
    """Cluster the articles' persons: full names by name words, then surname-only ones by family name. A
    person named only by a name the corpus mostly labels as something else (``labelled``, see
    :func:`_labelled`) is left out: its mentions go with the others of that name."""
    by_start = {(aid, m.start): m for aid, m in mentions}
    local = [(a.id, p) for a in articles if a.id in people for p in people[a.id].people]
    clusters: dict[frozenset[str], Cluster] = {}
    # the clusters' keys by each of their words, so a name's wider forms are looked up, not searched for
    # among all clusters (persons x clusters: quadratic in a corpus that keeps bringing new names)
    having: dict[str, list[frozenset[str]]] = defaultdict(list)
    marked = _marked(people)
    # the fullest names first, so "Barack Hussein Obama" can take "Barack Obama"
    for aid, p in sorted(local, key=lambda x: -len(x[1].words)):
        if len(p.words) < 2 or _outvoted(p.name, labelled):
            continue
        words = frozenset(p.words)
        key = words | marked.get(words, {}).get(p.marks, frozenset())
        target = clusters.get(key)
        if target is None and not p.marks[1]:  # a suffix ends a name: "John Paul II" is no John Paul Stevens
            rarest = min((having.get(w, []) for w in key), key=len)
            # a wider name by its words, not by its marks alone (Donald Trump is not Donald Trump Jr.)
            supers = [clusters[k] for k in rarest if key < k and any(w[0] != "~" for w in k - key)]
            target = supers[0] if len(supers) == 1 and not _holds_relative(supers[0], words, p.words[-1]) else None
        if target is None:
            target = clusters[key] = Cluster(("person", *sorted(key)), words=words)
            for w in key:
                having[w].append(key)
        _add_person(target, aid, p, by_start)
    _fold_overlong(clusters, having)
    for c in clusters.values():
        c.family = _family(c)
    _unmarked_to_dominant(clusters, marked)
    _merge_nicknames(clusters)
    _fold_padded(clusters, articles)
    by_family: dict[str | None, list[Cluster]] = defaultdict(list)
    by_given: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        by_family[c.family].append(c)
        by_given[_written_order(c)[0]].append(c)
    singles: dict[str, Cluster] = {}
    alone = Counter(p.words[0] for _, p in local if len(p.words) == 1)
    for aid, p in local:
        if len(p.words) >= 2 or _outvoted(p.name, labelled):
            continue
        word = p.words[0] if p.words else ""
        cands = by_family.get(word, [])
        if len(cands) > 1 and p.gender:
            cands = [c for c in cands if _gender(c) in (None, p.gender)]
        target = _one_of(cands)  # a surname alone ("Obama")
        if target is None and _given(word) and not p.titles:  # titled, a mononym ("Pope Francis")
            # a given name alone ("Hillary"): the person of that given name far ahead of everyone it may name
            # (those of that family name, the articles naming someone by it alone)
            named = _one_of(by_given.get(word, []))
            rivals = sum(len(c.articles) for c in by_family.get(word, ())) + alone[word]
            if named is not None and len(named.articles) >= DOMINANT * (len(named.articles) + rivals):
                target = named
        if target is not None:
            _add_person(target, aid, p, by_start)
            continue
        target = singles.get(word)
        if target is None:
            target = singles[word] = Cluster(("person", word), words=frozenset((word,)), family=word)
        _add_person(target, aid, p, by_start)
    return list(clusters.values()) + list(singles.values())


def _marked(people: Mapping[str, People]) -> dict[frozenset[str], dict[tuple[str, str], frozenset[str]]]:
    """The names the corpus shows to be two persons or more by their initials or suffix (:func:`names.marks`),
    with the key words that keep each apart: two different initials written ("George W. Bush", "George H.W.
    Bush", "George P. Bush"), two different suffixes ("Charles Elliott Jr.", "Charles Elliott III"), or one
    article naming a person with the suffix and one without ("Donald Trump Jr." beside "Donald Trump"). A
    name written with marks of one kind only keeps its one person ("Donald J. Trump" is "Donald Trump",
    "Martin Luther King Jr." "Martin Luther King")."""
    initials: dict[frozenset[str], set[str]] = defaultdict(set)
    suffixes: dict[frozenset[str], set[str]] = defaultdict(set)
    split: set[frozenset[str]] = set()
    bare: Counter[frozenset[str]] = Counter()  # articles naming the name without a suffix, and no one with
    for found in people.values():
        seen: dict[frozenset[str], str] = {}
        for p in found.people:
            if len(p.words) < 2:
                continue
            words = frozenset(p.words)
            initials[words].add(p.marks[0])
            suffixes[words].add(p.marks[1])
            if seen.setdefault(words, p.marks[1]) != p.marks[1]:
                split.add(words)
        bare.update(w for w, x in seen.items() if not x and w not in split)
    # an article's "Brent Bozell III" and "Brent Bozell" are one when no other article names Brent Bozell
    split = {words for words in split if bare[words]}
    out: dict[frozenset[str], dict[tuple[str, str], frozenset[str]]] = {}
    for words in initials.keys() | split:
        by_initials = len(initials[words] - {""}) > 1
        by_suffix = words in split or len(suffixes[words] - {""}) > 1
        if by_initials or by_suffix:
            out[words] = {(i, x): frozenset(([f"~i{i}"] if by_initials and i else []) + ([f"~s{x}"] if by_suffix and x else []))
                          for i in initials[words] for x in suffixes[words]}
    return out


def _unmarked_to_dominant(clusters: dict[frozenset[str], Cluster],
                          marked: Mapping[frozenset[str], Mapping[tuple[str, str], frozenset[str]]]) -> None:
    """A name written without the initials that tell its persons apart ("George Bush" beside George W. and
    George H.W. Bush) is the one the corpus names in full far more often (:func:`_dominant`), else a person
    of its own. Without its suffix a name is the person named so ("Donald Trump")."""
    for words, by_marks in marked.items():
        keys = {words | extra for extra in by_marks.values()} - {words}
        cands = [clusters[k] for k in keys if k in clusters]
        if words not in clusters or not cands or any(w.startswith("~s") for k in keys for w in k):
            continue
        if (best := _dominant(cands)) is not None:
            absorb(best, clusters.pop(words))


def _merge_nicknames(clusters: dict[frozenset[str], Cluster]) -> None:
    """One person written with a given name and with its nickname ("Chuck Grassley", "Charles E. Grassley";
    "Ted Kennedy", "Edward M. Kennedy"): the same family name, the same other words, given names the
    nickname table pairs (:func:`names.same_given`), no initials or suffixes apart (a suffix left out is no
    difference: "Joseph R. Biden Jr.", "Joe Biden"), no gender apart, and no
    article naming both (there they are two: "Pat Kennedy" and his son "Patrick Kennedy"). The one named in
    fewer articles joins the other when it pairs with exactly one."""
    by_family: dict[str | None, list[tuple[frozenset[str], Cluster]]] = defaultdict(list)
    for k, c in clusters.items():
        if len(c.words) > 1 and c.family:
            by_family[c.family].append((k, c))
    for group in by_family.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda kc: -len(kc[1].articles))
        for i in range(len(group) - 1, 0, -1):
            k, c = group[i]
            given = _written_order(c)[0]
            rest = c.words - {given}
            into = [c2 for k2, c2 in group[:i] if k2 in clusters and not names.marks_differ(c.marks, c2.marks)
                    and (g2 := _written_order(c2)[0]) != given and c2.words - {g2} == rest and names.same_given(given, g2)
                    and not (c.articles.keys() & c2.articles.keys()) and {_gender(c), _gender(c2)} - {None} != {"m", "f"}]
            if len(into) == 1:
                absorb(into[0], clusters.pop(k))


def _fold_padded(clusters: dict[frozenset[str], Cluster], articles: Sequence[Article]) -> None:
    """Persons the model made of someone's name and a headline's words ("Trump Should", "Trump Stands Tall",
    "Hillary Aid"): the name written with words before or after it, only in headlines, words no article of it
    writes with a capital in its prose (:func:`names.headline_padding`), where the rest names a person of the
    corpus named in more articles: a full name, a family name or a given name that one person has, or one
    far ahead of the others who have it (:func:`_dominant`). Such a span made a person of its own, shown in
    the entity list; "Young Conservatives" in a report's prose stays what it is."""
    texts = {a.id: a.text for a in articles}
    whole: dict[frozenset[str], Cluster] = {}
    by_word: dict[tuple[int, str], list[Cluster]] = defaultdict(list)  # (0, given name) / (-1, family name)
    for c in sorted(clusters.values(), key=lambda c: len(c.articles)):
        whole[c.words] = c  # of two persons of one name, the one named in more articles
        by_word[(0, _written_order(c)[0])].append(c)
        by_word[(-1, c.family or "")].append(c)
    gone: set[int] = set()
    for key, c in sorted(clusters.items(), key=lambda kc: len(kc[1].articles)):
        form = next((f for f, _ in c.forms.most_common() if set(names.name_words(f)) == c.words), None)
        if form is None:
            continue
        written = [w for w in names.strip_possessive(form).split() if names.fold(w).strip(".,") in c.words]
        folded = [names.fold(w).strip(".,") for w in written]
        where = [t for aid in c.articles if form in (t := texts.get(aid, ""))]
        if not where:
            continue
        for n in range(len(written) - 1, 0, -1):
            for part, extra in ((folded[i:i + n], written[:i] + written[i + n:]) for i in range(len(written) - n + 1)):
                if not all(w.lower() != w and any(w.lower() in t for t in where) for w in extra):
                    continue  # cheap first: padding is written in lower case too ("Trump Should": "should")
                # a full name; a family name ("Trump Should", "Fascist Trump"), else a given name ("Hillary Aid")
                looked = [[whole[frozenset(part)]] if frozenset(part) in whole else []] if n > 1 else \
                    [by_word.get((-1, part[0]), []), by_word.get((0, part[0]), []) if _given(part[0]) else []]
                target = next((x for found in looked[:1 if looked[0] else 2] if (x := _one_of(
                    [x for x in found if x is not c and id(x) not in gone and len(x.words) > 1])) is not None), None)
                if target is not None and len(target.articles) > len(c.articles) \
                        and all(names.headline_padding(form, extra, t) for t in where):
                    absorb(target, clusters.pop(key))
                    gone.add(id(c))
                    break
            else:
                continue
            break


def _fold_overlong(clusters: dict[frozenset[str], Cluster], having: Mapping[str, list[frozenset[str]]]) -> None:
    """Names the model ran on past the person's ("Certainly Donald Trump", "Donald Trump Got More"): a person
    of three name words or more whose words hold exactly one other person's words as their widest part, one
    named in at least as many articles, is that person ("Barack Hussein Obama" is "Barack Obama" too). Each
    such span made a person of its own, who took the mentions of its article: a campaign corpus listed
    eighteen "Donald Trump"s. A name that holds two others' stays apart, and so does one that took the
    mentions of another full name (a listing's "Ted Cruz Carly Fiorina" holds Carly Fiorina's)."""
    for key in sorted(clusters, key=len, reverse=True):
        if key not in clusters or len(clusters[key].words) < 3:  # words, not marks ("Donald Trump Jr.")
            continue
        parts = {k for w in key for k in having.get(w, ()) if k < key and k in clusters}
        widest = [k for k in parts if not any(k < o for o in parts)]
        if len(widest) != 1 or len(clusters[widest[0]].articles) < len(clusters[key].articles):
            continue
        # every full name the wider person was written with holds the narrower one's ("Carly Fiorina" taken
        # by a listing's "Ted Cruz Carly Fiorina" is no form of "Ted Cruz")
        # ... or is a part of the wider name that holds the narrower one's given name ("Hillary Rodham" of
        # "Hillary Rodham Clinton": a maiden name between the given and the family name); a part that shares
        # only the family name is someone else's ("Chelsea Clinton" of "Hillary & Chelsea Clinton")
        other = [words for f in clusters[key].forms if len(words := frozenset(names.name_words(f))) > 1
                 and not widest[0] <= words]
        if other:
            given = widest[0] - {_family(clusters[widest[0]])}
            if not all(words < key and words & given for words in other):
                continue
        absorb(clusters[widest[0]], clusters.pop(key))


def _holds_relative(wider: Cluster, words: frozenset[str], family: str) -> bool:
    """Whether a wider name was written with a relative's full name: one that shares only the family name
    (``family``, the last word of ``words``, no given name) and brings a given name of its own. "Ilsa & Petra
    Marrow", written "Petra Marrow" too, is no form of Ilsa Marrow, as in :func:`_fold_overlong`; "Peña Nieto"
    of "Enrique Peña Nieto" is a form of Enrique Peña, "Hillary Clinton" of "Crooked Hillary Clinton" one of
    "Crooked Hillary"."""
    if _given(family):
        return False
    return any(len(w := frozenset(names.name_words(f))) > 1 and w & words == {family}
               and any(_given(x) for x in w - words) for f in wider.forms)


def _add_person(c: Cluster, aid: str, p: Person, by_start: Mapping[tuple[str, int], Mention]) -> None:
    for start in p.starts:
        m = by_start.get((aid, start))
        if m is not None:
            add(c, aid, m)
    c.labels["PERSON"] += 1
    c.marks = (c.marks[0] or p.marks[0], c.marks[1] or p.marks[1])
    if p.country:
        c.countries[p.country] += 1
    gender = p.gender or p.given_gender
    if gender:
        c.genders[gender] += 2 if p.gender else 1


def _family(c: Cluster) -> str:
    """The family name: the word this person's own articles use alone most ("Takaichi"); without that
    evidence, the last written word. Counting only this person's mentions keeps a common given name used
    alone for someone else ("Donald") from turning "Donald Tusk" around. A name written given name first
    (the first word a given name of the name dictionary, the last none) keeps its last word when that is
    used alone too: a brother called "Freddy" in an article about his brother Trump is "Freddy Trump", not
    "Trump Freddy"; "Kim Jong Un", whose "Un" is never alone, is still read by the words used alone."""
    written = _written_order(c)
    alone: Counter[str] = Counter()
    for form, n in c.forms.items():
        words = names.name_words(form)
        if len(words) == 1 and not names.marks(form)[1]:  # "Donald Jr." is a given name
            alone[words[0]] += n
    if (len(written) > 1 and alone.get(written[-1], 0) and _given(written[0]) and not _given(written[-1])):
        return written[-1]
    return max(written, key=lambda w: (alone.get(w, 0), written.index(w)))


def _given(word: str) -> bool:
    """Whether a folded name word is a given name of the name dictionary."""
    return names.is_given_name(word.title())


def _written_order(c: Cluster) -> list[str]:
    """Name words in the order of the most common multi-word written form."""
    for form, _n in c.forms.most_common():
        words = names.name_words(form)
        if set(words) == set(c.words):
            return list(words)
    return sorted(c.words)


def _gender(c: Cluster) -> str | None:
    return c.genders.most_common(1)[0][0] if c.genders else None


def _person_words(clusters: Sequence[Cluster]) -> tuple[dict[str, list[Cluster]], dict[frozenset[str], Cluster]]:
    single: dict[str, list[Cluster]] = defaultdict(list)
    full: dict[frozenset[str], Cluster] = {}
    for c in clusters:
        if c.family:
            single[c.family].append(c)
        if len(c.words) > 1 and (c.words not in full or len(c.articles) > len(full[c.words].articles)):
            full[c.words] = c  # of two persons of one name ("Donald Trump", his son), the one named more
    return single, full


def _name_words(m: Mention) -> tuple[str, ...]:
    """The name words of a mention that may name a person, whatever its label; () where it cannot (a
    label no name has, a lower-case word, a state, a word of organisations' names)."""
    if m.label not in _NAMEABLE:
        return ()
    text = names.strip_possessive(m.text)
    if not all(w[:1].isupper() for w in text.split()):
        return ()
    place = geo.lookup(text)
    if place is not None and place.kind in _STATE_KINDS:
        return ()
    words = names.name_words(text)
    if not words or any(w in names.lexicon("org_words.tsv") for w in words):
        return ()
    return words


def _as_person(aid: str, words: tuple[str, ...], single: Mapping[str, list[Cluster]],
               full: Mapping[frozenset[str], Cluster]) -> Cluster | None:
    """The person cluster a non-person mention really names (``words``: its :func:`_name_words`), when
    the evidence says so."""
    if not words:
        return None
    if len(words) > 1:
        return full.get(frozenset(words))
    cands = single.get(words[0], [])
    if len(cands) == 1:
        return cands[0]
    in_article = [c for c in cands if aid in c.articles]
    if len(in_article) == 1:
        return in_article[0]
    return _dominant(cands) if not in_article else None


def _one_of(cands: Sequence[Cluster]) -> Cluster | None:
    """The one person of the candidates, or the one far ahead of the others (:func:`_dominant`)."""
    return cands[0] if len(cands) == 1 else _dominant(cands) if cands else None


def _dominant(cands: Sequence[Cluster]) -> Cluster | None:
    """Of the persons who share a family name, the one a surname alone stands for in an article that names
    none of them in full: the one the corpus names in full in at least ``DOMINANT`` of their articles
    ("Obama" in a 2016 campaign corpus is Barack Obama, named in full in 130 articles, Michelle Obama in 9);
    None when no one is that far ahead ("Bush": Jeb 79, George W. 51), so the surname stays a person of its
    own. In an article that names one of them in full, that one is meant, whoever leads (and a title's
    gender narrows them first: "Mrs. Obama")."""
    if not cands:
        return None
    counts = [len(c.articles) for c in cands]
    best = max(range(len(cands)), key=counts.__getitem__)
    return cands[best] if counts[best] >= DOMINANT * sum(counts) else None


def _person_name(c: Cluster) -> str:
    """Given names first, then the family name, each word in its most common written casing."""
    if not c.forms:
        return " ".join(sorted(c.words))
    casing: dict[str, Counter[str]] = defaultdict(Counter)
    for form, n in c.forms.items():
        for w in form.split():
            casing[names.fold(w).strip(".,")][w] += n
    # the most common full form ("Donald Trump" over a one-off "Donald J. Trump" or a nickname prefix)
    full = [(f, n) for f, n in c.forms.items() if len(names.name_words(f)) > 1] or list(c.forms.items())
    best = max(full, key=lambda kv: (kv[1], -abs(len(names.name_words(kv[0])) - 2)))[0]
    words = names.name_words(best)
    given: list[tuple[str, int]] = []
    if words and not names.opens_given(best):
        # a name written mostly without its given name ("Wasserman Schultz", a family name of two words) is
        # named with it where the corpus writes it ("Debbie Wasserman Schultz")
        given = [(f, n) for f, n in full if names.name_words(f)[1:] == words and names.opens_given(f)]
        if given:
            best = max(given, key=lambda kv: kv[1])[0]
    written = names.strip_possessive(best).split()
    while len(written) > 1 and names.title_after(written) is not None:
        written = written[names.title_after(written).size:]  # type: ignore[union-attr]
    if not given and len(names.name_words(" ".join(written))) > 1 and c.family \
            and names.fold(written[0]).strip(".,") == c.family and names.opens_given(written[-1]) \
            and geo.lookup(written[-1]) is None:
        # family name first in the text: canonical is given-name first; not where the last word is no given
        # name ("Latino Decisions", "HuffPost Live": a name of a thing whose first word is also written alone)
        # or a place's ("Breitbart London", the site's edition)
        written = written[1:] + written[:1]
    return " ".join(max(casing[k].items(), key=lambda kv: kv[1])[0] if (k := names.fold(w).strip(".,")) in casing
                    else w for w in written)


# ---------------------------------------------------------------------------------- entities and ids



def _descriptions(found: Iterable[str]) -> tuple[str, ...]:
    """Unique role phrases, dropping any contained in a longer one ("professor" in "professor at X")."""
    seen: dict[str, str] = {}
    for d in found:
        seen.setdefault(names.fold(d), d)
    keys = list(seen)
    keep = [k for k in keys if not any(k != o and f" {k} " in f" {o} " for o in keys)]
    return tuple(seen[k] for k in keep)


def _entity(c: Cluster, label: str, name: str) -> Entity:
    c.type, c.name = label, name
    aliases = tuple(dict.fromkeys([name, *(f for f, _ in c.forms.most_common())]))
    if c.key[0] in ("state", "people"):
        country: str | None = c.key[1]
    else:
        country = c.countries.most_common(1)[0][0] if c.countries else None
        if country is None and label in ("GPE", "NORP"):
            country = geo.state_of(name)  # a capital or demonym stands for its state
    return Entity(id=_id(label, name), name=name, type=label, aliases=aliases,
                  descriptions=_descriptions(c.descriptions), country=country,
                  article_ids=tuple(c.articles))


def _id(label: str, name: str, salt: str = "") -> str:
    return "e" + hashlib.sha1(f"{label}\n{name}\n{salt}".encode()).hexdigest()[:12]


def _unique_ids(entities: list[tuple[Cluster, Entity]]) -> list[tuple[Cluster, Entity]]:
    """Two referents with one canonical name (two "Clinton"s kept apart) still get distinct ids."""
    seen: set[str] = set()
    out = []
    for c, e in sorted(entities, key=lambda ce: (ce[1].id, "|".join(ce[0].key))):
        if e.id in seen:
            e = dataclasses.replace(e, id=_id(e.type, e.name, "|".join(c.key)))
        seen.add(e.id)
        out.append((c, e))
    return out
