"""Comparing sentences across reports without a parse: passages, content keys, similarity, vectors.

The corpus stage has each article's text and its stored :class:`~rashomon.model.Notes`, not a spaCy ``Doc``.
Claims, differences and the brief compare *passages* (a sentence, or a bullet item of one) by their
*content keys*: lower-cased, lightly stemmed content words with British/American spellings folded
(``data/spelling.tsv``), plus one ``#CODE`` key per state a place name or demonym stands for, so "Ottawa",
"Canada" and "Canadian" meet. Dense vectors come from wordllama's packaged weights when available.

>>> sorted(keys("Canada's defence ties with Japan were strengthened."))
['#CAN', '#JPN', 'canada', 'defense', 'japan', 'strengthen', 'tie']
>>> round(dice(keys("The leaders agreed to deepen defence ties."), keys("Both leaders agreed on deeper defense ties.")), 2)
0.8
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import Article, Notes, ValueMention
from . import geo

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’]*")
_BULLET = re.compile(r"^[ \t]*(?:[•·▪◦‣*–-]|\d{1,2}[.)])[ \t]+")
# "KESSIN, May 14 (MPA) - ", "TOKYO — ": where and by whom, not what happened
_DATELINE = re.compile(r"^[A-Z][A-Z'’.-]{2,}(?:\s+[A-Z][A-Z'’.-]+)*(?:,[^.\n]{0,40}?)?\s+[-–—]+\s+(?=[A-Z“\"])")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
_PRONOUN_START = re.compile(r"^(?:he|she|they|it|this|these|those|his|her|their|its)\b", re.IGNORECASE)
# a capitalised word or run of them ("United States", "Japan"), to look up the state behind it
_NAME = re.compile(r"\b[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}")
_SPACES = re.compile(r"\s+")
_NEWLINES = re.compile(r"\n+")
_LEADING_CLOSE = re.compile(r"\s*[\"”’]+(?=\s|$)")
_STATEMENT_END = re.compile(r"[.!?][\"'”’)\]]*$")


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from spaCy's own list without importing spaCy (its package import
    costs a second of a start-up the corpus stages would not otherwise pay)."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - spaCy is a dependency
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / "en" / "stop_words.py"
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - spaCy's data file
    words = namespace["STOP_WORDS"]
    assert isinstance(words, set)  # noqa: S101 - the file defines a set
    return frozenset(words)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """spaCy's English stop words plus a few words every news report uses (reporting verbs)."""
    extra = {"said", "says", "say", "told", "tell", "according", "also", "would", "could", "will", "may",
             "might", "must", "shall", "mr", "ms", "mrs", "percent", "cent", "pct"}
    return frozenset({w.lower() for w in english_stop_words()} | extra)


@lru_cache(maxsize=1)
def _spelling() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("rashomon").joinpath("data/spelling.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            variant, form = row.split("\t")[:2]
            table[variant.strip()] = form.strip()
    return table


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem (see :func:`_bare_stem`), then folded to its synonym class.

    >>> stem("accords"), stem("treaty"), stem("quarrels")
    ('agreement', 'agreement', 'dispute')
    """
    return _synonyms().get(_bare_stem(word), _bare_stem(word))


@lru_cache(maxsize=65536)
def _bare_stem(word: str) -> str:
    """A light suffix-stripping stem, enough to meet "agreed"/"agrees"/"agree" and "talks"/"talk".

    >>> [stem(w) for w in ["agreed", "agrees", "strengthening", "countries", "organised", "talks", "news"]]
    ['agree', 'agree', 'strengthen', 'country', 'organize', 'talk', 'news']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    w = _spelling().get(w, w)
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ews")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    elif w.endswith("eed") and len(w) > 4:
        w = w[:-1]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
        elif w.endswith(("at", "iz", "is", "iv", "ur", "ag", "ng", "rc", "ot")) and not w.endswith("ng"):
            w = w + "e"
    if len(w) > 6 and re.search(r"is(e|ation|ing)?$", w) and not w.endswith(("rise", "wise", "mise", "cise")):
        w = re.sub(r"is(e|ation|ing)?$", lambda m: "iz" + (m.group(1) or ""), w)
        if w.endswith("iz"):
            w += "e"
    return _spelling().get(w, w)


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """Stem -> canonical key of its synonym class (``data/synonyms.tsv``)."""
    table: dict[str, str] = {}
    text = resources.files("rashomon").joinpath("data/synonyms.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            canonical, members = row.split("\t")[:2]
            for m in members.split(","):
                table[_bare_stem(m.strip())] = canonical.strip()
    return table


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters only; figures are compared through :mod:`quantities`)."""
    return _WORD.findall(text)


def keys(text: str, places: bool = True) -> frozenset[str]:
    """Content keys of a passage: stems of its content words and ``#CODE`` for each state it names."""
    out = {k for w in _WORD.findall(text) if (k := _content_key(w))}
    if places:
        out |= {"#" + code for code in place_codes(text)}
    return frozenset(out)


@lru_cache(maxsize=65536)
def _content_key(word: str) -> str:
    """The key of one word, or "" for a stop word or a one-letter stem. Cached by word: the comparison
    stages ask for the keys of the same few thousand words again and again."""
    if word.lower().replace("’", "'").split("'")[0] in stopwords():
        return ""
    k = stem(word)
    return k if len(k) > 1 else ""


def place_codes(text: str) -> set[str]:
    """ISO codes of the states a passage names (countries, demonyms, capitals): "Ottawa" -> CAN."""
    codes: set[str] = set()
    for m in _NAME.finditer(text):
        codes.update(_run_codes(m.group(0)))
    return codes


@lru_cache(maxsize=65536)
def _run_codes(name_run: str) -> tuple[str, ...]:
    """The states one run of capitalised words names ("United States", "US-Israeli"), cached by run."""
    run = name_run.rstrip(".’'-").replace("’s", "").replace("'s", "")
    parts = run.split()
    # "United States" as a whole first, then each word ("US-Israeli" -> US, Israeli)
    candidates = [run] + parts + [p for part in parts for p in part.split("-") if "-" in part]
    return tuple(code for c in candidates if (code := _state(c)))


@lru_cache(maxsize=65536)
def _state(name: str) -> str | None:
    if len(name) < 2 or name.lower() in stopwords():
        return None
    return geo.state_of(name)


def dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """Dice coefficient of two key sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def weighted_dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str], weight: Mapping[str, float],
                  default: float = 1.0) -> float:
    """Dice coefficient where each key counts by ``weight`` (e.g. its rarity in the story)."""
    if not a or not b:
        return 0.0
    total = math.fsum(weight.get(k, default) for k in a) + math.fsum(weight.get(k, default) for k in b)
    return 2 * math.fsum(weight.get(k, default) for k in a & b) / total if total else 0.0


def idf(key_sets: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each key over ``key_sets`` (smoothed, never below a floor), so words
    every passage of a story shares weigh less than the ones that tell passages apart."""
    df: dict[str, int] = {}
    for ks in key_sets:
        for k in ks:
            df[k] = df.get(k, 0) + 1
    n = len(key_sets)
    return {k: max(0.2, math.log((n + 1) / (c + 0.5))) for k, c in df.items()}


# ------------------------------------------------------------------------------------ passages


@dataclass(frozen=True)
class Passage:
    """One sentence (or bullet item) of an article, with what the comparison stages need."""

    article_id: str
    index: int  # position in the article, 0-based
    start: int
    end: int
    text: str
    keys: frozenset[str]
    values: tuple[ValueMention, ...] = ()
    sentence: int = 0  # index of the Notes sentence it comes from
    bullet: bool = False
    # passages are memoised and shared between stages: ``extra`` is read, never written after creation
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    @property
    def pronoun_start(self) -> bool:
        """Starts with a pronoun whose antecedent is in another sentence ("He said ...")."""
        return bool(_PRONOUN_START.match(self.text))

    @property
    def intro(self) -> bool:
        """Introduces a list ("... to strengthen cooperation on:")."""
        return self.text.rstrip().endswith(":")


def is_statement(p: Passage, min_words: int = 6) -> bool:
    """Reads as a sentence: long enough and ending like one (not a heading, caption or teaser)."""
    text = p.text.rstrip()
    return p.n_words >= min_words and bool(_STATEMENT_END.search(text)) and not text.endswith("...")


@lru_cache(maxsize=1)
def _abbreviation() -> re.Pattern[str]:
    """Text ending in an initial, a dotted acronym or a listed abbreviation (``data/abbreviations.txt``)."""
    text = resources.files("rashomon").joinpath("data/abbreviations.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    listed = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|[\s(])(?:[A-Z]|(?:[A-Za-z]\.){{1,3}}[A-Za-z]?|{listed})\.$")


def _sentence_spans(article: Article, notes: Notes | None) -> list[tuple[int, int]]:
    if notes is not None and notes.sentences:
        return [(s.start, s.end) for s in notes.sentences]
    # no parse stored: a plain split on sentence-final punctuation and line breaks, not after an initial
    # ("Karen B. Olson") or a short abbreviation ("U.S.", "Gen.", "Mr.")
    spans, pos = [], 0
    text = article.text
    for m in re.finditer(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z“\"‘])|\n+", text):
        if m.group(0)[0] != "\n" and _abbreviation().search(text[max(0, m.start() - 8):m.start()]):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _closing_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give a closing quote mark the parser left at the start of the next sentence back to its own."""
    out = list(spans)
    for i in range(1, len(out)):
        start, end = out[i]
        m = _LEADING_CLOSE.match(text[start:end])
        prev_start, prev_end = out[i - 1]
        if m and text[prev_start:prev_end].count('"') % 2 == 1 or m and "“" in text[prev_start:prev_end] \
                and text[prev_start:prev_end].count("“") > text[prev_start:prev_end].count("”"):
            out[i - 1] = (prev_start, start + m.end())
            out[i] = (start + m.end(), end)
    return out


def sentence_piece(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The piece of the parser sentence ``text[start:end]`` that holds offset ``at``, as passages cut it: at
    a line break that ends a heading, a sentence or a paragraph, and without a closing quote mark the parser
    left at its start (the end of the paragraph before). A timeline item quotes it.

    >>> t = '"We will," he said."\n\nTalks resume on Monday.'
    >>> s, e = sentence_piece(t, 18, len(t), t.index("Monday")); t[s:e]
    'Talks resume on Monday.'
    """
    pieces = _split_lines(text, start, end) if "\n" in text[start:end] else [(start, end)]
    start, end = next(((p, q) for p, q in pieces if p <= at < q), (start, end))
    m = _LEADING_CLOSE.match(text, start, end)
    if m and m.end() <= at:
        start = m.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a parser sentence at line breaks that end a sentence, a heading or a list item."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _NEWLINES.finditer(text[start:end]):
        cut = start + m.start()
        before = text[pos:cut].strip()
        after = text[start + m.end():end].lstrip()
        if not before:
            pos = start + m.end()
            continue
        heading = len(before.split()) <= 12 and not _TERMINAL.search(before)
        if _TERMINAL.search(before) or heading or _BULLET.match(after) or "\n\n" in m.group(0):
            pieces.append((pos, cut))
            pos = start + m.end()
    pieces.append((pos, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Offsets without surrounding space and a leading bullet mark; whether it was a bullet item."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    m = _BULLET.match(text[start:end])
    if m:
        return start + m.end(), end, True
    m = _DATELINE.match(text[start:end])
    if m:
        start += m.end()
    return start, end, False


_PASSAGES: OrderedDict[tuple[Any, ...], tuple[Passage, ...]] = OrderedDict()
_PASSAGES_LOCK = threading.Lock()
# articles whose passages are kept: claims, differences and the brief each split every article, one stage
# after the other, so a corpus that fits is split once; ~45 kB each for 5k-character articles (~45 MB)
KEEP_PASSAGES = 1024


def passages(article: Article, notes: Notes | None) -> list[Passage]:
    """The article's passages in order: parser sentences, split further at line breaks that end a
    heading or a list item, bullets stripped; offsets index into ``article.text``.

    Memoised by content (id, text, sentence spans, figures), so it never goes stale: the last
    :data:`KEEP_PASSAGES` articles are split once however many stages ask.

    >>> from rashomon.model import Article
    >>> a = Article(id="a1", input="-", text="They agreed on:\\n• Joint drills.\\n• Shared data.")
    >>> [p.text for p in passages(a, None)]
    ['They agreed on:', 'Joint drills.', 'Shared data.']
    """
    key = (article.id, article.text, notes.sentences if notes is not None else (),
           notes.values if notes is not None else ())
    with _PASSAGES_LOCK:
        made = _PASSAGES.get(key)
        if made is not None:
            _PASSAGES.move_to_end(key)
            return list(made)
    made = tuple(_split(article, notes))
    with _PASSAGES_LOCK:
        _PASSAGES[key] = made
        while len(_PASSAGES) > KEEP_PASSAGES:
            _PASSAGES.popitem(last=False)
    return list(made)


def _split(article: Article, notes: Notes | None) -> list[Passage]:
    text = article.text
    values = notes.values if notes is not None else ()
    out: list[Passage] = []
    for sent_no, (s_start, s_end) in enumerate(_closing_quotes(text, _sentence_spans(article, notes))):
        for p_start, p_end in _split_lines(text, s_start, s_end):
            start, end, bullet = _trim(text, p_start, p_end)
            if end <= start:
                continue
            body = _SPACES.sub(" ", text[start:end])
            out.append(Passage(
                article_id=article.id, index=len(out), start=start, end=end, text=body, keys=keys(body),
                values=tuple(v for v in values if start <= v.start < end), sentence=sent_no, bullet=bullet,
            ))
    return out


def fuse_lists(items: Sequence[Passage]) -> list[Passage]:
    """Passages with each list joined to the sentence that introduces it ("They agreed to: share gauge
    data; hold joint drills."), so a list item is never read without what it is a list of.

    >>> from rashomon.model import Article
    >>> a = Article(id="a1", input="-", text="They agreed to:\\n• Share gauge data.\\n• Hold drills.\\nThat was all.")
    >>> [p.text for p in fuse_lists(passages(a, None))]
    ['They agreed to: share gauge data; hold drills.', 'That was all.']
    """
    out: list[Passage] = []
    i = 0
    while i < len(items):
        p = items[i]
        j = i + 1
        while p.intro and j < len(items) and items[j].bullet:
            j += 1
        if j == i + 1:
            out.append(dataclasses.replace(p, index=len(out)))
            i += 1
            continue
        parts = [_lower_first(q.text.rstrip(" .;")) for q in items[i + 1:j]]
        text = p.text + " " + "; ".join(parts) + "."
        out.append(Passage(
            article_id=p.article_id, index=len(out), start=p.start, end=items[j - 1].end, text=text,
            keys=frozenset().union(*(q.keys for q in items[i:j])),
            values=tuple(v for q in items[i:j] for v in q.values), sentence=p.sentence,
            extra={"parts": tuple((q.start, q.end) for q in items[i:j])},
        ))
        i = j
    return out


def _lower_first(text: str) -> str:
    """"Share data" -> "share data" inside a fused list, but not "LNG" or "Japan"."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        word = text.split()[0]
        if not geo.lookup(word):
            return text[0].lower() + text[1:]
    return text


def family_of(families: Mapping[str, str], article_id: str) -> str:
    """The family id of an article (itself when it has none)."""
    return families.get(article_id) or article_id


# ------------------------------------------------------------------------------------ vectors


def vectors(texts: Sequence[str]) -> Any:
    """Unit-length sentence vectors (a numpy array, one row per text), or None without the model.

    >>> v = vectors(["Leaders met in Kessin.", "The leaders held talks in Kessin."])
    >>> v is None or float(v[0] @ v[1]) > 0.5
    True
    """
    if not texts:
        return None
    from . import vectors as wordvec

    try:
        return wordvec.embed(list(texts), norm=True)
    except wordvec.Unavailable:  # no vectors: the lexical keys still work
        return None
