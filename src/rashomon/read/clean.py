"""Cleaning: RawDocument -> Article.

Mojibake is repaired (ftfy), boilerplate removed (:mod:`rashomon.read.boilerplate`, every removed block kept in
``removed``), whitespace normalised, the language taken from the text (:mod:`rashomon.read.language`: a
declared language is a hint the text may overrule; it also says whether the article is analysed), and the
outlet and date taken from the text when the input did not give them.

Typographic quotes and apostrophes stay as written in ``text`` — they are the outlet's words — and
:func:`fold` gives a same-length view with straight quotes and plain dashes for matching, so offsets found
on the folded view index the text itself. :func:`clean_text` also returns, for every character of the
cleaned text, its offset in the (mojibake-repaired) input, so a span can be traced back to the original.

>>> from rashomon.model import RawDocument
>>> art = clean(RawDocument(input="x.txt", text="The  council of Kell met on Monday.\\n\\n\\n\\nIt  voted "
...                                              "for the harbour plan.\\nShare this article"))
>>> art.text, art.removed
('The council of Kell met on Monday.\\n\\nIt voted for the harbour plan.', ('Share this article',))
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..config import Config
from ..model import Article, RawDocument, Skipped
from . import boilerplate, language, metadata

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                       "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-",
                       "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})
# the runs _normalise_line has to change: two spaces or more, or one that is not a plain space (a lone plain
# space, nearly every one in a text, is already what it becomes)
_SPACE_RUNS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def fold(text: str) -> str:
    """Same-length view for matching: curly quotes straight, dashes plain, odd spaces plain.

    >>> fold("“Yes,” she said — ‘twice’")
    '"Yes," she said - \\'twice\\''
    """
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    removed: tuple[str, ...]
    offsets: tuple[int, ...]  # offsets[i] = position of text[i] in the repaired input


# a line of printable ASCII, tabs and its line break, without "&" (an HTML entity's start), with curly
# quotes, dashes and ellipses: nothing ftfy fixes can be in it. Its mojibake test (ftfy.badness) needs an
# accented letter, a C1 control, a currency, numeric, legal, box-drawing or "bad" sign; its other fixes
# (entities, control and terminal characters, odd line breaks, widths, ligatures, Unicode forms) need "&",
# a character below the space or outside this set
_PLAIN_LINE = re.compile("[\t\n\x20-\x25\x27-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026]*")


@lru_cache(maxsize=1)
def _ftfy_config() -> Any:
    """``ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")``'s settings."""
    import ftfy

    return ftfy.TextFixerConfig(explain=False, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")


def repair(text: str) -> str:
    """Mojibake and encoding slips repaired; quotes left as written; zero-width characters dropped.

    ftfy's ``fix_text`` line by line, as it reads a text (each line alone, HTML entities left as written
    after the first line with a "<"), with the plain lines passed over: ftfy runs a dozen fixes over each
    line until none changes it, half of cleaning's time, and most lines of news have nothing to fix.
    ``tests/read/test_clean.py`` checks the result against ``ftfy.fix_text`` itself.

    >>> repair("The cafÃ© said “no”.") + " | " + repair("It was 5 &gt; 3 &amp; rising.")
    'The café said “no”. | It was 5 > 3 & rising.'
    """
    import ftfy

    config = _ftfy_config()
    out = []
    pos, size = 0, len(text)
    while pos < size:
        stop = text.find("\n", pos) + 1 or size
        stop = min(stop, pos + config.max_decode_length)
        line = text[pos:stop]
        if config.unescape_html == "auto" and "<" in line:
            config = config._replace(unescape_html=False)
        out.append(line if _PLAIN_LINE.fullmatch(line) else ftfy.fix_and_explain(line, config).text)
        pos = stop
    return _ZERO_WIDTH.sub("", "".join(out))


def clean_text(text: str, repeated: Collection[str] = (), structured: bool = False) -> CleanText:
    """Boilerplate out (kept verbatim in ``removed``), whitespace normalised, offsets tracked.
    ``structured``: the text came out of a web page's DOM extraction (see :mod:`rashomon.read.boilerplate`)."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    kept, blocks = boilerplate.split_boilerplate(lines, repeated, structured)
    removed = tuple("\n".join(lines[i].strip() for i in block) for block in blocks)
    out: list[str] = []
    offs: list[int] = []
    previous = None
    for i in kept:
        if previous is not None:
            gap = any(not lines[j].strip() for j in range(previous + 1, i)) or (i - previous > 1)
            sep = "\n\n" if gap else "\n"
            out.append(sep)
            offs.extend([starts[i] - 1] * len(sep))
        _normalise_line(lines[i], starts[i], out, offs)
        previous = i
    return CleanText("".join(out), removed, tuple(offs))


def _normalise_line(line: str, base: int, out: list[str], offs: list[int]) -> None:
    """Append a line with runs of spaces collapsed and ends trimmed, recording source offsets."""
    stripped_left = len(line) - len(line.lstrip())
    body = line.strip()
    cursor = base + stripped_left
    last = 0
    for m in _SPACE_RUNS.finditer(body):
        out.append(body[last:m.start()])
        offs.extend(range(cursor + last, cursor + m.start()))
        out.append(" ")
        offs.append(cursor + m.start())
        last = m.end()
    out.append(body[last:])
    offs.extend(range(cursor + last, cursor + len(body)))


def content_hash(raw: RawDocument) -> str:
    """Identity of an input article: the same record read twice hashes the same (re-ingest is a no-op)."""
    h = hashlib.sha256()
    for part in (raw.source_id, raw.title, raw.outlet, raw.date, raw.url if raw.kind == "url" else None, raw.text):
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


_BYLINE = re.compile(r"^(by|posted|updated|published|last updated|from)\b", re.IGNORECASE)


def title_in_text(text: str) -> str | None:
    """The headline a corpus record carries as its first lines (before the first body sentence), if any.

    >>> title_in_text("May 3, 2026\\nKell council backs harbour plan\\nThe council of Kell voted on Monday to rebuild it.")
    'Kell council backs harbour plan'
    """
    from .ingest import headline_like

    for line in text.split("\n")[:6]:
        line = line.strip()
        if not line:
            continue
        info = boilerplate.describe(line)
        if info.sentence and info.words >= 8:
            return None  # the body has begun
        if _BYLINE.match(line) or metadata.normalise_date(line) or sum(c.isdigit() for c in line) > len(line) / 4:
            continue
        if headline_like(line):
            return line.rstrip(".")
    return None


_URL_LINE = re.compile(r"^(https?\s*:\s*/\s*/|www\s*\.)[^\n]*$", re.IGNORECASE)


def _url_in(blocks: tuple[str, ...]) -> str | None:
    """A scraped text's own address, when its removed first block is a bare URL (tokenised or not)."""
    if blocks and _URL_LINE.match(blocks[0].split("\n")[0].strip()):
        return re.sub(r"\s+", "", blocks[0].split("\n")[0])
    return None


_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,119}")


def article_id(raw: RawDocument, digest: str) -> str:
    """A corpus's own id (JSONL or API ``id``) when it is a plain token, so users and scorers can look
    articles up by it; otherwise one derived from the content hash. The store makes it unique."""
    if raw.kind in {"jsonl", "api"} and raw.source_id and _SAFE_ID.fullmatch(raw.source_id):
        return raw.source_id
    return "a" + digest[:15]


def detect_language(text: str, seed: int = 0) -> str | None:
    """ISO 639-1 code of the text's language (offline, seeded for stable results), or None if unsure
    (:func:`rashomon.read.language.judge` also weighs a declared language)."""
    return language.judge(text, None, seed).language


MIN_WORD_SHARE = 0.25  # prose in any script is mostly letters; a table of figures mostly digits


def _word_share(text: str) -> float:
    """The share of letters and digits (any script) among the characters that are not whitespace."""
    sample = "".join(text[:20000].split())
    return sum(map(str.isalnum, sample)) / len(sample) if sample else 0.0


def clean(raw: RawDocument, config: Config | None = None, repeated: Collection[str] = ()) -> Article | Skipped:
    """One cleaned article, or Skipped when no body text survives cleaning."""
    config = config or Config()
    repaired = repair(raw.text)
    cleaned = clean_text(repaired, repeated, structured=raw.from_html)
    if len(cleaned.text.strip()) < config.min_body_chars:
        reason = "no article text left after removing boilerplate" if cleaned.removed else \
            f"too short: fewer than {config.min_body_chars} characters of text"
        return Skipped(raw.input, reason)
    share = _word_share(cleaned.text)
    if share < MIN_WORD_SHARE:  # a flood of symbols is no article (and costs the parser a token a symbol)
        return Skipped(raw.input, f"not text: only {share:.0%} of its characters are letters or digits")
    title = repair(raw.title).strip() if raw.title else None
    if not title and raw.kind in {"jsonl", "api"} and not raw.from_html:
        title = title_in_text(cleaned.text)
    url = raw.url or _url_in(cleaned.removed[:1])
    date, date_source = raw.date, raw.date_source
    if not date:
        found = metadata.date_from_text(cleaned.text)
        if found:
            date, date_source = found, "text"
    # the outlet a report names for itself (metadata, a wire cue, a dateline's agency), else its site
    outlet = raw.outlet or metadata.outlet_from_text(cleaned.text) or metadata.domain(url)
    verdict = language.judge(cleaned.text, raw.language, config.seed)
    digest = content_hash(raw)
    return Article(
        id=article_id(raw, digest), input=raw.input, text=cleaned.text, source_id=raw.source_id, outlet=outlet,
        title=title or None, date=date, date_source=date_source if date else None, language=verdict.language,
        removed=tuple(raw.removed) + cleaned.removed, url=url, content_hash=digest, kind=raw.kind,
        analysed=verdict.analysed, analysed_reason=verdict.reason, language_declared=verdict.declared,
    )
