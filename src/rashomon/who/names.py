"""Person names and the words around them: titles, name keys, name order and gender (shared by the
per-article finders and the corpus stage of ``who``).

The lexicons live in ``data/`` (``titles.tsv``, ``cue_verbs.tsv``, ``documents.tsv``, ``org_words.tsv``)
and are compiled once per process. Given-name gender comes from the ``gender-guesser`` package's name
dictionary; only confident answers are used, as a tie-breaker for pronouns.

>>> name_words("Prime Minister Sanae Takaichi’s")
('sanae', 'takaichi')
>>> title_before(["Japanese", "Defense", "Minister"]).phrase
'minister'
>>> cue_strength("say"), cue_strength("eat")
('strong', None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Title:
    """A title-lexicon entry matched in text: ``words`` as matched, ``phrase`` as in the lexicon."""

    phrase: str
    kind: str  # honorific | office | role
    gender: str | None  # m | f | None
    size: int = 1  # number of tokens matched


def _rows(name: str) -> list[list[str]]:
    text = resources.files("rashomon").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _titles() -> tuple[dict[tuple[str, ...], Title], int]:
    table: dict[tuple[str, ...], Title] = {}
    for row in _rows("titles.tsv"):
        words = tuple(row[0].lower().split())
        gender = row[2].strip() if len(row) > 2 and row[2].strip() in ("m", "f") else None
        table[words] = Title(row[0], row[1].strip(), gender, len(words))
    return table, max(len(k) for k in table)


@lru_cache(maxsize=1)
def _title_full() -> dict[str, str]:
    return {row[0].lower(): row[3].strip().lower() for row in _rows("titles.tsv") if len(row) > 3 and row[3].strip()}


def role_words(text: str) -> list[str]:
    """The folded words of a title or role, abbreviations written out, to compare a description with it.

    >>> role_words("Vermont Sen."), role_words("Prof. of Law")
    (['vermont', 'senator'], ['professor', 'of', 'law'])
    """
    full = _title_full()
    return [full.get(w, w) for w in fold(text).split()]


@lru_cache(maxsize=1)
def _cues() -> dict[str, str]:
    return {row[0]: row[1].strip() for row in _rows("cue_verbs.tsv")}


@cache
def lexicon(name: str) -> frozenset[str]:
    """The first column of a one-word-per-line data file, lower-cased (``documents.tsv``, ``org_words.tsv``)."""
    return frozenset(row[0].lower() for row in _rows(name))


@cache
def classes(name: str) -> dict[str, str]:
    """A two-column data file as word -> class, the word lower-cased (``mute_nouns.tsv``).

    >>> classes("mute_nouns.tsv")["percent"], classes("mute_nouns.tsv")["number"]
    ('amount', 'quantifier')
    """
    return {row[0].lower(): row[1].strip() for row in _rows(name) if len(row) > 1}


def cue_strength(lemma: str, particles: Sequence[str] = ()) -> str | None:
    """``strong`` | ``weak`` for a speech cue lemma (with its particles: "lay out"), else None."""
    cues = _cues()
    for p in particles:
        hit = cues.get(f"{lemma.lower()} {p.lower()}")
        if hit:
            return hit
    return cues.get(lemma.lower())


def title_before(words: Sequence[str]) -> Title | None:
    """The longest title phrase that ends ``words`` (the words just before a name), or None."""
    table, longest = _titles()
    low = [w.lower() for w in words]
    for n in range(min(longest, len(low)), 0, -1):
        hit = table.get(tuple(low[-n:]))
        if hit is not None:
            return Title(hit.phrase, hit.kind, hit.gender, n)
    return None


def title_after(words: Sequence[str]) -> Title | None:
    """The longest title phrase that starts ``words`` ("Mr. Obama" -> "Mr."), or None."""
    table, longest = _titles()
    low = [w.lower() for w in words]
    for n in range(min(longest, len(low)), 0, -1):
        hit = table.get(tuple(low[:n]))
        if hit is not None:
            return Title(hit.phrase, hit.kind, hit.gender, n)
    return None


@lru_cache(maxsize=1)
def _title_heads() -> frozenset[str]:
    table, _ = _titles()
    return frozenset(k[-1] for k in table)


@lru_cache(maxsize=1)
def _long_title_ends() -> frozenset[str]:
    table, _ = _titles()
    return frozenset(k[-1] for k in table if len(k) > 1)


def may_end_title(word: str) -> bool:
    """Whether ``word`` is the last word of a title phrase of two words or more ("State" of "Secretary of
    State"): a cheap test before :func:`title_after` is asked of the words around it."""
    return word.lower() in _long_title_ends()


def is_title_word(word: str) -> bool:
    """True for a one-word title or the head of a longer one ("minister", "Mr.", "spokeswoman")."""
    return word.lower() in _title_heads()


def role_gender(word: str) -> str | None:
    """Gender a title or role word implies ("Mrs." -> f, "spokesman" -> m), else None."""
    table, _ = _titles()
    hit = table.get((word.lower(),))
    return hit.gender if hit else None


_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def fold(text: str) -> str:
    """Lookup form: accents folded, typographic apostrophes straightened, case folded, spaces squeezed."""
    if text.isascii() and "`" not in text:  # nothing to fold or straighten (most text): 5x faster
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text.translate(_APOS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


@lru_cache(maxsize=65536)  # the corpus stage of entities cuts each mention's text two or three times
def strip_possessive(text: str) -> str:
    """``Carney's`` -> ``Carney``; ``Reuters'`` keeps its s."""
    t = text.rstrip()
    if len(t) > 2 and t[-2:].translate(_APOS).lower() == "'s":
        return t[:-2].rstrip()
    if len(t) > 2 and t[-1] in "'\u2019" and t[-2] in "sS":
        return t[:-1]
    return t


@lru_cache(maxsize=65536)  # asked of every mention, twice: the same names recur in article after article
def form(text: str) -> str:
    """A name's lookup form with its possessive cut ("Carney's" -> "carney")."""
    return fold(strip_possessive(text))


@lru_cache(maxsize=65536)
def form_words(text: str) -> tuple[str, ...]:
    """The words of :func:`form`."""
    return tuple(form(text).split())


def _untitled(text: str) -> list[str]:
    """A name's written words, its possessive and the titles before it cut ("Prime Minister Sanae Takaichi's")."""
    words = strip_possessive(text).split()
    while words:
        title = title_after(words)
        if title is None or title.size >= len(words):
            break
        words = words[title.size:]
    return words


def opens_given(text: str) -> bool:
    """Whether a written name opens with a given name, its titles cut, written as a name and not in capitals
    ("RIP LA County Sheriff" does not).

    >>> opens_given("Rep. Debbie Wasserman Schultz"), opens_given("Wasserman Schultz"), opens_given("RIP Sheriff")
    (True, False, False)
    """
    words = _untitled(text)
    return bool(words) and not words[0].isupper() and is_given_name(words[0])


@lru_cache(maxsize=65536)  # a name is looked up again at each of its mentions, in every article
def name_words(text: str) -> tuple[str, ...]:
    """The folded words that identify a person: titles, initials, suffixes and a possessive dropped."""
    words = _untitled(text)
    out = []
    middle = range(1, len(_unsuffixed(words)) - 1)
    for i, w in enumerate(words):
        f = fold(w).strip(".,")
        if not f or (len(f) == 1 and f.isalpha()) or re.fullmatch(r"[a-z]\.", f) or f in _SUFFIXES:
            continue
        if i in middle and _is_initials(w, words):  # "George H.W. Bush", "George HW Bush"
            continue
        out.append(f)
    return tuple(out)


# initials between a given and a family name: "H.W.", "H. W.", "HW" (two or three capitals)
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z]\.[A-Z]|[A-Z]{2,3}")


def _unsuffixed(words: Sequence[str]) -> Sequence[str]:
    return words[:-1] if len(words) > 1 and fold(words[-1]).strip(".,") in _SUFFIXES else words


def _is_initials(word: str, words: Sequence[str]) -> bool:
    """Initials, not a word of the name: capitals with stops, or two or three capitals in a name not written
    in capitals throughout ("GEORGE HW BUSH" is read by its words)."""
    word = word.rstrip(",")
    if not _INITIALS.fullmatch(word):
        return False
    return "." in word or not all(w.isupper() for w in words)


@lru_cache(maxsize=65536)
def is_name(text: str) -> bool:
    """Whether a span can name a person: it has a name word that is not initials alone ("Jr.", "Mr.", "O.K."
    and "C.L." name no one; "J.K. Rowling" does).

    >>> is_name("Jr."), is_name("O.K."), is_name("J.K. Rowling"), is_name("Obama")
    (False, False, True, True)
    """
    return any(not re.fullmatch(r"[a-z](?:\.[a-z])+", w) for w in name_words(text))


@lru_cache(maxsize=65536)
def marks(text: str) -> tuple[str, str]:
    """What tells apart two persons whose :func:`name_words` are the same: the initials between their given
    and family names and a generational suffix ("George H.W. Bush" and "George W. Bush", "Donald Trump Jr."
    and "Donald Trump"), both folded, "" when the name has none.

    >>> marks("George H.W. Bush"), marks("Donald Trump Jr."), marks("Sen. Joseph R. Biden Jr.'s"), marks("Bush")
    (('hw', ''), ('', 'jr'), ('r', 'jr'), ('', ''))
    """
    words = _untitled(text)
    bare = _unsuffixed(words)
    suffix = fold(words[-1]).strip(".,") if len(bare) < len(words) else ""
    initials = "".join(fold(w).replace(".", "").rstrip(",") for w in bare[1:-1] if _is_initials(w, words))
    return initials, suffix


def marks_differ(a: tuple[str, str], b: tuple[str, str], strict: bool = False) -> bool:
    """Whether two names' :func:`marks` say two persons: different initials both written, different suffixes
    both written ("Jr." and "III"), or, ``strict`` (one article naming both), a suffix on one only
    ("Donald Trump Jr." beside "Donald Trump"). Across articles a suffix may be left out ("Martin Luther King").
    """
    if a[0] and b[0] and a[0] != b[0]:
        return True
    if a[1] != b[1]:
        return strict or bool(a[1] and b[1])
    return False


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Each nickname's full given names ("joe" -> joseph), from the ``nicknames`` package's table of English
    given names and their nicknames (Apache-2.0, hand-curated)."""
    import csv

    with resources.files("nicknames").joinpath("names.csv").open(encoding="utf-8") as fh:
        pairs = [(row["name1"], row["name2"]) for row in csv.DictReader(fh) if row.get("relationship") == "has_nickname"]
    nicks = {nick for name, nick in pairs if len(nick) < len(name)}  # the table pairs some both ways
    found: dict[str, set[str]] = {}
    for name, nick in pairs:
        if name not in nicks:  # a nickname's own nicknames ("will", a nickname of william: "fred") pair two names
            found.setdefault(nick, set()).add(name)
    return {k: frozenset(v) for k, v in found.items()}


def same_given(a: str, b: str) -> bool:
    """Whether two folded given names are one name, one the other's nickname ("joe", "joseph"; "ted",
    "edward"), by the nickname table (not two nicknames of one name: "fred" and "will" of "wilfred").

    >>> same_given("joe", "joseph"), same_given("edward", "ted"), same_given("gary", "ted"), same_given("will", "fred")
    (True, True, False, False)
    """
    if a == b:
        return True
    table = _nicknames()
    return a in table.get(b, ()) or b in table.get(a, ())


@lru_cache(maxsize=1)
def _gender_detector() -> Any:
    try:
        from ..text.geo import name_dictionary

        return name_dictionary()  # one dictionary for places and genders
    except ImportError:  # pragma: no cover - dependency missing; pronouns then ignore gender
        return None


@lru_cache(maxsize=4096)
def given_gender(given: str, sure: bool = False) -> str | None:
    """``m`` or ``f`` when the name dictionary gives a given name mostly to one gender, else None; with
    ``sure``, only when it gives it to one gender alone ("Bernie" and "Lindsey" are mostly women's names to
    it, across the countries it covers).

    >>> given_gender("Hillary"), given_gender("Donald"), given_gender("Takaichi"), given_gender("Bernie", sure=True)
    ('f', 'm', None, None)
    """
    detector = _gender_detector()
    if detector is None or not given or not given[0].isalpha():
        return None
    answer = detector.get_gender(given.split("-")[0])
    kinds = _SURE_GENDERS if sure else _GENDERS
    return kinds.get(answer)


_SURE_GENDERS = {"male": "m", "female": "f"}
_GENDERS = {**_SURE_GENDERS, "mostly_male": "m", "mostly_female": "f"}


def is_given_name(word: str) -> bool:
    """True when the name dictionary knows ``word`` as a given name of either gender."""
    detector = _gender_detector()
    if detector is None or not word[:1].isupper():
        return False
    return detector.get_gender(word) != "unknown"


def in_prose(word: str) -> str:
    """A regular expression for ``word`` (itself a pattern) as prose writes it: not inside a hyphenated
    compound ("Glass-Steagall"), a hashtag, a handle or a web address.

    >>> re.findall(in_prose("glass"), "glass, #glass, glass-steagall, a glass.com page")
    ['glass']
    """
    return rf"(?<![\w#@/.-]){word}(?![\w@/-]|\.\w)"


def headline_word(word: str, where: Sequence[str]) -> bool:
    """Whether a capitalised word of a name is a headline's or a title's, not a name's: the texts ``where``
    write it in lower case in their prose (not a hashtag, a handle or a web address), and it is no given
    name ("Bill de Blasio", "Will Rogers").

    >>> headline_word("Should", ["Trump Should Go\\nHe should go."]), headline_word("Will", ["Will Rogers will."])
    (True, False)
    """
    folded = word.lower()
    return folded != word and not is_given_name(word.title()) and any(
        re.search(in_prose(re.escape(folded)), t) for t in where)


def _title_case(line: str) -> bool:
    """A headline's line: every word of four letters or more capitalised."""
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def headline_padding(form: str, extra: Sequence[str], text: str) -> bool:
    """Whether the words ``extra`` of a name written ``form`` are a headline's run into the name ("Trump
    Should", "Trump Stands Tall"): the text writes the form only in title-case lines, and each word is no
    given name and is written in lower case in the text's prose (a word only the headline has may be a name).

    >>> headline_padding("Vane Should", ["Should"], "Poll Says Vane Should Win\\nOla Vane should win, it says.")
    True
    >>> headline_padding("Vane Should", ["Should"], "Poll Says Vane Should Win\\nThe lawyer Vane Should spoke.")
    False
    >>> headline_padding("Dean Barker", ["Barker"], "Dean Barker\\nOla Dean spoke.")
    False
    """
    lines = text.splitlines()
    if not any(form in line for line in lines) or any(form in line and not _title_case(line) for line in lines):
        return False
    prose = "\n".join(line for line in lines if not _title_case(line))
    return all(headline_word(w, [prose]) for w in extra)


def shown_forms(aliases: tuple[str, ...], texts: Sequence[str]) -> tuple[str, ...]:
    """A person's forms as a reader sees them, without a full name run together with a headline's words or
    a title ("Lindsay Lohan Checks Out", "Hire Maurice Cheeks", "Comedian Ellen DeGeneres"): a form made of
    another form of two words or more and words before or after it that an article writing the form also
    writes in lower case and that are no given names. Only the list shown changes: every form still finds
    the person (:attr:`~rashomon.who.entities.EntityIndex.by_alias`).

    >>> shown_forms(("Ilsa Marrow", "Marrow", "Ilsa Marrow Returns", "Coach Ilsa Marrow", "Ilsa Marrow Jr."),
    ...                ["Ilsa Marrow Returns\\nCoach Ilsa Marrow returns as coach. Ilsa Marrow Jr. said so."])
    ('Ilsa Marrow', 'Marrow', 'Ilsa Marrow Jr.')
    """
    full = [a.split() for a in aliases if len(a.split()) >= 2]
    if len(full) < 2:
        return aliases
    common = headline_word

    def padded(alias: str) -> bool:
        words = alias.split()
        for base in full:
            n = len(base)
            extra = None if n >= len(words) else words[n:] if words[:n] == base else \
                words[:-n] if words[-n:] == base else None
            if extra:
                where = [t for t in texts if alias in t]
                return all(common(w, where) for w in extra)
        return False

    return tuple(a for k, a in enumerate(aliases) if k == 0 or not padded(a))
