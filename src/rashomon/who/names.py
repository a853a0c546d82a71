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


@lru_cache(maxsize=65536)  # a name is looked up again at each of its mentions, in every article
def name_words(text: str) -> tuple[str, ...]:
    """The folded words that identify a person: titles, initials, suffixes and a possessive dropped."""
    words = strip_possessive(text).split()
    while words:
        title = title_after(words)
        if title is None or title.size >= len(words):
            break
        words = words[title.size:]
    out = []
    for w in words:
        f = fold(w).strip(".,")
        if not f or (len(f) == 1 and f.isalpha()) or re.fullmatch(r"[a-z]\.", f) or f in _SUFFIXES:
            continue
        out.append(f)
    return tuple(out)


@lru_cache(maxsize=1)
def _gender_detector() -> Any:
    try:
        from ..text.geo import name_dictionary

        return name_dictionary()  # one dictionary for places and genders
    except ImportError:  # pragma: no cover - dependency missing; pronouns then ignore gender
        return None


@lru_cache(maxsize=4096)
def given_gender(given: str) -> str | None:
    """``m`` or ``f`` when the name dictionary is sure of a given name, else None.

    >>> given_gender("Hillary"), given_gender("Donald"), given_gender("Takaichi")
    ('f', 'm', None)
    """
    detector = _gender_detector()
    if detector is None or not given or not given[0].isalpha():
        return None
    answer = detector.get_gender(given.split("-")[0])
    return {"male": "m", "female": "f", "mostly_male": "m", "mostly_female": "f"}.get(answer)


def is_given_name(word: str) -> bool:
    """True when the name dictionary knows ``word`` as a given name of either gender."""
    detector = _gender_detector()
    if detector is None or not word[:1].isupper():
        return False
    return detector.get_gender(word) != "unknown"


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

    def common(word: str, where: list[str]) -> bool:
        """Written in lower case in the prose (not a hashtag, a handle or a web address), and no given name
        ("Bill de Blasio")."""
        folded = word.lower()
        return folded != word and not is_given_name(word.title()) and any(
            re.search(rf"(?<![\w#@/.-]){re.escape(folded)}(?![\w@/-]|\.\w)", t) for t in where)

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
