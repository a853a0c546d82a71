"""Text representations shared by families and stories: cheap, offline, deterministic.

* :func:`sentences` — a regex sentence split (no parse: the 100k-article benchmark runs without spaCy);
* :func:`story_features` — a bag of features in four channels: content stems (``t:``), capitalised name
  tokens (``n:``), name bigrams (``b:``) and figures (``#``), weighted per channel by :data:`CHANNELS`;
* :func:`quotes`, :func:`figures` — the quoted passages and the figures of a text, for family evidence;
* :func:`embed` — dense document vectors from wordllama's weights, which ship inside its wheel;
* :class:`Vocabulary` — feature string -> small int, so indexes hold numpy arrays, not Python sets.

>>> f = story_features("Tarn Ollis was named coach of the Kessin Owls on Monday, a 3-year deal.")
>>> sorted(k for k in f if k.startswith(("n:", "#")))
['#3', 'n:kessin', 'n:ollis', 'n:owls', 'n:tarn']
>>> sentences("The port reopened. Ships sailed at dawn.\\nA new paragraph")
['The port reopened.', 'Ships sailed at dawn.', 'A new paragraph']
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date as _date
from functools import lru_cache

import numpy as np

from ..errors import ConfigError
from ..read import boilerplate
from ..text import textsim

# Channel weights of the story similarity (a weighted sum of per-channel cosines). Names and name bigrams
# weigh most: two events of the same kind (two earthquakes, two coach sackings) share their vocabulary but
# not who was involved. Measured on ECB+ (benchmarks/clustering.md); the ratios matter, not the scale.
CHANNELS: dict[str, float] = {"t": 0.20, "n": 0.30, "b": 0.15, "#": 0.10}

_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’\-]*[A-Za-z\u00C0-\u024F]|[A-Za-z]|\d[\d,.]*\d|\d")
_SENT_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[.!?][\"”’])\s+")
_QUOTE = re.compile(r"[\"“”]([^\"“”\n]{12,600})[\"“”]")
_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Jr|Sr|No|vs|U\.S|U\.K|Inc|Corp|Co|Ltd)\.$")


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: split at line breaks and at end punctuation followed by a capital.

    >>> sentences("Mr. Ollis spoke. It rained.")
    ['Mr. Ollis spoke.', 'It rained.']
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _SENT_END.finditer(line):
            piece = line[start:m.start()].rstrip()
            if _ABBREV.search(piece):  # "Mr. Ollis": not a sentence end
                continue
            if piece:
                out.append(piece)
            start = m.end()
        if line[start:].strip():
            out.append(line[start:].strip())
    return out


_CALENDAR = frozenset(x.lower() for x in (*calendar.day_name, *calendar.month_name) if x)


def _is_name(token: str) -> bool:
    """A capitalised word ("Ollis") or a short acronym ("IBF"); not a figure, weekday or month, which
    every report of every event has."""
    if token[0].isdigit() or token.lower() in _CALENDAR:
        return False
    if token.isupper():
        return 2 <= len(token) <= 5
    return token[0].isupper()


# languages whose nouns are all capitalised: there a capital says nothing of a name (kept in step with
# crossing.CAPITALISED_NOUNS)
_CAPITALISED_NOUNS = frozenset({"de", "lb"})


def _name_in(token: str, language: str | None, previous: str | None) -> bool:
    """:func:`_is_name` for a text in ``language``: where every noun is capitalised (German), only
    acronyms, known places, given names and the word after a given name are names ("Trainer" is not,
    "Viktor Lamm" is).

    >>> [_name_in(w, "de", p) for w, p in (("Mannschaft", "die"), ("Viktor", None), ("Lamm", "Viktor"), ("FC", None),
    ...                                     ("Saltmere", "nach"), ("Spiel", "großen"))]
    [False, True, True, True, True, False]
    """
    if not _is_name(token):
        return False
    if language not in _CAPITALISED_NOUNS or token.isupper():
        return True
    from ..text import geo

    if geo.given_name(token) or bool(previous and geo.given_name(previous)) or geo.lookup(token, language) is not None:
        return True
    # a capitalised word with no article or adjective before it, and not the sentence's first: "von
    # Port-Avel nach Saltmere", "Fluggesellschaft Aerkessa"; "die Mannschaft", "einem großen Spiel" are nouns
    if not previous or previous[0].isdigit() or previous.lower() in _DETERMINERS:
        return False
    return previous[0].isupper() or not previous.lower().endswith(("e", "en", "er", "es", "em"))


# German determiners, contracted articles and quantifiers: a capitalised word after one is a noun
_DETERMINERS = frozenset(["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine", "keinen", "keinem", "keiner", "zum", "zur", "im", "am", "ins", "ans", "beim", "vom", "dieser", "diese", "dieses", "diesem", "diesen", "jeder", "jede", "jedes", "jedem", "jeden", "mein", "meine", "sein", "seine", "ihr", "ihre", "ihren", "ihrem", "unser", "unsere", "alle", "viele", "mehrere", "beide"])


def likely_name(token: str, language: str | None, previous: str | None) -> bool:
    """Shared with :mod:`rashomon.group.crossing`: see :func:`_name_in`."""
    return _name_in(token, language, previous)


@lru_cache(maxsize=32)
def _stopwords(language: str | None) -> frozenset[str]:
    """English stop words, and those of ``language`` too (spaCy's language data: no model is loaded)."""
    stop = textsim.stopwords()
    if not language or language == "en":
        return stop
    try:
        module = __import__(f"spacy.lang.{language}.stop_words", fromlist=["STOP_WORDS"])
    except ImportError:
        return stop
    return stop | frozenset(w.lower() for w in module.STOP_WORDS)


def _figure(token: str) -> str:
    return token.replace(",", "").rstrip(".")


def story_features(text: str, names: Iterable[str] = (), language: str | None = None) -> Counter[str]:
    """Channel-prefixed feature counts of a text; ``names`` (entity mentions, when the map stage found
    them) are added to the name channel. ``language``: the text's, for its stop words and for what a
    capital says (nothing, in German).

    >>> f = story_features("A quake hit Qeshm on Sunday.")
    >>> f["n:qeshm"], f["t:quake"], f["t:sunday"]
    (1, 1, 1)
    """
    stop = _stopwords(language)
    out: Counter[str] = Counter()
    for line in text.split("\n"):
        prev: str | None = None
        written: str | None = None
        for token in _TOKEN.findall(line):
            previous, written = written, token
            low = token.lower().replace("’", "'")
            if token[0].isdigit():
                out["#" + _figure(token)] += 1
                prev = None
                continue
            if low.split("'")[0] in stop or len(low) < 2:
                prev = None
                continue
            if _name_in(token, language, previous):
                key = low[:-2] if low.endswith("'s") else low
                out["n:" + key] += 1
                if prev:
                    out[f"b:{prev}_{key}"] += 1
                prev = key
            else:
                out["t:" + textsim.stem(low)] += 1
                prev = None
    out.update(entity_counts(names, language))
    return out


def entity_counts(names: Iterable[str], language: str | None = None) -> Counter[str]:
    """The names-channel keys of entity mentions' texts, counted: the tokens :func:`story_features` adds to
    the names channel for them (capitalised words and acronyms, not stop words).

    >>> sorted(entity_counts(["Tarn Ollis", "the Kessin Owls", "Ollis"]).items())
    [('n:kessin', 1), ('n:ollis', 2), ('n:owls', 1), ('n:tarn', 1)]
    """
    stop = _stopwords(language)
    out: Counter[str] = Counter()
    for name in names:
        for token in _TOKEN.findall(name):
            if _is_name(token) and token.lower() not in stop:
                out["n:" + token.lower()] += 1
    return out


def names(text: str, language: str | None = None, split: Sequence[str] | None = None) -> frozenset[str]:
    """The names a text uses inside its sentences (capitalised words and short acronyms after a sentence's
    first word, lower-cased, possessive dropped): what a rewrite of a report keeps whatever its wording.
    ``split``: ``sentences(text)``, when the caller has it.

    >>> sorted(names("The council of Kessin met Anika Horvath's aides on Monday. Officials said so."))
    ['anika', 'horvath', 'kessin']
    """
    stop = _stopwords(language)
    out = set()
    for sentence in sentences(text) if split is None else split:
        tokens = _TOKEN.findall(sentence)
        for k, token in enumerate(tokens[1:], start=1):
            low = token.lower().replace("’", "'")
            key = low[:-2] if low.endswith("'s") else low
            if _name_in(token, language, tokens[k - 1]) and len(key) >= 2 and key not in _CALENDAR \
                    and low.split("'")[0] not in stop:
                out.add(key)
    return frozenset(out)


# An embedded social post ends with its signature line: "— Ilse Varn (@IlseVarn) May 4, 2026"
_POST_SIGNATURE = re.compile(r"^\s*[—–-]{1,2}\s*.{1,80}\(@\w{1,30}\)\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\s*$")
# lines that belong to an embed wherever they stand: its media link, an Instagram frame
_POST_LINE = re.compile(r"(?i)pic\.twitter\.com/|\bt\.co/\w|^\s*view this post on (?:instagram|tiktok|x)\b|"
                        r"^\s*a post shared by\b")


def own_text(text: str) -> str:
    """The report's own words: ``text`` without what it only carries — embedded social posts (the post's
    lines and its signature), and lines that address the reader rather than report (share prompts,
    "chat with us" channel prompts: ``data/boilerplate.tsv``'s line markers). Two reports that embed the
    same post, or two pages that hold only their site's stub, share no reporting.

    >>> own_text("Ships left Kessa.\\nWe are all praying. pic.twitter.com/x1\\n— Ida Varn (@idavarn) May 4, 2026")
    'Ships left Kessa.'
    """
    lines = text.split("\n")
    drop: set[int] = set()
    for i, line in enumerate(lines):
        # a line marker is a short line (boilerplate.describe): long lines are prose, not worth the regexes
        if _POST_LINE.search(line) or (line.count(" ") < 25 and boilerplate.describe(line).line_marker):
            drop.add(i)
        elif _POST_SIGNATURE.match(line):
            drop.add(i)  # the signature, and the post's text: the paragraph right above it
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and not _POST_SIGNATURE.match(lines[j]):
                drop.add(j)
    if not drop:
        return text
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def channel(feature: str) -> str:
    """The channel of a feature key ("n:ollis" -> "n", "#3" -> "#")."""
    return "#" if feature.startswith("#") else feature[0]


def content_keys(sentence: str) -> frozenset[str]:
    """Content stems of one sentence plus its figures, for sentence alignment across rewrites.

    >>> sorted(content_keys("The council approved 40 new ferries on Monday."))
    ['#40', 'approv', 'council', 'ferry', 'monday', 'new']
    """
    keys = set(textsim.keys(sentence, places=False))
    keys |= {"#" + _figure(m) for m in _FIGURE.findall(sentence)}
    return frozenset(keys)


def quotes(text: str) -> list[frozenset[str]]:
    """Content keys of each quoted passage of at least three content words."""
    out = []
    for m in _QUOTE.finditer(text):
        keys = textsim.keys(m.group(1), places=False)
        if len(keys) >= 3:
            out.append(keys)
    return out


def figures(text: str) -> set[str]:
    """Figures worth comparing across reports: more than two digits or with a decimal part (small
    counts and days of the month are too common to say two reports are one)."""
    out = set()
    for m in _FIGURE.findall(text):
        value = _figure(m)
        if len(value.replace(".", "")) >= 3 or "." in value:
            out.add(value)
    return out


class Vocabulary:
    """Feature strings to dense ints, grown as new features appear.

    >>> v = Vocabulary(); v.id("n:ollis"), v.id("t:port"), v.id("n:ollis"), len(v)
    (0, 1, 0, 2)
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []

    def id(self, key: str) -> int:
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.names)
            self.names.append(key)
        return found

    def get(self, key: str) -> int | None:
        return self.index.get(key)

    def __len__(self) -> int:
        return len(self.names)


# ------------------------------------------------------------------------------------------ vectors

EMBED_CHARS = 4000  # the lead and body of a report; the tail is often clutter and costs memory to pad


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length 256-d vectors, one row per text (zeros for an empty text).

    >>> v = embed(["The ferry sank off Kessin.", "A ferry went down near Kessin.", "Wheat prices rose."])
    >>> v.shape, bool(v[0] @ v[1] > v[0] @ v[2])
    ((3, 256), True)
    """
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    from ..text import vectors as wordvec

    clipped = [t[:EMBED_CHARS] if t.strip() else " " for t in texts]
    try:
        vectors = wordvec.embed(clipped, norm=False, batch_size=batch_size)
    except wordvec.Unavailable as exc:  # pragma: no cover - installation problem
        raise ConfigError(str(exc), "Run `pip install wordllama==0.4.0.post1` (its wheel carries the weights).") from exc
    vectors[[not t.strip() for t in texts]] = 0.0
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def date_span(value: str | None) -> tuple[int, int] | None:
    """The first and last day (ordinals) an ISO date may mean: one day, a whole month or a whole year.

    >>> from datetime import date as d
    >>> [tuple(d.fromordinal(x).isoformat() for x in date_span(v)) for v in ("2026-03-06", "2026-02")]
    [('2026-03-06', '2026-03-06'), ('2026-02-01', '2026-02-28')]
    >>> date_span("soon") is None
    True
    """
    if not value:
        return None
    try:
        nums = [int(p) for p in value[:10].split("-")]
        if len(nums) == 3:
            first = last = _date(*nums).toordinal()
        elif len(nums) == 2:
            first = _date(nums[0], nums[1], 1).toordinal()
            last = _date(nums[0], nums[1], calendar.monthrange(nums[0], nums[1])[1]).toordinal()
        else:
            first, last = _date(nums[0], 1, 1).toordinal(), _date(nums[0], 12, 31).toordinal()
        return first, last
    except (ValueError, TypeError):
        return None


def date_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two :func:`date_span` spans, 0 when they overlap.

    >>> date_gap(date_span("2026-03-06"), date_span("2026-02")), date_gap(date_span("2026"), date_span("2026-05-01"))
    (6, 0)
    """
    return max(0, a[0] - b[1], b[0] - a[1])
