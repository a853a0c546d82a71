"""The embedded store: one SQLite file (WAL) with articles, per-article notes, family and story assignments,
the incremental indexes' state, and a log of runs and skipped inputs.

Every write is one short transaction, so a run killed halfway keeps all it committed and the next run
resumes: articles already stored are recognised by content hash, articles with notes are not parsed again.
Readers in other processes see committed data while a writer works (WAL).

>>> from rashomon.model import Article
>>> with Store(":memory:") as store:
...     first = store.add_articles([Article(id="a1", input="x.txt", text="Kell votes.", content_hash="h1")])
...     again = store.add_articles([Article(id="a1", input="x.txt", text="Kell votes.", content_hash="h1")])
...     [(a.id, new) for a, new in first], [(a.id, new) for a, new in again], store.count()
([('a1', True)], [('a1', False)], 1)
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import os
import re
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import StoreError
from .model import (
    NOTES_VERSION,
    Article,
    FeedState,
    InputWarning,
    Notes,
    RunSummary,
    Skipped,
    from_data,
    to_data,
)

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    source_id TEXT, input TEXT NOT NULL, kind TEXT, outlet TEXT, title TEXT, date TEXT, date_source TEXT,
    language TEXT, text TEXT NOT NULL, removed TEXT NOT NULL DEFAULT '[]', url TEXT,
    added_at TEXT NOT NULL, analysed INTEGER NOT NULL DEFAULT 1, analysed_reason TEXT, language_declared TEXT
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source_id);
CREATE TABLE IF NOT EXISTS notes (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    family TEXT, story TEXT
);
CREATE INDEX IF NOT EXISTS assignments_story ON assignments(story);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, data BLOB NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outlet_lines (
    outlet TEXT NOT NULL, line TEXT NOT NULL, content_hash TEXT NOT NULL,
    PRIMARY KEY (outlet, line, content_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT,
    inputs INTEGER DEFAULT 0, articles INTEGER DEFAULT 0, new INTEGER DEFAULT 0, duplicates INTEGER DEFAULT 0,
    skipped INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS skipped (
    run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE, input TEXT NOT NULL, idx INTEGER, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warnings (
    run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE, input TEXT NOT NULL, idx INTEGER, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
-- who is computing an article's notes: a row from when the article is stored until its notes are, so an
-- article without notes whose writer is gone (a killed run) is known for an orphan that anyone may annotate
CREATE TABLE IF NOT EXISTS writers (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, owner TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edits (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, field TEXT NOT NULL,
    original TEXT, value TEXT, edited_at TEXT NOT NULL, PRIMARY KEY (article_id, field)
);
-- the feed follower (rashomon watch): each followed URL's validators, backoff and last outcome, and every
-- entry already handled (no foreign key to articles: an article deleted by hand is not fetched back)
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, failures INTEGER NOT NULL DEFAULT 0,
    retry_at REAL NOT NULL DEFAULT 0, polled_at REAL, status TEXT, error TEXT, items INTEGER NOT NULL DEFAULT 0,
    feed_url TEXT
);
CREATE TABLE IF NOT EXISTS feed_items (
    feed TEXT NOT NULL, key TEXT NOT NULL, url TEXT, article_id TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    note TEXT, seen_at TEXT NOT NULL, PRIMARY KEY (feed, key)
);
CREATE INDEX IF NOT EXISTS feed_items_url ON feed_items(url);
"""
EDITABLE = ("outlet", "title")
GIVE_UP = 99  # the attempts recorded for a feed entry given up on  # what a person may correct in an article (its text and date stay as read)

# Full-text search (FTS5) over articles (title, outlet, body) and quotes (speaker, words). Triggers keep both
# indexes in step with every writer (the CLI as well as the API), so nothing has to remember to update them.
# Quotes live inside the notes' JSON; a trigger copies them into ``quote_index`` whenever notes are stored.
_SEARCH_DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, outlet, text, content='articles', "
    "content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, outlet, text) VALUES (new.seq, new.title, new.outlet, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, outlet, text) "
    "VALUES ('delete', old.seq, old.title, old.outlet, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, outlet, text) "
    "VALUES ('delete', old.seq, old.title, old.outlet, old.text); "
    "INSERT INTO articles_fts(rowid, title, outlet, text) VALUES (new.seq, new.title, new.outlet, new.text); END",
    "CREATE TABLE IF NOT EXISTS quote_index (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, n INTEGER NOT NULL, "
    "speaker TEXT, text TEXT NOT NULL, start_char INTEGER, end_char INTEGER)",
    "CREATE INDEX IF NOT EXISTS quote_index_article ON quote_index(article_id)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(speaker, text, content='quote_index', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS quote_index_ai AFTER INSERT ON quote_index BEGIN "
    "INSERT INTO quotes_fts(rowid, speaker, text) VALUES (new.id, new.speaker, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS quote_index_ad AFTER DELETE ON quote_index BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, speaker, text) VALUES ('delete', old.id, old.speaker, old.text); END",
    # INSERT OR REPLACE on notes fires no delete trigger (recursive_triggers is off): clear first, then copy
    "CREATE TRIGGER IF NOT EXISTS notes_quotes_ai AFTER INSERT ON notes BEGIN "
    "DELETE FROM quote_index WHERE article_id=new.article_id; " + "{copy}" + " END",
    "CREATE TRIGGER IF NOT EXISTS notes_quotes_ad AFTER DELETE ON notes BEGIN "
    "DELETE FROM quote_index WHERE article_id=old.article_id; END",
)
_COPY_QUOTES = ("INSERT INTO quote_index (article_id, n, speaker, text, start_char, end_char) "
                "SELECT {src}.article_id, q.key, json_extract(q.value, '$.speaker'), json_extract(q.value, '$.text'), "
                "json_extract(q.value, '$.start'), json_extract(q.value, '$.end') "
                "FROM {from_}json_each({src}.data, '$.quotes') AS q "
                "WHERE json_extract(q.value, '$.text') IS NOT NULL;")
_SEARCH_DDL = tuple(x.replace("{copy}", _COPY_QUOTES.format(src="new", from_="")) for x in _SEARCH_DDL)
_SNIPPET_OPEN, _SNIPPET_CLOSE = "\x02", "\x03"

_ARTICLE_COLUMNS = ("id", "content_hash", "source_id", "input", "kind", "outlet", "title", "date", "date_source",
                    "language", "text", "removed", "url", "analysed", "analysed_reason", "language_declared")
# columns added to ``articles`` after schema 1 was released: a store without them gets them when opened
_ADDED_COLUMNS = (("analysed", "INTEGER NOT NULL DEFAULT 1"), ("analysed_reason", "TEXT"), ("language_declared", "TEXT"))


NoteRow = tuple[str, int, str]  # (article id, notes version, the notes as JSON)


def notes_row(notes: Notes) -> NoteRow:
    """Notes as the store keeps them."""
    return notes.article_id, notes.version, _notes_json(notes)


def decode_notes(data: str, without: Collection[str] = ()) -> Notes:
    """Notes from their stored JSON (:func:`notes_row`); ``without``: fields left empty, not decoded."""
    found = json.loads(data)
    for name in without:
        found.pop(name, None)
    return from_data(Notes, found)


@dataclasses.dataclass(frozen=True, slots=True)
class StoredNotes:
    """An article's notes as the store keeps them (JSON), decoded by whoever reads them (:meth:`decode`):
    a worker, rather than the process that read them from the store (which would otherwise decode them
    and pickle the records for the worker, which unpickles them)."""

    data: str

    def decode(self) -> Notes:
        return decode_notes(self.data)


def renamed_row(row: NoteRow, article_id: str) -> NoteRow:
    """An encoded row for an article stored under another id: the same bytes as :func:`notes_row` of the
    notes with that id."""
    if row[0] == article_id:
        return row
    data = json.loads(row[2])
    data["article_id"] = article_id
    return article_id, row[1], json.dumps(data, ensure_ascii=False, allow_nan=False)


def _notes_json(notes: Notes) -> str:
    """Notes as strict JSON: SQLite's JSON functions (the quote index's trigger) reject the NaN and Infinity
    that json.dumps writes by default, which failed the whole transaction and left the article without
    notes for every later run to trip on. A non-finite number is stored as null."""
    data = to_data(notes)
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data), ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """A rashomon database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path = "rashomon.db", timeout: float = 30.0) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {str(parent)!r} for the database: {exc.strerror}",
                                 "Pass another --db path.") from exc
        try:
            self.db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path!r}: {exc}", "Check the path and permissions.") from exc
        self.db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._placing = 0  # depth of placement_lock held by this process
        try:
            self._wal(timeout)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            with self.tx():
                for statement in _DDL.split(";"):  # not executescript: it would commit mid-transaction
                    if statement.strip():
                        self.db.execute(statement)
                row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                elif int(row[0]) != SCHEMA_VERSION:
                    raise StoreError(f"{self.path!r} has store schema {row[0]}, this rashomon uses {SCHEMA_VERSION}",
                                     "Use a new --db file or the matching rashomon version.")
                have = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
                for column, kind in _ADDED_COLUMNS:
                    if column not in have:
                        self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
                self._ensure_search(self.db)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{self.path!r} is not a usable rashomon database: {exc}",
                             "Pass another --db path.") from exc

    def _wal(self, timeout: float) -> None:
        """Switch to write-ahead logging. Two processes opening a new store at once: switching takes the
        database whole, and SQLite answers "database is locked" at once instead of waiting (its busy
        handler does not run for it), so the switch is tried again until ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # ----------------------------------------------------------------------------------- plumbing

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def placement_lock(self) -> Iterator[None]:
        """Exclusive across processes (an advisory lock on ``<db>.lock``) for the read-modify-write of the
        family/story indexes, so a CLI run and a server writing to one store never both place articles
        from the same saved state. Within a process the store's own lock serialises callers."""
        with self._lock:
            if self.path == ":memory:" or self._placing:  # re-entered by the holder
                self._placing += 1
                try:
                    yield
                finally:
                    self._placing -= 1
                return
            import fcntl

            with open(self.path + ".lock", "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                self._placing = 1
                try:
                    yield
                finally:
                    self._placing = 0
                    fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on any error."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def wait_for_writers(self, seconds: float) -> float:
        """How long this connection waits, from now on, for another's write transaction before it gives up
        (the store opens with its ``timeout``); returns the wait it replaces."""
        with self._lock:
            before = float(self.db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000
            self.db.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
        return before

    def _ensure_search(self, db: sqlite3.Connection) -> None:
        """Create the full-text indexes; a store made before they existed is indexed once, here."""
        existed = db.execute("SELECT 1 FROM sqlite_master WHERE name='articles_fts'").fetchone() is not None
        for statement in _SEARCH_DDL:
            db.execute(statement)
        if not existed:
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            db.execute("DELETE FROM quote_index")
            db.execute(_COPY_QUOTES.format(src="n", from_="notes AS n, "))

    # ----------------------------------------------------------------------------------- articles

    def add_articles(self, articles: Sequence[Article]) -> list[tuple[Article, bool]]:
        """Store articles (one transaction). Returns each with ``True`` if new; a known content hash is a
        no-op and returns the stored article."""
        out: list[tuple[Article, bool]] = []
        with self.tx() as db:
            for a in articles:
                row = db.execute("SELECT * FROM articles WHERE content_hash=?", (a.content_hash,)).fetchone()
                if row is not None:
                    out.append((_article(row), False))
                    continue
                taken = db.execute("SELECT 1 FROM articles WHERE id=?", (a.id,)).fetchone()
                if taken is not None:  # the same corpus id with other content: keep both, apart
                    a = dataclasses.replace(a, id=f"{a.id}~{a.content_hash[:8]}")
                values: list[Any] = [getattr(a, c) if c != "removed" else json.dumps(list(a.removed), ensure_ascii=False)
                                     for c in _ARTICLE_COLUMNS]
                try:
                    db.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, added_at) "
                               f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}, ?)", (*values, _now()))
                except sqlite3.IntegrityError as exc:
                    raise StoreError(f"article id {a.id!r} already stored with other content",
                                     "This is a bug: ids derive from content hashes.") from exc
                db.execute("INSERT OR REPLACE INTO writers VALUES (?, ?)", (a.id, _owner()))
                out.append((a, True))
        return out

    def has_hash(self, content_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash=?", (content_hash,)).fetchone()
        return row[0] if row else None

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(
            "SELECT a.*, s.family, s.story FROM articles a LEFT JOIN assignments s ON s.article_id=a.id "
            "WHERE a.id=?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """Articles in arrival order (all of them, or those with the given ids), with family and story."""
        sql = ("SELECT a.*, s.family, s.story FROM articles a LEFT JOIN assignments s ON s.article_id=a.id ")
        if ids is None:
            return [_article(r) for r in self.db.execute(sql + "ORDER BY a.seq")]
        wanted = list(dict.fromkeys(ids))
        rows: list[sqlite3.Row] = []
        for chunk in _chunks(wanted, 500):
            rows.extend(self.db.execute(sql + f"WHERE a.id IN ({','.join('?' * len(chunk))})", chunk))
        by_id = {r["id"]: r for r in rows}
        return [_article(by_id[i]) for i in wanted if i in by_id]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def languages(self, ids: Iterable[str] | None = None) -> list[tuple[str | None, bool, str | None, int]]:
        """``(language, analysed, reason, articles)`` over the given articles (or all), most articles first.

        >>> with Store(":memory:") as store:
        ...     _ = store.add_articles([Article(id="a", input="-", text="Kell.", language="de", analysed=False,
        ...                                     analysed_reason="German: no model", content_hash="h")])
        ...     store.languages(["a"])
        [('de', False, 'German: no model', 1)]
        """
        counts: dict[tuple[str | None, bool, str | None], int] = {}
        sql = "SELECT language, analysed, analysed_reason, COUNT(*) FROM articles "
        if ids is None:
            rows = list(self.db.execute(sql + "GROUP BY 1, 2, 3"))
        else:
            rows = []
            for chunk in _chunks(list(dict.fromkeys(ids)), 500):
                rows.extend(self.db.execute(sql + f"WHERE id IN ({','.join('?' * len(chunk))}) GROUP BY 1, 2, 3", chunk))
        for lang, analysed, reason, n in rows:
            key = (lang, bool(analysed), reason)
            counts[key] = counts.get(key, 0) + int(n)
        return sorted(((k[0], k[1], k[2], n) for k, n in counts.items()), key=lambda x: (-x[3], x[0] or ""))

    def edit_article(self, article_id: str, **fields: str | None) -> Article | None:
        """Correct an article's ``outlet`` or ``title`` (None or "" clears it). The stored article itself
        changes, so every later analysis, brief and reference uses the correction, and re-reading the same
        input (same content hash) keeps it; the value as read is kept in ``edits``. Returns the article,
        or None when no article has that id.

        >>> with Store(":memory:") as store:
        ...     _ = store.add_articles([Article(id="a1", input="x", text="Kell votes.", outlet="x.txt", content_hash="h")])
        ...     store.edit_article("a1", outlet="Kell Post").outlet, store.edits(["a1"])
        ('Kell Post', {'a1': {'outlet': {'original': 'x.txt', 'value': 'Kell Post'}}})
        """
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise StoreError(f"cannot edit {', '.join(sorted(unknown))}", f"Editable fields: {', '.join(EDITABLE)}.")
        with self.tx() as db:
            row = db.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
            if row is None:
                return None
            for name, value in fields.items():
                value = (value or "").strip() or None
                db.execute("INSERT INTO edits VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, field) "
                           "DO UPDATE SET value=excluded.value, edited_at=excluded.edited_at",
                           (article_id, name, row[name], value, _now()))
                db.execute(f"UPDATE articles SET {name}=? WHERE id=?", (value, article_id))  # noqa: S608 - EDITABLE
            db.execute("INSERT INTO meta VALUES ('edit_generation', '1') ON CONFLICT(key) "
                       "DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        return self.article(article_id)

    def edits(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, dict[str, str | None]]]:
        """The corrections made to articles: id -> field -> ``{"original", "value"}``."""
        out: dict[str, dict[str, dict[str, str | None]]] = {}
        sql = "SELECT article_id, field, original, value FROM edits"
        rows: list[sqlite3.Row] = []
        if ids is None:
            rows = list(self.db.execute(sql + " ORDER BY article_id, field"))
        else:
            for chunk in _chunks(list(ids), 500):
                rows.extend(self.db.execute(sql + f" WHERE article_id IN ({','.join('?' * len(chunk))}) "
                                            "ORDER BY article_id, field", chunk))
        for r in rows:
            out.setdefault(r[0], {})[r[1]] = {"original": r[2], "value": r[3]}
        return out

    def edit_generation(self) -> int:
        """A number that changes whenever an article is edited (for caches of store-wide lists)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='edit_generation'").fetchone()
        return int(row[0]) if row else 0

    def delete_article(self, article_id: str) -> bool:
        """Remove an article with its notes and assignment. Returns False when it was not stored."""
        with self.tx() as db:
            row = db.execute("SELECT content_hash FROM articles WHERE id=?", (article_id,)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM outlet_lines WHERE content_hash=?", (row[0],))
            db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        return True

    # -------------------------------------------------------------------------------- outlet lines

    def record_lines(self, outlet: str, content_hash: str, lines: Iterable[str]) -> None:
        """Remember which (folded) lines an outlet's article carries, to spot the outlet's own clutter."""
        with self.tx() as db:
            db.executemany("INSERT OR IGNORE INTO outlet_lines VALUES (?, ?, ?)",
                           [(outlet, line, content_hash) for line in set(lines)])

    def repeated_lines(self, outlet: str, min_articles: int) -> set[str]:
        """Lines seen in at least ``min_articles`` different articles of one outlet."""
        rows = self.db.execute("SELECT line FROM outlet_lines WHERE outlet=? GROUP BY line "
                               "HAVING COUNT(*) >= ?", (outlet, min_articles))
        return {r[0] for r in rows}

    # --------------------------------------------------------------------------------------- notes

    def without_notes(self, ids: Iterable[str], version: int = NOTES_VERSION) -> list[str]:
        """Of the given ids, those with no notes of the current version (in the given order)."""
        ids = list(ids)
        have: set[str] = set()
        for chunk in _chunks(ids, 500):
            have.update(r[0] for r in self.db.execute(
                f"SELECT article_id FROM notes WHERE version=? AND article_id IN ({','.join('?' * len(chunk))})",
                (version, *chunk)))
        return [i for i in ids if i not in have]

    def save_notes(self, notes: Sequence[Notes]) -> None:
        self.save_note_rows([notes_row(n) for n in notes])

    def save_note_rows(self, rows: Sequence[NoteRow]) -> None:
        """Notes already encoded (:func:`notes_row`; the workers encode them, not the process storing them)."""
        with self.tx() as db:
            db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?)", rows)
            db.executemany("DELETE FROM writers WHERE article_id=?", [(r[0],) for r in rows])

    def orphans(self, ids: Iterable[str]) -> list[str]:
        """Of the given ids, those whose writer is gone: nobody alive is computing their notes (the process
        that stored them was killed, or they predate this record). In the given order."""
        ids = list(ids)
        owners: dict[str, str] = {}
        for chunk in _chunks(ids, 500):
            owners.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT article_id, owner FROM writers WHERE article_id IN ({','.join('?' * len(chunk))})", chunk))
        alive: dict[str, bool] = {}
        return [i for i in ids if i not in owners or not alive.setdefault(owners[i], _alive(owners[i]))]

    def notes(self, ids: Iterable[str], without: Collection[str] = ()) -> dict[str, Notes]:
        """The stored notes of the given ids (those that have any), by id; ``without``: fields left out, as
        if they were empty (never decoded: the corpus-wide steps read every article's notes but not
        their figures, stances or vectors, 256 numbers an article)."""
        out: dict[str, Notes] = {}
        for data in self._note_data(ids):
            n = decode_notes(data, without)
            out[n.article_id] = n
        return out

    def stored_notes(self, ids: Iterable[str]) -> dict[str, StoredNotes]:
        """The stored notes of the given ids as the store keeps them, to be decoded where they are used
        (:class:`StoredNotes`): the reduce hands each story's to the worker that reads them."""
        out: dict[str, StoredNotes] = {}
        for aid, data in self._note_data(ids, with_ids=True):
            out[aid] = StoredNotes(data)
        return out

    def _note_data(self, ids: Iterable[str], with_ids: bool = False) -> Iterator[Any]:
        for chunk in _chunks(list(ids), 500):
            yield from (r if with_ids else r[0] for r in self.db.execute(
                f"SELECT {'article_id, ' if with_ids else ''}data FROM notes "
                f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk))

    # ------------------------------------------------------------------------ families and stories

    def save_assignments(self, families: dict[str, str], stories: dict[str, str],
                         state: dict[str, bytes | StateWriter] | None = None) -> None:
        """Family and story of each article, with the incremental indexes' state, in one transaction.

        A state is bytes, or a function that writes it to a binary file (``index.dump_to``): that one is
        streamed into the store, never held whole in memory (at 100k articles the families' state is
        hundreds of MB, and binding bytes to a statement copies them once more). It is written once, to a
        temporary file, then copied into a blob of its size."""
        with self.tx() as db:
            ids = set(families) | set(stories)
            db.executemany("INSERT OR REPLACE INTO assignments VALUES (?, ?, ?)",
                           [(i, families.get(i), stories.get(i)) for i in ids])
            for name, blob in (state or {}).items():
                if isinstance(blob, bytes | bytearray | memoryview):
                    db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (name, blob, _now()))
                    continue
                with tempfile.TemporaryFile() as spool:
                    blob(spool)
                    size = spool.tell()
                    spool.seek(0)
                    row = db.execute("INSERT OR REPLACE INTO state VALUES (?, zeroblob(?), ?)",
                                     (name, size, _now())).lastrowid
                    with db.blobopen("state", "data", int(row or 0)) as out:
                        while piece := spool.read(1 << 20):
                            out.write(piece)
            _bump_generation(db)

    @contextmanager
    def state_file(self, name: str) -> Iterator[io.BufferedReader | None]:
        """A saved state as a binary file read from the store as it is consumed (None if none is saved),
        so loading a big state never holds its bytes whole next to what they become."""
        row = self.db.execute("SELECT rowid FROM state WHERE name=?", (name,)).fetchone()
        if row is None:
            yield None
            return
        with self.db.blobopen("state", "data", row[0], readonly=True) as blob:
            yield io.BufferedReader(_BlobReader(blob), buffer_size=1 << 20)

    def assignments(self) -> tuple[dict[str, str], dict[str, str]]:
        fam, story = {}, {}
        for r in self.db.execute("SELECT article_id, family, story FROM assignments"):
            if r[1]:
                fam[r[0]] = r[1]
            if r[2]:
                story[r[0]] = r[2]
        return fam, story

    def unassigned(self) -> list[str]:
        """Stored articles not yet placed in a family and story, in arrival order."""
        return [i for _, i in self.unassigned_after(0)]

    def unassigned_after(self, seq: int) -> list[tuple[int, str]]:
        """``(arrival number, id)`` of the unplaced articles that arrived after arrival number ``seq``, in
        arrival order (every writer's: the arrival order is the store's, whoever wrote)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT a.seq, a.id FROM articles a LEFT JOIN assignments s ON s.article_id=a.id "
            "WHERE (s.article_id IS NULL OR s.story IS NULL) AND a.seq > ? ORDER BY a.seq", (seq,))]

    def unplaced_without_notes(self) -> list[str]:
        """Unplaced articles that have no notes at all, in arrival order: placing stops at the first of
        them until someone computes its notes."""
        return [r[0] for r in self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN assignments s ON s.article_id=a.id "
            "LEFT JOIN notes n ON n.article_id=a.id "
            "WHERE (s.article_id IS NULL OR s.story IS NULL) AND n.article_id IS NULL ORDER BY a.seq")]

    def placement_generation(self) -> int:
        """A number that changes whenever placements or index state are saved or cleared, so a placer working
        on a copy of the saved state can tell whether someone else placed articles meanwhile."""
        row = self.db.execute("SELECT value FROM meta WHERE key='placement_generation'").fetchone()
        return int(row[0]) if row else 0

    def load_state(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM state WHERE name=?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def clear_state(self) -> None:
        """Forget all families, stories and index state (they are rebuilt from the articles)."""
        with self.tx() as db:
            db.execute("DELETE FROM assignments")
            db.execute("DELETE FROM state")
            _bump_generation(db)

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT story FROM assignments WHERE story IS NOT NULL")]

    def story_members(self, story: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT s.article_id FROM assignments s JOIN articles a ON a.id=s.article_id WHERE s.story=? "
            "ORDER BY a.seq", (story,))]

    def placements(self, story: str | None = None) -> list[tuple[str, str | None, str | None]]:
        """``(article_id, family, story)`` of every stored article (or one story's), in arrival order; cheap
        (no text), so callers can tell whether anything they cached has moved."""
        sql = ("SELECT a.id, s.family, s.story FROM articles a LEFT JOIN assignments s ON s.article_id=a.id ")
        rows = self.db.execute(sql + "WHERE s.story=? ORDER BY a.seq", (story,)) if story is not None \
            else self.db.execute(sql + "ORDER BY a.seq")
        return [(r[0], r[1], r[2]) for r in rows]

    # -------------------------------------------------------------------------------------- search

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Articles and quotes matching ``query`` (words, "quoted phrases"; the last word matches as a
        prefix), best first. Each hit has a ``snippet``: a list of ``[text, matched]`` pieces, so a caller
        can highlight matches without ever treating article text as markup.

        >>> from rashomon.model import Article
        >>> with Store(":memory:") as store:
        ...     _ = store.add_articles([Article(id="a1", input="-", text="Kell harbour reopens.", content_hash="h")])
        ...     [hit["id"] for hit in store.search("harbo")["articles"]], store.search("nothing")["articles"]
        (['a1'], [])
        """
        match = fts_query(query)
        if not match:
            return {"articles": [], "quotes": []}
        marks = f"'{_SNIPPET_OPEN}', '{_SNIPPET_CLOSE}', '…', 24"
        articles = [
            {"id": r["id"], "title": r["title"], "outlet": r["outlet"], "date": r["date"], "story": r["story"],
             "snippet": _pieces(r["snip"])}
            for r in self.db.execute(
                f"SELECT a.id, a.title, a.outlet, a.date, s.story, snippet(articles_fts, 2, {marks}) AS snip "
                "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "LEFT JOIN assignments s ON s.article_id = a.id "
                "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 2.0, 1.0) LIMIT ?", (match, limit))
        ]
        quotes = [
            {"article_id": r["article_id"], "speaker": r["speaker"], "text": r["text"], "start": r["start_char"],
             "end": r["end_char"], "outlet": r["outlet"], "title": r["title"], "story": r["story"],
             "snippet": _pieces(r["snip"])}
            for r in self.db.execute(
                f"SELECT q.article_id, q.speaker, q.text, q.start_char, q.end_char, a.outlet, a.title, s.story, "
                f"snippet(quotes_fts, 1, {marks}) AS snip "
                "FROM quotes_fts JOIN quote_index q ON q.id = quotes_fts.rowid "
                "JOIN articles a ON a.id = q.article_id LEFT JOIN assignments s ON s.article_id = q.article_id "
                "WHERE quotes_fts MATCH ? ORDER BY bm25(quotes_fts, 2.0, 1.0) LIMIT ?", (match, limit))
        ]
        return {"articles": articles, "quotes": quotes}

    # ------------------------------------------------------------------------------- feed following

    def feed_state(self, url: str) -> FeedState:
        """What the follower knows of one followed URL (a fresh state for one never polled).

        >>> with Store(":memory:") as store:
        ...     store.save_feed_state(FeedState("https://kellpost.example/rss", etag='"v2"', failures=1))
        ...     store.feed_state("https://kellpost.example/rss").etag, store.feed_state("https://x.example/").failures
        ('"v2"', 0)
        """
        row = self.db.execute("SELECT * FROM feeds WHERE url=?", (url,)).fetchone()
        return _feed_state(row) if row else FeedState(url)

    def feed_states(self) -> list[FeedState]:
        """Every followed URL's state, by URL."""
        return [_feed_state(r) for r in self.db.execute("SELECT * FROM feeds ORDER BY url")]

    def save_feed_state(self, state: FeedState) -> None:
        fields = [f.name for f in dataclasses.fields(FeedState)]
        with self.tx() as db:
            db.execute(f"INSERT OR REPLACE INTO feeds ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                       [getattr(state, f) for f in fields])

    def feed_items(self, feed: str, keys: Iterable[str]) -> dict[str, tuple[str | None, int]]:
        """Of these entry keys of one feed, those already handled: key -> (article id or None, attempts)."""
        out: dict[str, tuple[str | None, int]] = {}
        for chunk in _chunks(list(dict.fromkeys(keys)), 500):
            out.update((r[0], (r[1], int(r[2]))) for r in self.db.execute(
                f"SELECT key, article_id, attempts FROM feed_items WHERE feed=? AND key IN ({','.join('?' * len(chunk))})",
                (feed, *chunk)))
        return out

    def mark_feed_items(self, feed: str, items: Sequence[tuple[str, str | None, str | None, str | None, bool]]) -> None:
        """Record entries of a feed as handled: ``(key, url, article id, note, final)``. An entry without an
        article (its text could not be had) counts one more attempt, or is given up at once when ``final``
        (it was read, and refused for a reason another try would not change)."""
        with self.tx() as db:
            for key, url, article_id, note, final in items:
                db.execute("INSERT INTO feed_items (feed, key, url, article_id, attempts, note, seen_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(feed, key) DO UPDATE SET url=excluded.url, "
                           "article_id=excluded.article_id, attempts=MAX(excluded.attempts, attempts + 1), "
                           "note=excluded.note, seen_at=excluded.seen_at",
                           (feed, key, url, article_id, GIVE_UP if final and article_id is None else 1, note, _now()))

    def article_from_url(self, url: str) -> str | None:
        """The article stored from this page by the follower (through any feed), if it still exists."""
        row = self.db.execute("SELECT i.article_id FROM feed_items i JOIN articles a ON a.id=i.article_id "
                              "WHERE i.url=? LIMIT 1", (url,)).fetchone()
        return row[0] if row else None

    # ---------------------------------------------------------------------------------- runs, cache

    def start_run(self) -> int:
        with self.tx() as db:
            cur = db.execute("INSERT INTO runs (started_at) VALUES (?)", (_now(),))
            return int(cur.lastrowid or 0)

    def log_skipped(self, run_id: int, skipped: Sequence[Skipped]) -> None:
        if not skipped:
            return
        with self.tx() as db:
            db.executemany("INSERT INTO skipped VALUES (?, ?, ?, ?)",
                           [(run_id, s.input, s.index, s.reason) for s in skipped])

    def log_warnings(self, run_id: int, warnings: Sequence[InputWarning]) -> None:
        """Inputs this run stored with a loss (undecodable bytes replaced, ...), beside the skipped ones."""
        if not warnings:
            return
        with self.tx() as db:
            db.executemany("INSERT INTO warnings VALUES (?, ?, ?, ?)",
                           [(run_id, w.input, w.index, w.reason) for w in warnings])

    def finish_run(self, run_id: int, summary: RunSummary) -> None:
        with self.tx() as db:
            db.execute("UPDATE runs SET finished_at=?, inputs=?, articles=?, new=?, duplicates=?, skipped=? "
                       "WHERE id=?", (_now(), summary.inputs, summary.articles, summary.new, summary.duplicates,
                                      len(summary.skipped), run_id))

    def put_cache(self, key: str, data: Any) -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?)",
                       (key, json.dumps(data, ensure_ascii=False), _now()))

    def get_cache(self, key: str) -> Any:
        row = self.db.execute("SELECT data FROM cache WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def drop_cache(self, prefix: str = "") -> None:
        with self.tx() as db:
            db.execute("DELETE FROM cache WHERE key LIKE ?", (prefix.replace("%", r"\%") + "%",))

    def drop_cache_keys(self, keys: Iterable[str]) -> None:
        """Drop exactly these cache entries (no prefix matching: ``s-1`` must not take ``s-10`` with it)."""
        with self.tx() as db:
            db.executemany("DELETE FROM cache WHERE key=?", [(k,) for k in keys])


_OWNER: str | None = None


def _owner() -> str:
    """This process, as the writers table names it: host, pid and start time (a pid alone is reused)."""
    global _OWNER
    if _OWNER is None or int(_OWNER.split("|")[1]) != os.getpid():  # a forked child is another process
        import psutil

        _OWNER = f"{socket.gethostname()}|{os.getpid()}|{psutil.Process().create_time():.2f}"
    return _OWNER


def _alive(owner: str) -> bool:
    """Whether the process an owner string names still runs (another host's: assumed so)."""
    import psutil

    host, pid, started = owner.split("|")
    if host != socket.gethostname():
        return True
    try:
        process = psutil.Process(int(pid))
        return abs(process.create_time() - float(started)) < 0.02 and process.status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, ValueError):
        return False


def _feed_state(row: sqlite3.Row) -> FeedState:
    names = {f.name for f in dataclasses.fields(FeedState)}
    return FeedState(**{k: v for k, v in zip(row.keys(), tuple(row), strict=True) if k in names})


def _article(row: sqlite3.Row) -> Article:
    keys = row.keys()
    return Article(
        id=row["id"], input=row["input"], text=row["text"], source_id=row["source_id"], outlet=row["outlet"],
        title=row["title"], date=row["date"], date_source=row["date_source"], language=row["language"],
        removed=tuple(json.loads(row["removed"] or "[]")), url=row["url"], content_hash=row["content_hash"],
        kind=row["kind"] or "txt",
        family=row["family"] if "family" in keys else None, story=row["story"] if "story" in keys else None,
        analysed=bool(row["analysed"]) if "analysed" in keys else True,
        analysed_reason=row["analysed_reason"] if "analysed_reason" in keys else None,
        language_declared=row["language_declared"] if "language_declared" in keys else None,
    )


_QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')


def fts_query(query: str) -> str:
    """A user's search words as a safe FTS5 query: every word or "phrase" must occur; FTS5 operators and
    punctuation are taken as plain text, and the last bare word matches as a prefix (search as you type).

    >>> fts_query('Kell "old harbour" recon')
    '"kell" "old harbour" "recon"*'
    >>> fts_query('  ')
    ''
    """
    parts: list[str] = []
    last_bare = False
    for m in _QUERY_PART.finditer(query):
        phrase, word = m.group(1), m.group(2)
        words = _WORD.findall((phrase if phrase is not None else word).casefold())
        if words:
            parts.append('"' + " ".join(words) + '"')
            last_bare = word is not None
    if parts and last_bare and not query[-1:].isspace():
        parts[-1] += "*"
    return " ".join(parts)


_WORD = re.compile(r"\w+")


def _pieces(snippet: str | None) -> list[list[Any]]:
    """Split an FTS5 snippet with match markers into ``[text, matched]`` pieces."""
    out: list[list[Any]] = []
    for i, part in enumerate(re.split(f"[{_SNIPPET_OPEN}{_SNIPPET_CLOSE}]", snippet or "")):
        if part:
            out.append([part, i % 2 == 1])
    return out


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _bump_generation(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO meta VALUES ('placement_generation', '1') ON CONFLICT(key) "
               "DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def open_store(path: str | Path = "rashomon.db") -> Store:
    """The store at ``path`` (created if missing), for a ``with`` block that closes it.

    >>> with open_store(":memory:") as store:
    ...     store.unassigned()
    []
    """
    return Store(path)


StateWriter = Callable[[Any], None]  # writes a state to a binary file (``write`` is all it uses)


class _BlobReader(io.RawIOBase):
    """An open blob as a raw binary file (for a buffered reader)."""

    def __init__(self, blob: sqlite3.Blob) -> None:
        self.blob = blob

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.blob.read(view.nbytes)
        view[:len(data)] = data
        return len(data)
