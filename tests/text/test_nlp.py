"""The spaCy pipeline: the map stage's components only, loaded once per process."""

from __future__ import annotations

import pytest

from rashomon.errors import ConfigError
from rashomon.text import nlp


def test_the_map_stage_gets_what_it_reads_and_nothing_else():
    pipeline = nlp.load()
    assert pipeline.pipe_names == list(nlp.STAGES["annotate"])
    assert "senter" not in pipeline.component_names  # excluded: never loaded
    assert nlp.load() is pipeline and nlp.load(stage="annotate") is pipeline
    doc = next(nlp.parse(["Premier Ilsa Marrow said on Monday that Kethra would sign the treaty."]))
    marrow = [e for e in doc.ents if e.text == "Ilsa Marrow"]
    assert marrow and marrow[0].label_ == "PERSON"
    said = next(t for t in doc if t.text == "said")
    assert said.dep_ == "ROOT" and said.lemma_ == "say" and said.tag_ == "VBD"
    assert len(list(doc.sents)) == 1


def test_an_unknown_stage_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown pipeline stage"):
        nlp.load(stage="everything")



def test_a_run_of_punctuation_is_broken_up_for_the_tokenizer_in_place():
    """spaCy's tokenizer is quadratic in a run of punctuation (16,000 '[' took 46 s): found by
    tests/test_fuzz.py through an upload of 100,000 '[' that held the desk for half an hour."""
    import re
    import time

    from rashomon.text import nlp as nlp_mod

    text = "Kell voted. " + "[" * 20_000 + " Then it rained." + "\u201c" * 120
    fixed = nlp_mod.tokenizable(text)
    assert len(fixed) == len(text) and fixed.startswith("Kell voted. [[") and fixed.endswith("\u201c")
    assert max(len(run) for run in re.findall(r"[^\w\s]+", fixed)) < nlp_mod.PUNCT_RUN
    start = time.monotonic()
    nlp_mod.load().tokenizer(fixed)
    assert time.monotonic() - start < 2
    assert nlp_mod.tokenizable("An ordinary sentence -- with dashes... and (brackets).") == \
        "An ordinary sentence -- with dashes... and (brackets)."
