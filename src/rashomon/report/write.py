"""The files of an analysis: ``analysis.json``, ``brief.md`` and the HTML report (``report.html``, the
entry point, with ``stories/*.html`` and ``entities.html`` beside it), each written atomically.

Every file goes to a temporary name in its folder and is moved into place (``os.replace``), so no reader
ever opens a half-written file. The story pages are written before ``report.html``, so the entry point never
links to a page that is not there yet; pages left from an earlier run whose story is gone are removed
last.

>>> import pathlib, tempfile
>>> from rashomon.model import Analysis, Story
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> paths = write_outputs(Analysis(generated_at="now", stories=(Story("s1", "Kell votes", (), (), 0),)), out)
>>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
['analysis.json', 'brief.md', 'entities.html', 'report.html', 'stories/s1.html']
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..model import Analysis
from .html import render_report
from .markdown import render_markdown


def write_outputs(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write analysis.json, brief.md and the report folder, each file atomically; returns the paths of
    ``analysis.json``, ``brief.md``, ``report.html`` and the ``stories`` folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"analysis.json": _atomic_write(out / "analysis.json",
                                            json.dumps(analysis.to_contract(), ensure_ascii=False, indent=1)),
             "brief.md": _atomic_write(out / "brief.md", render_markdown(analysis))}
    report = render_report(analysis)
    pages = out / "stories"
    pages.mkdir(exist_ok=True)
    for name, content in report.items():
        if name != "report.html":
            _atomic_write(out / name, content)
    paths["report.html"] = _atomic_write(out / "report.html", report["report.html"])
    paths["stories"] = pages
    written = {out / name for name in report}
    for old in pages.glob("*.html"):
        if old not in written:
            old.unlink(missing_ok=True)
    return paths


def _atomic_write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the report is meant to be opened and shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

