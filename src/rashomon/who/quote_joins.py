"""Quotes across one article's quotes (map stage, for :mod:`rashomon.who.quotes`): a quote whose paragraphs
each reopen the mark is one quote, a quote without a cue continues the speaker before it, and a quote
split around its cue ("...," she said, "...") is one quote with two ``parts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from . import names, speakers
from .quote_cues import FINAL, JOIN_WORDS, WORD

if TYPE_CHECKING:
    from .quote_cues import CueReader, QuoteItem


def merge_continued(items: list[QuoteItem]) -> list[QuoteItem]:
    """A quote whose paragraphs each reopen the mark is one quote."""
    out: list[QuoteItem] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and prev.span.continues and prev.parts[-1][1] < it.span.start:
            prev.parts.append((it.span.start, it.span.end))
            prev.span = replace(prev.span, continues=it.span.continues)
            if prev.cue is None and it.cue is not None:
                prev.cue, prev.speaker, prev.speaker_kind, prev.how = it.cue, it.speaker, it.speaker_kind, it.how
                prev.speaker_text, prev.speaker_start, prev.speaker_end = it.speaker_text, it.speaker_start, it.speaker_end
                prev.speaker_mention, prev.person = it.speaker_mention, it.person
            continue
        out.append(it)
    return out


def inherit_speakers(items: list[QuoteItem], reader: CueReader) -> None:
    """Speakers for quotes without a cue: the quote before (same or previous paragraph), or a matching one."""
    last: QuoteItem | None = None
    for it in items:
        if (it.speaker is None and it.cue is None and not it.fragment and last is not None and it.standalone
                and not reader.heading(it) and last.speaker is not None and it.para - last.para <= 2
                and not (last.inherited and last.para != it.para) and not reader.other_person_between(last, it)):
            _copy_speaker(it, last)
            it.inherited = True
        elif (it.speaker is None and it.speaker_text is None and it.cue is not None and not it.fragment
                and speakers.subject(it.cue) is None and last is not None and last.speaker is not None
                and it.para - last.para <= 1 and not reader.other_person_between(last, it)):
            _copy_speaker(it, last)  # "... "wasn't good." Adding, "...": a cue without a subject goes on
            it.inherited = True
        if it.speaker is not None or it.cue is not None:
            last = it
    attributed = [it for it in items if it.speaker is not None]
    for it in items:
        if it.speaker is None and it.cue is None:
            words = _words(reader.text[it.span.start:it.span.end])
            best = max(attributed, key=lambda a: _jaccard(words, _words(reader.text[a.span.start:a.span.end])),
                       default=None)
            if best is not None and _jaccard(words, _words(reader.text[best.span.start:best.span.end])) >= 0.5:
                _copy_speaker(it, best)
                it.inherited = True


def _copy_speaker(dst: QuoteItem, src: QuoteItem) -> None:
    dst.speaker, dst.speaker_kind, dst.person, dst.speaker_mention = (
        src.speaker, src.speaker_kind, src.person, src.speaker_mention)
    dst.speaker_text, dst.speaker_start, dst.speaker_end = src.speaker_text, src.speaker_start, src.speaker_end


def join_parts(items: list[QuoteItem], reader: CueReader) -> list[QuoteItem]:
    """"...," she said, "..." and "...," she said. "..." in one paragraph are one quote."""
    out: list[QuoteItem] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, it, reader):
            prev.parts.extend(it.parts)
            prev.span = replace(prev.span, close=it.span.close, end=it.span.end)
            continue
        # a title or a partial quote inside the attribution between the two parts is stepped over
        # (""...," said Cuban, who is also a host on the TV show "Shark Tank." "..."")
        k = len(out) - 1
        while k >= 0 and out[k].para == it.para and _inert(out[k]):
            k -= 1
        if 0 <= k < len(out) - 1 and _continues(out[k], it, reader, out[k + 1:]):
            out[k].parts.extend(it.parts)
            out[k].span = replace(out[k].span, close=it.span.close, end=it.span.end)
            continue
        out.append(it)
    return out


def _inert(it: QuoteItem) -> bool:
    """A quote that is no statement of its own: a partial quote, or marks with neither cue nor speaker."""
    return it.fragment or (it.cue is None and it.speaker is None and not it.signed)


def _continues(a: QuoteItem, b: QuoteItem, reader: CueReader, within: Sequence[QuoteItem] = ()) -> bool:
    """Quote ``b`` is the second part of ``a``; ``within`` are quotes between them that are part of
    the attribution ("Shark Tank" in "said Cuban, a host of "Shark Tank."")."""
    if a.para != b.para or a.fragment or b.fragment or a.cue is None and a.speaker is None:
        return False
    gap = reader.text[a.span.close:b.span.open]
    for w in within:  # their marks are no quote between the two parts
        lo, hi = w.span.open - a.span.close, w.span.close - a.span.close
        gap = gap[:lo] + " " * (hi - lo) + gap[hi:]
    if '"' in gap or "\u201c" in gap or "\u201d" in gap:
        return False
    if b.cue is not None and (a.cue is None or b.cue.i != a.cue.i):
        return False
    if b.cue is None and not (b.standalone or b.inherited or b.opens or not gap.strip(" ,.")):
        return False
    cue_between = a.cue is not None and a.span.close <= a.cue.idx < b.span.open
    if cue_between and a.cue is not None:
        # (a no-break space before the next mark is a token of its own: it ends nothing)
        between = [t for t in reader.doc[reader.tok(a.span.close):reader.tok(b.span.open)]
                   if reader.quoted[t.i] == -1 and not t.is_space]
        if any(t.text in FINAL and not reader.abbreviation(t) for t in between[:-1]):
            return False
        for t in between:  # "..., Blige sings to Clinton before asking her, "...": a second statement
            if t.i > a.cue.i and reader.cue_ok(t):
                tail = [x for x in between if x.i > t.i and not x.is_punct]
                if len(tail) <= 2 and not any(x.pos_ == "ADP" for x in tail):
                    return False
        # across a sentence end only when the attribution sentence is not a story of its own: the
        # annotated PolNeAR training split joins ""...," said Rendell, referring to the list of
        # endorsements. "..."" (its gold quote is both parts); JOIN_WORDS is fitted on its two halves
        if between and between[-1].text in FINAL:
            subj = speakers.subject(a.cue)
            skip = {x.i for x in subj.subtree} if subj is not None else set()
            rest = [t for t in between if not (t.is_punct or t.is_space) and t.i != a.cue.i and t.i not in skip]
            if len(rest) > JOIN_WORDS:
                return False
    return cue_between or not gap.strip(" \t,.") or (b.inherited and b.standalone)


def joined_text(text: str, parts: Sequence[tuple[int, int]]) -> str:
    pieces = [text[s:e] for s, e in parts]
    for k in range(len(pieces) - 1):
        nxt = pieces[k + 1]
        gap = text[parts[k][1]:parts[k + 1][0]]
        if pieces[k].endswith(",") and "." in gap and nxt[:1].isupper():
            pieces[k] = pieces[k][:-1] + "."
    return " ".join(p.strip() for p in pieces)


def _words(text: str) -> set[str]:
    return set(WORD.findall(names.fold(text)))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
