"""Fuzzing the doors hostile input comes in by: the readers (text, HTML, feeds, JSONL), the API's request
bodies, and the configuration (TOML file and environment).

The property at every door: no exception escapes; every input becomes documents or Skipped records with a
reason (a request: a 2xx listing them, or a 4xx JSON error, never a 5xx); nothing is half-written (a run's
counts add up to its inputs and the store holds exactly the articles reported new; a refused request
leaves the store as it was; every article stored is placed in a story).

Inputs are built from fragments that break parsers (deep nesting, unclosed markup, entities, broken
UTF-8, surrogates, huge numbers, wrong JSON types) mixed with ordinary article text, so both the refusals
and the happy path are exercised. ``make test`` runs the quick profile (few examples, derandomised, a
deadline); ``make fuzz`` the long one (``RASHOMON_FUZZ_PROFILE=fuzz``; ``RASHOMON_FUZZ_EXAMPLES=N`` sets
the number of examples a test).
"""

from __future__ import annotations

import json
import math
import os
import string
import tempfile
from dataclasses import fields
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rashomon.api import create_app
from rashomon.config import Config
from rashomon.errors import ConfigError
from rashomon.model import Article, RawDocument, Skipped
from rashomon.read.clean import clean
from rashomon.read.ingest import iter_inputs, read_bytes
from rashomon.run.runner import ingest_items
from rashomon.store import Store

settings.register_profile("fuzz-quick", max_examples=12, deadline=20_000, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.large_base_example])
settings.register_profile("fuzz", max_examples=400, deadline=30_000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.large_base_example])
FUZZ = settings(settings.get_profile(os.environ.get("RASHOMON_FUZZ_PROFILE", "fuzz-quick")),
                **({"max_examples": int(os.environ["RASHOMON_FUZZ_EXAMPLES"])} if os.environ.get("RASHOMON_FUZZ_EXAMPLES")
                   else {}))
pytestmark = pytest.mark.fuzz

CFG = Config()
PARAGRAPH = ("The council of Kell voted on Monday to rebuild the old harbour wall, Mayor Ilse Brandvik said. "
             "The work will cost 14 million crowns and take two years. ")

# ---------------------------------------------------------------------------------------- fragments

WORDS = st.text(alphabet=string.ascii_letters + string.digits + " .,;:!?'\"-–—«»“”äöüéßçñ中文Ωж\t\n", max_size=60)
TEXT_BITS = st.sampled_from([
    " date 2026-01-05 ", " date 2026-13-45 Headline\n", "\n\n", "\r\n", "\r", "\u2028", "\x85", "\x0c", "\ufeff",
    "\u200b", "\u202e", "\x00", "\x1b[31m", "\ud800", "\udfff", "ﬁ", "Ã©", "â€™", "\ufffd", "[/x]", "[bold]",
    "&amp;", "<script>alert(1)</script>", "`", "\\", "%s%n", "../../etc/passwd",
])
HTML_BITS = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<span>", "<b><i>", "<table><tr><td>", "</td></tr></table>", "<ul><li>",
    "<li>", "<br/>", "<div/>", "<div class=x/>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->",
    "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "&#99999999999;", "&bogus;", "&", "<html>", "<body>",
    "</body>", "<head><title>", "</title>", "<article>", "</article>", "<nav>Home | News</nav>", "<h1>",
    "<meta property='article:published_time' content='99999-99-99'>", "<meta charset='utf-16'>",
    "<meta name='date' content='2026-02-30'>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>",
    "<?xml version='1.0'?>", "<!DOCTYPE html>", "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>", "<svg><foreignObject>",
    "<math><mi>", "<template>", "<noscript>", "<iframe srcdoc='<p>x</p>'>", "<", ">", "'", '"', "=",
    "<base href='javascript:'>", "<p>" + PARAGRAPH + "</p>",
])
NEST = st.sampled_from(["<div>", "<span>", "<table><tr><td>", "<b>", "<ul><li>", "<blockquote>", "<p>"])
DEEP = st.tuples(NEST, st.integers(min_value=100, max_value=3000)).map(lambda t: t[0] * t[1])


def _doc(bits: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(bits, WORDS, st.just(PARAGRAPH)), max_size=40).map("".join)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8


def _bytes(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """The text in some encoding, with a few random bytes spliced in, and maybe cut short."""
    return st.builds(
        lambda text, how, noise, at, cut: (lambda b: (b[:at] + noise + b[at:])[: cut or None])(_encode(text, how)),
        texts, st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1252"]), st.binary(max_size=8),
        st.integers(min_value=0, max_value=4000), st.one_of(st.none(), st.integers(min_value=0, max_value=6000)))


TXT = _bytes(_doc(TEXT_BITS))
HTML = _bytes(st.lists(st.one_of(HTML_BITS, TEXT_BITS, WORDS, DEEP, st.just(PARAGRAPH)), max_size=40).map("".join))

_ENTITY_BOMB = ('<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
FEED_FIELD = st.lists(st.one_of(HTML_BITS, TEXT_BITS, WORDS, DEEP), max_size=12).map("".join)
ITEM = st.builds(lambda t, d, body, link: f"<item><title>{t}</title><pubDate>{d}</pubDate><link>{link}</link>"
                                          f"<description>{body}</description></item>",
                 FEED_FIELD, st.sampled_from(["Mon, 05 Jan 2026 10:00:00 GMT", "yesterday", "", "Feb 30 2026",
                                              "9999-99-99T99:99:99Z"]),
                 st.one_of(FEED_FIELD, st.just(f"<![CDATA[<p>{PARAGRAPH}</p>]]>"), st.just(PARAGRAPH)),
                 st.sampled_from(["https://kell.example/1", "javascript:alert(1)", "", "&d;"]))
ENTRY = st.builds(lambda t, body: f"<entry><title>{t}</title><updated>2026-01-06T08:00:00Z</updated>"
                                  f"<content type='html'>{body}</content></entry>",
                  FEED_FIELD, st.one_of(FEED_FIELD, st.just("&lt;p&gt;" + PARAGRAPH + "&lt;/p&gt;")))
FEED = _bytes(st.one_of(
    st.builds(lambda prolog, items, title: f"<?xml version='1.0'?>{prolog}<rss version='2.0'><channel>"
                                           f"<title>{title}</title>{''.join(items)}</channel></rss>",
              st.sampled_from(["", _ENTITY_BOMB]), st.lists(ITEM, max_size=5), FEED_FIELD),
    st.builds(lambda entries: "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>W</title>"
                              + "".join(entries) + "</feed>", st.lists(ENTRY, max_size=5)),
    _doc(HTML_BITS)))

JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), WORDS, st.text(max_size=20),
                      st.sampled_from([PARAGRAPH, "2026-01-05", "2026-02-30", "yesterday", "\ud800", " "]))
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
ARTICLE_KEYS = ("id", "text", "html", "date", "title", "outlet", "url", "language")
RECORD = st.dictionaries(st.sampled_from(ARTICLE_KEYS), st.one_of(JSON_VALUE, st.just(PARAGRAPH),
                                                                  HTML.map(lambda b: b.decode("utf-8", "replace"))),
                         max_size=8)
RAW_LINE = st.sampled_from([
    "[" * 100_000, "{" * 3_000, '{"text": ' + "1" * 5_000 + "}", '{"text": 1e999999}', '{"text": NaN}',
    '{"text": "\\ud800 lone"}', '{"text": "x", "text": 5}', "{", "", "   ", "\ufeff{}", "null", "[]", '"text"',
    '{"id": ' + "9" * 4_400 + ', "text": "x"}', '{"text": "' + PARAGRAPH + '", "date": "' + "9" * 5_000 + '"}',
])
LINE = st.one_of(RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)), RAW_LINE,
                 JSON_VALUE.map(lambda v: json.dumps(v)))
JSONL = st.builds(lambda lines, sep, noise: sep.join(lines).encode("utf-8", "surrogatepass") + noise,
                  st.lists(LINE, max_size=8), st.sampled_from(["\n", "\r\n", "\n\n"]), st.binary(max_size=4))


# ------------------------------------------------------------------------------------------ readers


def _check_items(items: list[RawDocument | Skipped]) -> None:
    """Every item a document or a reasoned Skipped; documents clean to an Article or a Skipped, and what
    would be stored is valid UTF-8 (else writing analysis.json would fail at the end of a run)."""
    for item in items:
        assert isinstance(item, RawDocument | Skipped), item
        if isinstance(item, Skipped):
            assert isinstance(item.reason, str) and item.reason.strip(), item
            continue
        assert isinstance(item.text, str) and item.text.strip()
        for name in ("title", "outlet", "url", "language", "date", "source_id"):
            assert isinstance(getattr(item, name), str | None), (name, getattr(item, name))
        assert all(isinstance(w, str) and w for w in item.warnings)
        cleaned = clean(item, CFG)
        assert isinstance(cleaned, Article | Skipped)
        if isinstance(cleaned, Article):
            for value in (cleaned.text, cleaned.title, cleaned.outlet, cleaned.source_id, *cleaned.removed):
                (value or "").encode("utf-8")


def _check_run(items: list[RawDocument | Skipped]) -> None:
    """Stored through the runner: the counts add up to the inputs, and the store holds what was new."""
    with Store(":memory:") as store:
        ids, summary = ingest_items(items, CFG, store)
        assert summary.inputs == len(items)
        assert summary.inputs == summary.new + summary.duplicates + len(summary.skipped)
        assert store.count() == summary.new and set(ids) <= {a.id for a in store.articles()}


@FUZZ
@given(st.sampled_from(["a.txt", "a", "a.text"]), TXT)
def test_text_files(name: str, data: bytes) -> None:
    items = list(read_bytes(name, data, CFG))
    _check_items(items)
    _check_run(items)


@FUZZ
@given(st.sampled_from(["a.html", "a.htm", "a.xhtml", "page"]), HTML)
def test_html_pages(name: str, data: bytes) -> None:
    items = list(read_bytes(name, data, CFG))
    _check_items(items)
    _check_run(items)


@FUZZ
@given(st.sampled_from(["f.rss", "f.atom", "f.xml", "f"]), FEED)
def test_feeds(name: str, data: bytes) -> None:
    items = list(read_bytes(name, data, CFG))
    _check_items(items)
    _check_run(items)


@FUZZ
@given(JSONL)
def test_jsonl_corpora_uploaded_and_read_from_a_file(data: bytes) -> None:
    uploaded = list(read_bytes("c.jsonl", data, CFG))
    _check_items(uploaded)
    _check_run(uploaded)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.jsonl"
        path.write_bytes(data)
        from_file = list(iter_inputs([str(path)], CFG))
    _check_items(from_file)
    good = [(d.source_id, d.text) for d in from_file if isinstance(d, RawDocument)]
    assert good == [(d.source_id, d.text) for d in uploaded if isinstance(d, RawDocument)] or b"\r" in data


# ---------------------------------------------------------------------------------------------- API


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz") / "desk.db"
    with TestClient(create_app(Config(db=str(db), max_upload_bytes=400_000), warm=False)) as client:
        # a fault in the server raises here with its traceback (a 5xx could not say more than "Internal")
        yield client


FILENAME = st.one_of(st.sampled_from(["a.txt", "a.html", "c.jsonl", "f.rss", "x.docx", "", "../../etc/passwd.txt",
                                      "[/x].txt", "a\u202etxt.exe", "名前.txt", "a" * 300 + ".txt"]),
                     st.text(max_size=20))
UPLOAD = st.one_of(TXT, HTML, FEED, JSONL)
REQUEST = st.one_of(
    st.builds(lambda v: ("json", json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass"), None),
              st.one_of(JSON_VALUE, RECORD, st.lists(RECORD, max_size=3), st.builds(lambda r: {"articles": r},
                                                                                    st.lists(RECORD, max_size=3)))),
    st.builds(lambda b: ("json", b, None), st.one_of(JSONL, RAW_LINE.map(str.encode), st.binary(max_size=64))),
    st.builds(lambda files: ("multipart", files, None), st.lists(st.tuples(FILENAME, UPLOAD), min_size=1, max_size=3)),
    st.builds(lambda ctype, body, name: (ctype, body, name),
              st.sampled_from(["text/plain", "text/html", "application/rss+xml", "application/x-ndjson",
                               "application/pdf", "text/plain; charset=utf-16", "", "multipart/form-data",
                               "application/x-www-form-urlencoded"]),
              UPLOAD, st.one_of(st.none(), FILENAME)),
    st.builds(lambda form: ("form", form, None), st.dictionaries(st.sampled_from(ARTICLE_KEYS + ("x",)),
                                                                 st.one_of(WORDS, st.just(PARAGRAPH)), max_size=5)),
)


@settings(FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(REQUEST)
def test_api_bodies(desk: TestClient, request_: tuple[str, object, str | None]) -> None:
    kind, body, name = request_
    before = desk.get("/api/status").json()["articles"]
    params = {"name": name} if name is not None else {}
    if kind == "json":
        r = desk.post("/api/articles", content=body, headers={"content-type": "application/json"})
    elif kind == "multipart":
        r = desk.post("/api/articles", files=[("file", (n, data, "application/octet-stream")) for n, data in body])
    elif kind == "form":
        r = desk.post("/api/articles", data=body)
    else:
        r = desk.post("/api/articles", content=body, params=params, headers={"content-type": kind} if kind else {})
    assert r.status_code in {200, 201, 400, 413, 415, 422}, (r.status_code, r.text[:500])
    data = r.json()
    after = desk.get("/api/status").json()["articles"]
    if r.status_code >= 400:
        assert isinstance(data["error"], str) and data["error"]
        assert after == before  # a refused request stores nothing
        return
    assert all(isinstance(s["reason"], str) and s["reason"] for s in data["skipped"])
    new = [a for a in data["articles"] if a["new"]]
    assert after == before + len({a["id"] for a in new})
    for article in data["articles"]:
        stored = desk.get(f"/api/articles/{article['id']}")
        assert stored.status_code == 200 and stored.json()["story"] == article["story"] is not None


# ------------------------------------------------------------------------------------------- config

FIELDS = {f.name: f for f in fields(Config)}
TOML_SCALAR = st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(), st.booleans(),
                        st.text(max_size=12), st.sampled_from(["1979-05-27T07:32:00Z", "07:32:00"]))
TOML_VALUE = st.recursive(TOML_SCALAR, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


def _toml(value: object) -> str:
    """A TOML literal for a generated value (datetimes pass as bare literals)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value)
    if text in ("1979-05-27T07:32:00Z", "07:32:00"):
        return text
    return json.dumps(text)


KEY = st.one_of(st.sampled_from(sorted(FIELDS)), st.text(alphabet=string.ascii_lowercase + "_", min_size=1,
                                                          max_size=12))
TOML_DOC = st.one_of(
    st.builds(lambda table, pairs: ("[rashomon]\n" if table else "")
              + "".join(f"{k} = {_toml(v)}\n" for k, v in pairs.items()),
              st.booleans(), st.dictionaries(KEY, TOML_VALUE, max_size=4)),
    st.sampled_from(["rashomon = 5\n", "rashomon = [1, 2]\n", "[rashomon.workers]\nx = 1\n", "a = " + "[" * 5000,
                     "workers = 99999999999999999999999\n", "\ufeffworkers = 2\n", "[rashomon]\n[rashomon]\n",
                     "workers = 1\nworkers = 2\n", "db = '\x00'\n", "key = \"\\ud800\"\n"]),
    st.text(max_size=80),
)
ENV = st.dictionaries(st.sampled_from([f"RASHOMON_{n.upper()}" for n in FIELDS]),
                      st.one_of(st.text(alphabet=string.printable, max_size=12),
                                st.sampled_from(["nan", "inf", "-1", "0", "1e400", "yes", "OFF", "", "0x10", "1_000",
                                                 "9" * 5000])), max_size=4)


@FUZZ
@given(TOML_DOC, ENV, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_config_file_and_environment(tmp_path_factory, toml: str, env: dict[str, str], encoding: str) -> None:
    path = tmp_path_factory.mktemp("cfg") / "rashomon.toml"
    try:
        path.write_bytes(toml.encode(encoding, "surrogatepass"))
    except UnicodeEncodeError:
        assume(False)
    try:
        cfg = Config.load(path, env=env)
    except ConfigError as exc:
        assert str(exc).startswith("E003 ")
        return
    for name, f in FIELDS.items():  # a loaded config holds values of its fields' types, within their bounds
        value, default = getattr(cfg, name), f.default
        assert value is None or type(value) is type(default) or (default is None and isinstance(value, str)), name
        if isinstance(value, float):
            assert math.isfinite(value), name
    assert cfg.workers >= 0 and cfg.batch_size >= 1 and cfg.fetch_timeout > 0 and cfg.engine in {"local", "dask"}  # workers 0 is "auto"
