"""Request bodies to documents: JSON (one article object or a list), multipart file uploads (the file's
extension picks the reader, so a ``.txt`` header line or a saved ``.html`` page is read as the CLI reads it),
or a raw text/HTML body. Bodies are read with a size cap; malformed ones raise errors that become a 4xx.

>>> entries = parse_json(b'[{"text": "Kell votes on the harbour plan today."}, {"title": "no body"}]')
>>> [(i, type(x).__name__) for i, x in entries]
[(0, 'RawDocument'), (1, 'Skipped')]
>>> entries[1][1].reason
"record has no 'text' or 'html'"
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from ..config import Config
from ..errors import UsageError
from ..model import RawDocument, Skipped
from ..read import limits
from ..read.ingest import jsonl_record, read_bytes
from .desk import Entry
from .errors import PayloadTooLarge, Unprocessable, UnsupportedMedia

ARTICLE_FIELDS = ("id", "text", "html", "date", "title", "outlet", "url", "language")
_RAW_TYPES = {  # a raw body's content type -> the file name its reader is chosen by
    "text/plain": "upload.txt", "text/html": "upload.html", "application/xhtml+xml": "upload.html",
    "application/rss+xml": "upload.rss", "application/atom+xml": "upload.atom",
    "application/x-ndjson": "upload.jsonl", "application/jsonl": "upload.jsonl",
}


async def read_limited(chunks: AsyncIterator[bytes], limit: int, declared: str | None = None) -> bytes:
    """The whole body, refusing it (413) as soon as it passes ``limit`` bytes, without reading the rest."""
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        parts.append(chunk)
    return b"".join(parts)


def _too_large(size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"request body too large: more than {limit:,} bytes (got {size:,}+)",
                           "Send fewer or smaller articles per request, or raise max_upload_bytes "
                           "(RASHOMON_MAX_UPLOAD_BYTES).")


def parse_json(data: bytes) -> list[Entry]:
    """One article object, a list of them, or ``{"articles": [...]}`` -> numbered entries."""
    try:
        body = limits.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UsageError("malformed JSON: the body is not UTF-8", "Send UTF-8 encoded JSON.") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         "Send one article object or a list of them.") from exc
    except limits.Refused as exc:  # a deep body must not exhaust the stack, a long number not escape as a 500
        raise UsageError(f"malformed JSON: {exc}", "An article is one flat object; send a list of them.") from exc
    if isinstance(body, dict) and isinstance(body.get("articles"), list):
        body = body["articles"]
    if not isinstance(body, list | dict):
        raise Unprocessable(f"expected an article object or a list, got {type(body).__name__}",
                            "Send e.g. {\"text\": \"...\", \"title\": \"...\"}.")
    records = body if isinstance(body, list) else [body]
    if not records:
        raise Unprocessable("empty batch: the list has no articles", "Send at least one article object.")
    entries: list[Entry] = []
    for i, record in enumerate(records):
        entries.extend((i, item) for item in jsonl_record("api", record, i, kind="api"))
    return entries


async def parse_multipart(headers: Headers, data: bytes, config: Config) -> list[Entry]:
    """Every uploaded file (read by its extension), plus one article from the form's own fields
    (``text`` or ``html`` with ``title``, ``date``, ``outlet``, ...) when they are filled in."""

    async def once() -> AsyncGenerator[bytes, None]:
        yield data

    parser = MultiPartParser(headers, once(), max_part_size=config.max_upload_bytes)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UsageError(f"malformed multipart upload: {exc.message}", "Send files as multipart/form-data.") from exc
    entries: list[Entry] = []
    fields: dict[str, Any] = {}
    n = 0
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                if not value.filename and not content:
                    continue  # an empty file input the browser sent anyway
                found = await run_in_threadpool(_read_all, value.filename or "upload.txt", content, config)
                entries.extend((n, item) for item in found)  # read off the event loop: a page, a feed
                n += 1
            elif name in ARTICLE_FIELDS and str(value).strip():
                fields[name] = str(value)
    finally:
        await form.close()
    if fields.get("text") or fields.get("html"):
        entries.extend((n, item) for item in jsonl_record("api", fields, n, kind="api"))
    elif fields and not entries:
        raise Unprocessable("missing text: the form has no 'text', 'html' or file", "Paste the article's text.")
    if not entries:
        raise Unprocessable("no file uploaded", "Attach at least one .txt, .html, .jsonl or feed file.")
    return entries


def _read_all(name: str, data: bytes, config: Config) -> list[RawDocument | Skipped]:
    return list(read_bytes(name, data, config))


def parse_urlencoded(data: bytes) -> list[Entry]:
    """A plain HTML form (``text`` or ``html`` with ``title``, ``date``, ``outlet`` ...) -> one article."""
    try:
        pairs = parse_qsl(data.decode("utf-8"), keep_blank_values=False)
    except UnicodeDecodeError as exc:
        raise UsageError("malformed form: not UTF-8", "Send the form as UTF-8.") from exc
    fields = {k: v for k, v in pairs if k in ARTICLE_FIELDS and v.strip()}
    if not (fields.get("text") or fields.get("html")):
        raise Unprocessable("missing text: the form has no 'text' or 'html'", "Paste the article's text.")
    return [(0, item) for item in jsonl_record("api", fields, 0, kind="api")]


def parse_raw(content_type: str, data: bytes, name: str | None, config: Config) -> list[Entry]:
    """A body that is itself one file (text, HTML, a feed, JSONL), read like an uploaded file."""
    filename = name or _RAW_TYPES.get(content_type)
    if filename is None:
        raise UnsupportedMedia(f"unsupported content type {content_type!r}",
                               "Send application/json, multipart/form-data, text/plain or text/html.")
    return [(0, item) for item in read_bytes(filename, data, config)]
