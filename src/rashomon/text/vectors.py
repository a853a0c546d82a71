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
    """(embedding matrix as contiguous float32, tokenizer with padding on and truncation off)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = _package()
    weights = root / "weights" / f"{CONFIG}_{DIM}.safetensors"
    tokenizer_file = root / "tokenizers" / f"{CONFIG}_tokenizer_config.json"
    if not weights.is_file() or not tokenizer_file.is_file():
        raise Unavailable(f"wordllama's packaged files are missing under {root}")
    matrix = np.ascontiguousarray(load_file(str(weights))["embedding.weight"].astype(np.float32))
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_padding()
    tokenizer.no_truncation()
    return matrix, tokenizer


def embed(texts: Sequence[str], norm: bool = False, batch_size: int = 64) -> np.ndarray:
    """One float32 row per text: the mean of its tokens' vectors (unit length with ``norm``)."""
    matrix, tokenizer = model()
    out = np.empty((len(texts), matrix.shape[1]), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        encoded = tokenizer.encode_batch(list(texts[start:start + batch_size]), is_pretokenized=False,
                                         add_special_tokens=False)
        ids = np.array([e.ids for e in encoded], dtype=np.int32)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        np.clip(ids, 0, matrix.shape[0] - 1, out=ids)
        rows = matrix[ids]
        count = np.maximum(mask.sum(axis=1, keepdims=True), 1.0).astype(np.float32)
        pooled = np.sum(rows * mask[..., np.newaxis], axis=1, dtype=np.float32) / count
        if norm:
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        out[start:start + pooled.shape[0]] = pooled
    return out
