"""Limits on the shape of untrusted input, checked before a parser that such a shape would break.

Parsers of nested formats either recurse (Python's ``json`` raises RecursionError on a line of 100,000
``[``, which would end a whole run) or cap their depth (libxml2, under trafilatura and lxml, drops every
element below 255 levels of HTML *and everything after it*, so a deeply nested page loses its article
without a word). The rules:

* JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused before it is parsed (:func:`loads`), and a
  RecursionError from the parser is turned into the same refusal, never an escaping exception;
* HTML nested deeper than the parser can hold is flattened first (:func:`flatten_html`): tags below
  :data:`MAX_HTML_DEPTH` are dropped (block tags become line breaks), their text is kept.

>>> loads('{"text": "brackets [[[ in a string are text"}')["text"]
'brackets [[[ in a string are text'
>>> loads("[" * 100_000)
Traceback (most recent call last):
...
rashomon.read.limits.TooDeep: nested deeper than 64 levels
>>> page = "<body>" + "<div>" * 1000 + "<p>deep text</p>" + "</div>" * 1000 + "</body>"
>>> flat = flatten_html(page)
>>> "deep text" in flat and flat.count("<div>") <= MAX_HTML_DEPTH
True
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any

MAX_JSON_DEPTH = 64  # an article object needs 2 or 3; generous for extra fields nobody reads
MAX_HTML_DEPTH = 150  # libxml2 holds 255; the margin covers elements it adds itself (tbody, html, body)
_PROBE_DEPTH = 200  # a parsed page this deep may have hit libxml2's cap: flatten it and parse again


class Refused(ValueError):
    """A JSON text refused for its shape rather than its syntax (see the subclasses)."""


class TooDeep(Refused):
    """A JSON text nested deeper than the limit (raised before parsing, or instead of RecursionError)."""


class Unparsable(Refused):
    """A JSON text the parser rejects beyond its syntax: a number of more than 4,300 digits (Python's
    limit on int conversion raises a plain ValueError, which no JSONDecodeError handler catches)."""


# ----------------------------------------------------------------------------------------------- JSON

_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than ``limit`` (brackets inside strings
    do not count). Linear in the text; texts with few brackets are answered without scanning."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def loads(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for untrusted text: :class:`TooDeep` instead of a parse that would exhaust the stack,
    :class:`Unparsable` for a number too long to convert, ``json.JSONDecodeError`` for malformed text; all
    are ValueErrors, and nothing else escapes."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8-sig")
    if json_depth_exceeds(text, limit):
        raise TooDeep(f"nested deeper than {limit} levels")
    try:
        return json.loads(text)
    except RecursionError:  # belt and braces: a smaller stack than the check assumes
        raise TooDeep(f"nested too deep to parse (limit {limit} levels)") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise Unparsable(str(exc).split(";")[0]) from None


# ----------------------------------------------------------------------------------------------- HTML

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                   "source", "track", "wbr"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
                    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
                    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
                    "td", "tfoot", "th", "thead", "tr", "ul"})
_TEXT_BLOCK = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "blockquote", "pre", "td", "th",
                         "tr", "tbody", "table", "ul", "ol", "dl", "figcaption"})
_RESERVE = 30  # levels kept for text blocks below the deepest wrapper
# a start tag of these closes an open element of its group (the parser's implied end tags), so a page of
# unclosed <p> or <li> is not mistaken for a deep one
_SIBLINGS = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
             "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}


def html_too_deep(root: Any) -> bool:
    """Whether a parsed lxml tree reaches the depth where libxml2 may have cut it."""
    return bool(root.xpath("/*" * _PROBE_DEPTH + "[1]"))


def needs_flattening(html: str) -> bool:
    """Whether lxml would cut this page for its depth (parses it once; cheap next to extraction)."""
    if html.count("<") < _PROBE_DEPTH:
        return False
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - a page lxml cannot parse at all is the extractor's business
        return False
    return html_too_deep(root.getroottree().getroot())


def flatten_html(html: str, limit: int = MAX_HTML_DEPTH) -> str:
    """The page with no element nested deeper than ``limit``: wrappers (``div``, ``span`` ...) stop
    :data:`_RESERVE` levels earlier, so the paragraphs, headings and lists inside them keep their markup;
    a dropped block tag becomes one ``<br>``; text and entities are all kept. A streaming tokenizer (no
    recursion): any depth, linear time."""
    flattener = _Flattener(limit)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out)


class _Flattener(HTMLParser):
    """Re-emits a page token by token, counting open elements the way an HTML parser nests them (with
    the common implied end tags; counting too deep is harmless, too shallow is not)."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit = limit
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted)
        self.emitted = 0  # open elements emitted: the depth the parser will see
        self.open_names: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.out.append(raw)
            return
        top = self.stack[-1][0] if self.stack else None
        if top in _SIBLINGS.get(tag, ()) or (tag in _BLOCK and top == "p"):
            self._pop()
        # wrappers stop short of the limit, so the paragraphs and headings inside them keep their markup
        room = self.limit - (0 if tag in _TEXT_BLOCK else _RESERVE)
        keep = self.emitted < room
        self.stack.append((tag, keep))
        self.open_names[tag] += 1
        self.emitted += keep
        if keep:
            self.out.append(raw)
        else:
            self._drop(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}/>"
        # libxml2 closes "<div/>" and '<div class="x"/>' at once but reads "<div class=x/>" as an open div
        if tag in _VOID or re.search(r"""(^<[^\s/>]+|["'\s])/>$""", raw):
            if self.emitted < self.limit:
                self.out.append(raw)
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_names[tag]:  # a stray end tag (counted, so a flood of them is not quadratic)
            self.out.append(f"</{tag}>")
            return
        while self.stack[-1][0] != tag:
            self._pop()
        self._pop()

    def _pop(self) -> None:
        tag, emitted = self.stack.pop()
        self.open_names[tag] -= 1
        self.emitted -= emitted
        if emitted:
            self.out.append(f"</{tag}>")
        else:
            self._drop(tag)

    def _drop(self, tag: str) -> None:
        """What a dropped tag leaves: a line break for a block (one for a run of them), else nothing."""
        if tag in _BLOCK and self.out and self.out[-1] != "<br>":
            self.out.append("<br>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        pass  # CDATA sections and the like: a bogus comment to an HTML parser

    def handle_comment(self, data: str) -> None:
        pass  # comments are never article text

    def handle_pi(self, data: str) -> None:
        pass
