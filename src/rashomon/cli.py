"""The ``rashomon`` command: a thin layer over :mod:`rashomon.run.runner` and :mod:`rashomon.store`.

Exit codes: 0 success, 1 partial (some inputs skipped, or stored with a warning), 2 usage or fatal error.
Progress and messages go to stderr; data (``--json``) to stdout.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from . import __version__
from .config import Config, freeze_survivors, single_threaded_blas
from .errors import RashomonError

app = typer.Typer(
    name="rashomon",
    help="Read many news reports of the same events and get one trustworthy, cited account: families of "
         "copies, stories, entities, quotes, dates, PLOVER events, corroborated claims, differences and a brief.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[str | None, typer.Option("--db", help="SQLite store (default ./rashomon.db, or RASHOMON_DB).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML settings file (default ./rashomon.toml).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]
WorkersOption = Annotated[str | None, typer.Option(
    "--workers", "-w", metavar="auto|N",
    help="Worker processes for cleaning, parsing and the corpus stages: auto (the default: one per usable core, "
         "as memory and the input allow), 1 (everything in this process), or a number.")]
OutletOption = Annotated[str | None, typer.Option("--outlet", help="Outlet of the inputs that name none themselves (a file saved from one site, a pasted text).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON to stdout instead of a table.")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="With --fetch: also fetch from loopback, private and link-local addresses (refused "
                            "by default, redirects included).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rashomon {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """rashomon: news event intelligence, local-first."""


def _fatal(fn: F) -> F:
    """Turn RashomonError into a one-line message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RashomonError as exc:
            err.print(f"[bold red]error[/]: {escape(str(exc))}")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted: everything committed so far is kept; run again to resume")
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback one variable away
            if os.environ.get("RASHOMON_DEBUG"):
                raise
            err.print(f"[bold red]internal error[/]: {type(exc).__name__}: {escape(str(exc))}. Everything committed so far is "
                      "kept. Set RASHOMON_DEBUG=1 to see the traceback, and please report it.")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


class RichProgress:
    """The runner's progress drawn on stderr (nothing when quiet or not a terminal).

    ``expected``: the number of input records, counted before the run (:func:`rashomon.read.preflight.count_records`);
    the reading stage, which the runner starts without a total (it streams), is drawn against it."""

    def __init__(self, quiet: bool, expected: int | None = None) -> None:
        self.quiet = quiet
        self.expected = expected
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> RichProgress:
        if not self.quiet:
            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def stage(self, name: str, total: int | None = None) -> None:
        if self.bar is None:
            return
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        if total is None and self.expected is not None and name.startswith("reading"):
            total = self.expected
        self.task = self.bar.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, n)

    def note(self, message: str) -> None:
        if not self.quiet:
            err.print(escape(message))


def _config(config: Path | None, **overrides: Any) -> Config:
    return Config.load(config, **overrides)


def check_out(out: Path) -> None:
    """``--out`` must be a folder that exists or can be made: checked before any work, since the outputs
    are written only at the end of a run."""
    from .errors import UsageError

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a file, not a folder",
                         "--out names a folder for analysis.json, brief.md and report.html; pass a folder path.")
    parent = out
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"--out {str(out)!r} cannot be made: {str(parent)!r} is a file",
                         "Pass a folder path whose parents are folders.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--out {str(out)!r} cannot be written: no permission in {str(parent)!r}",
                         "Pass a folder you can write to.")


def existing_store(db: str) -> None:
    """A command that only reads the store needs one that exists: a mistyped --db would otherwise create
    a new empty store and answer from it."""
    from .errors import UsageError

    if db != ":memory:" and not Path(db).expanduser().is_file():
        raise UsageError(f"no store at {db!r}",
                         "Check --db (or RASHOMON_DB); `rashomon analyze` or `rashomon ingest` create a store.")


def _summarise(summary: Any, quiet: bool) -> int:
    """Print the run summary; the exit code is 1 when some inputs were skipped or stored with a warning."""
    if not quiet:
        warned = f", {len(summary.warnings)} with warnings" if summary.warnings else ""
        err.print(f"{summary.articles} articles ({summary.new} new, {summary.duplicates} already stored), "
                  f"{len(summary.skipped)} skipped{warned}")
        for label, table, items in (("skipped", "skipped", summary.skipped), ("warning", "warnings", summary.warnings)):
            for s in items[:50]:
                where = f"{s.input}:{s.index}" if s.index is not None else s.input
                err.print(f"  [yellow]{label}[/] {escape(where)}: {escape(s.reason)}")
            if len(items) > 50:
                err.print(f"  ... and {len(items) - 50} more (all are logged in the store's '{table}' table)")
        from .read.language import summary_line

        for x in summary.languages:
            line = summary_line(x.language, x.articles, x.analysed, x.reason)
            if line:
                err.print(f"  [cyan]language[/] {escape(line)}")
    return 1 if summary.skipped or summary.warnings else 0


@app.command()
@_fatal
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, JSONL corpora (and URLs with --fetch).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for analysis.json, brief.md and the report "
                                                            "(report.html, with a page per story in stories/).")],
    db: DbOption = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Allow downloading http(s) URLs given as inputs.")] = False,
    allow_private: AllowPrivateOption = False,
    workers: WorkersOption = None,
    engine: Annotated[str | None, typer.Option("--engine", help="local (default) or dask.")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (with --engine dask); "
                                                                       "default starts a LocalCluster.")] = None,
    brief_sentences: Annotated[int | None, typer.Option("--brief-sentences", help="Sentences per brief (default 8).")] = None,
    outlet: OutletOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Analyse INPUTS and write OUT/analysis.json, OUT/brief.md and OUT/report.html.

    Articles are kept in the store (--db): running again on the same inputs reuses everything already
    computed, and a run that was interrupted resumes where it stopped.
    """
    from .read.preflight import count_records, readable_inputs
    from .run import workers as run_workers

    if engine is not None and engine not in {"local", "dask"}:
        raise typer.BadParameter("must be 'local' or 'dask'", param_hint="--engine")
    cfg = _config(config, db=db, fetch=fetch or None, workers=workers, engine=engine, scheduler=scheduler,
                  brief_sentences=brief_sentences, outlet=outlet,
                  fetch_allow_private=allow_private or None)
    check_out(out)  # before any work: an --out that cannot be a folder would fail only at the very end
    readable_inputs(inputs, cfg)
    # the workers start now and load spaCy while this process imports the rest (runner, store, report)
    with run_workers.start(cfg, inputs) or contextlib.nullcontext() as pool:
        import threading

        from .report import html, write_outputs
        from .run.runner import analyze as run_analyze
        from .store import open_store

        threading.Thread(target=html.warm_up, daemon=True).start()  # the templates compile while workers parse
        with open_store(cfg.db) as store, RichProgress(quiet, count_records(inputs)) as progress:
            analysis = run_analyze(inputs, cfg, store, progress, pool=pool)
    paths = write_outputs(analysis, out)
    code = _summarise(analysis.run, quiet)
    if not quiet:
        err.print(f"{len(analysis.stories)} stories, {len(analysis.threads)} threads; wrote "
                  f"{escape(str(paths['analysis.json']))}, {paths['brief.md'].name}, {paths['report.html'].name} "
                  "(open it: one page per story beside it)")
    raise typer.Exit(code)


@app.command()
@_fatal
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, JSONL corpora (and URLs with --fetch).")],
    db: DbOption = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Allow downloading http(s) URLs.")] = False,
    allow_private: AllowPrivateOption = False,
    workers: WorkersOption = None,
    outlet: OutletOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Add INPUTS to the store: clean, analyse each article and place it in its family and story."""
    from .read.preflight import count_records, readable_inputs
    from .run import workers as run_workers

    cfg = _config(config, db=db, fetch=fetch or None, workers=workers, outlet=outlet,
                  fetch_allow_private=allow_private or None)
    readable_inputs(inputs, cfg)
    with run_workers.start(cfg, inputs) or contextlib.nullcontext() as pool:  # loading while we import the rest
        from .run.runner import add
        from .store import open_store

        with open_store(cfg.db) as store, RichProgress(quiet, count_records(inputs)) as progress:
            run_id = store.start_run()
            _, summary, _, _ = add(inputs, cfg, store, progress, run_id, pool=pool)
            store.finish_run(run_id, summary)
    raise typer.Exit(_summarise(summary, quiet))


@app.command()
@_fatal
def stories(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """List the stories in the store, newest first, with their independent-source counts."""
    from .store import open_store
    from .views import story_rows

    cfg = _config(config, db=db)
    existing_store(cfg.db)
    with open_store(cfg.db) as store:
        rows = story_rows(store)
    if as_json:
        typer.echo(json.dumps({"stories": rows}, ensure_ascii=False, indent=1))
        return
    if not rows:
        err.print("no stories yet: add articles with `rashomon ingest` or `rashomon analyze`")
        return
    from rich.table import Table

    table = Table("id", "date", "articles", "independent", "title")
    for r in rows:
        table.add_row(r["id"], r["date"] or "", str(len(r["article_ids"])), str(r["independent_sources"]), r["title"])
    Console().print(table)


@app.command()
@_fatal
def show(
    item: Annotated[str, typer.Argument(help="An article id, a story id, or a JSONL source id.")],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article (cleaned text, removed blocks) or one story (its brief and sources)."""
    from .errors import NotFound
    from .report import render_markdown
    from .run.runner import analysis_of
    from .store import open_store

    cfg = _config(config, db=db)
    existing_store(cfg.db)
    with open_store(cfg.db) as store:
        article = store.article(item) or next(
            (a for a in store.articles() if a.source_id == item), None)
        if article is not None:
            data = {"id": article.id, "source_id": article.source_id, "input": article.input,
                    "outlet": article.outlet, "title": article.title, "date": article.date,
                    "date_source": article.date_source, "language": article.language, "family": article.family,
                    "story": article.story, "text": article.text, "removed": list(article.removed)}
            if as_json:
                typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
                return
            head = " · ".join(str(x) for x in (article.outlet, article.date, article.language) if x)
            typer.echo(f"{article.title or '(no title)'}\n{head}\nfamily {article.family} · story {article.story}\n")
            typer.echo(article.text)
            for block in article.removed:
                typer.echo("\n[removed] " + block.replace("\n", "\n          "))
            return
        members = store.story_members(item)
        if not members:
            raise NotFound(f"no article or story with id {item!r}", "List ids with `rashomon stories`.")
        analysis = analysis_of(members, cfg, store)
    if as_json:
        typer.echo(json.dumps(analysis.to_contract(), ensure_ascii=False, indent=1))
    else:
        typer.echo(render_markdown(analysis))


@app.command()
@_fatal
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for analysis.json, brief.md and report.html.")],
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the analysis of everything in the store (all stories) to OUT."""
    from .report import write_outputs
    from .run.runner import analysis_of
    from .store import open_store

    cfg = _config(config, db=db)
    existing_store(cfg.db)
    check_out(out)
    with open_store(cfg.db) as store:
        ids = [row[0] for row in store.placements()]  # arrival order, without loading every text twice
        analysis = analysis_of(ids, cfg, store)
    paths = write_outputs(analysis, out)
    if not quiet:
        err.print(f"{len(analysis.articles)} articles, {len(analysis.stories)} stories -> {escape(str(paths['analysis.json']))}")


@app.command()
@_fatal
def watch(
    feeds: Annotated[list[str], typer.Argument(
        metavar="FEED_OR_LIST...",
        help="Feed or page URLs, or files listing them one per line (# starts a comment).")],
    interval: Annotated[float | None, typer.Option(
        "--interval", "-i", help="Seconds between two polls of one feed (default 300; at least 1).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed not backing off once, then exit "
                                                      "(for cron and tests).")] = False,
    db: DbOption = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Also fetch from loopback, private and link-local addresses (refused by default, "
                                "redirects included).")] = False,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Follow RSS/Atom feeds (and site pages): poll them on an interval and add each new entry's article.

    Each new entry's page is fetched for its full text (its feed text is kept when the page fails, and the
    log says so), then the article is cleaned, analysed and placed in its family and story, as `rashomon
    ingest` does. Requests are conditional (ETag, Last-Modified), one at a time per host, under the
    --fetch safety rules (deadline, size cap, no private addresses). A feed that errors waits longer after
    each error (the interval, doubled per error). All state is in the store: a restart resumes, and
    nothing is stored twice. Stop with Ctrl-C. Exit code with --once: 0 when every feed answered and
    every entry was stored whole, 1 otherwise.
    """
    from .run.watch import Watcher, local_sink, read_feed_list
    from .store import open_store

    cfg = _config(config, db=db, watch_interval=interval, fetch_allow_private=allow_private or None)
    urls = read_feed_list(feeds)  # a usage error before any work

    def log(line: str) -> None:
        if not quiet:
            err.print(escape(f"{time.strftime('%H:%M:%S')} {line}"))

    with open_store(cfg.db) as store:
        watcher = Watcher(cfg, urls, local_sink(cfg, store), cfg.db, log=log)
        try:
            if not quiet:
                every = "once" if once else f"every {cfg.watch_interval:g} s"
                err.print(escape(f"following {len(urls)} feed{'s' * (len(urls) != 1)} into {cfg.db}, {every}"))
            if once:
                polls = watcher.poll_due(once=True)
                raise typer.Exit(_watch_summary(polls, quiet))
            previous = signal.signal(signal.SIGTERM, _interrupt)
            try:
                watcher.run()
            except KeyboardInterrupt:
                watcher.stop.set()
                if not quiet:
                    err.print("stopped: everything stored so far is kept; run again to resume")
            finally:
                signal.signal(signal.SIGTERM, previous)
        finally:
            watcher.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _watch_summary(polls: list[Any], quiet: bool) -> int:
    """One line for a --once pass; 1 when a feed failed or an entry was skipped or stored with a loss."""
    if not quiet:
        counts: dict[str, int] = {}
        for p in polls:
            counts[p.status] = counts.get(p.status, 0) + 1
        states = ", ".join(f"{n} {status}" for status, n in counts.items())
        err.print(f"{len(polls)} feeds ({states}): {sum(p.new for p in polls)} new articles, "
                  f"{sum(p.known for p in polls)} already stored, {sum(len(p.skipped) for p in polls)} skipped, "
                  f"{sum(len(p.warnings) for p in polls)} with warnings")
    return 1 if any(p.troubled for p in polls) else 0


@app.command()
@_fatal
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on; anything but loopback needs a token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", envvar="RASHOMON_TOKEN", show_envvar=True,
                                              help="Secret every write must carry (Authorization: Bearer TOKEN).")]
    = None,
    watch_feeds: Annotated[list[str] | None, typer.Option(
        "--watch", metavar="FEED_OR_LIST",
        help="Also follow these feeds while serving (a URL or a file of URLs; repeatable), as `rashomon watch` "
             "does: new articles join their stories and open story pages update themselves.")] = None,
    interval: Annotated[float | None, typer.Option(
        "--interval", help="With --watch: seconds between two polls of one feed (default 300).")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="With --watch: also fetch from loopback, private and link-local addresses.")] = False,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Serve the REST API (/api, /openapi.json) and the web app (/) over the store.

    New articles posted to the API are cleaned, placed in their family and story, and that story's analysis
    is refreshed. Binding to a non-loopback address requires --token (or RASHOMON_TOKEN). With --watch, feeds
    are followed in the background and their articles go in the same way.
    """
    import uvicorn

    from .api import create_app, is_loopback
    from .errors import UsageError

    if not is_loopback(host) and not token:
        raise UsageError(f"--host {host} makes the server reachable from other machines",
                         "Pass --token SECRET (or set RASHOMON_TOKEN) so that only holders of it can write.")
    if not 0 < port < 65536:
        raise typer.BadParameter("must be between 1 and 65535", param_hint="--port")
    cfg = _config(config, db=db, watch_interval=interval, fetch_allow_private=allow_private or None)
    urls: list[str] = []
    if watch_feeds:
        from .run.watch import read_feed_list

        urls = read_feed_list(watch_feeds)
    # on loopback without a token, answer only loopback names: a web page cannot reach in by DNS rebinding
    hosts = None if token else ["127.0.0.1", "localhost", "::1", host]

    def log(line: str) -> None:
        if not quiet:
            err.print(escape(f"{time.strftime('%H:%M:%S')} watch {line}"))

    web_app = create_app(cfg, token=token or None, hosts=hosts, watch=urls, watch_log=log)
    if not quiet:
        shown = f"[{host}]" if ":" in host else host
        err.print(f"rashomon serving {escape(cfg.db)} on http://{shown}:{port}/ (API docs: /api/docs)"
                  + (" · writes need the token" if token else "")
                  + (f" · following {len(urls)} feed{'s' * (len(urls) != 1)}" if urls else ""))
    uvicorn.run(web_app, host=host, port=port, log_level="warning" if quiet else "info")


def main() -> None:
    """Console-script entry point. Ends the process once the command is done (:func:`_leave`)."""
    single_threaded_blas()
    if len(sys.argv) > 1 and sys.argv[1] in ("analyze", "ingest"):
        freeze_survivors()  # this process ends with its command (not so `serve` and `watch`)
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    else:
        code = 0
    _leave(code)


def _leave(code: int) -> None:
    """Exit without tearing the interpreter down: every file is written, synced and closed and every pool
    stopped by now, and freeing the millions of objects of the gazetteer, the name tables and the lexicons
    one by one took a fifth of a second of every run. Logs and the standard streams are flushed first."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``) has nothing to flush to
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
