"""The corpus stage of entity resolution for every name that is not a person's (for
:mod:`rashomon.who.entities`): organisations, places, groups and vessels.

Each mention gets a key under which its spellings meet (:func:`place_key`: a country's every form is its
state, "U.S. Senate" is "United States Senate", "Calif." is California, "INS Sukanya" and "Sukanya" are one
ship), and the clusters so formed are merged where the corpus shows one referent under two names: an
acronym with the name it spells within a story (:func:`merge_acronyms`, two names of one acronym kept
apart), a place with its geographic head noun (:func:`merge_place_heads`), a group in the plural or
hyphenated (:func:`merge_groups`); an acronym of a common noun is dropped (:func:`drop_common_acronyms`).
:class:`Cluster` is the record both halves of entity resolution build.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Article, Mention
from ..text import geo
from . import names

#: the share of the evidence one referent must hold for an ambiguous name to go to it: of a family name's
#: full-name articles for its surname alone, of the stories where an acronym meets its expansions
DOMINANT = 0.75


@dataclass
class Cluster:
    key: tuple[str, ...]
    type: str = ""
    labels: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)  # surface forms, possessive cut
    descriptions: list[str] = field(default_factory=list)
    countries: Counter[str] = field(default_factory=Counter)
    articles: dict[str, None] = field(default_factory=dict)
    members: list[tuple[str, int]] = field(default_factory=list)  # (article id, mention start)
    words: frozenset[str] = frozenset()  # persons: the name words
    family: str | None = None
    genders: Counter[str] = field(default_factory=Counter)
    name: str = ""
    marks: tuple[str, str] = ("", "")  # persons: initials and suffix written (:func:`names.marks`)
    place_head: bool = False  # written with a geographic head noun ("the Indo-Pacific region"): a location


def add(c: Cluster, aid: str, m: Mention) -> None:
    c.members.append((aid, m.start))
    c.forms[names.strip_possessive(m.text)] += 1
    c.labels[m.label] += 1
    c.descriptions.extend(m.descriptions)
    if m.country:
        c.countries[m.country] += 1
    c.articles[aid] = None



def ship_words(own: Mapping[str, Sequence[Mention]]) -> set[str]:
    """The one-word names of the corpus' ships ("Sukanya" of "INS Sukanya", ``data/vessels.tsv``) that no
    gazetteer knows as a place."""
    vessels = names.lexicon("vessels.tsv")
    out = set()
    for ms in own.values():
        for m in ms:
            words = m.text.split()
            if len(words) == 2 and words[0].isupper() and names.fold(words[0]).strip(".") in vessels:
                word = names.form(words[1])
                if not_a_place(word):
                    out.add(word)
    return out


def not_a_place(word: str) -> bool:
    """Whether no gazetteer knows a folded name as a place (a state, a city, a US state)."""
    return geo.lookup(word) is None and word not in _known_names()[0]



@lru_cache(maxsize=1)
def _state_abbreviations() -> dict[str, str]:
    """US state abbreviations in news style ("Calif.", ``data/state_abbreviations.tsv``), folded, with and
    without their last period -> the state's name."""
    out = {}
    for abbr, state in names.classes("state_abbreviations.tsv").items():
        out[abbr] = out[abbr.rstrip(".")] = state
    return out


@lru_cache(maxsize=1)
def _known_names() -> tuple[frozenset[str], frozenset[str]]:
    """The US states' names (folded) and the news agencies' names as written (``data/agencies.tsv``)."""
    from ..read.metadata import agencies

    states = frozenset(names.fold(v) for v in _state_abbreviations().values())
    return states, frozenset(alias for alias, _ in agencies())


def known_label(c: Cluster) -> str | None:
    """The label a name's own kind gives it whatever the model's votes: a US state is a place ("Texas", a
    location by 121 PolNeAR articles' votes beside every other state), a news agency an organisation ("UPI"
    of a dateline, a group by the votes)."""
    if c.key[0] != "name":
        return None
    states, agencies = _known_names()
    if c.key[1] in states:
        return "GPE"
    if any(f in agencies for f in c.forms):
        return "ORG"
    return None


def _state_named(text: str, label: str = "") -> str:
    """A US state's name for its abbreviation ("Calif." -> "California"; "Calif" alone could be anything, so
    without its period only where the model labelled it a place, "R-Tex" of "(R-Tex.)", and not in capitals:
    "LA" is Los Angeles as often as Louisiana), else the text."""
    if "." not in text and (label != "GPE" or text.isupper()):
        return text
    table = _state_abbreviations()
    return table.get(text.lower()) or table.get(text.lower().rstrip(".")) or text


def place_key(m: Mention) -> tuple[str, ...]:
    text = names.strip_possessive(m.text)
    text = _state_named(text, m.label)
    # a person-labelled mention gets here only when no person took it (the corpus labels the name otherwise):
    # it goes where the name's other mentions go ("Chinese" with the Chinese, not a person of its own)
    if m.label in ("GPE", "LOC", "NORP", "FAC", "ORG", "PERSON"):
        place = geo.lookup(text)
        if place is not None and place.kind == "country":
            return ("state", place.code)
        if place is not None and place.kind == "demonym":
            return ("people", place.code)
    folded = names.fold(text)
    if folded.startswith("the "):
        folded = folded[4:]
    words = text.split()
    if len(words) == 2 and words[0].isupper() and names.fold(words[0]).strip(".") in names.lexicon("vessels.tsv") \
            and not_a_place(names.form(words[1])):
        folded = folded.split(" ", 1)[1]  # "INS Sukanya" and "Sukanya" are one ship, named in full (other_name)
    return ("name", _state_prefixed(folded.replace("-", " ")))  # "AK-47" and "AK 47" are one name


def _state_prefixed(folded: str) -> str:
    """A name opening with a state's name, that state's code in its place: "U.S. Senate" and "United States
    Senate" are one name. A demonym is not a state's name ("American Airlines" stays).

    >>> _state_prefixed("united states senate"), _state_prefixed("u.s. senate"), _state_prefixed("american airlines")
    ('USA senate', 'USA senate', 'american airlines')
    """
    words = folded.split(" ")
    for n in (2, 1):
        if len(words) > n:
            place = geo.lookup(" ".join(words[:n]))
            if place is not None and place.kind == "country":
                return " ".join([place.code, *words[n:]])
    return folded


def short_forms(own: Mapping[str, Sequence[Mention]]) -> dict[tuple[str, int], tuple[str, ...]]:
    """Organisations an article writes by the last word of their name alone, after the whole name ("The
    Washington Post ... the Post", "The New York Times ... the Times"): (article, start) -> the key of the
    one longer name of that article ending in that word, for a word that marks organisations' names
    (``data/org_words.tsv``). Two such names ("State Department", "Justice Department") leave
    "Department" as it is, and so does a word of no organisation's kind ("State" beside "Islamic State").
    A department is written by its field alone too ("the State Department ... State's response", "the
    Interior Department ... Interior said"): a one-word organisation that the article's one department or
    ministry of that field is."""
    heads = names.lexicon("org_words.tsv")
    out: dict[tuple[str, int], tuple[str, ...]] = {}
    for aid, ms in own.items():
        orgs = [(m, place_key(m)) for m in ms if m.label == "ORG"]
        longer: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        fields: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for _m, key in orgs:
            if key[0] == "name" and " " in key[1]:
                longer[key[1].rsplit(" ", 1)[1]].add(key)
                if (field_ := _field(key[1])) is not None:
                    fields[field_].add(key)
        for m, key in orgs:
            if key[0] != "name" or " " in key[1]:
                continue
            found = longer.get(key[1], ()) if key[1] in heads else fields.get(key[1], ())
            if len(found) == 1:
                out[(aid, m.start)] = next(iter(found))
    return out


_FIELD = re.compile(r"(?:^|\s)(?:(\w+) (?:department|ministry)|(?:department|ministry) of (?:the )?(\w+))$")


def _field(folded: str) -> str | None:
    """The field a department's or ministry's name gives ("state" of "USA state department", "interior" of
    "department of the interior"), or None."""
    found = _FIELD.search(folded)
    field_ = (found.group(1) or found.group(2)) if found else None
    return field_ if field_ not in (None, "the", "a", "this", "that", "our", "his", "her", "their", "its") else None


def _stories(articles: Sequence[Article]) -> dict[str, str]:
    """article id -> its story (itself when it has none): acronyms and expansions meet within a story."""
    return {a.id: a.story or a.id for a in articles}


def absorb(into: Cluster, other: Cluster) -> None:
    into.members.extend(other.members)
    into.forms.update(other.forms)
    into.labels.update(other.labels)
    into.descriptions.extend(other.descriptions)
    into.countries.update(other.countries)
    into.articles.update(other.articles)
    into.place_head = into.place_head or other.place_head
    into.genders.update(other.genders)


def merge_acronyms(others: dict[tuple[str, ...], Cluster], articles: Sequence[Article],
                    own: Mapping[str, Sequence[Mention]]) -> None:
    """"NATO" and "North Atlantic Treaty Organization" in one story are one organisation ("EU" in one
    report, "European Union" in another).

    An acronym that spells two different names of the corpus ("DNC": the Democratic National Committee in
    one story, the Democratic National Convention in another) keeps them apart (:func:`_split_acronym`);
    spellings of one name ("Service" / "Services", "Recognised" / "Recognized") are one name."""
    story_of = _stories(articles)
    by_initials: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key, c in others.items():
        if key[0] != "name":
            continue
        spelled = {_initials(names.fold(_strip_the(f))) for f in c.forms}
        for initials in spelled - {""}:
            by_initials[initials].append(key)
    for key, c in list(others.items()):
        if key[0] != "name" or key not in others:
            continue
        form = c.forms.most_common(1)[0][0]
        if not (form.isupper() and 2 <= len(form) <= 6 and form.isalpha()):
            continue
        stories = {story_of.get(a, a) for a in c.articles}
        met: dict[str, list[Cluster]] = defaultdict(list)
        for long_key in dict.fromkeys(by_initials.get(key[1], [])):
            long = others.get(long_key)
            if long is not None and long is not c and stories & {story_of.get(a, a) for a in long.articles}:
                met[_loose(long_key[1])].append(long)
        for found in met.values():  # one name's spellings
            for long in found[1:]:
                absorb(found[0], long)
                del others[long.key]
        if len(met) == 1:
            long = next(iter(met.values()))[0]
            absorb(c, long)
            del others[long.key]
        elif met:
            _split_acronym(others, c, [found[0] for found in met.values()], story_of, own)


def _initials(folded: str) -> str:
    """The initials a name of two words or more spells, or ""."""
    words = [w for w in folded.split() if w not in ("of", "and", "the", "for", "on", "in", "&")]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _loose(folded: str) -> str:
    """A name's words with a plural "s" cut and "z" spelt "s": spellings of one name meet."""
    return " ".join(w.rstrip("s").replace("z", "s") for w in folded.split())


def _split_acronym(others: dict[tuple[str, ...], Cluster], c: Cluster, names_: list[Cluster],
                   story_of: Mapping[str, str], own: Mapping[str, Sequence[Mention]]) -> None:
    """Each mention of the acronym ``c`` to the one of ``names_`` its article writes out, else its story;
    where they write out none (or several), to the one that meets the acronym in ``DOMINANT`` of the stories where
    any does, else it stays the acronym (:func:`merge_acronyms`)."""
    spelled: dict[str, list[Cluster]] = defaultdict(list)
    for long in names_:
        for sid in dict.fromkeys(story_of.get(a, a) for a in long.articles):
            spelled[sid].append(long)
    own_stories = {story_of.get(a, a) for a in c.articles}
    meets = Counter(id(long) for sid in own_stories for long in spelled.get(sid, ()))
    top = max(names_, key=lambda long: meets[id(long)])
    members = set(c.members)
    rest = Cluster(c.key)
    default = top if meets[id(top)] >= DOMINANT * sum(meets.values()) else rest
    for aid in c.articles:
        targets = [long for long in names_ if aid in long.articles] or spelled.get(story_of.get(aid, aid), [])
        into = targets[0] if len(targets) == 1 else default
        for m in own.get(aid, ()):
            if (aid, m.start) in members:
                add(into, aid, m)
    del others[c.key]
    if rest.members:
        others[c.key] = rest


def merge_groups(others: dict[tuple[str, ...], Cluster]) -> None:
    """A group of people of no state, written in the plural or with a hyphen, is the same group:
    "Republicans" are the Republican NORP entity, "African-Americans" the "African American" one."""
    seen: dict[str, Cluster] = {}
    groups = [(key, c) for key, c in others.items() if key[0] == "name" and c.labels.most_common(1)[0][0] == "NORP"]
    for key, c in sorted(groups, key=lambda kc: (len(kc[0][1]), kc[0][1])):
        base = key[1].replace("-", " ")
        into = seen.get(base) or (seen.get(base[:-1]) if base.endswith("s") else None)
        if into is None:
            seen[base] = c
        else:
            absorb(into, c)
            del others[key]


@lru_cache(maxsize=1)
def _place_nouns() -> frozenset[str]:
    return names.lexicon("place_nouns.tsv")


def merge_place_heads(others: dict[tuple[str, ...], Cluster]) -> None:
    """A name written with a geographic head noun ("the Indo-Pacific region") is that place ("Indo-Pacific")
    and a location, whatever label the model gave either form."""
    nouns = _place_nouns()
    for key, c in list(others.items()):
        if key[0] != "name" or key not in others:
            continue
        written = [f.split() for f in c.forms]
        heads = {w[-1] for w in written if len(w) > 1 and w[-1].islower() and w[-1].lower() in nouns}
        if not heads:
            continue
        c.place_head = True
        words = key[1].split()
        if len(words) < 2 or words[-1] not in heads:
            continue
        base = others.get(("name", " ".join(words[:-1])))
        if base is not None and base is not c:
            absorb(base, c)
            del others[key]


def drop_common_acronyms(others: dict[tuple[str, ...], Cluster], articles: Sequence[Article]) -> None:
    """An acronym whose letters open a run of lower-case words in its story ("liquefied natural gas",
    "artificial intelligence"), or that its story also writes in the plural ("super PACs", "RBIs": a name
    is not counted), abbreviates a common noun, not a name: it is no entity."""
    from ..text.textsim import english_stop_words

    STOP_WORDS = english_stop_words()  # noqa: N806 - spaCy's name for the list
    story_of = _stories(articles)
    texts: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        texts[story_of[a.id]].append(a.text)
    for key, c in list(others.items()):
        if key[0] != "name" or len(c.forms) != 1:
            continue
        form = next(iter(c.forms))
        if not (form.isupper() and form.isalpha() and 2 <= len(form) <= 5):
            continue
        pattern = _spelled_out(form)
        plural = re.compile(rf"(?<![\w-]){form}s(?![\w-])")
        stories = {story_of.get(a, a) for a in c.articles}
        for sid in stories:
            if any(all(w not in STOP_WORDS for w in m.groups()) for t in texts[sid] for m in pattern.finditer(t)) \
                    or any(plural.search(t) for t in texts[sid]):
                del others[key]
                break


def _spelled_out(acronym: str) -> re.Pattern[str]:
    r"""Lower-case words of three letters or more whose initials spell ``acronym``, each group one word.

    The first word's boundary, ``(?<![\w-])`` before its letter, is checked just after it instead (the two
    characters before that point are not a word character or hyphen followed by the letter), so the
    pattern opens with a literal character the regex engine looks for at C speed: the same matches, found
    6x faster over the 840 articles' stories (0.11 s of CPU, now 0.018 s).

    >>> [m.groups() for m in _spelled_out("LNG").finditer("liquefied natural gas, pre-liquefied natural gas")]
    [('liquefied', 'natural', 'gas')]
    """
    low = acronym.lower()
    first = re.escape(low[0])
    words = [f"({first}(?<![\\w-]{first})[a-z]{{2,}})", *(f"({re.escape(ch)}[a-z]{{2,}})" for ch in low[1:])]
    return re.compile(r"[\s-]+".join(words) + r"(?![\w-])")


def other_name(c: Cluster, label: str) -> str:
    if c.key[0] == "state":
        place = geo.lookup(c.forms.most_common(1)[0][0])
        return place.name if place is not None else (geo.country_name(c.key[1]) or c.key[1])
    forms: Counter[str] = Counter()
    for f, n in c.forms.items():
        forms[_state_named(_strip_the(f), label)] += n  # "Ill." twice and "Illinois" once is Illinois
    if label == "NORP":  # a group is named in the singular, as "a Democrat said" names its speaker
        for f in [f for f in forms if f[:-1] in forms and f.endswith("s")]:
            forms[f[:-1]] += forms.pop(f)
    if c.key[0] == "name" and any(f.isupper() and f.isalpha() for f in forms):
        # an acronym with its expansion: the expansion names it
        longer = [f for f in forms if not f.isupper()]
        if longer:
            return max(longer, key=lambda f: (forms[f], len(f)))
    best = max(forms.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
    # a name written mostly by its last word ("the Post" of The Washington Post, :func:`short_forms`) or by
    # its field ("Treasury" of the Treasury Department) is named in full
    longer = [f for f in forms if f.lower().endswith(" " + best.lower()) or _field(names.fold(f)) == best.lower()] \
        if " " not in best else []
    return max(longer, key=lambda f: (forms[f], len(f))) if longer else best


def _strip_the(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text
