"""The files of an analysis: ``analysis.json``, ``brief.md`` and ``report.html``, each written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..model import Analysis
from .html import render_html
from .markdown import render_markdown


def write_outputs(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write analysis.json, brief.md and report.html, each atomically (never a half-written file)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = analysis.to_contract()
    files = {
        "analysis.json": json.dumps(data, ensure_ascii=False, indent=1),
        "brief.md": render_markdown(analysis),
        "report.html": render_html(analysis),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = _atomic_write(out / name, content)
    return paths


def _atomic_write(path: Path, content: str) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
