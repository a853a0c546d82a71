"""spaCy's rule lemmatizer with constant-time lookups, and each word form lemmatised once per process.

The English and French pipelines lemmatise by rule: a word's ending is rewritten ("-ies" -> "-y") and the
result kept if ``lemma_index``, the table of known lemmas of that part of speech, holds it. spaCy loads that
table as *lists* (57,528 English nouns), so each ``form in index`` is a linear scan, twice per rule that
applies: ~0.1 ms for every word form not seen before. Its cache then keeps only the forms that went through
the rules; a word that returns early (a singular noun, a proper noun, a figure, punctuation) takes the whole
way through the tests again at each occurrence. Together that was 8 % of a worker's parse of news text.

:func:`speed_up` turns the index's lists into frozensets (membership answers the same) and gives the
component a ``__call__`` that remembers every lemma by (ORTH, POS, MORPH), which is everything the rule
lemmatizers read of a token: the same lemmas, exactly, at a fraction of the cost. Lemmatizers it does not
know (another language's own rules, a lookup-mode or trainable one) are left as they are.

>>> from rashomon.text import nlp
>>> type(nlp.load().get_pipe("lemmatizer")).__name__
'RememberingEnglishLemmatizer'
"""

from __future__ import annotations

import sys
from typing import Any

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors

# the rule lemmatizers whose rules read only a token's text, part of speech and morphology (their own
# ``rule_lemmatize`` and ``is_base_form``, not a subclass's override): what the memory is keyed by. Looked
# up where already imported (a model's loading imports its language's), so none is imported for nothing.
_KNOWN = (("spacy.pipeline.lemmatizer", "Lemmatizer"), ("spacy.lang.en.lemmatizer", "EnglishLemmatizer"),
          ("spacy.lang.fr.lemmatizer", "FrenchLemmatizer"))
MAX_REMEMBERED = 200_000  # word forms per process (~60 MB at most); then it starts afresh: a server's worker lives long
_SUBCLASSES: dict[type, type] = {}


def speed_up(nlp: Any) -> bool:
    """Give the pipeline's rule lemmatizer set lookups and a memory of every lemma, when it is one whose rules
    read nothing else of a token (True), else leave it (False)."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("lemmatizer")
    base = type(pipe)
    if (base.__module__, base.__name__) not in _KNOWN or getattr(pipe, "mode", None) != "rule" or \
            base is not getattr(sys.modules.get(base.__module__), base.__name__, None):
        return False
    index = pipe.lookups.get_table("lemma_index", {})
    for key, words in list(index.items()):  # keys are already string ids: stored as they are
        if isinstance(words, list):
            index[key] = frozenset(words)
    pipe.__class__ = _remembering(base)
    return True


def _remembering(base: type) -> type:
    if base not in _SUBCLASSES:
        _SUBCLASSES[base] = type(f"Remembering{base.__name__}", (base,), {"__call__": _call})
    return _SUBCLASSES[base]


def _call(self: Any, doc: Any) -> Any:
    """``Lemmatizer.__call__``, each (ORTH, POS, MORPH) lemmatised once: the tokens' lemmas set from one array."""
    if not self._validated:
        self._validate_tables(Errors.E1004)
    error_handler = self.get_error_handler()
    try:
        memory: dict[tuple[int, int, int], str] = self.__dict__.setdefault("_remembered", {})
        if len(memory) > MAX_REMEMBERED:
            memory.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        add = self.vocab.strings.add  # inside a memory zone (the map stage parses in one) as the doc's own strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if self.overwrite or lemma == 0:
                found = memory.get((orth, pos, morph))
                if found is None:
                    found = memory[(orth, pos, morph)] = self.lemmatize(doc[i])[0]
                lemmas[i] = add(found)
                changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc
    except Exception as e:  # noqa: BLE001 - spaCy's own handling, as Lemmatizer.__call__ does
        error_handler(self.name, self, [doc], e)
