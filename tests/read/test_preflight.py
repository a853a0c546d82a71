"""Looking at inputs before a run: record counts that match what ingest reads, and usage errors for inputs
that hold nothing rashomon reads."""

from __future__ import annotations

import pytest

from rashomon.config import Config
from rashomon.errors import UsageError
from rashomon.read.ingest import iter_inputs
from rashomon.read.preflight import count_records, readable_inputs

from ..conftest import EXAMPLES

FEED = ('<?xml version="1.0"?><rss><channel><title>N</title>'
        '<item><title>A</title><description>The council of Kell voted on Monday.</description></item>'
        '<item><title>B</title><description>The mayor of Kell resigned on Tuesday.</description></item>'
        '</channel></rss>')


def test_the_count_is_what_ingest_reads(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("The council of Kell voted on Monday to rebuild the harbour.", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"id": "1", "text": "x y z"}\n\n  \n{oops\n{"id": "2", "text": "w"}\n',
                                    encoding="utf-8")
    (folder / "sub" / "c.rss").write_text(FEED, encoding="utf-8")
    (folder / "d.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    inputs = [str(folder), str(EXAMPLES)]
    read = list(iter_inputs(inputs, Config()))
    assert count_records(inputs) == len(read) == 1 + 3 + 2 + 1 + 1 + 9


def test_inputs_that_hold_nothing_readable_are_usage_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="it is empty"):
        readable_inputs([str(empty)], Config())
    (empty / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(UsageError, match=r"1 file of other types \(\.pdf\)"):
        readable_inputs([str(empty)], Config())
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(UsageError, match="zip archive.*rashomon reads .txt"):
        readable_inputs([str(doc)], Config())
    # a file named oddly that holds text is read by its content, as before
    plain = tmp_path / "notes.md"
    plain.write_text("The council of Kell voted on Monday.", encoding="utf-8")
    assert readable_inputs([str(plain), str(EXAMPLES)], Config()) == [str(plain), str(EXAMPLES)]
