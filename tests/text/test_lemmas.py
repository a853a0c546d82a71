"""The rule lemmatizer sped up (set lookups, each word form lemmatised once): the same lemmas as spaCy's own on
real news text in English and on French, and lemmatizers it does not know left as they are."""

from __future__ import annotations

import spacy
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from rashomon.text import lemmas, nlp

from ..conftest import SEEDS

# invented, with what the rules are about: plurals, past forms, comparatives, proper nouns, figures, and
# the same word forms again in other roles ("leads" as a noun and as a verb)
_ENGLISH = ("The ministers' leads were stronger than expected; she leads the talks, and the envoys studied "
            "the studies while 3,000 protesters marched. Analyses differ: the crises deepened, mice fled, "
            "Kell's ferries stopped, and the better offers were the best ones they'd had.")
_FRENCH = ("Les ministres ont signé hier les accords sur les ports. La ministre des finances a déclaré que les "
           "négociations avaient été longues, et les syndicats manifesteront demain devant les ministères.")


def _stock(module: str) -> spacy.Language:
    return spacy.load(module, exclude=["senter"])


def _annotations(docs):
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc] for doc in docs]


def test_the_sped_up_english_lemmatizer_gives_spacys_lemmas():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [_ENGLISH, _ENGLISH]
    stock, quick = _stock(nlp.MODELS["en"].module), _stock(nlp.MODELS["en"].module)
    assert lemmas.speed_up(quick)
    pipe = quick.get_pipe("lemmatizer")
    assert all(isinstance(v, frozenset) for v in pipe.lookups.get_table("lemma_index").values())
    expected, got = _annotations(stock.pipe(texts)), _annotations(quick.pipe(texts))
    assert got == expected
    assert {"minister", "study", "crisis", "mouse", "ferry", "good"} <= {x[4] for doc in got for x in doc}
    assert len(pipe._remembered) < sum(len(d) for d in got)  # word forms seen again came from memory
    assert not lemmas.speed_up(quick), "a second call leaves the sped-up lemmatizer as it is"
    assert type(nlp.load().get_pipe("lemmatizer")) is type(pipe)  # what the map stage runs


def test_the_sped_up_french_lemmatizer_gives_spacys_lemmas():
    stock, quick = _stock(nlp.MODELS["fr"].module), _stock(nlp.MODELS["fr"].module)
    assert lemmas.speed_up(quick)
    texts = [_FRENCH, _FRENCH.upper(), _FRENCH]
    assert _annotations(quick.pipe(texts)) == _annotations(stock.pipe(texts))


def test_a_lemmatizer_it_does_not_know_is_left_alone():
    class Custom(EnglishLemmatizer):  # its own rules might read more of a token than the memory is keyed by
        pass

    pipe = _stock(nlp.MODELS["en"].module)
    lemmatizer = pipe.get_pipe("lemmatizer")
    lemmatizer.__class__ = Custom
    assert not lemmas.speed_up(pipe)
    assert type(pipe.get_pipe("lemmatizer")) is Custom
    assert isinstance(next(iter(lemmatizer.lookups.get_table("lemma_index").values())), list)
    assert not lemmas.speed_up(spacy.blank("en"))  # no lemmatizer at all
