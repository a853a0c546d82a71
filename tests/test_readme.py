"""The README's promises that code can check: its library example runs as shown, and the package root
loads nothing until an entry point is used."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = {
    "quay.txt": " date 2026-04-14 Kell harbour quay to reopen\nThe council of Kell voted on Tuesday to reopen the "
                "old harbour quay, closed since the storm of January. Mayor Ilse Varn said the work would cost "
                "2.4 million marks.",
    "quay-2.txt": " date 2026-04-14 Kell votes to reopen harbour quay\nKell's council voted on Tuesday to reopen "
                  "the harbour quay that the January storm closed. The repairs will cost 2.4 million marks, "
                  "Mayor Ilse Varn said.",
}


def library_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**As a library**"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_library_example_runs_as_shown(tmp_path):
    code = library_example()
    assert "from rashomon import" in code and 'analyze(["reports/"]' in code
    (tmp_path / "reports").mkdir()
    for name, text in REPORTS.items():
        (tmp_path / "reports" / name).write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.match(r".*[Qq]uay.* 2$", lines[0]), lines  # one story, two independent reports
    assert any("2.4 million marks" in line for line in lines[1:]), lines
    assert (tmp_path / "news.db").exists()


def test_the_package_root_loads_no_runner_spacy_or_web_framework_until_used():
    probe = ("import sys, rashomon, rashomon.cli\n"
             "heavy = [m for m in ('rashomon.run.runner', 'spacy', 'fastapi', 'dask', 'distributed') if m in sys.modules]\n"
             "print(','.join(heavy))\n"
             "from rashomon import analyze, open_store, Config\n"
             "print(analyze.__module__, open_store.__module__, Config.__module__)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "", f"loaded at start: {first}"
    assert second == "rashomon.run.runner rashomon.store rashomon.config"
