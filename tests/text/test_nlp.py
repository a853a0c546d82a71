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

