"""Pairing quotation marks (map stage, for :mod:`rashomon.who.quotes`): straight, curly and guillemet doubles, nested singles, stray marks.

One pass over the text with a small stack, paragraph by paragraph (a quote never crosses a line break,
except the convention where each paragraph of a long quote reopens the mark and only the last closes it).
Marks that pair with nothing are dropped rather than swallowing the rest of the article: a second opening
mark of the same style before any close means the first one was stray.

>>> text = 'He said: “We met ‘friends’ there.” Then "more," he added.'
>>> [text[s.start:s.end] for s in scan(text)]
['We met ‘friends’ there.', 'more,']
>>> [s.closed for s in scan('“Unclosed at the start of a paragraph')]
[False]
>>> scan('a stray “ mark in the middle') == []
True
>>> t = 'She said “he calls it “hell” and means it.” Then “a stray “second” one.'
>>> [t[s.start:s.end] for s in scan(t)]
['he calls it “hell” and means it.', 'second']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019']")
_OPEN_BEFORE = set(" \t\u00a0([{\u2014\u2013-/\u201c\u2018\"'")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?>")
_DOUBLE_OPEN = {"\u201c": "curly", "\u201e": "curly", "\u201f": "curly", "\u00ab": "guillemet"}
_DOUBLE_CLOSE = {"\u201d": "curly", "\u00bb": "guillemet"}


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One outer quote: ``start``/``end`` delimit the words inside the marks, ``open``/``close`` the marks."""

    open: int  # offset of the opening mark
    close: int  # offset just after the closing mark (the paragraph end when unclosed)
    start: int
    end: int
    closed: bool = True
    continues: bool = False  # the next paragraph reopens the same quote


def scan(text: str) -> list[QuoteSpan]:
    """Outer quotes of ``text`` in order (nested quotes stay inside their outer quote)."""
    if "<" in text:  # attribute values of markup left in the text (<tweet date="March 4, 2016">) are no quotes
        text = _TAG.sub(lambda m: " " * len(m.group()), text)
    out: list[QuoteSpan] = []
    pos = 0
    paragraphs = text.split("\n")
    for n, para in enumerate(paragraphs):
        found = _scan_paragraph(para, pos)
        if found and not found[-1].closed:
            nxt = next((p for p in paragraphs[n + 1:] if p.strip()), "")
            if nxt.lstrip()[:1] == text[found[-1].open]:  # the same mark reopens the next paragraph
                found[-1] = QuoteSpan(found[-1].open, found[-1].close, found[-1].start, found[-1].end,
                                      closed=False, continues=True)
        out.extend(found)
        pos += len(para) + 1
    return out


def _scan_paragraph(para: str, base: int) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    stack: list[tuple[str, str, int]] = []  # (level D|S, style, offset of the mark within para)
    for m in _MARK.finditer(para):
        i, ch = m.start(), m.group()
        prev = para[i - 1] if i else " "
        nxt = para[i + 1] if i + 1 < len(para) else " "
        doubles = [s for s in stack if s[0] == "D"]
        if ch in _DOUBLE_OPEN:
            style = _DOUBLE_OPEN[ch]
            if doubles and doubles[-1][1] == style and not prev.isspace() and not nxt.isalnum() \
                    and not _nests(para, i, ch):
                _close_double(stack, style, i, base, out, para)  # an opener typed as the closer: “...,“ she said
            else:
                _open_double(stack, style, i, _nests(para, i, ch))
        elif ch in _DOUBLE_CLOSE:
            style = _DOUBLE_CLOSE[ch]
            if not doubles and (prev in _OPEN_BEFORE) and nxt.isalnum():
                stack.append(("D", style, i))  # a closing mark typed as an opener
            elif doubles and not any(s[1] == style for s in doubles) and doubles[-1][1] == "straight":
                _close_double(stack, "straight", i, base, out, para)  # mixed marks: "....” closes the straight quote
            else:
                _close_double(stack, style, i, base, out, para)
        elif ch == '"':
            open_straight = any(s[1] == "straight" for s in doubles)
            looks_open = prev in _OPEN_BEFORE and not nxt.isspace()
            looks_close = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
            if open_straight and (looks_close or not looks_open):
                _close_double(stack, "straight", i, base, out, para)
            elif looks_open or not doubles:
                _open_double(stack, "straight", i)
            elif looks_close:  # mixed marks: “...." closes the curly quote
                _close_double(stack, doubles[-1][1], i, base, out, para)
        elif doubles:  # single marks only matter inside a double quote
            if (ch == "\u2018" or (ch == "'" and prev in _OPEN_BEFORE)) and nxt.isalnum():
                stack.append(("S", "single", i))
            elif stack and stack[-1][0] == "S" and not (prev.isalpha() and nxt.isalpha()):
                stack.pop()
    # an opener left at the start of the paragraph runs to its end (a quote missing its close)
    first = next((s for s in stack if s[0] == "D"), None)
    if first is not None and not para[:first[2]].strip():
        end = len(para.rstrip())
        start = first[2] + 1
        if end > start:
            out.append(QuoteSpan(base + first[2], base + end, base + start, base + end, closed=False))
    return out


def _nests(para: str, i: int, ch: str) -> bool:
    """A curly opener inside a curly quote nests when two closers follow before any other opener."""
    close = "\u00bb" if ch == "\u00ab" else "\u201d"
    closers = 0
    for c in para[i + 1:]:
        if c == close:
            closers += 1
            if closers == 2:
                return True
        elif c == ch:
            return False
    return False


def _open_double(stack: list[tuple[str, str, int]], style: str, i: int, nests: bool = False) -> None:
    doubles = [s for s in stack if s[0] == "D"]
    if doubles and doubles[-1][1] == style and not nests:
        # the same style again before a close: the earlier mark was stray
        while stack and stack[-1] is not doubles[-1]:
            stack.pop()
        stack.pop()
    stack.append(("D", style, i))


def _close_double(stack: list[tuple[str, str, int]], style: str, i: int, base: int,
                  out: list[QuoteSpan], para: str) -> None:
    while stack and not (stack[-1][0] == "D" and stack[-1][1] == style):
        stack.pop()
    if not stack:
        return
    _, _, at = stack.pop()
    if any(s[0] == "D" for s in stack):
        return  # a nested quote: part of its outer quote's text
    start, end = at + 1, i
    while start < end and para[start].isspace():
        start += 1
    while end > start and para[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(QuoteSpan(base + at, base + i + 1, base + start, base + end))
