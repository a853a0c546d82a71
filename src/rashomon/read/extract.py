"""Main text and metadata of a saved web page: trafilatura, checked against three other extractors.

The text is trafilatura's in precision mode (falling back to its default and recall modes when precision
keeps too little of a page), with its metadata (title, date by htmldate, outlet: the site-name field, else
the site named after the headline in the page's <title>, else the host). Three more extractors
read the same page independently: trafilatura's default mode without its fallbacks, readability-lxml
and resiliparse. What two of those three agree on (their shared word 4-grams) is the page's
*consensus*, and it judges the primary text (:func:`choose`):

* if the primary holds less than ``MIN_RECALL`` of the consensus (it cut the article short, or found
  nothing), or less than ``MIN_PRECISION`` of the primary is in the consensus (it took the wrong part of
  the page), the voter that agrees best with the consensus replaces it;
* otherwise the primary stands, as it is: the others only outvote it when it plainly went wrong.

Then a line of the kept text that is, on the page, an element made mostly of link text ("Related: ...",
a list of other stories inside the article) is dropped (:func:`drop_link_lines`), and a first line that
repeats the title is left to the title field (:func:`is_headline`).

This is the agreement check of published extractor ensembles at the level of whole texts; the measured
alternatives (token- and line-level majority votes, picking the most central text) and why this one was
kept are in ``benchmarks/extraction.md``. Every extractor is optional at run time: one that is missing,
raises or returns nothing just has no say, and the page is lost only when all four find nothing.

A page nested deeper than libxml2 can hold is flattened first (:mod:`rashomon.read.limits`), so its article
is not cut away with the deep part (every extractor, and the link-line check, read the flattened page).

>>> page = extract_html("<html><head><title>Flood in Kell - Harbour Post</title></head><body><article>"
...                     "<p>" + "Water rose in the harbour district of Kell overnight. " * 6 + "</p>"
...                     "</article></body></html>")
>>> page.text.startswith("Water rose")
True
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import unescape
from typing import Any

from . import limits

# trafilatura, htmldate and readability log every rejected candidate; they are not our user's problem
for _name in ("trafilatura", "htmldate", "charset_normalizer", "readability", "readability.readability"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab and line breaks
_SURROGATES = re.compile(r"[\ud800-\udfff]")
MIN_CHARS = 250  # below this, precision mode probably cut the article: try the other modes
MIN_RECALL = 0.6  # the primary must hold this share of what two voters agree on ...
MIN_PRECISION = 0.5  # ... and this share of its own 4-grams must be agreed on, or a voter replaces it
MAX_LINK_DENSITY = 0.8  # a line whose page element is at least this much link text is a link, not body
SHINGLE = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """Which text :func:`choose` kept, and the agreement figures it decided on (None: no consensus)."""

    text: str
    source: str  # "primary" or a voter's name
    recall: float | None
    precision: float | None


def extract_html(html: str, url: str | None = None,
                 voters: Mapping[str, Callable[[str, str | None], str]] | None = None) -> Page | None:
    """The article in a web page, or None when no extractor finds text in it.

    ``voters`` replaces the default three (:data:`VOTERS`); ``{}`` gives trafilatura alone."""
    if limits.needs_flattening(html):
        html = limits.flatten_html(html)
    doc = _primary(html, url)
    primary = (doc.text or "") if doc is not None else ""
    texts = {name: _run(fn, html, url) for name, fn in (VOTERS if voters is None else voters).items()}
    chosen = choose(primary, texts)
    if not chosen.text.strip():
        return None
    if doc is None:
        doc = _metadata(html, url)
    title = _clean(getattr(doc, "title", None))
    text = drop_link_lines(chosen.text, html)
    first, _, rest = text.partition("\n")
    if title and rest.strip() and is_headline(first, title):
        text = rest  # the headline is the title field, not the body's first paragraph
    return Page(
        text=text,
        title=title,
        date=_clean(getattr(doc, "date", None)),
        outlet=(_clean(getattr(doc, "sitename", None)) or _site_from_title(html, title)
                or _clean(getattr(doc, "hostname", None))),
        url=_clean(getattr(doc, "url", None)) or url,
        language=_clean(getattr(doc, "language", None)),
        author=_clean(getattr(doc, "author", None)),
    )


def choose(primary: str, voters: Mapping[str, str], min_recall: float = MIN_RECALL,
           min_precision: float = MIN_PRECISION) -> Choice:
    """The primary text unless the voters' consensus says it went wrong (see the module docstring).

    >>> body = "The council of Kell voted on Monday to rebuild the harbour wall before the winter storms."
    >>> choose(body + " Read more: ten best beaches", {"a": body, "b": body, "c": "Home News Sport"}).source
    'primary'
    >>> choose("Home News Sport Weather Contact us Subscribe", {"a": body, "b": body, "c": ""}).source
    'a'
    """
    sets = {name: shingles(text) for name, text in voters.items() if text and text.strip()}
    counts = Counter(g for s in sets.values() for g in s)
    consensus = {g for g, n in counts.items() if n >= 2}
    own = shingles(primary)
    if not consensus:  # fewer than two voters agree on anything: nothing to judge the primary by
        if own or not sets:
            return Choice(primary, "primary", None, None)
        name = max(sets, key=lambda n: (len(sets[n]), -list(sets).index(n)))  # the fullest voter
        return Choice(voters[name], name, None, None)
    shared = len(own & consensus)
    recall = shared / len(consensus)
    precision = shared / len(own) if own else 0.0
    if recall >= min_recall and precision >= min_precision:
        return Choice(primary, "primary", recall, precision)

    def agreement(name: str) -> tuple[float, int]:
        both = len(sets[name] & consensus)
        return 2 * both / (len(sets[name]) + len(consensus)), -list(sets).index(name)

    name = max(sets, key=agreement)
    return Choice(voters[name], name, recall, precision)


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    """Word n-grams of a text (NFKC, lower case, ``\\w+`` words); a text shorter than n is one n-gram."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


# ------------------------------------------------------------------------------------------ extractors


def _primary(html: str, url: str | None) -> Any:
    """trafilatura's document in precision mode, or default/recall mode when precision keeps < MIN_CHARS."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency; the voters still read the page
        return None
    best: Any = None
    for precision, recall in ((True, False), (False, False), (False, True)):
        try:
            doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                                   include_tables=True, favor_precision=precision,
                                                   favor_recall=recall)
        except Exception:  # noqa: BLE001 - a third-party parser failing on one page must not stop a run
            doc = None
        if doc is None or not (doc.text or "").strip():
            continue
        if best is None or len(best.text or "") < MIN_CHARS <= len(doc.text or ""):
            best = doc
        if len(best.text or "") >= MIN_CHARS:
            break
    return best


def _metadata(html: str, url: str | None) -> Any:
    """Title, date and outlet when trafilatura found no text (a voter's text was kept)."""
    try:
        from trafilatura import extract_metadata

        return extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001 - metadata is optional
        return None


def trafilatura_fast(html: str, url: str | None = None) -> str:
    """trafilatura's default mode without its own fallbacks (which are readability and jusText ports):
    the least of trafilatura's judgement shared with the other voters."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True, fast=True) or ""


def readability_text(html: str, url: str | None = None) -> str:
    from readability import Document

    return html_fragment_text(Document(html).summary(html_partial=True))


def resiliparse_text(html: str, url: str | None = None) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True, preserve_formatting=True, list_bullets=False,
                              alt_texts=False, links=False, form_fields=False, noscript=False, comments=False)


VOTERS: dict[str, Callable[[str, str | None], str]] = {
    "trafilatura": trafilatura_fast,
    "readability": readability_text,
    "resiliparse": resiliparse_text,
}


def _run(fn: Callable[[str, str | None], str], html: str, url: str | None) -> str:
    try:
        return fn(html, url) or ""
    except Exception:  # noqa: BLE001 - a voter that is missing or fails has no say; the others decide
        return ""


def drop_link_lines(text: str, html: str, max_density: float = MAX_LINK_DENSITY) -> str:
    """The text without its lines that are links on the page: a line is dropped when the first page
    element (in document order) whose whole text is that line has at least ``max_density`` of its
    characters inside ``<a>`` elements. Lines found in no element stay, and so does the text when every
    line would go.

    >>> html = ('<article><p>The wall will be rebuilt, the <a href="/m">mayor</a> said on Monday.</p>'
    ...         '<p>Related: <a href="/x">Ferry timetable changes for the summer season</a></p></article>')
    >>> drop_link_lines("The wall will be rebuilt, the mayor said on Monday.\\nRelated: Ferry timetable "
    ...                 "changes for the summer season", html)
    'The wall will be rebuilt, the mayor said on Monday.'
    """
    lines = text.split("\n")
    wanted = {_spaced(line) for line in lines if line.strip()}
    density = _link_density(html, wanted)
    if not density:
        return text
    kept = [line for line in lines if density.get(_spaced(line), 0.0) < max_density]
    return "\n".join(kept) if any(line.strip() for line in kept) else text


_BULLET = re.compile(r"^[-*•·▪◦]\s+")  # trafilatura writes a list item as "- item"


def _spaced(text: str) -> str:
    return " ".join(_BULLET.sub("", text.strip()).split())


def _link_density(html: str, wanted: set[str]) -> dict[str, float]:
    """Share of link text of the first element whose whole text is each wanted line."""
    import lxml.html

    try:
        try:
            root = lxml.html.fromstring(html)
        except ValueError:  # a str with an XML encoding declaration: lxml wants bytes
            root = lxml.html.fromstring(html.encode("utf-8"))
    except Exception:  # noqa: BLE001 - unparsable markup: no line is judged
        return {}
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    found: dict[str, float] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        content = _spaced(element.text_content())
        if content not in wanted or content in found:
            continue
        linked = len(content) if element.tag == "a" else \
            sum(len(_spaced(a.text_content())) for a in element.iter("a"))
        found[content] = min(1.0, linked / len(content))
    return found


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_SITE_SEPARATOR = re.compile(r"\s+[-|–—·:]\s+")


def _site_from_title(html: str, title: str | None) -> str | None:
    """The site's name a page's <title> carries after the headline ("Flood in Kell - Harbour Post").

    >>> _site_from_title("<title>Flood in Kell | Harbour Post</title>", "Flood in Kell")
    'Harbour Post'
    """
    m = _TITLE.search(html[:20000])
    if not m or not title:
        return None
    raw = " ".join(unescape(m.group(1)).split())
    if not raw.startswith(title) or raw == title:
        return None
    rest = _SITE_SEPARATOR.match(raw[len(title):])
    site = raw[len(title) + rest.end():].strip() if rest else ""
    return site if 0 < len(site.split()) <= 5 else None


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): block elements become line breaks."""
    import lxml.html

    # lxml refuses to set a tail holding a control character or a lone surrogate (ValueError)
    fragment = _SURROGATES.sub("\ufffd", _CONTROLS.sub(" ", fragment))
    if limits.needs_flattening(fragment):
        fragment = limits.flatten_html(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for bad in root.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4|//blockquote"):
            block.tail = "\n" + (block.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - malformed markup: fall back to stripping tags
        text = re.sub(r"<[^>]+>", " ", fragment)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)]*\s*$")


def is_headline(line: str, title: str) -> bool:
    """The page's headline repeated as the body's first line: the title itself, or (no sentence ending)
    a line whose every word is in the title and which makes up at least half of it (a title often adds
    the site's name or a kicker).

    >>> is_headline("Kell council backs harbour plan", "Kell council backs harbour plan | Kell Gazette")
    True
    >>> is_headline("Kell", "Kell council backs harbour plan")
    False
    >>> is_headline("The council backs the plan.", "The council backs the plan")
    True
    """
    words = _WORD.findall(line.lower())
    title_words = _WORD.findall(title.lower())
    if not words or not title_words:
        return False
    if words == title_words:
        return True
    if _SENTENCE_END.search(line.strip()):
        return False
    pool = Counter(title_words)
    inside = all(pool[w] >= n for w, n in Counter(words).items())
    return inside and len(words) >= len(title_words) / 2


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text if text and text != "None" else None


