"""Sentence vectors read straight from wordllama's wheel: the same numbers as wordllama's own loader, without
importing its package (pydantic, requests and its INFO logging) at every process's start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.text import vectors

from ..conftest import SEEDS


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        pytest.skip(f"no seeds under {SEEDS}")
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    return texts + [t[:4000] for t in texts] + lines + ["", " ", "x", "Ünïcödé — «Kessin»"]


def test_vectors_are_wordllamas_bit_for_bit():
    wordllama = pytest.importorskip("wordllama")
    reference = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    texts = _texts()
    for batch, norm in ((32, False), (64, True), (7, False)):
        ours = vectors.embed(texts, norm=norm, batch_size=batch)
        theirs = reference.embed(texts, norm=norm, batch_size=batch)
        assert ours.dtype == theirs.dtype == np.float32
        assert np.array_equal(ours, theirs, equal_nan=True), (batch, norm)


def test_loading_the_vectors_does_not_import_wordllamas_package():
    code = ("import sys, json; from rashomon.text import vectors; v = vectors.embed(['Leaders met in Kessin.'], "
            "norm=True); print(json.dumps([v.shape[1], 'wordllama' in sys.modules, 'pydantic' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [256, False, False]


def test_token_ids_by_word_are_the_whole_texts_ids():
    # word by word (cached) where a text's spaces are single; whole otherwise (double, leading or trailing
    # spaces, a "▁" of its own, an empty text): the same ids as the tokenizer over each whole text
    _, tokenizer = vectors.model()
    texts = _texts() + ["a  b", " lead", "trail ", "x▁ y", "x ▁y", "tab\there", "new\nline here", "a\u00a0b c",
                        "émigré café’s “quote”", "日本語 テキスト", "The the THE the, (the) the."]
    whole = [[i for i, m in zip(e.ids, e.attention_mask, strict=True) if m]
             for e in tokenizer.encode_batch(texts, is_pretokenized=False, add_special_tokens=False)]
    assert vectors.token_ids(texts) == whole
    assert vectors.token_ids(texts) == whole  # the second time from the cached words
