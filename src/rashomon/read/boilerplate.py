"""Boilerplate in plain text: the clutter scraped along with an article, found by evidence.

Signals, combined per line:

* markers from ``data/boilerplate.tsv`` — an *end* marker ("Related Posts", "Leave a Reply", "Source link")
  starts the clutter when what follows is not body text; a *line* marker (share prompts, cookie notes) is
  clutter wherever it stands;
* shape — body text is sentences; after the article's last sentence, headline-like lines (no final
  punctuation), teasers cut off with an ellipsis and link lists (runs of short title lines) are clutter;
* repetition — a line repeated right after itself (a title and its link), or seen in several articles of
  the same outlet (the caller passes those as ``repeated``).

Every removed line is returned in verbatim blocks; nothing is dropped silently.

>>> text = "The council approved the budget on Monday after a long debate.\\nIt takes effect in May.\\n" \\
...        "Related Posts\\nMayor opens new bridge\\nMayor opens new bridge\\nLeave a Reply"
>>> kept, removed = split_boilerplate(text.split("\\n"))
>>> kept
[0, 1]
>>> removed
[[2, 3, 4], [5]]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_TERMINAL = re.compile(r"[.!?。！？]\s?[\"'”’)\]」』]*$|[\"”」』]$")
_META = re.compile(r"^(by|posted|updated|published|last updated|first published|date)\b|\b(19|20)\d\d\b",
                   re.IGNORECASE)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_ELLIPSIS = re.compile(r"(…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
_BULLET = re.compile(r"^\s*([•·▪◦*-]|\d+[.)])\s+")


@dataclass(frozen=True, slots=True)
class LineInfo:
    words: int
    sentence: bool  # reads as body text: ends like a sentence, long enough
    teaser: bool  # cut off with an ellipsis
    end_marker: bool
    line_marker: bool
    title_like: bool  # short, no final punctuation


@lru_cache(maxsize=1)
def _markers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    ends: list[str] = []
    lines: list[str] = []
    text = resources.files("rashomon").joinpath("data/boilerplate.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        kind, pattern = row.split("\t", 1)
        (ends if kind == "end" else lines).append(f"(?:{pattern.strip()})")
    return (re.compile("^(?:" + "|".join(ends) + r")\s*$", re.IGNORECASE),
            re.compile("^(?:" + "|".join(lines) + r")\s*$", re.IGNORECASE))


def line_key(line: str) -> str:
    """Comparison key for repeated lines: case, spacing and punctuation folded."""
    return re.sub(r"\W+", " ", line).strip().lower()


def describe(line: str) -> LineInfo:
    end_re, line_re = _markers()
    stripped = _BULLET.sub("", line.strip())
    words = len(stripped.split())
    teaser = bool(_ELLIPSIS.search(stripped))
    sentence = (bool(_TERMINAL.search(stripped)) and not teaser and words >= 3) or bool(_TABLE_ROW.match(stripped))
    short = words <= 8
    return LineInfo(
        words=words,
        sentence=sentence,
        teaser=teaser,
        end_marker=short and bool(end_re.match(stripped)),
        line_marker=words <= 25 and bool(line_re.match(stripped)),
        title_like=0 < words <= 20 and not _TERMINAL.search(stripped) and not teaser,
    )


def split_boilerplate(lines: Sequence[str], repeated: Collection[str] = (),
                      structured: bool = False) -> tuple[list[int], list[list[int]]]:
    """Indexes of the lines to keep, and the removed lines grouped into blocks (by marker and position).

    ``structured`` text was already extracted from a page's DOM (trafilatura judged its layout), so only
    markers and repetition count: tables, lists and short lines are the page's own content there.
    """
    infos: dict[int, LineInfo] = {i: describe(x) for i, x in enumerate(lines) if x.strip()}
    filled = sorted(infos)
    if not filled:
        return [], []
    body_chars = sum(len(lines[i]) for i in filled if infos[i].sentence)
    clutter: set[int] = set()
    starts: set[int] = set()  # lines that open a new removed block

    # 1. the tail: from the first end marker after which no real body follows
    cut = None
    seen_body = 0
    for pos, i in enumerate(filled):
        info = infos[i]
        if info.end_marker and seen_body > 0:
            after = filled[pos + 1:]
            body_after = sum(len(lines[j]) for j in after if infos[j].sentence and not _is_marker(infos[j]))
            if body_after <= 0.25 * max(1, seen_body):
                cut = pos
                break
        if info.sentence:
            seen_body += len(lines[i])
    if cut is not None:
        for pos in range(cut, len(filled)):
            i = filled[pos]
            clutter.add(i)
            if infos[i].end_marker:
                starts.add(i)

    # 2. the trailing run of non-sentences after the last body sentence (no marker needed)
    remaining = [i for i in filled if i not in clutter]
    tail: list[int] = []
    for i in reversed(remaining):
        info = infos[i]
        if info.sentence and not info.line_marker:
            break
        tail.append(i)
    if structured:
        tail = []
    worth = bool(tail) and (len(tail) >= 2 or _is_marker(infos[tail[0]]) or infos[tail[0]].words <= 8)
    if worth and len(tail) < len(remaining):  # never remove the whole text this way
        clutter.update(tail)
        starts.add(min(tail))

    # 3. clutter lines anywhere: markers, consecutive duplicates, outlet-repeated lines, link lists.
    # Title lines before the first body sentence are the headline block (headline, standfirst, byline,
    # date), not a list of links.
    first_body = next((i for i in filled if infos[i].sentence and infos[i].words >= 8), len(lines))
    previous = None
    run: list[int] = []
    for i in filled:
        info = infos[i]
        key = line_key(lines[i])
        if info.line_marker or (previous is not None and key == previous and info.words <= 25) \
                or (repeated and key in repeated):
            if i not in clutter:
                starts.add(i)
            clutter.add(i)
        previous = key
        if info.title_like and info.words >= 3 and not _BULLET.match(lines[i]) and not structured \
                and i > first_body and not _META.search(lines[i]):  # a dateline/byline is no link
            run.append(i)
        else:
            _take_link_list(run, clutter, starts)
            run = []
    _take_link_list(run, clutter, starts)

    if body_chars == 0 and len(clutter) >= len(filled) and not any(_is_marker(infos[i]) for i in filled):
        return filled, []  # nothing reads as body and nothing is a known marker: keep it rather than guess
    kept = [i for i in filled if i not in clutter]
    blocks: list[list[int]] = []
    last = None
    for i in sorted(clutter):
        gap_has_kept = last is not None and any(last < k < i for k in kept)
        if not blocks or i in starts or gap_has_kept:
            blocks.append([i])
        else:
            blocks[-1].append(i)
        last = i
    return kept, blocks


def _take_link_list(run: list[int], clutter: set[int], starts: set[int]) -> None:
    """Three or more title lines in a row, not already clutter, are a list of links."""
    fresh = [i for i in run if i not in clutter]
    if len(run) >= 3 and fresh:
        starts.add(fresh[0])
        clutter.update(run)


def _is_marker(info: LineInfo | None) -> bool:
    return bool(info and (info.end_marker or info.line_marker))
