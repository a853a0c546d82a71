"""Every input form, and every kind of bad input, read by rashomon.read.ingest."""

from __future__ import annotations

import json
import os
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rashomon.config import Config
from rashomon.errors import InputNotFound, UsageError
from rashomon.model import RawDocument, Skipped
from rashomon.read.clean import clean
from rashomon.read.ingest import check_inputs, headline_like, iter_inputs, read_bytes

from ..conftest import seed_path, unprivileged

CFG = Config()
BODY = ("The council of Kell voted on Monday to rebuild the old harbour wall. The work will take two years, "
        "the mayor said, and will cost 14 million crowns.")


def read(path: Path | str, config: Config = CFG) -> list[RawDocument | Skipped]:
    return list(iter_inputs([str(path)], config))


def docs(items):
    return [x for x in items if isinstance(x, RawDocument)]


def skips(items):
    return [x for x in items if isinstance(x, Skipped)]


# ------------------------------------------------------------------------------------------ forms


def test_txt_header_line_with_headline(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f" date 2026-01-05 Kell council backs harbour plan\n\n{BODY}\n", encoding="utf-8")
    [doc] = read(f)
    assert (doc.date, doc.date_source, doc.title) == ("2026-01-05", "header", "Kell council backs harbour plan")
    assert doc.text.startswith("The council of Kell")


def test_txt_header_line_with_first_paragraph(tmp_path):
    lead = ("At a briefing after the vote in the town hall, the mayor of Kell also said that the harbour "
            "wall would be rebuilt with stone from the old quarry, as residents had asked for years.")
    f = tmp_path / "a.txt"
    f.write_text(f" date 2026-01-05 {lead}\n\n{BODY}\n", encoding="utf-8")
    [doc] = read(f)
    assert doc.title is None
    assert doc.text.startswith("At a briefing")  # the paragraph stays in the body


def test_txt_invalid_header_date_is_not_a_date(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2026-13-40 Kell council backs harbour plan\n{BODY}", encoding="utf-8")
    [doc] = read(f)
    assert doc.date is None


def test_txt_without_header_first_line_title(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"Kell council backs harbour plan\n\n\n{BODY}", encoding="utf-8")
    [doc] = read(f)
    assert doc.title == "Kell council backs harbour plan" and doc.date is None


def test_headline_like():
    assert headline_like("Storm floods the harbour district of Kell")
    assert headline_like("After the storm, Kell counts the cost")
    assert not headline_like("The mayor said the harbour would reopen on Monday after repairs to the wall and "
                             "the lock gates were finished by the city's engineers.")
    assert not headline_like("Flood")


def test_seed_headers(seeds_dir):
    items = {Path(x.input).name[:3]: x for x in read(seeds_dir)}
    assert {k: v.date for k, v in items.items()} == {
        "000": None, "001": "2026-03-06", "002": "2026-03-07", "003": "2026-03-06", "004": None}
    assert items["001"].title.startswith("Prime minister Mark Carney pushes closer security")
    assert items["003"].title.startswith("Canada seeks stronger ties with Japan")
    assert items["004"].title.startswith("Prime Minister Carney meets with Prime Minister of Japan")
    assert items["002"].title is None  # its header line carries the first paragraph
    assert items["002"].text.startswith("At a joint press event after their talks in Tokyo")
    assert items["000"].title.startswith("Canadian Prime Minister met with his Japanese counterpart")


def test_html_page(tmp_path):
    f = tmp_path / "page.html"
    paras = "".join(f"<p>{BODY} Paragraph {i}.</p>" for i in range(4))
    f.write_text(f"""<html><head><title>Kell rebuilds harbour - Kell Gazette</title>
        <meta property="og:site_name" content="Kell Gazette">
        <meta property="article:published_time" content="2026-01-05T09:00:00Z"></head>
        <body><nav><a href="/">Home</a> <a href="/x">World</a></nav><article><h1>Kell rebuilds harbour</h1>{paras}
        </article><footer>All rights reserved</footer></body></html>""", encoding="utf-8")
    [doc] = read(f)
    assert doc.outlet == "Kell Gazette" and doc.date == "2026-01-05" and doc.date_source == "metadata"
    assert "Kell rebuilds harbour" in doc.title
    assert "council of Kell" in doc.text and "Home" not in doc.text and "rights reserved" not in doc.text
    assert doc.from_html


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Kell Radio</title>
<item><title>Harbour wall vote</title><guid>kr-1</guid><link>https://kell.example/1</link>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate><description><![CDATA[<p>{body}</p>]]></description></item>
<item><title>Empty one</title><guid>kr-2</guid><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kell Wire</title>
<entry><title>Harbour wall vote</title><id>urn:kw:1</id><updated>2026-01-06T08:00:00Z</updated>
<content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry></feed>"""


def test_rss_feed(tmp_path):
    f = tmp_path / "radio.rss"
    f.write_text(RSS.format(body=BODY), encoding="utf-8")
    items = read(f)
    [doc] = docs(items)
    assert (doc.title, doc.date, doc.outlet, doc.source_id) == ("Harbour wall vote", "2026-01-05", "Kell Radio", "kr-1")
    assert doc.text.startswith("The council of Kell") and "<p>" not in doc.text
    [skip] = skips(items)
    assert skip.index == 2 and "no content" in skip.reason


def test_atom_feed_in_xml_file(tmp_path):
    f = tmp_path / "wire.xml"
    f.write_text(ATOM.format(body=BODY), encoding="utf-8")
    [doc] = read(f)
    assert (doc.title, doc.date, doc.outlet) == ("Harbour wall vote", "2026-01-06", "Kell Wire")


def test_jsonl_keeps_ids_and_fields(tmp_path):
    f = tmp_path / "corpus.jsonl"
    rows = [
        {"id": "k-1", "text": BODY, "date": "2026-01-05", "title": "Vote", "outlet": "Kell Gazette", "language": "en"},
        {"id": 7, "html": f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    a, b = read(f)
    assert (a.source_id, a.date, a.title, a.outlet, a.language) == ("k-1", "2026-01-05", "Vote", "Kell Gazette", "en")
    assert b.source_id == "7" and b.text.startswith("The council of Kell") and b.from_html


def test_directory_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "1.txt").write_text(BODY + " One.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = read(tmp_path)
    assert [Path(d.input).name for d in docs(items)] == ["1.txt", "2.txt"]
    assert [Path(s.input).name for s in skips(items)] == ["notes.docx"]


# ------------------------------------------------------------------------------------- bad input


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(InputNotFound, match="input not found"):
        check_inputs([str(tmp_path / "nope.txt")], CFG)


def test_url_needs_fetch():
    with pytest.raises(UsageError, match="--fetch"):
        check_inputs(["https://example.org/a"], CFG)
    with pytest.raises(UsageError, match="scheme"):
        check_inputs(["ftp://example.org/a"], CFG.with_overrides(fetch=True))


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"\x81\x8d\x8f\x90\x9d" * 50, "undecodable"),
])
def test_bad_files_are_skipped_with_a_reason(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    [skip] = read(f)
    assert isinstance(skip, Skipped) and reason in skip.reason


def test_oversized_file_is_skipped(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("word " * 1_100_000, encoding="utf-8")  # 5.5 MB
    [skip] = read(f)
    assert "oversized" in skip.reason and "5 MB" in skip.reason


def test_legacy_encoding_is_decoded(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes(("Le conseil de Kell a voté lundi la reconstruction du mur du port, à côté de l'église. " * 3)
                  .encode("cp1252"))
    [doc] = read(f)
    assert "voté" in doc.text and "à côté" in doc.text


def test_malformed_jsonl_lines_are_skipped_and_the_rest_goes_on(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "ok-1", "text": BODY}),
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok-2", "text": BODY + " Again."}),
    ]), encoding="utf-8")
    items = read(f)
    assert [d.source_id for d in docs(items)] == ["ok-1", "ok-2"]
    assert [(s.index, s.reason.split(":")[0]) for s in skips(items)] == [
        (2, "malformed JSON"), (3, "record has no 'text' or 'html'"), (4, "record is not a JSON object")]


def test_malformed_feed_and_textless_html(tmp_path):
    feed = tmp_path / "broken.rss"
    feed.write_text("<rss><channel><title>x</title><item><title>unclosed", encoding="utf-8")
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    [a] = read(feed)
    assert isinstance(a, Skipped) and "feed" in a.reason
    [b] = read(page)  # trafilatura's recall mode keeps the menu; cleaning then finds no article in it
    result = b if isinstance(b, Skipped) else clean(b)
    assert isinstance(result, Skipped) and ("no article text" in result.reason or "too short" in result.reason)


def test_upload_bytes_use_the_name_for_the_format(seeds_dir):
    data = seed_path("001").read_bytes()
    [doc] = list(read_bytes("upload.txt", data, CFG))
    assert doc.date == "2026-03-06"


# ------------------------------------------------------------------------------------------ fetch


@pytest.fixture()
def http_server(tmp_path):
    page = "".join(f"<p>{BODY} Part {i}.</p>" for i in range(4))
    (tmp_path / "page.html").write_text(f"<html><head><title>Kell</title></head><body><article>{page}"
                                        "</article></body></html>", encoding="utf-8")
    (tmp_path / "big.html").write_text("<html><body>" + "x" * 200_000 + "</body></html>", encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_reads_a_live_page_with_size_cap(http_server):
    cfg = Config(fetch=True, fetch_max_bytes=100_000, fetch_timeout=5, fetch_allow_private=True)  # a loopback server
    [doc] = read(f"{http_server}/page.html", cfg)
    assert doc.kind == "url" and doc.url.endswith("/page.html") and "council of Kell" in doc.text
    [big] = read(f"{http_server}/big.html", cfg)
    assert isinstance(big, Skipped) and "too large" in big.reason
    [missing] = read(f"{http_server}/missing.html", cfg)
    assert isinstance(missing, Skipped) and "404" in missing.reason


# ------------------------------------------------------------------------------- hostile input


def test_a_deeply_nested_jsonl_line_is_skipped_and_the_good_lines_kept(tmp_path):
    lines = [json.dumps({"id": "ok-1", "text": BODY}), "[" * 100_000, '{"id": "deep", "text": "x", "extra": '
             + "[" * 70 + "]" * 70 + "}", '{"text": "x", "id": ' + "9" * 5_000 + "}",
             json.dumps({"id": "ok-2", "text": BODY + " Again."})]
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for items in (read(f), list(read_bytes("upload.jsonl", f.read_bytes(), CFG))):
        assert [d.source_id for d in docs(items)] == ["ok-1", "ok-2"]
        assert [(s.index, s.reason) for s in skips(items)] == [
            (2, "malformed JSON: nested deeper than 64 levels"), (3, "malformed JSON: nested deeper than 64 levels"),
            (4, "malformed JSON: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits")]


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeply_nested_html_keeps_its_article(tmp_path, depth):
    """libxml2 drops everything below 255 levels, and everything after it: the page is flattened first."""
    f = tmp_path / "deep.html"
    f.write_text("<html><head><title>Kell harbour</title></head><body><nav>Home</nav>" + "<div>" * depth
                 + "".join(f"<p>{BODY} Part {i}.</p>" for i in range(3)) + "</div>" * depth
                 + f"<p>{BODY} After the deep part.</p></body></html>", encoding="utf-8")
    [doc] = read(f)
    assert isinstance(doc, RawDocument), doc
    assert "council of Kell" in doc.text and "Part 2." in doc.text and "After the deep part" in doc.text


def test_a_feed_that_breaks_the_feed_parser_is_skipped(tmp_path):
    """feedparser raised ValueError (chr() out of range) on a character reference past U+10FFFF: found by
    tests/test_fuzz.py."""
    f = tmp_path / "bad.rss"
    f.write_text(RSS.format(body=BODY).replace("Kell Radio", "&#x110000;"), encoding="utf-8")
    [skip] = read(f)
    assert skip.reason.startswith("malformed feed: ValueError")


def test_a_feed_entry_whose_fields_the_parser_leaves_empty_is_skipped(tmp_path):
    """feedparser gives None for the description of this entry (a stray </body> in its title), which
    raised AttributeError: found by tests/test_fuzz.py."""
    f = tmp_path / "odd.rss"
    f.write_bytes(b"<?xml version='1.0'?><rss version='2.0'><channel><title></title><item><title></body></title>"
                  b"<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate><link>https://kell.example/1</link>"
                  b"<description></description></item></channel></rss>")
    [skip] = read(f)
    assert (skip.index, skip.reason) == (1, "feed entry has no content")


def test_a_control_character_in_a_feed_entry_is_no_crash(tmp_path):
    """lxml refused to set the tail of a paragraph holding U+0001 (ValueError): found by tests/test_fuzz.py."""
    f = tmp_path / "ctl.xml"
    f.write_text(ATOM.format(body=f"&lt;div&gt;&lt;p&gt;{BODY}&lt;/p&gt;\x01 More text.&lt;/div&gt;"), encoding="utf-8")
    [doc] = read(f)
    assert doc.text.startswith("The council of Kell") and "\x01" not in doc.text


def test_deeply_nested_html_in_a_feed_entry_keeps_its_text(tmp_path):
    deep = "<div>" * 1000 + f"<p>{BODY}</p>" + "</div>" * 1000
    f = tmp_path / "deep.rss"
    f.write_text(RSS.format(body=deep), encoding="utf-8")
    [doc] = docs(read(f))
    assert doc.text.startswith("The council of Kell")


@pytest.mark.parametrize("field, value, says", [
    ("title", {"a": [1, 2]}, "'title' must be a string, not an object"),
    ("outlet", ["Kell Post"], "'outlet' must be a string, not a list"),
    ("date", 20260105, "'date' must be a string, not a number"),
    ("url", True, "'url' must be a string, not a boolean"),
    ("id", {"n": 1}, "'id' must be a string or an integer, not an object"),
    ("id", False, "'id' must be a string or an integer, not a boolean"),
])
def test_a_jsonl_field_of_the_wrong_type_skips_the_record_with_its_name(tmp_path, field, value, says):
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"text": BODY, field: value}) + "\n" + json.dumps({"id": 3, "text": BODY}) + "\n",
                 encoding="utf-8")
    items = read(f)
    assert [(s.index, s.reason) for s in skips(items)] == [(1, says)]
    assert [d.source_id for d in docs(items)] == ["3"]  # an integer id is kept, as its decimal string


def test_utf8_with_broken_bytes_is_decoded_with_a_warning(tmp_path):
    text = "Der Rat von Köln hat am Montag über die Brücke abgestimmt, sagte die Bürgermeisterin. " * 3
    f = tmp_path / "koeln.txt"
    f.write_bytes(text.encode() + b"\xff\xfe broken " + b"\x81")
    [doc] = read(f)
    assert "Köln" in doc.text and "Brücke" in doc.text and "\ufffd" in doc.text  # not "KÃ¶ln" or "KĂ¶ln"
    assert doc.warnings == ("undecodable bytes: 3 invalid UTF-8 sequences replaced with U+FFFD",)
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_bytes(json.dumps({"id": "k", "text": text}, ensure_ascii=False).encode()[:-2] + b"\xff\"}\n")
    [doc] = read(jsonl)
    assert doc.source_id == "k" and doc.text.endswith("\ufffd")
    assert doc.warnings == ("undecodable bytes: 1 invalid UTF-8 sequence replaced with U+FFFD",)
    [clean_doc] = read_bytes("fine.txt", text.encode(), CFG)
    assert clean_doc.warnings == ()


def test_symbolic_link_loops_broken_links_and_fifos_are_reported(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(BODY, encoding="utf-8")
    (root / "sub" / "back").symlink_to(root)  # a loop through an ancestor
    (root / "twin").symlink_to(root / "sub")  # a second way into a folder
    (root / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (root / "self").symlink_to(root / "self")  # a link to itself
    os.mkfifo(root / "pipe.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text(BODY + " Elsewhere.", encoding="utf-8")
    (root / "linked").symlink_to(outside)  # a linked folder is read
    items = read(root)
    assert sorted(Path(d.input).name for d in docs(items)) == ["a.txt", "b.txt"]
    reasons = {Path(s.input).name: s.reason for s in skips(items)}
    assert reasons["gone.txt"].startswith("broken symbolic link: its target")
    assert reasons["self"].startswith("symbolic link loop")
    assert reasons["back"].startswith("symbolic link loop: leads back to")
    assert "already read" in reasons.pop("twin", None) or "already read" in reasons.pop("sub")
    assert reasons["pipe.txt"] == "not a regular file (a FIFO)"
    [fifo] = read(root / "pipe.txt")  # named directly: skipped, never opened (opening would block)
    assert fifo.reason == "not a regular file (a FIFO)"


# ----------------------------------------------------------------- reading without the privilege


_READ_AS_NOBODY = """
import json, sys
from rashomon.config import Config
from rashomon.read.ingest import check_inputs, iter_inputs
check_inputs(sys.argv[1:], Config())
print(json.dumps([[type(x).__name__, x.input, getattr(x, "reason", None)] for x in iter_inputs(sys.argv[1:], Config())]))
"""


def test_an_unreadable_folder_and_file_are_skipped_with_the_reason(open_tmp):
    root = open_tmp / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "secret.txt").write_text(BODY, encoding="utf-8")
    (root / "ok.txt").write_text(BODY, encoding="utf-8")
    (root / "closed.txt").write_text(BODY + " Closed.", encoding="utf-8")
    (root / "closed.jsonl").write_text(json.dumps({"text": BODY}), encoding="utf-8")
    for path in (root / "locked", root / "closed.txt", root / "closed.jsonl"):
        path.chmod(0)
    root.chmod(0o755)
    inside = root / "locked" / "secret.txt"  # named directly: a folder above it may not be searched
    result = unprivileged([sys.executable, "-c", _READ_AS_NOBODY, str(root), str(inside)], open_tmp)
    assert result.returncode == 0, result.stderr
    items = {Path(name).name: (kind, reason) for kind, name, reason in json.loads(result.stdout)}
    assert items == {
        "closed.jsonl": ("Skipped", "cannot read: Permission denied"),
        "closed.txt": ("Skipped", "cannot read: Permission denied"),
        "locked": ("Skipped", "cannot read folder: Permission denied"),
        "ok.txt": ("RawDocument", None),
        "secret.txt": ("Skipped", "cannot read: Permission denied"),
    }
