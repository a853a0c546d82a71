"""Entity mentions whose span or label the small model got wrong, read with the words around them and the
corpus' labels (the corpus stage of :mod:`rashomon.who.entities`, before names are clustered): a weekday glued
to a name, half of a named day, a name that ends a title, a time zone, a person label over another entity's
name, a thing written like a person's name.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ..model import Mention
from ..text import geo
from . import names


def vote(labels: Counter[str]) -> str:
    """The commonest label (a place's on a tie); an organisation's when there is none."""
    return max(labels.items(), key=lambda kv: (kv[1], kv[0] == "GPE"))[0] if labels else "ORG"


@lru_cache(maxsize=1)
def _weekdays() -> frozenset[str]:
    """The weekdays' names, lower-cased, from the time lexicon (``data/time_lexicon.toml``)."""
    from ..when.timex import lexicon

    return frozenset(k.lower() for k in lexicon()["weekdays"])


TAIL_VOTES = 3  # a name's non-person labels, at least this many and this many times its person labels


def in_context(texts: Mapping[str, str], own: dict[str, Sequence[Mention]]) -> dict[str, Sequence[Mention]]:
    """Mentions whose span the small model drew wrong, read with the words around them and the corpus'
    labels. Each made a visible entity of a campaign corpus; each is a pattern of news writing, not of it:

    * a weekday glued to the end of a name ("the Supreme Court Tuesday ruled", news style for "on
      Tuesday") is cut off: it made a person "Supreme Court" with the alias "Tuesday";
    * a one-word name written before a weekday in most of its mentions, which no gazetteer knows, is half of
      a named day ("on Super Tuesday", "Black Friday"; see :func:`_day_names`; "won in Idaho Tuesday" is a
      place), no entity: "Super" was a place of 18 articles; a weekday alone is none either;
    * a name that ends a title with the words before it ("Secretary of State", ``data/titles.tsv``) is part
      of the title, no entity: "State" was an organisation of 93 articles;
    * a time zone after a time of day ("06:00 BST", "(0300 GMT)") and a "place" or "organisation" without a
      letter ("the 288 candidates") are none: "GMT" was an organisation of 15 ECB+ reports;
    * a person-labelled name that ends in a name of two words or more the corpus labels otherwise
      (``TAIL_VOTES``) is that name ("the Obama White House" is the White House): it made a person "White
      House Obama" of 9 articles;
    * a person-labelled name written after "the" and before a verb or a stop is a thing ("the Red Sox are",
      :func:`_the_names`), and so is its last word alone;
    * a person-labelled name holding a headline's verb ("Glenn Beck Blasts Drudge", "Trump Should",
      "Endorses Ted Cruz", ``data/headline_verbs.tsv``) is the name before the verb, else the one after it
      (:func:`_headline_cut`): the whole span made "Drudge" a form of Glenn Beck;
    * a person-labelled name ending in a word of organisations' names ("Surrey Police", "Brennan Center",
      "Sarah Lawrence College", ``data/org_words.tsv``) is an organisation; where that word is also a family
      name ("Post", "House") only when no given name opens it ("Marjorie Merriweather Post" stays);
    * a person-labelled name ending in a capitalised place noun is that place ("Long Island", a person of 7
      PolNeAR articles; "Marion County", "Hudson Valley": :func:`_place_headed`);
    * a name the gazetteer knows as a city, labelled a person or an organisation but written after "in",
      "of", "from", ... in most such mentions, is that place (:func:`_towns`: "LuAnn Johnson of Burnsville"
      made a person "Burnsville" of 9 ECB+ reports, "the northern city of Thessaloniki" an organisation);
    * a person-labelled name of common words, each written in lower case in the corpus more often than
      capitalised, is no one's name (:func:`_common_words`): a headline's or a sentence's first word ("Exit",
      "Nationally", "Leave") or a column's ("Economic Scene") made persons of 3 to 15 articles.

    >>> texts = {"a": "The Supreme Court Tuesday ruled. On Super Tuesday, Secretary of State Ilsa Marrow spoke."}
    >>> ms = [Mention("Supreme Court Tuesday", "ORG", 4, 25, 0), Mention("Super", "GPE", 36, 41, 1),
    ...       Mention("State", "ORG", 64, 69, 1), Mention("Ilsa Marrow", "PERSON", 70, 81, 1)]
    >>> [(m.text, m.label) for m in in_context(texts, {"a": ms})["a"]]
    [('Supreme Court', 'ORG'), ('Ilsa Marrow', 'PERSON')]
    """
    tails = _tail_labels(own)
    days = _day_names(texts, own)
    things = _the_names(texts, own, tails)
    towns = _towns(texts, own)
    commons = _common_words(texts, own)
    out: dict[str, Sequence[Mention]] = {}
    for aid, ms in own.items():
        text = texts.get(aid, "")
        kept: list[Mention] = []
        changed = False
        for m in ms:
            words = m.text.split()
            if not words:
                kept.append(m)
                continue
            if m.label in _TOWN_LABELS and towns and names.form(m.text) in towns:
                m = dataclasses.replace(m, label="GPE")
                changed = True
            if words[-1].lower() in _weekdays() and m.label != "EVENT" and not (
                    m.label == "PERSON" and len(words) == 2 and names.is_given_name(words[0])):  # "Joe Friday"
                changed = True
                if all(w.lower() in _weekdays() for w in words):
                    continue
                if m.label != "PERSON" and len(words) == 2 and names.form(words[0]) in days:
                    continue
                cut = m.text[:m.text.rstrip().rfind(" ")].rstrip()
                m = dataclasses.replace(m, text=cut, end=m.start + len(cut))
                words = words[:-1]
            if m.label in _PLACE_OR_BODY and (not any(ch.isalpha() for ch in m.text) or _time_zone(text, m)):
                changed = True
                continue
            if m.label != "PERSON":
                if (len(words) == 1 and days and names.form(m.text) in days and _weekday_after(text, m.end)
                        and not _after_locative(text, m.start)):
                    changed = True
                    continue
                if names.may_end_title(words[-1]) and _ends_title(text[max(0, m.start - 40):m.start].split(), words):
                    changed = True
                    continue
            else:
                if m.text in commons or (len(words) == 1 and words[0].lower() in _PLACE_HEADS):
                    changed = True  # a common word, or a place noun alone ("County" of "Jefferson County")
                    continue
                run_on = _headline_cut(m)
                if run_on is not m:
                    changed = True
                    if run_on is None:
                        continue
                    m, words = run_on, run_on.text.split()
                if len(words) > 2 and tails:
                    for n in range(len(words) - 1, 1, -1):
                        label = tails.get(names.form(" ".join(words[-n:])))
                        if label is not None:
                            m = dataclasses.replace(m, text=" ".join(words[-n:]), label=label)
                            changed = True
                            break
                if m.label == "PERSON" and m.text in things:
                    thing, label = things[m.text]
                    m = dataclasses.replace(m, text=thing, label=label)
                    changed = True
                if m.label == "PERSON" and _org_headed(m.text.split()):
                    m = dataclasses.replace(m, label="ORG")
                    changed = True
                elif m.label == "PERSON" and (place := _place_headed(m.text.split())) is not None:
                    m = dataclasses.replace(m, label=place)
                    changed = True
            kept.append(m)
        out[aid] = kept if changed else ms
    return out


_PLACE_OR_BODY = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})
# a time of day right before a zone: "2: 21 pm", "06:00", "8 a.m.", four digits in brackets "(0300" or after
# a word that times ("about 2045", "at 1100 hrs"; not "in 2016 GOP primaries")
_TIME_BEFORE = re.compile(r"(?:\d{1,2}\s?[:.]\s?\d{2}(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?|\(\d{4}"
                          r"|\b(?:at|about|around|until|by|before|after|from|since)\s+\d{4}(?:\s*hrs)?)\s*\(?$",
                          re.IGNORECASE)


def _time_zone(text: str, m: Mention) -> bool:
    """Whether a mention is a time zone written after a time of day ("2:21 pm BST", "(0300 GMT)")."""
    return 2 <= len(m.text) <= 4 and m.text.isalpha() and m.text.isupper() and bool(
        _TIME_BEFORE.search(text[max(0, m.start - 20):m.start].rstrip()))


_LOCATIVE = frozenset({"in", "at", "from", "to", "across", "near", "around", "throughout", "outside"})
DAY_SHARE = 0.5  # of a one-word name's mentions, the share before a weekday that makes it half of a named day


def _weekday_after(text: str, end: int) -> bool:
    """Whether a capitalised weekday follows ``end`` after one space."""
    if text[end:end + 1] != " " or not text[end + 1:end + 2].isupper():
        return False
    word = text[end + 1:end + 11].split(maxsplit=1)
    return bool(word) and word[0].strip(",.;:\"'\u201d\u2019)").lower() in _weekdays()


def _after_locative(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start].split()
    return bool(before) and before[-1].lower() in _LOCATIVE


def _day_names(texts: Mapping[str, str], own: Mapping[str, Sequence[Mention]]) -> set[str]:
    """One-word names (folded) that are the first half of a named day ("Super Tuesday", "Black Friday"):
    no gazetteer knows them as a place and at least ``DAY_SHARE`` of their mentions in the corpus, a
    weekday in the name included, have a weekday after them. A name that is also written without one
    ("told MSNBC Monday" beside every other MSNBC) is no day."""
    before, seen = Counter[str](), Counter[str]()
    for aid, ms in own.items():
        text = texts.get(aid, "")
        for m in ms:
            if m.label == "PERSON":
                continue
            words = m.text.split()
            if len(words) == 2 and words[1].lower() in _weekdays():
                form = names.form(words[0])
                before[form] += 1
            elif len(words) == 1:
                form = names.form(m.text)
                before[form] += _weekday_after(text, m.end)
            else:
                continue
            seen[form] += 1
    return {f for f, n in before.items() if n and n >= DAY_SHARE * seen[f] and geo.lookup(f) is None}


_WORD = re.compile(r"\S+")


def _headline_cut(m: Mention) -> Mention | None:
    """A person-labelled mention cut at the first headline verb it holds (see :func:`in_context`): the words
    before it, unless one word stands before it and a full name after it ("Figure Endorses Hillary Vane"),
    else those after it (cut again at a second verb); None when only the verb is left; the mention itself
    when it holds none.

    >>> texts = ("Glenn Vane Blasts Drudge", "Calls Vane", "Figure Endorses Hillary Vane")
    >>> [(c.text, c.start) for t in texts if (c := _headline_cut(Mention(t, "PERSON", 10, 10 + len(t), 0)))]
    [('Glenn Vane', 10), ('Vane', 10), ('Hillary Vane', 10)]
    """
    verbs = names.lexicon("headline_verbs.tsv")
    found = list(_WORD.finditer(m.text))
    for i, w in enumerate(found):
        if w.group().lower().strip(".,:;!?\"'’”") not in verbs:
            continue
        after = found[i + 1:]
        named_after = i == 1 and len(after) in (2, 3) and names.is_given_name(after[0].group())
        if i and not (named_after and not names.is_given_name(found[0].group())):
            end = found[i - 1].end()
            return dataclasses.replace(m, text=m.text[:end], end=m.start + end)
        if not after:
            return None
        # the mention keeps its start, which quotes and events look their speaker and actors up by (as the
        # cut of "the Obama White House" does)
        return _headline_cut(dataclasses.replace(m, text=m.text[after[0].start():]))
    return m


# words of organisations' names that are family names too ("Marjorie Merriweather Post", "Edward House")
_SURNAME_ORG_WORDS = frozenset({"post", "house", "church", "bank", "times", "herald", "guard", "summit", "daily",
                                "press", "court"})


def _org_headed(words: Sequence[str]) -> bool:
    """Whether a person-labelled name's last word marks an organisation's name (see :func:`in_context`)."""
    last = names.fold(words[-1]).rstrip(".,")
    if last not in names.lexicon("org_words.tsv"):
        return False
    return last not in _SURNAME_ORG_WORDS or (len(words) > 1 and not names.is_given_name(words[0]))


# capitalised last words that make a name a place's, never a person's: administrative units (GPE) and
# geographic features (LOC). Narrower than ``data/place_nouns.tsv`` (lower-case heads, "the Indo-Pacific
# region"), whose "waters", "border" or "area" end persons' names too ("Maxine Waters")
_PLACE_HEADS = {"county": "GPE", "township": "GPE", "parish": "GPE", "province": "GPE", "district": "GPE",
                "island": "LOC", "islands": "LOC", "valley": "LOC", "peninsula": "LOC", "mountains": "LOC",
                "basin": "LOC", "delta": "LOC", "coast": "LOC", "region": "LOC"}


def _place_headed(words: Sequence[str]) -> str | None:
    """The place label of a person-labelled name of two words or more that ends in a capitalised place
    noun ("Long Island", "Marion County", "Hudson Valley"; see :func:`in_context`), else None."""
    if len(words) < 2 or not words[-1][:1].isupper():
        return None
    return _PLACE_HEADS.get(words[-1].lower().rstrip(".,"))


_TOWN_LABELS = frozenset({"PERSON", "ORG"})
TOWN_SHARE = 0.5  # of a city name's person or organisation mentions, the share after a locative (more) that makes it the city


def _towns(texts: Mapping[str, str], own: Mapping[str, Sequence[Mention]]) -> set[str]:
    """Names (folded) the gazetteer knows as a city that the model labels a person or an organisation, more
    than ``TOWN_SHARE`` of those mentions in the corpus written after a locative word ("in", "from", or
    "of": "Johnson of Burnsville", "the city of Thessaloniki"). A company or a person of a town's name is
    seldom written so ("Toyota said", "Summit Entertainment", "Clinton won")."""
    after, seen = Counter[str](), Counter[str]()
    for aid, ms in own.items():
        text = texts.get(aid, "")
        for m in ms:
            if m.label not in _TOWN_LABELS:
                continue
            form = names.form(m.text)
            place = geo.lookup(form)
            if place is None or place.kind != "city":
                continue
            seen[form] += 1
            before = text[max(0, m.start - 12):m.start].split()
            after[form] += bool(before) and before[-1].lower() in _TOWN_BEFORE
    return {f for f, n in after.items() if n > TOWN_SHARE * seen[f]}


_TOWN_BEFORE = (_LOCATIVE - {"at", "to"}) | {"of"}  # "at Dartmouth", "to Clemson": often its college


_TITLE_CASED = re.compile(r"[A-Z][a-z]+")
# a word as the prose writes it: not inside a hyphenated compound ("Glass-Steagall"), a handle or an address
_PROSE_WORD = re.compile(names.in_prose("[A-Za-z]+"))


def _common_words(texts: Mapping[str, str], own: Mapping[str, Sequence[Mention]]) -> set[str]:
    """Person-labelled names that are common words (see :func:`in_context`): every word title-cased, no
    given name, written in lower case in the corpus' texts more often than capitalised. A name any mention
    of which follows a title ("Mr. Hurt") is a name, and so is one word that ends a person's full name in
    the corpus ("Roof" of "Dylann Roof").

    >>> texts = {"a": "Exit polls are out: the exit polls say so, and exit interviews agree. Mr. Hurt spoke.",
    ...          "b": "Hurt feelings, hurt pride, hurt voters."}
    >>> ms = {"a": [Mention("Exit", "PERSON", 0, 4, 0), Mention("Hurt", "PERSON", 74, 78, 1, title="Mr.")],
    ...       "b": [Mention("Hurt", "PERSON", 0, 4, 0)]}
    >>> sorted(_common_words(texts, ms))
    ['Exit']
    """
    persons: set[str] = set()
    titled: set[str] = set()
    for ms in own.values():
        for m in ms:
            if m.label == "PERSON":
                persons.add(m.text)
                if m.title:
                    titled.add(m.text)
    candidates = {}
    for text in persons - titled:
        words = text.split()
        if all(_TITLE_CASED.fullmatch(w) for w in words) and not any(names.is_given_name(w) for w in words):
            candidates[text] = words
    if not candidates:
        return set()
    wanted = {w.lower() for words in candidates.values() for w in words}
    written = Counter[str]()
    for text in texts.values():
        written.update(w for w in _PROSE_WORD.findall(text) if w.lower() in wanted)
    common = {text for text, words in candidates.items() if all(written[w.lower()] > written[w] for w in words)}
    # the last words of the full names left ("Roof" of "Dylann Roof", not "Sponsor" of "Presenting Sponsor",
    # nor "County" of "Marion County", a place's)
    last = {words[-1] for text in persons - common
            if len(words := text.split()) > 1 and _place_headed(words) is None and not _org_headed(words)}
    return {text for text in common if len(candidates[text]) > 1 or candidates[text][0] not in last}


_FUNCTION_WORDS = frozenset({
    "are", "were", "is", "was", "have", "had", "has", "said", "says", "and", "or", "of", "in", "to", "will",
    "would", "who", "that", "which", "on", "at", "for", "with", "as", "but", "could", "can", "did", "do", "does",
    "may", "might", "must", "should", "from", "by", "after", "before", "since", "when", "while"})
THE_SHARE = 0.5  # of a person-labelled name's mentions, the share after "the" that makes it no person's


def _the_names(texts: Mapping[str, str], own: Mapping[str, Sequence[Mention]],
               tails: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Person-labelled names that are things, with the label they take: a person's name is not written
    after "the" and before a verb, a function word or a stop ("the Red Sox are", "the Oscars.", "the Ku Klux
    Klan,"), where "the Bush administration", "the Koch brothers" and "the Dodd-Frank law" use a person's
    name for a thing of theirs. A name is such a thing when at least ``THE_SHARE`` of its person-labelled
    mentions come after "the", two of them before a verb, a function word or a stop, and it is not a
    one-word name that ends persons' full names in the corpus ("the Koch network"). Its label is the one the
    corpus gives it most besides a person's, else an organisation's. Returns form -> (the thing's name, label). "Red Sox" was a person of 18 ECB+
    reports, "Common Core" and "Ku Klux Klan" persons of a campaign corpus. ``tails``: :func:`_tail_labels`."""
    the, bare, persons = Counter[str](), Counter[str](), Counter[str]()
    others: defaultdict[str, Counter[str]] = defaultdict(Counter)
    last: set[str] = set()
    for aid, ms in own.items():
        text = texts.get(aid, "")
        for m in ms:
            if m.label != "PERSON":
                others[m.text][m.label] += 1
                continue
            persons[m.text] += 1
            if len(words := names.form_words(m.text)) > 1:
                last.add(words[-1])
            before = text[max(0, m.start - 5):m.start].split()
            if not before or before[-1] not in ("the", "The"):
                continue
            the[m.text] += 1
            after = text[m.end:m.end + 16]
            if after[:1] in ("-", "\u2010", "\u2011", "'", "\u2019") or after[:1].isalnum():
                continue  # "the Dodd-Frank law", "the Koch's": the name is part of a longer one
            following = after.split()
            if not following or not following[0][:1].isalnum() or following[0].lower().strip(",.;:") in _FUNCTION_WORDS \
                    or after[:1] in ",.;:)!?":
                bare[m.text] += 1
    out: dict[str, tuple[str, str]] = {}
    for form, n in bare.items():
        words = names.form_words(form)
        if any(" ".join(words[-k:]) in tails for k in range(2, len(words))):
            continue  # "the Obama White House" is the White House (:func:`_tail_labels`)
        if n >= 2 and the[form] >= THE_SHARE * persons[form] and not (len(words) == 1 and words[0] in last):
            out[form] = (form, vote(others[form]) if others.get(form) else "ORG")
    # its last word alone, which the persons would have read as its family name ("Sox"), is that thing too
    # when it ends no person's name left
    ends: defaultdict[str, list[str]] = defaultdict(list)
    for form in out:
        if len(words := names.form_words(form)) > 1:
            ends[words[-1]].append(form)
    left = {names.form_words(f)[-1] for f in persons if f not in out and len(names.form_words(f)) > 1}
    for form in persons:
        if (len(words := names.form_words(form)) == 1 and len(ends.get(words[0], ())) == 1
                and words[0] not in left and form not in out):
            out[form] = out[ends[words[0]][0]]
    return out


def _tail_labels(own: Mapping[str, Sequence[Mention]]) -> dict[str, str]:
    """Names of two words or more (folded) the corpus labels something other than a person, at least
    ``TAIL_VOTES`` times and that many times as often as a person, with their commonest such label."""
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for ms in own.values():
        for m in ms:
            if len(m.text.split()) > 1:
                votes[names.form(m.text)][m.label] += 1
    out = {}
    for form, labels in votes.items():
        person = labels.pop("PERSON", 0)
        if labels and (other := sum(labels.values())) >= TAIL_VOTES and other >= TAIL_VOTES * person:
            out[form] = vote(labels)
    return out


def _ends_title(before: Sequence[str], words: Sequence[str]) -> bool:
    """Whether ``words`` end a title phrase that starts among the words ``before`` them."""
    if not words or not names.may_end_title(words[-1]):
        return False
    for k in range(1, min(3, len(before)) + 1):
        title = names.title_after([*before[-k:], *words])
        if title is not None and title.size == k + len(words):
            return True
    return False
