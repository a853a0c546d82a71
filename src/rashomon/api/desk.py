"""The live news desk: one store behind the API, with serialised writes and cached per-story analyses.

Reads never wait for writes. Every write (adding, deleting, editing articles) is queued to one writer
thread, so concurrent uploads never race on the incremental family and story indexes, and a request
waiting for its turn holds no thread of the server's pool (readers would queue behind it). Uploads
waiting together are written as one batch, in arrival order. The costly part of an upload, cleaning and
the spaCy parse, runs in a worker process forked when the desk starts, so it never holds the server's GIL;
the writer thread only stores and places. Every thread reads through its own SQLite connection (WAL), so a
read never waits for the writer's transaction and never sees one half done.

A story's analysis is computed from that story's articles only and cached in the store's ``cache`` table
under a signature of its membership, the notes version, the settings and the code; a write refreshes only
the stories it touched, and an entry made stale by another process (``rashomon ingest`` on the same file)
is recomputed instead of served.

>>> import tempfile, pathlib
>>> db = pathlib.Path(tempfile.mkdtemp()) / "desk.db"
>>> from rashomon.read.ingest import jsonl_record
>>> desk = Desk(Config(), str(db), warm=False)
>>> added = desk.add(list(enumerate(jsonl_record("api", {"text": "The council of Kell voted on Monday to "
...                                                              "rebuild the old harbour at Sorne."}))))
>>> [a["new"] for a in added["articles"]], len(desk.stories())
([True], 1)
>>> desk.close()
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import NotFound, UsageError
from ..group import threads as threading_stories
from ..model import NOTES_VERSION, Analysis, RawDocument, Skipped, to_data
from ..read import metadata
from ..read.clean import content_hash
from ..report.coverage import coverage
from ..run.place import Placer, lacking
from ..run.runner import analysis_of, annotate_stored, assign, ingest_items, remove_articles
from ..run.watch import Stored
from ..run.workers import Workers
from ..store import Store
from ..views import story_rows
from ..who.entities import resolve as resolve_entities

Entry = tuple[int, RawDocument | Skipped]  # position in the request, and what was read there
Placement = tuple[str | None, str | None]  # (family, story)

WARM_ON_START = 20  # newest stories whose analysis is computed in the background when the server starts
# the worker process parsing uploads yields the cores to the server's readers (a read is a few ms of work
# somebody waits for; an upload's parse, a second nobody watches)
WORKER_NICENESS = 10
BATCH_DOCUMENTS = 200  # documents of queued uploads written together at most (one placing, one refresh)
MAX_SEARCH = 100
MAX_OUTLET = 120  # characters of an outlet name set by hand
STORIES_KEY, ENTITIES_KEY = "api:list:stories", "api:list:entities"  # cache keys of the store-wide lists
THREADS_KEY = "api:list:threads"


@dataclasses.dataclass
class _Write:
    """A write waiting for the writer thread: an upload's entries, or another write to run."""

    entries: list[Entry] | None
    fn: Callable[[], Any] | None
    future: Future[Any] = dataclasses.field(default_factory=Future)


class Desk:
    """The API's view of one store. Thread-safe; call :meth:`close` when done."""

    def __init__(self, config: Config, path: str | None = None, warm: bool = True, processes: bool = True) -> None:
        """``processes``: clean and parse uploads in a worker process (forked now, before the desk starts a
        thread of its own); without, in the writer thread, which then shares the GIL with every read."""
        self.config = config
        self.path = path or config.db
        if self.path == ":memory:":
            raise UsageError("the server needs a database file, not ':memory:'", "Pass --db PATH.")
        self.stats: Counter[str] = Counter()
        self._local = threading.local()
        self._stores: list[Store] = []
        self._guard = threading.Lock()  # protects _stores, _locks and stats
        self._write = threading.Lock()  # one writer at a time
        self._locks: dict[str, threading.Lock] = {}
        self._pending: list[str] = []
        self._wake = threading.Condition()
        self._closed = False
        self._worker: threading.Thread | None = None
        self._busy = False  # the refresher is computing a story right now
        self._memo: dict[str, tuple[str, Any]] = {}  # store-wide list -> (signature, value): no JSON per request
        self._queue: deque[_Write] = deque()  # writes waiting for the writer thread, in arrival order
        self._writer: threading.Thread | None = None
        self.store()  # open now: a bad path fails at start, not on the first request
        self._processes = processes
        self._pool: Workers | None = Workers(1, niceness=WORKER_NICENESS, isolated=True) if processes else None
        if warm:
            self.refresh([r["id"] for r in self.stories()[:WARM_ON_START]])

    # ------------------------------------------------------------------------------------ plumbing

    def store(self) -> Store:
        """This thread's connection to the store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
            with self._guard:
                self._stores.append(store)
        return store

    def close(self) -> None:
        """Finish the queued writes, stop the writer, the refresher and the worker process, and close every
        connection."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        for thread in (self._writer, self._worker):
            if thread is not None:
                thread.join(timeout=60)
        if self._pool is not None:
            self._pool.close(cancel=True)
            self._pool = None
        with self._guard:
            for store in self._stores:
                store.close()
            self._stores.clear()

    def _lock_for(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _count(self, name: str) -> None:
        with self._guard:
            self.stats[name] += 1

    # -------------------------------------------------------------------------------------- writes

    def add(self, entries: Sequence[Entry]) -> dict[str, Any]:
        """Clean, store, annotate and place the documents of one request, in order. Returns the contract's
        ``{"articles": [{"id", "source_id", "story", "family", ...}], "skipped": [{"index", "reason"}]}``
        (and ``"warnings"``, the same shape, for articles stored with a loss such as undecodable bytes);
        an article already stored comes back with ``"new": false``. Blocks until written; the API awaits
        :meth:`submit` instead, so waiting holds no thread."""
        return self.submit(entries).result()

    def submit(self, entries: Sequence[Entry]) -> Future[dict[str, Any]]:
        """Queue one request's documents for the writer thread; the future gives :meth:`add`'s answer."""
        return self._enqueue(_Write(list(entries), None))

    def _enqueue(self, write: _Write) -> Future[Any]:
        with self._wake:
            if self._closed:
                raise UsageError("the desk is shutting down", "Send the request again once the server is back.")
            self._queue.append(write)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_loop, name="rashomon-writer", daemon=True)
                self._writer.start()
            self._wake.notify_all()
        return write.future

    def _run_write(self, fn: Callable[[], Any]) -> Any:
        """Run a write (delete, edit) in the writer thread, in turn with the uploads queued before it."""
        return self._enqueue(_Write(None, fn)).result()

    def _write_loop(self) -> None:
        """The writer thread: takes the queued writes in arrival order, the uploads waiting together as one
        batch (at most ``BATCH_DOCUMENTS`` documents), until the desk closes and the queue is empty."""
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._queue or self._closed)
                if not self._queue:
                    return
                batch = [self._queue.popleft()]
                size = len(batch[0].entries or ())
                while (batch[0].entries is not None and self._queue and self._queue[0].entries is not None
                       and size + len(self._queue[0].entries or ()) <= BATCH_DOCUMENTS):
                    size += len(self._queue[0].entries or ())
                    batch.append(self._queue.popleft())
            try:
                if batch[0].fn is not None:
                    with self._write:
                        result = batch[0].fn()
                    batch[0].future.set_result(result)
                else:
                    for write, answer in zip(batch, self._add_batch([w.entries or [] for w in batch]), strict=True):
                        write.future.set_result(answer)
            except BaseException as exc:  # the request hears of it (a 500, or the RashomonError's 4xx)
                for write in batch:
                    if not write.future.done():
                        write.future.set_exception(exc)
            finally:
                with self._wake:
                    self._wake.notify_all()  # the refresher waits for the queue to drain

    def _add_batch(self, requests: Sequence[Sequence[Entry]]) -> list[dict[str, Any]]:
        """Write the documents of several requests as one run, then answer each request for its own."""
        raws = [raw for entries in requests for _, raw in entries if isinstance(raw, RawDocument)]
        if not raws:
            return [self._answer(entries, {}, {}, {}, {}, {}, set()) for entries in requests]
        with self._write:
            store = self.store()
            before = _placements(store)
            summary = self._ingest(raws, store)
            after = _placements(store)
        # the touched stories' cached analyses stay until the refresher swaps in new ones (each is checked
        # against its signature when read); only stories that are gone are dropped
        alive = {story for _, story in after.values()}
        self.forget([sid for sid in _touched(before, after) if sid not in alive])
        reasons = {s.input: s.reason for s in summary.skipped}
        found = {content_hash(raw): store.has_hash(content_hash(raw)) for raw in raws}
        stored = {a.id: a for a in store.articles([aid for aid in found.values() if aid])}
        claimed: set[str] = set()  # an article two requests of the batch both sent is new to the first only
        answers = [self._answer(entries, found, stored, before, after, reasons, claimed) for entries in requests]
        self.refresh(sorted({str(a["story"]) for answer in answers for a in answer["articles"] if a["story"]}))
        return answers

    def _ingest(self, raws: Sequence[RawDocument], store: Store, retry: bool = True) -> Any:
        """Clean, store, annotate and place: in the worker process when there is one (as ``rashomon ingest``
        does with a pool: the worker cleans and parses, this thread stores each piece and places it)."""
        if self._pool is None:
            _, summary = ingest_items(raws, self.config, store)
            annotate_stored([aid for raw in raws if (aid := store.has_hash(content_hash(raw)))], self.config, store)
            assign(self.config, store, others="orphans")  # a live batch run places its own articles
            return summary
        try:
            placer = Placer(self.config, store)
            ids, summary = ingest_items(raws, self.config, store, workers=self._pool, placer=placer)
            annotate_stored(ids, self.config, store, workers=self._pool, placer=placer)  # stored without notes
            orphans = lacking(store, "orphans", own=ids)  # a killed run's: placing would stop at them
            if orphans:
                annotate_stored(orphans, self.config, store, workers=self._pool, placer=placer)
            if placer.finish() is None:  # another process placed meanwhile: place again from its state
                assign(self.config, store, workers=self._pool, others="orphans")
            return summary
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, and the same run again
            self._pool.close(cancel=True)
            self._pool = Workers(1, niceness=WORKER_NICENESS, isolated=True)
            if not retry:
                raise
            return self._ingest(raws, store, retry=False)  # what was stored is known by its hash, notes kept

    @staticmethod
    def _answer(entries: Sequence[Entry], found: dict[str, str | None], stored: dict[str, Any],
                before: dict[str, Placement], after: dict[str, Placement], reasons: dict[str, str],
                claimed: set[str]) -> dict[str, Any]:
        """One request's part of a batch: each document as the article it became, or why not."""
        skipped = [_skip(i, x) for i, x in entries if isinstance(x, Skipped)]
        raws = [(i, x) for i, x in entries if isinstance(x, RawDocument)]
        articles: list[dict[str, Any]] = []
        for i, raw in raws:
            aid = found.get(content_hash(raw))
            if aid is None:
                skipped.append({"index": i, "input": raw.input, "reason": reasons.get(raw.input, "not stored")})
                continue
            family, story = after.get(aid, (None, None))
            articles.append({"id": aid, "source_id": raw.source_id, "story": story, "family": family,
                             "new": aid not in before and aid not in claimed, "title": stored[aid].title if aid in stored else raw.title,
                             "outlet": stored[aid].outlet if aid in stored else raw.outlet})
        claimed.update(a["id"] for a in articles)
        skipped.sort(key=lambda s: s["index"])
        warnings = [{"index": i, "input": raw.input, "reason": w} for i, raw in raws for w in raw.warnings]
        return {"articles": articles, "skipped": skipped, "warnings": warnings}

    def add_documents(self, docs: Sequence[RawDocument]) -> list[Stored]:
        """The feed follower's way in (``rashomon serve --watch``): :meth:`add` under the same single
        writer, so the app's readers see each batch whole, and its stories are refreshed as for an upload.
        One :class:`~rashomon.run.watch.Stored` per document, in order."""
        result = self.add(list(enumerate(docs)))
        reasons = {s["index"]: s["reason"] for s in result["skipped"]}
        stored = iter(result["articles"])
        out: list[Stored] = []
        for i in range(len(docs)):
            if i in reasons:
                out.append(Stored(None, reason=reasons[i]))
            else:
                a = next(stored)
                out.append(Stored(a["id"], new=a["new"], story=a["story"]))
        return out

    def delete(self, article_id: str) -> dict[str, Any]:
        """Remove one article; its story (and family) is updated. Unknown ids raise :class:`NotFound`."""
        return self._run_write(lambda: self._delete(article_id))

    def _delete(self, article_id: str) -> dict[str, Any]:
        store = self.store()
        before = _placements(store)
        if article_id not in before:
            raise NotFound(f"no article with id {article_id!r}",
                           "Article ids are listed in GET /api/stories/{id} and GET /api/search.")
        remove_articles([article_id], self.config, store)
        after = _placements(store)
        touched = _touched(before, after)
        self.forget(touched)
        old_family, old_story = before[article_id]
        mates = [a for a, (_, s) in before.items() if s == old_story and a != article_id]
        now = sorted({s for a in mates if a in after and (s := after[a][1])})
        self.refresh(now)
        return {"deleted": article_id, "story": old_story, "family": old_family, "stories": now}

    def edit(self, article_id: str, fields: dict[str, str | None]) -> dict[str, Any]:
        """Correct an article's outlet or title. The store keeps the correction (a later ``rashomon
        analyze`` of the same input keeps it too), and the article's story is refreshed, so its brief,
        references and differences name the outlet as corrected."""
        if not fields:
            raise UsageError("nothing to change", "Send {\"outlet\": ...} and/or {\"title\": ...}.")
        fields = {name: " ".join((value or "").split()) or None for name, value in fields.items()}
        if len(fields.get("outlet") or "") > MAX_OUTLET:
            raise UsageError(f"outlet name longer than {MAX_OUTLET} characters", "Give the outlet's usual name.")
        article = self._run_write(lambda: self.store().edit_article(article_id, **fields))
        if article is None:
            raise NotFound(f"no article with id {article_id!r}",
                           "Article ids are listed in GET /api/stories/{id} and GET /api/search.")
        if article.story:
            self.forget([article.story])
            self.refresh([article.story])
        else:
            self.forget([])
        return self.article(article_id)

    # -------------------------------------------------------------------------------------- stories

    def writing(self) -> bool:
        """Whether uploads are queued or being written. Meanwhile a read whose cached answer the writes have
        made stale gets that answer (marked ``stale``) rather than compute a new one, which the next write
        would make stale again while it competed with the writer; the refresher swaps in new ones after."""
        return bool(self._queue) or self._write.locked()

    def _listed(self, key: str, field: str, sig: str, compute: Callable[[], list[dict[str, Any]]]
                ) -> list[dict[str, Any]]:
        """A store-wide list: the one in memory if it is current (or while uploads are written), else the
        stored one if current, else computed, once however many readers ask at the same moment."""
        if (memo := self._memo.get(key)) and (memo[0] == sig or self.writing()):
            return list(memo[1])
        with self._lock_for(key):
            if (memo := self._memo.get(key)) and memo[0] == sig:
                return list(memo[1])
            store = self.store()
            cached = store.get_cache(key)
            if cached and cached.get("sig") == sig:
                value = cached[field]
            else:
                value = compute()
                store.put_cache(key, {"sig": sig, field: value})
            self._memo[key] = (sig, value)  # one assignment: a reader sees the old list or the new one
            return list(value)

    def stories(self) -> list[dict[str, Any]]:
        """Every story without its brief, newest first (see :func:`rashomon.views.story_rows`)."""
        store = self.store()
        return self._listed(STORIES_KEY, "rows", _signature(STORIES_KEY, self.config, _store_rows(store)),
                            lambda: self._story_list(store))

    def _story_list(self, store: Store) -> list[dict[str, Any]]:
        rows = story_rows(store)
        arts = store.articles([aid for r in rows for aid in r["article_ids"]])
        outlets = {a.id: a.outlet for a in arts}
        langs = {a.id: a.language for a in arts}
        grouped_only = {a.id for a in arts if not a.analysed}
        for r in rows:
            r.setdefault("outlets", sorted({o for aid in r["article_ids"] if (o := outlets.get(aid))}))
            r.setdefault("languages", sorted({x for aid in r["article_ids"] if (x := langs.get(aid))}))
            r.setdefault("not_analysed", sum(1 for aid in r["article_ids"] if aid in grouped_only))
        return rows

    def story(self, story_id: str) -> dict[str, Any]:
        """The contract's top-level object restricted to one story (cached until the story changes), with
        its ``coverage`` and its ``version`` (as :meth:`version` gives it, for a page that polls)."""
        store = self.store()
        rows = _story_rows(store, story_id)
        if not rows:
            raise NotFound(f"no story with id {story_id!r}", "List the stories with GET /api/stories.")
        key = f"api:story:{story_id}"
        sig = _signature(key, self.config, rows)
        cached = store.get_cache(key)
        if cached and cached.get("sig") == sig:
            self._count("cache_hits")
            return {**cached["analysis"], "version": sig[:16]}
        if cached and self.writing():  # the last analysis, until the refresher swaps in the new one
            self._count("stale_served")
            self.refresh([story_id])
            return {**cached["analysis"], "version": str(cached["sig"])[:16], "stale": True}
        with self._lock_for(key):  # two readers asking at once compute it once
            cached = store.get_cache(key)
            if cached and cached.get("sig") == sig:
                self._count("cache_hits")
                return {**cached["analysis"], "version": sig[:16]}
            analysis = analysis_of([str(r[0]) for r in rows if len(r) == 3], self.config, store)
            data = analysis.to_contract()
            data.pop("run", None)
            if analysis.stories:
                data["coverage"] = coverage(analysis.stories[0], {a.id: a for a in analysis.articles},
                                            analysis.claims, {a["id"]: a["label"] for a in data["articles"]})
            for entity in data["entities"]:
                entity["store_id"] = entity_key(entity["type"], entity["name"])
            store.put_cache(key, {"sig": sig, "analysis": data})
            self._count("analyses")
            return {**data, "version": sig[:16]}

    def version(self, story_id: str) -> dict[str, Any]:
        """A cheap fingerprint of one story (its articles, families and edits): it changes whenever the
        story's analysis would, so a page can poll it and fetch the story again only then."""
        rows = _story_rows(self.store(), story_id)
        if not rows:
            raise NotFound(f"no story with id {story_id!r}", "It may have been merged into another story or "
                           "deleted; list the stories with GET /api/stories.")
        return {"id": story_id, "version": _signature(f"api:story:{story_id}", self.config, rows)[:16],
                "articles": sum(1 for r in rows if len(r) == 3)}

    def export(self, story_id: str, fmt: str) -> tuple[str, str, str]:
        """One story as a file: ``(content, media type, file name)`` for ``md`` (its brief with references),
        ``json`` (the contract object of the story) or ``html`` (a self-contained report page)."""
        import json

        from ..report import render_html, render_markdown

        data = {k: v for k, v in self.story(story_id).items() if k != "version"}
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in story_id)
        if fmt == "json":
            return json.dumps(data, ensure_ascii=False, indent=1), "application/json", f"{safe}.json"
        analysis = Analysis.from_contract(data)
        if fmt == "md":
            return render_markdown(analysis), "text/markdown; charset=utf-8", f"{safe}.md"
        if fmt == "html":
            return render_html(analysis), "text/html; charset=utf-8", f"{safe}.html"
        raise UsageError(f"unknown export format {fmt!r}", "Use format=md, json or html.")

    def forget(self, story_ids: Iterable[str]) -> None:
        """Drop cached analyses of these stories and the store-wide lists built from them. (Every entry is
        also checked against its signature when read; dropping keeps the table free of dead stories.)"""
        keys = [k for sid in story_ids for k in (f"api:story:{sid}", f"api:story-entities:{sid}")]
        self.store().drop_cache_keys([*keys, STORIES_KEY, ENTITIES_KEY, THREADS_KEY])

    def refresh(self, story_ids: Sequence[str]) -> None:
        """Recompute these stories' analyses in the background, so the next page view is served from cache."""
        if not story_ids:
            return
        with self._wake:
            if self._closed:
                return
            self._pending.extend(s for s in story_ids if s not in self._pending)
            if self._worker is None:
                self._worker = threading.Thread(target=self._refresher, name="rashomon-refresh", daemon=True)
                self._worker.start()
            self._wake.notify()

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no background refresh is pending (tests and benchmarks use it)."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._pending and not self._busy, timeout)

    def _refresher(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending or self._closed)
                # uploads first: while any is queued or being written, wait, so a burst is refreshed once at
                # its end and the writer has the process's time
                while (self._queue or self._write.locked()) and not self._closed:
                    self._wake.wait(0.05)
                if self._closed:
                    return
                sid = self._pending.pop(0)
                self._busy = True
            try:
                self.story(sid)
            except NotFound:
                pass  # deleted or merged away meanwhile
            except Exception:  # a failing stage must not kill the refresher; the GET will report it
                self._count("refresh_errors")
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    # ------------------------------------------------------------------------------------- entities

    def entities(self) -> list[dict[str, Any]]:
        """Entities across the store, merged by type and canonical name, most widely reported first."""
        sig = _signature(ENTITIES_KEY, self.config, _store_rows(self.store()))
        return self._listed(ENTITIES_KEY, "entities", sig, self._entity_list)

    def _entity_list(self) -> list[dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {}
        for row in self.stories():
            for e in self.story_entities(row["id"]):
                key = e.get("store_id") or entity_key(e["type"], e["name"])
                m = merged.setdefault(key, {"id": key, "name": e["name"], "type": e["type"], "aliases": [],
                                            "descriptions": [], "country": None, "article_ids": [],
                                            "stories": []})
                for field in ("aliases", "descriptions", "article_ids"):
                    m[field].extend(x for x in e.get(field) or () if x not in m[field])
                m["country"] = m["country"] or e.get("country")
                if row["id"] not in m["stories"]:
                    m["stories"].append(row["id"])
        return sorted(merged.values(), key=lambda m: (-len(m["article_ids"]), m["name"].casefold()))

    def story_entities(self, story_id: str) -> list[dict[str, Any]]:
        """One story's entities, from its cached analysis when there is one; otherwise only the entity stage
        runs (the claims and the brief, the costly part of an analysis, are not needed for the entity list)."""
        store = self.store()
        rows = _story_rows(store, story_id)
        full = store.get_cache(f"api:story:{story_id}")
        if full and full.get("sig") == _signature(f"api:story:{story_id}", self.config, rows):
            return list(full["analysis"]["entities"])
        key = f"api:story-entities:{story_id}"
        sig = _signature(key, self.config, rows)
        cached = store.get_cache(key)
        if cached and cached.get("sig") == sig:
            return list(cached["entities"])
        ids = [str(r[0]) for r in rows if len(r) == 3]
        found, _ = resolve_entities(store.articles(ids), store.notes(ids))
        data = [{**to_data(e), "store_id": entity_key(e.type, e.name)} for e in found]
        store.put_cache(key, {"sig": sig, "entities": data})
        return data

    def threads(self) -> list[dict[str, Any]]:
        """Threads across the store (stories of one long-running topic, :mod:`rashomon.group.threads`), each
        with its stories' titles and dates, earliest first."""
        sig = _signature(THREADS_KEY, self.config, _store_rows(self.store()))
        return self._listed(THREADS_KEY, "threads", sig, self._thread_list)

    def _thread_list(self) -> list[dict[str, Any]]:
        rows = {r["id"]: r for r in self.stories()}
        facts = []
        for sid, row in rows.items():
            size = max(1, len(row["article_ids"]))
            names = {f"{e['type']}\t{e['name']}": min(1.0, len(set(e.get("article_ids") or ())) / size)
                     for e in self.story_entities(sid) if e["type"] in threading_stories.THREAD_TYPES}
            facts.append(threading_stories.StoryFacts(sid, row["title"], row["date"], names))
        found = threading_stories.link(facts, self.config.thread_threshold, self.config.thread_min_names)
        return [{**to_data(t), "stories": [{"id": sid, "title": rows[sid]["title"], "date": rows[sid]["date"],
                                            "articles": len(rows[sid]["article_ids"])} for sid in t.story_ids]}
                for t in found]

    def entity(self, entity_id: str) -> dict[str, Any]:
        """One store-wide entity with the stories, articles, quotes and events it appears in."""
        found = next((e for e in self.entities() if e["id"] == entity_id), None)
        if found is None:
            raise NotFound(f"no entity with id {entity_id!r}", "List the entities with GET /api/entities.")
        stories: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        articles: dict[str, dict[str, Any]] = {}
        for sid in found["stories"]:
            data = self.story(sid)
            local = {e["id"] for e in data["entities"] if e.get("store_id") == entity_id}
            story = data["stories"][0] if data["stories"] else {"id": sid, "title": "", "date": None}
            stories.append({"id": story["id"], "title": story["title"], "date": story.get("date")})
            by_id = {a["id"]: a for a in data["articles"]}
            quotes.extend({**q, "story": sid, "outlet": by_id.get(q["article_id"], {}).get("outlet")}
                          for q in data["quotes"] if q.get("speaker_id") in local)
            events.extend({**ev, "story": sid} for ev in data["events"]
                          if found["name"] in (ev.get("source_entity"), ev.get("target_entity")))
            for aid in found["article_ids"]:
                if aid in by_id:
                    a = by_id[aid]
                    articles[aid] = {"id": aid, "title": a["title"], "outlet": a["outlet"], "date": a["date"],
                                     "story": sid}
        return {**found, "stories": stories, "articles": list(articles.values()), "quotes": quotes,
                "events": events}

    # ----------------------------------------------------------------------------- articles, search

    def article(self, article_id: str) -> dict[str, Any]:
        """One stored article as the contract gives it (cleaned text, removed blocks, family, story)."""
        a = self.store().article(article_id)
        if a is None:
            raise NotFound(f"no article with id {article_id!r}",
                           "Article ids are listed in GET /api/stories/{id} and GET /api/search.")
        return {"id": a.id, "source_id": a.source_id, "input": a.input, "outlet": a.outlet, "title": a.title,
                "date": a.date, "date_source": a.date_source, "language": a.language, "analysed": a.analysed,
                "analysed_reason": a.analysed_reason, "language_declared": a.language_declared, "text": a.text,
                "removed": list(a.removed), "family": a.family, "story": a.story, "url": a.url,
                "edits": self.store().edits([a.id]).get(a.id, {}),
                "label": a.outlet or metadata.domain(a.url) or "Untitled report"}

    def languages_of(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """article id -> its language, for the list endpoints' ``language=`` filter."""
        return {a.id: a.language for a in self.store().articles(list(dict.fromkeys(article_ids)))}

    def search(self, query: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Articles and quotes matching ``query`` (SQLite FTS5), best first; ``offset`` skips that many of
        each (the next page)."""
        if not query.strip():
            raise UsageError("empty search", "Pass some words, e.g. /api/search?q=harbour")
        limit = max(1, min(int(limit), MAX_SEARCH))
        offset = max(0, int(offset))
        found = self.store().search(query, limit + offset)
        return {"query": query, **{k: v[offset:] for k, v in found.items()}}

    def status(self) -> dict[str, Any]:
        store = self.store()
        with self._guard:
            stats = dict(self.stats)
        feeds = [{"url": f.url, "status": f.status, "error": f.error, "failures": f.failures,
                  "retry_at": f.retry_at or None, "polled_at": f.polled_at, "items": f.items, "feed_url": f.feed_url}
                 for f in store.feed_states()]
        return {"articles": store.count(), "stories": len(store.story_ids()), "db": self.path,
                "max_upload_bytes": self.config.max_upload_bytes, "stats": stats, "feeds": feeds}


# ---------------------------------------------------------------------------------------------- helpers


def entity_key(type_: str, name: str) -> str:
    """A store-wide id for an entity: the same type and canonical name in any story get the same id.

    >>> entity_key("PERSON", "Ana Velt") == entity_key("PERSON", "ana velt")
    True
    """
    return "e" + hashlib.sha1(f"{type_}\t{name.casefold()}".encode()).hexdigest()[:12]


def _skip(index: int, s: Skipped) -> dict[str, Any]:
    out: dict[str, Any] = {"index": index, "input": s.input, "reason": s.reason}
    if s.index is not None and s.input != "api":
        out["line"] = s.index  # a record inside an uploaded JSONL file or feed
    return out


def _story_rows(store: Store, story_id: str) -> list[tuple[Any, ...]]:
    """What one story's cached analysis depends on in the store: its articles' placements, then each edit
    made to them (``("edit", article, field, value)``: four items, a placement has three). Empty when there
    is no such story."""
    rows: list[tuple[Any, ...]] = list(store.placements(story_id))
    if rows:
        for aid, fields in sorted(store.edits([r[0] for r in rows]).items()):
            rows.extend(("edit", aid, name, change["value"]) for name, change in sorted(fields.items()))
    return rows


def _store_rows(store: Store) -> list[tuple[Any, ...]]:
    """What the store-wide lists depend on: every placement, and the edits made so far."""
    return [*store.placements(), ("edits", store.edit_generation())]


def _placements(store: Store) -> dict[str, Placement]:
    return {aid: (family, story) for aid, family, story in store.placements()}


def _touched(before: dict[str, Placement], after: dict[str, Placement]) -> set[str]:
    """Stories whose membership or families changed between two snapshots."""
    out: set[str] = set()
    for aid in set(before) | set(after):
        old, new = before.get(aid), after.get(aid)
        if old != new:
            out.update(s for s in (old[1] if old else None, new[1] if new else None) if s)
    return out


def _signature(key: str, config: Config, rows: Sequence[tuple[Any, ...]]) -> str:
    h = hashlib.sha1(f"{key}\t{NOTES_VERSION}\t{_settings(config)}\t{code_fingerprint()}".encode())
    for row in rows:
        h.update("\x1f".join(str(x) for x in row).encode())
        h.update(b"\x1e")
    return h.hexdigest()


def _settings(config: Config) -> str:
    """The settings an analysis depends on: not where the store is, how many processes, or how inputs are
    fetched and feeds followed."""
    defaults = Config()
    unrelated: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in dataclasses.fields(Config)
                                 if f.name.startswith(("fetch", "watch_"))}
    return repr(dataclasses.replace(config, db="", workers=1, **unrelated))


@cache
def code_fingerprint() -> str:
    """A digest of the analysis code and data files: a cached analysis made by other code is recomputed."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in {"api", "web"} or "__pycache__" in rel.parts or not path.is_file():
            continue
        h.update(str(rel).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
