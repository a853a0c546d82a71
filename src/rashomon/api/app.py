"""The REST API and the web app of ``rashomon serve``: FastAPI over a :class:`~rashomon.api.desk.Desk`.

Paths follow the contract (``../shared/spec/analysis.md``); every error is ``{"error": "..."}`` with a 4xx
status (5xx only for a fault of the server itself). When the server has a token, every write must carry it
(``Authorization: Bearer TOKEN`` or ``X-Rashomon-Token: TOKEN``); writes from another web origin are refused
either way, so a page on some other site cannot post into a desk running on localhost.

>>> from fastapi.testclient import TestClient
>>> import tempfile, pathlib
>>> db = str(pathlib.Path(tempfile.mkdtemp()) / "api.db")
>>> with TestClient(create_app(Config(db=db), warm=False)) as client:
...     client.get("/api/stories").json(), client.get("/api/stories/nope").status_code
({'stories': []}, 404)
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Config
from ..errors import RashomonError
from ..run.watch import Watcher
from ..web import STATIC
from . import schemas
from .desk import Desk
from .errors import Forbidden, Unauthorized, Unprocessable
from .uploads import parse_json, parse_multipart, parse_raw, parse_urlencoded, read_limited

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The UI builds every node with textContent, so no inline script or style is needed: forbid them, which
# also means a payload that slipped into markup could not run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
ARTICLE_IN = schemas.ArticleIn.model_json_schema()
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": schemas.Error} for code in (400, 401, 403, 404, 413, 415, 422)}
WRITES_IN_FLIGHT = 16  # uploads read and queued for the writer at once; more wait, unread
PAGE = 50  # items per page when a request gives an offset but no limit
MAX_PAGE = 500
Limit = Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Items per page. Without limit and offset the "
                                                                 "whole list comes back, as it always did.")]
Offset = Annotated[int | None, Query(ge=0, description="Items to skip (see next_offset in the answer).")]
LanguageQ = Annotated[str | None, Query(description="Only those with an article in this language (ISO 639-1, "
                                                    "e.g. fr); articles' languages come from their text.")]

DESCRIPTION = """rashomon's live news desk: add reports as they arrive; each is cleaned, placed in its
syndication family and story, and the story's cited analysis is refreshed. Errors are `{"error": "..."}` with
a 4xx status. When the server has a token, writes need `Authorization: Bearer TOKEN`."""


def create_app(config: Config | None = None, *, token: str | None = None, hosts: Iterable[str] | None = None,
               warm: bool = True, watch: Sequence[str] = (), watch_log: Callable[[str], None] | None = None,
               ) -> FastAPI:
    """The ASGI app over the store ``config.db``. ``token``: required on every write when given.

    ``hosts``: the only Host headers answered (``rashomon serve`` on loopback without a token passes the
    loopback names, so a web page cannot reach the desk through DNS rebinding); ``None`` answers any.
    ``warm`` computes the newest stories' analyses in the background at start (off in tests).
    ``watch``: feed URLs followed while the app runs (``rashomon serve --watch``), in a background thread
    whose articles go through the desk's single writer; ``watch_log`` hears its poll lines."""
    config = config or Config.load()
    desk = Desk(config, warm=warm)
    watcher = Watcher(config, watch, desk.add_documents, desk.path, log=watch_log) if watch else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        thread = None
        if watcher is not None:
            thread = threading.Thread(target=watcher.run, name="rashomon-watch", daemon=True)
            thread.start()
        yield
        if watcher is not None and thread is not None:
            watcher.stop.set()
            thread.join(timeout=60)  # a fetch in flight ends by its deadline
            watcher.close()
        desk.close()

    app = FastAPI(title="rashomon", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url="/api/docs", redoc_url=None, openapi_url="/openapi.json")
    app.state.desk = desk
    app.state.watcher = watcher
    app.state.token = token
    _install_guards(app, token, {h.lower() for h in hosts} if hosts is not None else None)
    _install_errors(app)
    _install_routes(app, desk, config, token)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


# --------------------------------------------------------------------------------------------- guards


def _install_guards(app: FastAPI, token: str | None, hosts: set[str] | None) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            if hosts is not None:
                _check_host(request, hosts)
            if request.method in WRITE_METHODS:
                _check_origin(request)
                if token is not None:
                    _check_token(request, token)
        except RashomonError as exc:
            return _error(exc)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith("/api/docs"):  # Swagger UI needs its own scripts
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _check_host(request: Request, hosts: set[str]) -> None:
    name = urlsplit("//" + (request.headers.get("host") or "")).hostname or ""
    if name.lower() not in hosts and f"[{name.lower()}]" not in hosts:
        raise Forbidden(f"host {name!r} is not served here",
                        "Open the desk as http://127.0.0.1:PORT/ or http://localhost:PORT/.")


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return  # not a browser, or a same-origin request from an old one
    if urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower():
        raise Forbidden(f"cross-origin write refused (origin {origin!r})",
                        "Use the web app served by this server, or call the API from a script.")


def _given_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else request.headers.get("x-rashomon-token", "")


def _has_token(request: Request, token: str) -> bool:
    given = _given_token(request)
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def _check_token(request: Request, token: str) -> None:
    given = _given_token(request)
    if not _has_token(request, token):
        raise Unauthorized("this server needs a token for writes" + (": the one sent is wrong" if given else ""),
                           "Send 'Authorization: Bearer TOKEN' (in the web app: the token field of the form).")


# --------------------------------------------------------------------------------------------- errors


def _error(exc: RashomonError, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": str(exc), "code": exc.code, **extra}, status_code=exc.status)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(RashomonError)
    async def rashomon_error(_: Request, exc: RashomonError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = {404: f"not found: {request.url.path}",
                   405: f"method {request.method} not allowed on {request.url.path}"}.get(exc.status_code,
                                                                                           str(exc.detail))
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())), e.get("msg", "invalid"))
                 for e in exc.errors()]
        return JSONResponse({"error": "invalid request: " + "; ".join(parts)}, status_code=422)


# --------------------------------------------------------------------------------------------- routes


def _install_routes(app: FastAPI, desk: Desk, config: Config, token: str | None) -> None:
    writes = asyncio.Semaphore(WRITES_IN_FLIGHT)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/status", response_model=schemas.Status, tags=["desk"])
    def status(request: Request) -> dict[str, Any]:
        """Counts, cache statistics and whether writes need a token. Where the store lives (``db``, a path on
        the server's disk) only for callers who could write: anyone on a desk without a token, else only
        the token's holders; for everyone else it is null."""
        found = desk.status()
        if token is not None and not _has_token(request, token):
            found["db"] = None  # a filesystem path tells a stranger the user name and the layout of the disk
        return {**found, "writes_need_token": token is not None}

    @app.post("/api/articles", tags=["articles"], status_code=201, response_model=schemas.AddResult,
              responses={200: {"model": schemas.AddResult, "description": "Every article was already stored."},
                         **ERRORS},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"anyOf": [
                      ARTICLE_IN, {"type": "array", "items": ARTICLE_IN}]}},
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                               "description": ".txt (optional ' date YYYY-MM-DD' first line), .html, .jsonl, "
                                              ".rss/.atom files"},
                      **{f: {"type": "string"} for f in ("text", "title", "date", "outlet", "url", "language")}}}},
                  "text/plain": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}}}}})
    async def add_articles(request: Request, response: Response,
                           name: Annotated[str | None, Query(description="File name for a raw body "
                                                                           "(its extension picks the reader).")] = None
                           ) -> Any:
        """Add one article or a batch: JSON (an object or a list), multipart file upload, or a raw text/HTML
        body. Each article is cleaned, stored, placed in its family and story; the stories it touched are
        refreshed. Items that cannot be used are listed under ``skipped`` with the reason."""
        ctype = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
        # at most WRITES_IN_FLIGHT bodies are read and queued at once: more uploads wait unread, so a burst
        # costs bounded memory; none of them holds a thread the readers need while it waits for the writer
        async with writes:
            data = await read_limited(request.stream(), config.max_upload_bytes,
                                      request.headers.get("content-length"))
            if ctype == "multipart/form-data":
                entries = await parse_multipart(request.headers, data, config)
            elif ctype == "application/json" or ctype.endswith("+json"):
                entries = await run_in_threadpool(parse_json, data)
            elif ctype == "application/x-www-form-urlencoded":
                entries = parse_urlencoded(data)
            else:  # HTML extraction or a feed: off the event loop
                entries = await run_in_threadpool(parse_raw, ctype, data, name, config)
            del data
            result = await asyncio.wrap_future(desk.submit(entries))
        if not result["articles"]:
            first: dict[str, Any] = result["skipped"][0] if result["skipped"] else {"index": 0, "reason": "nothing"}
            what = "missing text" if "no 'text'" in str(first["reason"]) else first["reason"]
            return _error(Unprocessable(f"no article added: item {first['index']}: {what}",
                                        "Each article needs a non-empty 'text' or 'html'."),
                          skipped=result["skipped"])
        if not any(a["new"] for a in result["articles"]):
            response.status_code = 200
        return result

    @app.get("/api/articles/{article_id}", response_model=schemas.ArticleOut, responses=ERRORS, tags=["articles"])
    def get_article(article_id: str) -> dict[str, Any]:
        """One stored article: cleaned text, the boilerplate blocks removed from it, family and story."""
        return desk.article(article_id)

    @app.delete("/api/articles/{article_id}", response_model=schemas.Deleted, responses=ERRORS, tags=["articles"])
    def delete_article(article_id: str) -> dict[str, Any]:
        """Remove an article; its story and family are updated and their analysis refreshed."""
        return desk.delete(article_id)

    @app.patch("/api/articles/{article_id}", response_model=schemas.ArticleOut, responses=ERRORS, tags=["articles"])
    def edit_article(article_id: str, body: schemas.ArticleEdit) -> dict[str, Any]:
        """Correct an article's outlet or title. The store keeps the correction (re-analysing the same input
        keeps it too); the article's story is refreshed, so its brief and references use it."""
        return desk.edit(article_id, body.model_dump(exclude_unset=True))

    @app.get("/api/stories", response_model=None, tags=["stories"], responses={200: {"model": schemas.StoryList}})
    def list_stories(limit: Limit = None, offset: Offset = None, language: LanguageQ = None) -> JSONResponse:
        """Every story (without brief), newest first, with its independent-source count; a page of them with
        ``limit``/``offset``."""
        found = desk.stories()
        if language:
            found = [r for r in found if language.lower() in r.get("languages", ())]
        return JSONResponse(_page("stories", found, limit, offset))

    @app.get("/api/stories/{story_id}/version", response_model=schemas.Version, responses=ERRORS, tags=["stories"])
    def story_version(story_id: str) -> dict[str, Any]:
        """A fingerprint of the story that changes when an article joins or leaves it or is edited: cheap to
        poll, so an open story page knows when to fetch the story again."""
        return desk.version(story_id)

    @app.get("/api/stories/{story_id}/export", response_model=None, tags=["stories"],
             responses={200: {"content": {"text/markdown": {}, "application/json": {}, "text/html": {}},
                              "description": "The story as a file to save."}, **ERRORS})
    def export_story(story_id: str, format: Annotated[str, Query(pattern="^(md|json|html)$", description=(  # noqa: A002
            "md: the brief with references; json: the contract object; html: a self-contained report page"))]
                     = "md") -> Response:
        """One story as a file: its brief in Markdown, its analysis as JSON, or a report page in HTML."""
        content, media, name = desk.export(story_id, format)
        return Response(content, media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/api/stories/{story_id}", response_model=None, tags=["stories"],
             responses={200: {"model": schemas.StoryAnalysis}, **ERRORS})
    def get_story(story_id: str) -> JSONResponse:
        """The contract's top-level object restricted to one story: its articles, the story with its cited
        brief, entities (each with ``store_id``), quotes, claims, events, timeline and differences."""
        return JSONResponse(desk.story(story_id))

    @app.get("/api/entities", response_model=None, tags=["entities"], responses={200: {"model": schemas.EntityList}})
    def list_entities(limit: Limit = None, offset: Offset = None,
                      q: Annotated[str | None, Query(description="Only names (or other spellings) holding "
                                                                 "these words.")] = None,
                      type: Annotated[str | None, Query(description="Only this type: PERSON, ORG, GPE ...")]  # noqa: A002
                      = None, language: LanguageQ = None) -> JSONResponse:
        """Entities across the store, merged by type and canonical name, most widely reported first; a page
        of them with ``limit``/``offset``, filtered by name with ``q`` and by ``type``."""
        found = desk.entities()
        if type:
            found = [e for e in found if e["type"] == type.upper()]
        if q and q.strip():
            words = q.casefold().split()
            found = [e for e in found if all(any(w in n.casefold() for n in (e["name"], *e["aliases"])) for w in words)]
        if language:
            langs = desk.languages_of(aid for e in found for aid in e["article_ids"])
            found = [e for e in found if any(langs.get(aid) == language.lower() for aid in e["article_ids"])]
        return JSONResponse(_page("entities", found, limit, offset))

    @app.get("/api/threads", response_model=None, tags=["stories"], responses={200: {"model": schemas.ThreadList}})
    def list_threads(limit: Limit = None, offset: Offset = None,
                     story: Annotated[str | None, Query(description="Only the thread holding this story.")] = None,
                     language: LanguageQ = None) -> JSONResponse:
        """Threads: stories of one long-running topic (an investigation over months, a war), linked by the
        rare names they share, each with its stories in date order. Earliest first."""
        found = desk.threads()
        if story:
            found = [t for t in found if story in t["story_ids"]]
        if language:
            holding = {r["id"] for r in desk.stories() if language.lower() in r.get("languages", ())}
            found = [t for t in found if holding & set(t["story_ids"])]
        return JSONResponse(_page("threads", found, limit, offset))

    @app.get("/api/entities/{entity_id}", response_model=schemas.EntityPage, responses=ERRORS, tags=["entities"])
    def get_entity(entity_id: str) -> dict[str, Any]:
        """One entity with the stories, articles, quotes (as speaker) and events it appears in."""
        return desk.entity(entity_id)

    @app.get("/api/search", response_model=None, responses={200: {"model": schemas.SearchResult}, **ERRORS},
             tags=["search"])
    def search(q: Annotated[str, Query(description='Words or "a phrase"; the last word matches as a prefix.')],
               limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = None) -> JSONResponse:
        """Full-text search (SQLite FTS5) over articles (title, outlet, text) and quotes (speaker, words);
        ``offset`` gives the next page of each."""
        found = desk.search(q, limit, offset or 0)
        return JSONResponse({**found, "offset": offset} if offset is not None else found)


def _page(key: str, items: list[dict[str, Any]], limit: int | None, offset: int | None) -> dict[str, Any]:
    """``{key: items}`` as it always was, or, when the request names a page, that page with ``total``,
    ``limit``, ``offset`` and ``next_offset``.

    >>> _page("stories", [1, 2, 3], None, None)
    {'stories': [1, 2, 3]}
    >>> _page("stories", [1, 2, 3], 2, None)
    {'stories': [1, 2], 'total': 3, 'limit': 2, 'offset': 0, 'next_offset': 2}
    """
    if limit is None and offset is None:
        return {key: items}
    start, size = offset or 0, limit or PAGE
    after = start + size
    return {key: items[start:after], "total": len(items), "limit": size, "offset": start,
            "next_offset": after if after < len(items) else None}
