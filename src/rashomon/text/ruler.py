"""The attribute ruler's matches found by table lookup instead of spaCy's general token Matcher.

spaCy's English pipelines end their tagging with an ``attribute_ruler``: 179 token patterns that set POS,
morphology and some lemmas from the fine-grained tag, the word and its dependency ("TAG=VBZ, LOWER in
{is, 's} -> AUX, lemma be"). It finds them with spaCy's general :class:`~spacy.matcher.Matcher`, which
tests every pattern's predicates at every token: about a tenth of the whole parse's CPU time, more than the
tagger and the parser together. Nearly all of those patterns are one token long and name the token's tag
or its word, so :class:`FastMatch` looks the candidates up in tables keyed by tag and by word, tests only
those, and walks the few two-token patterns (a dozen) directly — the same matches, in the same order, found
about ten times faster; the ruler then sets the attributes exactly as before.

Only what the patterns use is supported (the attributes TAG, LOWER, DEP and IS_SPACE; equality, ``IN``,
``NOT_IN`` and ``REGEX``; no quantifiers). A ruler with any other pattern keeps spaCy's matcher
(:func:`speed_up` returns False), so a future model can only lose the speed, never the exactness.

>>> import spacy
>>> from rashomon.text import nlp
>>> pipe = nlp.load()
>>> isinstance(pipe.get_pipe("attribute_ruler").match, FastMatch)
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_OPS = {"IN", "NOT_IN", "REGEX"}

# One token's predicate: (column of the doc's array, test giving a mask over that column's values). A
# pattern alternative is a list of such lists, one per token.
Test = Callable[[Any], Any]


class Unsupported(ValueError):
    """A pattern this matcher cannot reproduce exactly."""


class FastMatch:
    """A drop-in for ``AttributeRuler.match``: the sorted (pattern number, key, start, end) list."""

    def __init__(self, ruler: Any) -> None:
        self.vocab = ruler.vocab
        strings = self.vocab.strings
        # one-token patterns that only name tags and words (all but a dozen): looked up by the token's
        # (tag, word), tag and word; the rest tested with masks over the whole document
        self._table: dict[tuple[int | None, int | None], list[tuple[int, int]]] = {}
        self._patterns: list[tuple[int, int, list[list[tuple[int, Test]]]]] = []  # (number, key, tokens)
        for number, entry in enumerate(ruler.patterns):
            key = strings.add(str(number))
            for alternative in entry["patterns"]:
                tokens = [self._token(spec) for spec in alternative]
                if not tokens:
                    raise Unsupported("an empty pattern")
                lookups = self._lookups(alternative[0]) if len(alternative) == 1 else None
                if lookups is None:
                    self._patterns.append((number, key, tokens))
                    continue
                for pair in lookups:
                    self._table.setdefault(pair, []).append((number, key))
        if len(ruler.patterns) != len(ruler.attrs):
            raise Unsupported("patterns and attributes out of step")

    def _lookups(self, spec: dict[str, Any]) -> list[tuple[int | None, int | None]] | None:
        """The (tag, word) keys a one-token pattern matches (None: any), if it names nothing else."""
        if not spec or set(spec) - {"TAG", "LOWER"}:
            return None
        options: dict[str, list[int | None]] = {}
        for attr in ("TAG", "LOWER"):
            value = spec.get(attr)
            if value is None:
                options[attr] = [None]
            elif isinstance(value, str):
                options[attr] = [self.vocab.strings.add(value)]
            elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) \
                    and all(isinstance(x, str) for x in value["IN"]):
                options[attr] = list(dict.fromkeys(self.vocab.strings.add(x) for x in value["IN"]))
            else:
                return None
        return [(t, w) for t in options["TAG"] for w in options["LOWER"]]

    def _token(self, spec: dict[str, Any]) -> list[tuple[int, Test]]:
        tests: list[tuple[int, Test]] = []
        for attr, value in spec.items():
            if attr not in ATTRS:
                raise Unsupported(f"attribute {attr}")
            tests.append((ATTRS.index(attr), self._test(attr, value)))
        return tests

    def _test(self, attr: str, value: Any) -> Test:
        import numpy as np

        strings = self.vocab.strings
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                raise Unsupported("IS_SPACE with a non-boolean value")
            flag = np.uint64(value)
            return lambda column: column == flag
        if isinstance(value, str):
            key = np.uint64(strings.add(value))
            return lambda column: column == key
        if not isinstance(value, dict) or len(value) != 1 or not set(value) <= _OPS:
            raise Unsupported(f"{attr} predicate {value!r}")
        ((op, arg),) = value.items()
        if op == "REGEX":
            if not isinstance(arg, str):
                raise Unsupported("REGEX with a non-string value")
            pattern = re.compile(arg)
            seen: set[int] = set()  # string hashes tested
            hits = [np.zeros(0, dtype=np.uint64)]  # those the expression is found in

            def regex(column: Any) -> Any:
                new = [v for v in np.unique(column).tolist() if v not in seen]
                if new:
                    seen.update(new)
                    found = [v for v in new if pattern.search(strings[v]) is not None]
                    if found:
                        hits[0] = np.union1d(hits[0], np.array(found, dtype=np.uint64))
                return np.isin(column, hits[0])

            return regex
        if not isinstance(arg, list) or not all(isinstance(x, str) for x in arg):
            raise Unsupported(f"{op} with {arg!r}")
        keys = np.array(sorted({strings.add(x) for x in arg}), dtype=np.uint64)
        return (lambda column: np.isin(column, keys)) if op == "IN" else (lambda column: ~np.isin(column, keys))

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).reshape(len(doc), len(ATTRS)).astype(np.uint64)
        columns = [rows[:, k] for k in range(len(ATTRS))]
        n = len(doc)
        found: list[tuple[int, int, int, int]] = []
        table = self._table
        for i, (word, tag) in enumerate(rows[:, :2].tolist()):
            for pair in ((tag, word), (tag, None), (None, word)):
                hits = table.get(pair)
                if hits:
                    found.extend((number, key, i, i + 1) for number, key in hits)
        for number, key, tokens in self._patterns:
            width = len(tokens)
            if width > n:
                continue
            mask = np.ones(n - width + 1, dtype=bool)
            for k, tests in enumerate(tokens):
                for col, test in tests:
                    mask &= test(columns[col])[k:n - width + 1 + k]
            found.extend((number, key, i, i + width) for i in np.flatnonzero(mask).tolist())
        return sorted(set(found))


def speed_up(nlp: Any) -> bool:
    """Give the pipeline's attribute ruler the table matcher, when every pattern is one it reproduces."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        ruler.match = FastMatch(ruler)
    except Unsupported:
        return False
    return True
