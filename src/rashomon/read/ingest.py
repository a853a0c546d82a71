"""Reading inputs: text files, saved web pages, RSS/Atom feeds, JSONL corpora, directories, and (opt-in)
live URLs. Each yields :class:`RawDocument` records, or :class:`Skipped` records with a one-line reason.

>>> docs = list(read_text_record("memo.txt", " date 2026-03-06 Leaders meet in Port Avel\\nThe two leaders met."))
>>> docs[0].date, docs[0].title, docs[0].text
('2026-03-06', 'Leaders meet in Port Avel', 'The two leaders met.')
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from datetime import date as _date
from pathlib import Path
from urllib.parse import urlparse

from ..config import Config
from ..errors import FetchError, InputNotFound, UsageError
from ..model import RawDocument, Skipped
from . import extract, limits, metadata

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
JSONL_EXT = {".jsonl", ".ndjson"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | FEED_EXT | JSONL_EXT

Item = RawDocument | Skipped

_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*(.*)$", re.IGNORECASE)


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def check_inputs(inputs: Iterable[str], config: Config) -> list[str]:
    """Validate the command line's inputs before any work: missing paths and URLs without ``--fetch`` are
    usage errors (nothing is processed), so a typo never produces a partial run."""
    out = []
    for value in inputs:
        if "://" in value:
            scheme = urlparse(value).scheme
            if scheme not in {"http", "https"}:
                raise UsageError(f"unsupported URL scheme {scheme!r} in {value!r}", "Only http(s) URLs can be fetched.")
            if not config.fetch:
                raise UsageError(f"{value!r} is a URL", "Pass --fetch to download live pages (off by default).")
        elif not _present(Path(value)):
            raise InputNotFound(value)
        out.append(value)
    return out


def _present(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # cannot tell (a folder above it may not be searched): the reader skips it, saying why
        return True


def iter_inputs(inputs: Iterable[str], config: Config) -> Iterator[Item]:
    """Every document of the given paths and URLs, in a stable order (directories sorted, recursive)."""
    for value in inputs:
        if is_url(value):
            yield from fetch_url(value, config)
            continue
        path = Path(value)
        try:
            is_dir = path.is_dir()
        except OSError:  # not even stat-able: read_path says why
            is_dir = False
        if is_dir:
            for child in walk(path):
                if isinstance(child, Skipped):
                    yield child
                elif child.suffix.lower() not in KNOWN_EXT:
                    yield Skipped(str(child), f"unsupported file type {child.suffix or '(none)'!r}")
                else:
                    yield from read_path(child, config)
        else:
            yield from read_path(path, config)


def walk(folder: Path) -> Iterator[Path | Skipped]:
    """The files under a folder, recursively, in sorted order; whatever cannot be read is a Skipped
    with the reason, never dropped in silence.

    Names starting with "." (hidden files and folders) are left out. Symbolic links are followed, each
    real folder is read once: a link back into a folder being read is a loop, a second link to a folder
    already read is reported as such, and a link to nothing is a broken link. A folder the process may
    not list, and anything that is neither file nor folder (a FIFO, a socket, a device), is skipped with
    the reason. The walk is iterative, so no folder depth can exhaust the stack.
    """
    try:
        root_stat = os.stat(folder)
    except OSError as exc:
        yield Skipped(str(folder), _stat_failure(folder, exc))
        return
    seen: dict[tuple[int, int], Path] = {(root_stat.st_dev, root_stat.st_ino): folder}
    # depth-first: (folder, the (dev, inode) of it and its ancestors, its entries still to visit)
    stack: list[tuple[Path, frozenset[tuple[int, int]], list[str]]] = []
    listed = _list(folder)
    if isinstance(listed, Skipped):
        yield listed
        return
    stack.append((folder, frozenset(seen), listed))
    while stack:
        parent, ancestors, names = stack[-1]
        if not names:
            stack.pop()
            continue
        path = parent / names.pop()
        if path.name.startswith("."):
            continue
        try:
            st = path.stat()  # follows symbolic links
        except OSError as exc:
            yield Skipped(str(path), _stat_failure(path, exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield Skipped(str(path), f"symbolic link loop: leads back to {str(seen[key])!r}")
            elif key in seen:
                yield Skipped(str(path), f"same folder as {str(seen[key])!r}, already read")
            else:
                seen[key] = path
                listed = _list(path)
                if isinstance(listed, Skipped):
                    yield listed
                else:
                    stack.append((path, ancestors | {key}, listed))
        elif stat.S_ISREG(st.st_mode):
            yield path
        else:
            yield Skipped(str(path), f"not a regular file ({_file_kind(st.st_mode)})")


def _list(folder: Path) -> list[str] | Skipped:
    """A folder's entry names, sorted in reverse (the walk pops from the end), or why it cannot be read."""
    try:
        return sorted(os.listdir(folder), reverse=True)
    except OSError as exc:
        return Skipped(str(folder), f"cannot read folder: {exc.strerror or exc}")


def _stat_failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link never reaches a file"
    if exc.errno == errno.ENOENT:
        try:
            target = os.readlink(path)  # the link is there, what it points to is not
        except OSError:
            return f"cannot read: {exc.strerror or exc}"  # not a link: it vanished while the folder was read
        return f"broken symbolic link: its target {target!r} does not exist"
    return f"cannot read: {exc.strerror or exc}"


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a file")


def read_path(path: Path, config: Config) -> Iterator[Item]:
    """The documents of one file; the format comes from the extension, else from the content."""
    name = str(path)
    ext = path.suffix.lower()
    try:
        st = path.stat()
    except OSError as exc:
        yield Skipped(name, f"cannot read: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield Skipped(name, f"not a regular file ({_file_kind(st.st_mode)})")
        return
    size = st.st_size
    if ext in JSONL_EXT:  # streamed: the size cap applies to each record, not to the corpus
        yield from read_jsonl(path, config)
        return
    if size == 0:
        yield Skipped(name, "empty file")
        return
    if size > config.max_file_bytes:
        yield Skipped(name, f"oversized: {size / 1e6:.1f} MB > {config.max_file_bytes / 1e6:.0f} MB limit")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(name, data, config)


def read_bytes(name: str, data: bytes, config: Config) -> Iterator[Item]:
    """The documents of one file's content (an upload, or a file already read); ``name`` gives the format
    by its extension (``.txt``, ``.html``, ``.rss``, ``.jsonl`` ...), else the content decides."""
    ext = Path(name).suffix.lower()
    if not data.strip():
        yield Skipped(name, "empty file")
        return
    if len(data) > config.max_file_bytes and ext not in JSONL_EXT:
        yield Skipped(name, f"oversized: {len(data) / 1e6:.1f} MB > {config.max_file_bytes / 1e6:.0f} MB limit")
        return
    if ext in JSONL_EXT:
        yield from _jsonl_lines(name, data.splitlines(), config)
        return
    decoded = decode(data)
    if isinstance(decoded, Skipped):
        yield Skipped(name, decoded.reason)
        return
    text, warning = decoded
    if not text.strip():
        yield Skipped(name, "empty file (only whitespace)")
        return
    kind = _kind(ext, text)
    if kind == "html":
        items = read_html_record(name, text)
    elif kind == "feed":
        items = read_feed(name, text)
    else:
        items = read_text_record(name, text)
    yield from _warned(items, warning)


def _warned(items: Iterable[Item], warning: str | None) -> Iterator[Item]:
    """The items, each document carrying ``warning`` (what reading its bytes lost) when there is one."""
    for item in items:
        if warning and isinstance(item, RawDocument):
            item = dataclasses.replace(item, warnings=(*item.warnings, warning))
        yield item


def _kind(ext: str, text: str) -> str:
    if ext in HTML_EXT:
        return "html"
    head = text.lstrip()[:1000].lower()
    if ext in FEED_EXT or (ext not in TEXT_EXT and head.startswith("<?xml")):
        return "feed" if ("<rss" in head or "<feed" in head or "<rdf" in head or ext in FEED_EXT) else "html"
    if ext not in TEXT_EXT and (head.startswith("<!doctype html") or head.startswith("<html")):
        return "html"
    return "txt"


def decode(data: bytes) -> tuple[str, str | None] | Skipped:
    """Bytes to text, and a warning when bytes had to be replaced: UTF-8 (with or without BOM), UTF-16 by
    BOM, else a detected legacy encoding. Binary content and bytes no encoding explains are rejected.

    UTF-8 text with a few broken bytes (at least as many well-formed multi-byte characters as broken ones: a legacy
    encoding almost never forms valid UTF-8 sequences by chance) is decoded as UTF-8 with each broken
    sequence replaced by U+FFFD, and the warning says how many: guessing a legacy encoding for it would
    turn every accented letter into mojibake, silently.

    >>> decode("Köln".encode() + b" \\xff")
    ('Köln \ufffd', 'undecodable bytes: 1 invalid UTF-8 sequence replaced with U+FFFD')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return Skipped("", "undecodable: invalid UTF-16")
    head = data[:8192]
    if b"\x00" in head:
        return Skipped("", "binary content (NUL bytes)")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        return Skipped("", "binary content (control bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8-sig", errors="replace")
    broken = lossy.count("\ufffd") - data.count("\ufffd".encode())
    wellformed = sum(1 for c in lossy if ord(c) > 127) - lossy.count("\ufffd")
    if wellformed >= broken:
        return lossy, _replaced(broken)
    from charset_normalizer import from_bytes

    try:
        western = data.decode("cp1252")  # the commonest legacy encoding of Western news text
    except UnicodeDecodeError:
        western = None
    if western is not None and _plausibly_western(western):
        return western, None
    candidates = [m for m in from_bytes(data) if m.chaos <= 0.25]
    if candidates:
        best = max(candidates, key=lambda m: (m.coherence, -m.chaos))
        if best.coherence >= 0.2:  # a language was recognised in the decoded text
            return str(best), None
    return Skipped("", "undecodable: not UTF-8 and no other encoding fits")


def _replaced(n: int) -> str:
    return f"undecodable bytes: {n} invalid UTF-8 sequence{'s' * (n != 1)} replaced with U+FFFD"


def _plausibly_western(text: str) -> bool:
    """Western text decoded right has few non-ASCII characters, nearly all accented Latin letters or
    typographic punctuation; Cyrillic or Greek bytes read as cp1252 are mostly non-ASCII."""
    import unicodedata

    sample = text[:20000]
    other = [c for c in sample if ord(c) > 127]
    if not other:
        return True
    if len(other) > 0.3 * max(1, sum(c.isalpha() for c in sample)):
        return False
    fine = sum(1 for c in other if "LATIN" in unicodedata.name(c, "") or c in "“”‘’–—…€«»°§·•")
    return fine >= 0.9 * len(other)


# --------------------------------------------------------------------------------------------- text


def read_text_record(name: str, text: str, kind: str = "txt", **meta: str | None) -> Iterator[Item]:
    """A plain-text article; an optional first line `` date YYYY-MM-DD`` carries the date and, in the rest
    of that line, either the headline or the first paragraph (told apart by :func:`headline_like`)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    date = date_source = title = None
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first < len(lines) and (m := _HEADER.match(lines[first])):
        if _valid_date(m.group(1)):
            date, date_source = m.group(1), "header"
        rest = m.group(2).strip()
        lines = lines[first + 1:]
        if rest:
            if headline_like(rest):
                title = rest
            else:
                lines = [rest, *lines]
    else:
        lines = lines[first:]
        title, lines = _leading_title(lines)
    body = "\n".join(lines).strip("\n")
    if not body.strip():
        yield Skipped(name, "no article text after the header line")
        return
    meta_date = meta.pop("date", None)
    yield RawDocument(
        input=name, text=body, kind=kind,
        title=meta.pop("title", None) or title,
        date=meta_date or date, date_source="metadata" if meta_date else date_source,
        source_id=meta.pop("source_id", None), outlet=meta.pop("outlet", None), url=meta.pop("url", None),
        language=meta.pop("language", None),
    )


def _valid_date(value: str) -> bool:
    try:
        _date.fromisoformat(value)
    except ValueError:
        return False
    return True


_REPORTING = re.compile(r"\b(said|says|told|added|according to|stated|announced)\b", re.IGNORECASE)
_OPENING_CLAUSE = re.compile(r"^(at|in|on|after|before|during|while|as|when|with|following|despite|amid)\b[^,]{0,80},",
                             re.IGNORECASE)


def headline_like(line: str) -> bool:
    """Whether a line reads as a headline rather than a paragraph of body text.

    Headlines are short, rarely end in a full stop, carry no attribution ("said") and do not open with a
    scene-setting clause ("At a press event after the talks, ...").

    >>> headline_like("Storm floods the harbour district of Kell")
    True
    >>> headline_like("At a briefing after the vote, the minister said the harbour would reopen on Monday.")
    False
    """
    line = line.strip()
    words = line.split()
    if len(words) < 3 or len(words) > 25:
        return False
    if _REPORTING.search(line) or (_OPENING_CLAUSE.match(line) and len(words) > 12):
        return False
    if line.count(",") >= 3:
        return False
    terminal = line[-1] in ".!?"
    if not terminal:
        return True
    # one sentence, in headline length: a headline written with a full stop
    return len(re.findall(r"[.!?](\s|$)", line)) == 1 and len(words) <= 22


def _leading_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """A headline on the first line of a file without a header: a headline-like line followed by body
    text, or a short headline sentence opening a line that continues with the standfirst."""
    if len(lines) < 2 or not any(x.strip() for x in lines[1:]):
        return None, lines
    first = lines[0].strip()
    if headline_like(first):
        return first.rstrip("."), lines[1:]
    m = re.match(r"^(.{10,160}?[.!?])\s+(?=[A-Z\"“‘'])(.+)$", first)
    if m and headline_like(m.group(1)) and len(m.group(1).split()) <= 16:
        return m.group(1).rstrip("."), [m.group(2), *lines[1:]]
    return None, lines


# --------------------------------------------------------------------------------------------- html


def read_html_record(name: str, html: str, kind: str = "html", **meta: str | None) -> Iterator[Item]:
    """A saved web page: main text, title, date and outlet through :mod:`rashomon.read.extract`."""
    page = extract.extract_html(html, url=meta.get("url"))
    if page is None or not page.text.strip():
        yield Skipped(name, "no article text found in the HTML page")
        return
    given_date = meta.get("date")
    yield RawDocument(
        input=name, text=page.text, kind=kind,
        title=meta.get("title") or page.title,
        date=given_date or page.date,
        date_source="metadata" if (given_date or page.date) else None,
        outlet=meta.get("outlet") or page.outlet,
        url=meta.get("url") or page.url,
        source_id=meta.get("source_id"), language=meta.get("language") or page.language, from_html=True,
    )


# --------------------------------------------------------------------------------------------- feeds


def read_feed(name: str, text: str) -> Iterator[Item]:
    """Entries of an RSS or Atom feed (:func:`rashomon.read.feeds.parse_feed`); each entry's content (or
    summary) is an article."""
    from .feeds import parse_feed

    feed = parse_feed(text)
    if feed.error:
        yield Skipped(name, feed.error)
        return
    if not feed.entries:
        yield Skipped(name, "feed has no entries")
        return
    for entry in feed.entries:
        if not entry.body.strip():
            yield Skipped(name, "feed entry has no content", index=entry.index)
            continue
        if not entry.text:
            yield Skipped(name, "feed entry has no text", index=entry.index)
            continue
        yield RawDocument(input=f"{name}#{entry.index}", text=entry.text, kind="feed", title=entry.title,
                          date=entry.date, date_source="metadata" if entry.date else None, outlet=feed.title,
                          url=entry.link, source_id=entry.id or entry.link, from_html=entry.from_html,
                          language=entry.language)


# --------------------------------------------------------------------------------------------- jsonl


def read_jsonl(path: Path, config: Config) -> Iterator[Item]:
    """One article per line (``id``, ``text`` or ``html``, optional ``date``, ``title``, ``outlet``, ``url``,
    ``language``). Bad lines are skipped with their line number; the rest of the file goes on."""
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skipped(name, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        yield from _jsonl_lines(name, _lines_or_error(name, handle), config)


def _lines_or_error(name: str, handle: Iterable[bytes]) -> Iterator[bytes | Skipped]:
    """A file's lines; a read error partway (a disk fault, a file cut while read) ends them with a Skipped."""
    lineno = 0
    try:
        for lineno, raw in enumerate(handle, 1):  # noqa: B007 - the count is reported on error
            yield raw
    except OSError as exc:
        yield Skipped(name, f"read error after line {lineno}: {exc.strerror or exc}")


def _jsonl_lines(name: str, lines: Iterable[bytes | Skipped], config: Config) -> Iterator[Item]:
    seen_any = False
    for lineno, raw in enumerate(lines, 1):
        if isinstance(raw, Skipped):
            yield raw
            return
        if not raw.strip():
            continue
        seen_any = True
        if len(raw) > config.max_file_bytes:
            yield Skipped(name, f"record oversized: {len(raw) / 1e6:.1f} MB", index=lineno)
            continue
        warning = None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("utf-8-sig", errors="replace")
            warning = _replaced(text.count("\ufffd") - raw.count("\ufffd".encode()))
        try:
            record = limits.loads(text)
        except json.JSONDecodeError as exc:
            reason = f"malformed JSON: {exc.msg} at column {exc.colno}"
            yield Skipped(name, reason + (" (the line is not UTF-8)" if warning else ""), index=lineno)
            continue
        except limits.Refused as exc:
            yield Skipped(name, f"malformed JSON: {exc}", index=lineno)
            continue
        yield from _warned(jsonl_record(name, record, lineno), warning)
    if not seen_any:
        yield Skipped(name, "empty file")


_FIELDS = ("title", "outlet", "url", "language", "date")


def jsonl_record(name: str, record: object, index: int | None = None, kind: str = "jsonl") -> Iterator[Item]:
    """One JSONL/API article object to a RawDocument (or Skipped with the reason).

    ``text`` and ``html`` must be strings; ``title``, ``outlet``, ``url``, ``language`` and ``date``
    strings or null; ``id`` a string or an integer (kept as its decimal string). Any other value (an
    object, a list, a boolean) skips the record with the field's name, rather than storing a Python repr
    of it as a title."""
    if not isinstance(record, dict):
        yield Skipped(name, "record is not a JSON object", index=index)
        return
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str | type(None)) or not isinstance(html, str | type(None)):
        yield Skipped(name, "'text' and 'html' must be strings", index=index)
        return
    if not (text and text.strip()) and not (html and html.strip()):
        yield Skipped(name, "record has no 'text' or 'html'", index=index)
        return
    rid = record.get("id")
    wrong = [k for k in _FIELDS if not isinstance(record.get(k), str | type(None))]
    if wrong or isinstance(rid, bool) or not isinstance(rid, str | int | type(None)):
        field, value = (wrong[0], record.get(wrong[0])) if wrong else ("id", rid)
        must = "a string or an integer" if field == "id" else "a string"
        yield Skipped(name, f"{field!r} must be {must}, not {_json_type(value)}", index=index)
        return
    meta: dict[str, str | None] = {}
    for key in _FIELDS:
        value = record.get(key)
        meta[key] = value.strip() or None if isinstance(value, str) else None
    if meta["date"]:
        normalised = metadata.normalise_date(meta["date"])
        meta["date"] = normalised
    meta["source_id"] = str(rid) if rid not in (None, "") else None
    label = f"{name}:{index}" if index is not None else name
    items = read_html_record(label, html, kind=kind, **meta) if html and not (text and text.strip()) \
        else _text_item(label, text or "", kind, meta)
    for item in items:
        if isinstance(item, Skipped):
            yield Skipped(name, item.reason, index=index)
        else:
            yield item


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _text_item(label: str, text: str, kind: str, meta: dict[str, str | None]) -> Iterator[Item]:
    # JSONL text is the body as given: no header-line or title guessing, the record says what it is
    yield RawDocument(input=label, text=text, kind=kind, title=meta["title"], date=meta["date"],
                      date_source="metadata" if meta["date"] else None, outlet=meta["outlet"], url=meta["url"],
                      language=meta["language"], source_id=meta["source_id"])


# --------------------------------------------------------------------------------------------- fetch


def fetch_url(url: str, config: Config) -> Iterator[Item]:
    """Download one page (under :class:`rashomon.read.fetch.FetchPolicy`: a deadline, a size cap, no private
    addresses unless allowed) and read it as HTML, a feed or text."""
    from .fetch import FetchPolicy, fetch

    try:
        response = fetch(url, FetchPolicy.from_config(config))
    except FetchError as exc:
        yield Skipped(url, f"{exc.message}. {exc.fix}" if exc.fix else exc.message)
        return
    if not 200 <= response.status < 300:
        yield Skipped(url, f"fetch failed: HTTP {response.status}")
        return
    content_type = response.headers.get("content-type", "").lower()
    decoded = decode(response.body) if response.body.strip() else Skipped(url, "empty page")
    if isinstance(decoded, Skipped):
        yield Skipped(url, decoded.reason)
        return
    text, warning = decoded
    if "xml" in content_type and ("rss" in content_type or "atom" in content_type or "<rss" in text[:500]):
        items = read_feed(url, text)
    elif "html" in content_type or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        items = read_html_record(url, text, kind="url", url=url)
    else:
        items = read_text_record(url, text, kind="url", url=url)
    yield from _warned(items, warning)
