"""Static word-embedding sentence vectors: wordllama's packaged 256-d ``l2_supercat`` weights and tokenizer,
read straight from the installed wheel, once per process, never downloaded.

wordllama's own loader needs its whole package imported first (pydantic settings, requests, its logging
set to INFO): a quarter of a second of every process's start for what is a table lookup and an average.
This module reads the same two files (the tokenizer's JSON, the safetensors embedding matrix) and computes
exactly what ``WordLlamaInference.embed`` computes: per batch, the texts tokenized with padding, each token's
row looked up (ids clamped to the table), averaged over the real tokens, and optionally scaled to unit length.
The same batches give the same padding, so the vectors are bit for bit wordllama's (a test checks it).

>>> v = embed(["The ferry sank off Kessin.", "A ferry went down near Kessin."], norm=True)
>>> v.shape, round(float(v[0] @ v[0]), 3)
((2, 256), 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

CONFIG = "l2_supercat"
DIM = 256


class Unavailable(RuntimeError):
    """wordllama (the wheel that carries the weights) is not installed, or its files are missing."""


def _package() -> Path:
    spec = find_spec("wordllama")  # finds the folder without running the package's __init__
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable("the wordllama package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def model() -> tuple[np.ndarray, Any]:
    """(embedding matrix as contiguous float32 with a last row of zeros, tokenizer with padding and
    truncation off: :func:`embed` pads the ids itself, as wordllama's padding would)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = _package()
    weights = root / "weights" / f"{CONFIG}_{DIM}.safetensors"
    tokenizer_file = root / "tokenizers" / f"{CONFIG}_tokenizer_config.json"
    if not weights.is_file() or not tokenizer_file.is_file():
        raise Unavailable(f"wordllama's packaged files are missing under {root}")
    table = load_file(str(weights))["embedding.weight"]
    # one row more than the vocabulary, all zeros: what :func:`embed` pads with (see there)
    matrix = np.zeros((table.shape[0] + 1, table.shape[1]), dtype=np.float32)
    matrix[:-1] = table
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()  # a batch of words padded to its longest cost a third more
    tokenizer.no_truncation()
    return matrix, tokenizer


def embed(texts: Sequence[str], norm: bool = False, batch_size: int = 64) -> np.ndarray:
    """One float32 row per text: the mean of its tokens' vectors (unit length with ``norm``)."""
    matrix, tokenizer = model()
    vocabulary = matrix.shape[0] - 1  # the last row is the padding's zeros
    out = np.empty((len(texts), matrix.shape[1]), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        ids, mask = _padded(token_ids(texts[start:start + batch_size]))
        np.clip(ids, 0, vocabulary - 1, out=ids)
        # padding points at the row of zeros: the same sums as masking the padded rows (each adds +0.0, in
        # the same order), without multiplying every token's vector by its mask
        ids[mask == 0] = vocabulary
        count = np.maximum(mask.sum(axis=1, keepdims=True), 1.0).astype(np.float32)
        pooled = np.sum(matrix[ids], axis=1, dtype=np.float32) / count
        if norm:
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        out[start:start + pooled.shape[0]] = pooled
    return out


# token ids by word (what the tokenizer gives one space-separated word on its own); bounded, emptied when full
_WORD_IDS: dict[str, tuple[int, ...]] = {}
KEEP_WORDS = 100_000


def token_ids(texts: Sequence[str]) -> list[list[int]]:
    """The tokenizer's ids of each text (no special tokens), as ``encode_batch`` gives them: a text whose
    spaces are single, between words, is tokenized word by word with each word's ids cached.

    The same ids: the tokenizer has no pre-tokenizer (its BPE runs over the whole text, each space made
    "▁" and one prepended), but no merge can join across a single space: the only tokens with a "▁" after
    their first character are runs of "▁". So a text's ids are its words' ids one after the other, as long
    as no word is empty and none holds a "▁" itself (such texts, rare, are tokenized whole). Tokenizing
    whole sentences was most of a story's vectors' cost; the words of one corpus repeat.
    """
    split = [text.split(" ") if text and "▁" not in text else None for text in texts]
    split = [None if words is None or "" in words else words for words in split]
    new = [w for w in dict.fromkeys(w for words in split if words is not None for w in words) if w not in _WORD_IDS]
    if len(_WORD_IDS) + len(new) > KEEP_WORDS:
        _WORD_IDS.clear()
        new = list(dict.fromkeys(w for words in split if words is not None for w in words))
    if new:  # one call for the batch's new words (each call may start the tokenizer's threads)
        for w, ids in zip(new, _encoded(new), strict=True):
            _WORD_IDS[w] = tuple(ids)
    out = [[i for w in words for i in _WORD_IDS[w]] if words is not None else [] for words in split]
    whole = [k for k, words in enumerate(split) if words is None and texts[k]]
    for k, ids in zip(whole, _encoded([texts[k] for k in whole]), strict=True):
        out[k] = ids
    return out


def _encoded(texts: Sequence[str]) -> list[list[int]]:
    """The tokenizer's ids of each text, without special tokens or padding."""
    if not texts:
        return []
    return [e.ids for e in model()[1].encode_batch_fast(list(texts), is_pretokenized=False, add_special_tokens=False)]


def _padded(ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Ids padded with 0 on the right to the longest, and the mask of the real ones: what the tokenizer's
    padding (BatchLongest, right, pad id 0) gives."""
    longest = max((len(x) for x in ids), default=0)
    padded = np.zeros((len(ids), longest), dtype=np.int32)
    mask = np.zeros((len(ids), longest), dtype=np.float32)
    for row, x in enumerate(ids):
        padded[row, :len(x)] = x
        mask[row, :len(x)] = 1.0
    return padded, mask
