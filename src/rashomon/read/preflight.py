"""Looking at the inputs before a run: what they hold, cheaply, so that a long run can show its total from
the start (:func:`count_records`), and whether they hold anything rashomon reads at all, so that an empty
folder or a word-processor file is a clear usage error before any work (:func:`readable_inputs`).

Neither parses a document: records are counted by lines (JSONL) and entry tags (feeds), files by name.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Kell votes.")
>>> _ = (folder / "b.jsonl").write_text('{"text": "x"}\\n\\n{"text": "y"}\\n')
>>> count_records([str(folder)])
3
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import Config
from ..errors import UsageError
from .ingest import FEED_EXT, JSONL_EXT, KNOWN_EXT, check_inputs, is_url

FORMATS = ".txt, .html/.htm, .rss/.atom/.xml feeds, .jsonl corpora, or folders of them"
_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")
# formats people try that rashomon does not read: the first bytes of the file name them
_MAGIC = ((b"PK\x03\x04", "a zip archive (Word .docx, OpenDocument .odt, .epub and .xlsx files are zip archives)"),
          (b"%PDF", "a PDF document"),
          (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc, .xls)"),
          (b"{\\rtf", "an RTF document"),
          (b"\x1f\x8b", "a gzip archive"))


def _files(path: Path) -> Iterator[Path]:
    """The files a directory input is read from, as :func:`rashomon.read.ingest.iter_inputs` walks it."""
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        if not any(part.startswith(".") for part in child.relative_to(path).parts):
            yield child


def _records(path: Path) -> int:
    """How many records ingest will yield for one file (readable or skipped): JSONL lines that are not
    blank, a feed's entries, else one."""
    ext = path.suffix.lower()
    try:
        if ext in JSONL_EXT:
            with path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        if ext in FEED_EXT and path.stat().st_size <= 50_000_000:
            return max(1, len(_ENTRY.findall(path.read_bytes())))
    except OSError:
        return 1
    return 1


def count_records(inputs: Iterable[str]) -> int:
    """The number of input records a run will read, for a progress total: JSONL lines, feed entries and
    files (URLs count one each). Cheap: nothing is parsed."""
    total = 0
    for value in inputs:
        if is_url(value):
            total += 1
            continue
        path = Path(value)
        if path.is_dir():
            total += sum(_records(child) if child.suffix.lower() in KNOWN_EXT else 1 for child in _files(path))
        elif path.exists():
            total += _records(path)
    return total


def readable_inputs(inputs: Iterable[str], config: Config) -> list[str]:
    """The inputs, checked before any work: missing paths and URLs without ``--fetch`` (as
    :func:`~rashomon.read.ingest.check_inputs`), a folder holding no file rashomon reads, and a file in a
    format it does not read (a .docx, a PDF) are usage errors that say which formats are read.

    A file rashomon reads that turns out to be bad (empty, binary, undecodable) is not an error here: the
    run skips it with its reason and goes on with the rest.
    """
    values = check_inputs(list(inputs), config)
    for value in values:
        if is_url(value):
            continue
        path = Path(value)
        if path.is_dir():
            files = list(_files(path))
            if not any(f.suffix.lower() in KNOWN_EXT for f in files):
                found = (f"it holds {len(files)} file{'s' * (len(files) != 1)} of other types "
                         f"({', '.join(sorted({f.suffix.lower() or '(none)' for f in files})[:6])})"
                         if files else "it is empty")
                raise UsageError(f"the folder {value!r} holds no file rashomon reads: {found}",
                                 f"rashomon reads {FORMATS}.")
        elif path.suffix.lower() not in KNOWN_EXT:
            what = _binary_kind(path)
            if what:
                raise UsageError(f"{value!r} is {what}, not a format rashomon reads",
                                 f"rashomon reads {FORMATS}; save the document as .txt or .html first.")
    return values


def _binary_kind(path: Path) -> str | None:
    """What a file is when its first bytes say it is not text (None when it may well be text)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return "a binary file" if b"\x00" in head else None
