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
import stat
from collections.abc import Iterable
from pathlib import Path

from ..config import Config
from ..errors import UsageError
from ..model import Skipped
from .ingest import FEED_EXT, JSONL_EXT, KNOWN_EXT, check_inputs, is_url, walk

FORMATS = ".txt, .html/.htm, .rss/.atom/.xml feeds, .jsonl corpora, or folders of them"
_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")
# formats people try that rashomon does not read: the first bytes of the file name them
_MAGIC = ((b"PK\x03\x04", "a zip archive (Word .docx, OpenDocument .odt, .epub and .xlsx files are zip archives)"),
          (b"%PDF", "a PDF document"),
          (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc, .xls)"),
          (b"{\\rtf", "an RTF document"),
          (b"\x1f\x8b", "a gzip archive"))


def _entries(path: Path) -> list[Path | Skipped]:
    """What a directory input is read from, walked exactly as :func:`rashomon.read.ingest.iter_inputs` walks
    it (:func:`~rashomon.read.ingest.walk`): its files, and a Skipped for each thing in it that cannot be
    read (a folder it may not list, a broken link, a link loop, a FIFO), which the run reports as one record."""
    return list(walk(path))


def _regular(path: Path) -> bool:
    """Whether a path is a regular file (following links); only those are opened here, as in ingest, since
    opening a FIFO blocks until someone writes to it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # not even stat-able (a folder above it may not be searched): ingest skips it, saying why
        return False


def _records(path: Path) -> int:
    """How many records ingest will yield for one file (readable or skipped): JSONL lines that are not
    blank, a feed's entries, else one."""
    ext = path.suffix.lower()
    if not _regular(path):  # skipped unopened by ingest, as one record
        return 1
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
        if _is_dir(path):
            total += sum(1 if isinstance(child, Skipped) or child.suffix.lower() not in KNOWN_EXT
                         else _records(child) for child in _entries(path))
        elif _present(path):
            total += _records(path)
    return total


def _present(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # cannot tell: ingest reads it and skips it with the reason, one record
        return True


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
        if _is_dir(path):
            entries = _entries(path)
            files = [f for f in entries if isinstance(f, Path)]
            unread = [s for s in entries if isinstance(s, Skipped)]
            if not any(f.suffix.lower() in KNOWN_EXT for f in files):
                found = [f"{len(files)} file{'s' * (len(files) != 1)} of other types "
                         f"({', '.join(sorted({f.suffix.lower() or '(none)' for f in files})[:6])})"] if files else []
                if unread:
                    found.append(f"{len(unread)} entr{'ies' if len(unread) != 1 else 'y'} it cannot read "
                                 f"({unread[0].input!r}: {unread[0].reason}{', ...' if len(unread) > 1 else ''})")
                says = f"it holds {' and '.join(found)}" if found else "it is empty"
                raise UsageError(f"the folder {value!r} holds no file rashomon reads: {says}",
                                 f"rashomon reads {FORMATS}.")
        elif path.suffix.lower() not in KNOWN_EXT and _regular(path):
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
