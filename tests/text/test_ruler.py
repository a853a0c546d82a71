"""The attribute ruler's table matcher: the same matches as spaCy's Matcher, so the same tags, parts of speech,
morphology and lemmas, on real news text; and spaCy's own matcher kept for patterns it cannot reproduce."""

from __future__ import annotations

import spacy

from rashomon.text import nlp
from rashomon.text.ruler import FastMatch, speed_up

from ..conftest import SEEDS

# invented, with what the ruler's rarer patterns are about: contractions, "gonna", "y'all", "there are",
# negation spellings, "ain't", auxiliaries as main verbs, determiners as pronouns, whitespace tokens
_TRICKY = ("Y'all ain't gonna believe it: there are two ministers who haven't resigned, and that's that.\n\n"
           "Let's see.   I did it; you did too, didn't you? Nothin' changed.  She gets what she got, "
           "and they have had enough of this. Which do you want? Whether or not it rains, we'll go.")


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [_TRICKY]


def _stock() -> spacy.Language:
    return spacy.load(nlp.MODELS["en"].module, exclude=["senter"])


def test_the_table_matcher_finds_what_spacys_matcher_finds():
    stock = _stock()
    ruler = stock.get_pipe("attribute_ruler")
    fast = FastMatch(ruler)
    before = stock.pipe_names[:stock.pipe_names.index("attribute_ruler")]
    with stock.select_pipes(enable=before):
        docs = list(stock.pipe(_texts()))
    assert len(docs) >= 2
    for doc in docs:
        expected = ruler.match(doc)
        assert expected, "the ruler matches every tagged token"
        assert fast(doc) == expected


def test_the_sped_up_pipeline_annotates_exactly_as_the_stock_one():
    stock, quick = _stock(), _stock()
    assert speed_up(quick) and isinstance(quick.get_pipe("attribute_ruler").match, FastMatch)
    for a, b in zip(stock.pipe(_texts()), quick.pipe(_texts()), strict=True):
        assert [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in a] == \
               [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in b]
    assert nlp.load().get_pipe("attribute_ruler").match.__class__ is FastMatch  # what the map stage runs


def test_a_pattern_it_cannot_reproduce_keeps_spacys_matcher():
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "ms", "OP": "?"}, {"IS_TITLE": True}]], {"LEMMA": "name"})  # a quantifier, IS_TITLE
    assert not speed_up(blank)
    assert not isinstance(ruler.match, FastMatch)
    assert [t.lemma_ for t in blank("Ms Marrow")] == ["name", "name"]  # spaCy's matcher still runs it
